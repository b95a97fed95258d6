// hookline-gatekeeper: consent and approval before anything is sent. Reads outbound.requests,
// approvals.decisions and consent.changes; writes outbound.approved, approvals.requests and
// outbound.results; keeps the consent ledger, approvals and held messages in Postgres; relays
// the outbound_outbox table to outbound.requests.

#include <iostream>
#include <set>
#include <thread>

#include "core/cli_args.h"
#include "core/config.h"
#include "core/crypto/encoding.h"
#include "core/db/connection.h"
#include "core/log.h"
#include "core/metrics/metrics_server.h"
#include "core/metrics/registry.h"
#include "core/program.h"
#include "core/topology.h"
#include "processors/gatekeeper/consent/consent_change.h"
#include "processors/gatekeeper/consent/consent_check.h"
#include "processors/gatekeeper/consent/consent_ledger.h"
#include "processors/gatekeeper/gatekeeper.h"
#include "processors/gatekeeper/gatekeeper_config.h"
#include "processors/gatekeeper/gatekeeper_metrics.h"
#include "processors/gatekeeper/outbox/outbox_relay.h"
#include "processors/gatekeeper/releaser.h"
#include "processors/gatekeeper/request_gate.h"
#include "processors/gatekeeper/rules/rules.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline-gatekeeper [flags]

Checks every send request of outbound.requests against the consent ledger and the rules of
topology/rules.json: allowed requests go to outbound.approved, suppressed ones end with a
com.hookline.send.suppressed result, and campaigns an approval rule catches wait for a
person's Approve in Slack (approvals.requests, approvals.decisions). Records consent.changes in
the consent ledger and relays the outbound_outbox table to outbound.requests.

  --metrics-listen HOST:PORT   Prometheus /metrics (default 0.0.0.0:9104;
                               HOOKLINE_GATEKEEPER_METRICS_LISTEN)
  --instance-id ID             this instance's transactional.id suffix (default: host name)
  --config FILE                hookline config file (see README: "gatekeeper" section)
  --help                       this text

Needs HOOKLINE_KAFKA_BOOTSTRAP, HOOKLINE_DATABASE_URL and HOOKLINE_SECRET_KEY or
HOOKLINE_SECRET_KEY_FILE (the consent ledger keys contacts by a keyed hash).
)";

int run(int argc, char** argv) {
  using namespace hookline;
  const log::Logger logger("gatekeeper");
  std::vector<std::string> args(argv + 1, argv + argc);
  ParsedArgs a = parse_args(args, FlagSpec{{"metrics-listen", "config", "instance-id"}, {"help"}},
                            "hookline-gatekeeper");
  if (a.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!a.positional.empty()) {
    throw UsageError("hookline-gatekeeper: unexpected argument '" + a.positional[0] + "'");
  }
  const Environment env = process_environment();
  Config cfg = load_config(a.get("config"), env);
  log::set_level(cfg.log_level);
  gatekeeper::GatekeeperConfig gcfg = gatekeeper::load_gatekeeper_config(cfg, env, a);
  if (cfg.database.url.empty()) {
    throw ConfigError(
        "no database configured: set HOOKLINE_DATABASE_URL (the consent ledger and approvals)");
  }
  if (!cfg.secrets.configured()) {
    throw ConfigError(
        "no secrets key configured: set HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE (the "
        "consent ledger keys contacts by a hash under it)");
  }
  const auto key = crypto::base64_decode(cfg.secrets.load_key());
  if (!key || key->size() != 32) {
    throw ConfigError("the secrets key is not the base64 of 32 bytes");
  }
  const Topology topology = load_topology(cfg.topology.dir + "/topics.json");
  for (const auto& t :
       {gcfg.requests_topic, gcfg.approved_topic, gcfg.results_topic, gcfg.dlq_topic,
        gcfg.decisions_topic, gcfg.approval_requests_topic, gcfg.consent_topic}) {
    if (!topology.find(t)) {
      throw ConfigError("topic '" + t + "' is used by the gatekeeper but not declared in " +
                        cfg.topology.dir + "/topics.json");
    }
  }
  const gatekeeper::Rules rules = gatekeeper::load_rules(cfg.topology.dir + "/rules.json");
  const gatekeeper::ContactHasher hasher(*key);

  const StopSignals stop_signals;  // before any thread starts
  const StopFlag stop(stop_signals, [&](const char* sig) {
    logger.info("stopping: finishing the batch in hand", {{"signal", sig}});
  });

  gatekeeper::GatekeeperMetrics metrics(metrics::default_registry());
  metrics::MetricsServer metrics_server(metrics::default_registry(), gcfg.metrics_host,
                                        gcfg.metrics_port);

  gatekeeper::ConsentCheckOptions copts;
  copts.cache_entries = gcfg.consent_cache_entries;
  copts.cache_ttl = gcfg.consent_cache_ttl;
  copts.on_lookup = [&metrics](double seconds) { metrics.ledger_lookup.observe(seconds); };
  gatekeeper::ConsentChecker checker(cfg.database, hasher, rules.consent, copts);

  auto ledger_conn = db::connect(cfg.database);
  gatekeeper::ConsentLedger::require_tables(*ledger_conn, cfg.database.url);
  auto ledger = std::make_unique<gatekeeper::ConsentLedger>(*ledger_conn, cfg.database.url);
  gatekeeper::ConsentSink sink = [&](std::string_view value) -> Result<bool> {
    auto entry = gatekeeper::consent_entry_from_change(value, rules.consent, hasher);
    if (!entry) return entry.error();
    auto added = ledger->append(*entry);
    if (!added && added.error().kind == ErrorKind::retriable) {
      // A lost connection: a fresh one for the batch's retry.
      try {
        ledger.reset();
        ledger_conn = db::connect(cfg.database);
        ledger = std::make_unique<gatekeeper::ConsentLedger>(*ledger_conn, cfg.database.url);
      } catch (const std::exception&) {
      }
    }
    return added;
  };

  gatekeeper::RequestGate gate(rules, checker);
  gatekeeper::Releaser releaser(cfg, gcfg, rules, gate, metrics);
  gatekeeper::Gatekeeper keeper(cfg, gcfg, rules, gate, sink, metrics,
                                [&releaser] { releaser.wake(); });

  std::unique_ptr<kafka::Producer> outbox_producer;
  std::unique_ptr<gatekeeper::OutboxRelay> relay;
  std::thread relay_thread;
  std::atomic<bool> relay_stop{false};
  if (gcfg.outbox) {
    kafka::Producer::Options popts;
    popts.client_id = "hookline-gatekeeper-outbox";
    outbox_producer = kafka::Producer::create(cfg.kafka, popts);
    gatekeeper::OutboxRelayOptions ropts;
    ropts.topic = gcfg.requests_topic;
    ropts.batch = gcfg.outbox_batch;
    ropts.poll_interval = gcfg.outbox_poll;
    ropts.on_round = [&metrics](const gatekeeper::OutboxRound& r) {
      metrics.outbox_published.inc(r.published);
      metrics.outbox_invalid.inc(r.invalid);
      if (r.locked) metrics.outbox_lag.set(r.lag_seconds);
    };
    relay = std::make_unique<gatekeeper::OutboxRelay>(cfg.database, *outbox_producer, ropts);
    relay_thread = std::thread([&] { relay->run(relay_stop); });
  }

  metrics_server.start();
  std::cout << "metrics on " << gcfg.metrics_host << ":" << metrics_server.port() << "\n"
            << std::flush;
  releaser.start();
  const int rc = keeper.run(stop.flag());
  relay_stop = true;
  if (relay_thread.joinable()) relay_thread.join();
  releaser.stop();
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  return hookline::run_program("hookline-gatekeeper", [&] { return run(argc, argv); });
}
