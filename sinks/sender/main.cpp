// hookline-sender: sends approved send requests to the providers' APIs at each connection's
// pace, retries through the retry tiers and parks what cannot be sent in outbound.dlq.

#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/cli_args.h"
#include "core/config.h"
#include "core/db/connection.h"
#include "core/log.h"
#include "core/metrics/metrics_server.h"
#include "core/metrics/registry.h"
#include "core/program.h"
#include "core/topology.h"
#include "ingest/registry/connection_store.h"
#include "ingest/registry/follower.h"
#include "ingest/registry/registry.h"
#include "ingest/registry/secret_box.h"
#include "sinks/sender/connection_book.h"
#include "sinks/sender/gatekeeper_recheck.h"
#include "sinks/sender/sender.h"
#include "sinks/sender/sender_config.h"
#include "sinks/sender/sent_ledger.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline-sender [flags]

Sends the send requests of outbound.approved (and of the retry tiers) to the providers' APIs,
at each connection's pace; writes one result per request to outbound.results, retries through
outbound.retry.<tier> and parks what cannot be sent in outbound.dlq. Posts the approval
requests of approvals.requests to Slack. Checks consent again just before each send (the
gatekeeper's consent ledger and the rules of <topology>/rules.json) unless the "sender"
section says "consent_recheck": false.

  --metrics-listen HOST:PORT   Prometheus /metrics (default 0.0.0.0:9103;
                               HOOKLINE_SENDER_METRICS_LISTEN)
  --config FILE                hookline config file (see README: "sender" section)
  --help                       this text

Needs HOOKLINE_KAFKA_BOOTSTRAP, HOOKLINE_DATABASE_URL (the connection registry, the
sent-ledger and the consent ledger) and HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE (to
open send secrets; the consent ledger's contact hashes are keyed by it).
)";

int run(int argc, char** argv) {
  using namespace hookline;
  const log::Logger logger("sender");
  std::vector<std::string> args(argv + 1, argv + argc);
  ParsedArgs a =
      parse_args(args, FlagSpec{{"metrics-listen", "config"}, {"help"}}, "hookline-sender");
  if (a.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!a.positional.empty()) {
    throw UsageError("hookline-sender: unexpected argument '" + a.positional[0] + "'");
  }
  const Environment env = process_environment();
  Config cfg = load_config(a.get("config"), env);
  log::set_level(cfg.log_level);
  sender::SenderConfig scfg = sender::load_sender_config(cfg, env, a);
  if (cfg.database.url.empty()) {
    throw ConfigError(
        "no database configured: set HOOKLINE_DATABASE_URL (the connection "
        "registry and the sent-ledger)");
  }
  const Topology topology = load_topology(cfg.topology.dir + "/topics.json");
  std::set<std::string> declared;
  for (const auto& t : topology.topics) declared.insert(t.name);
  std::vector<std::string> used{scfg.input_topic, scfg.results_topic, scfg.dlq_topic};
  if (!scfg.approvals_topic.empty()) used.push_back(scfg.approvals_topic);
  for (const auto& t : used) {
    if (!declared.contains(t)) {
      throw ConfigError("topic '" + t + "' is used by the sender but not declared in " +
                        cfg.topology.dir + "/topics.json");
    }
  }
  ingest::SecretBox box = ingest::SecretBox::from_config(cfg.secrets);

  const StopSignals stop_signals;  // before any thread starts
  const StopFlag stop(stop_signals, [&](const char* sig) {
    logger.info("stopping: finishing calls in flight", {{"signal", sig}});
  });

  sender::SenderMetrics metrics(metrics::default_registry());
  metrics::MetricsServer metrics_server(metrics::default_registry(), scfg.metrics_host,
                                        scfg.metrics_port);
  ingest::Registry registry;
  ingest::RegistryFollower follower(cfg.database, box, registry, ingest::FollowerOptions{});
  if (Status st = follower.load_once(); !st) {
    throw ConfigError("connection registry not loaded: " + st.error().message);
  }
  follower.start();
  sender::PostgresSentLedger ledger(cfg.database, scfg.ledger_connections);
  // The database is configured (checked above): consent is checked again unless turned off.
  std::unique_ptr<sender::ConsentRecheck> recheck;
  if (scfg.consent_recheck) {
    recheck = sender::make_gatekeeper_recheck(cfg, scfg.ledger_connections);
  } else {
    logger.warn("consent_recheck is off: consent is not checked again before sending", {});
  }
  metrics_server.start();
  std::cout << "metrics on " << scfg.metrics_host << ":" << metrics_server.port() << "\n"
            << std::flush;
  sender::ConnectionBook book(registry);
  // A webhook destination that answered 410 Gone is disabled in the registry (audited).
  auto admin = db::connect(cfg.database);
  ingest::ConnectionStore store(*admin, "hookline-sender");
  auto disable = [&](const std::string& key) {
    const auto slash = key.find('/');
    try {
      store.set_enabled(key.substr(0, slash), key.substr(slash + 1), false);
      logger.warn("connection disabled: its destination answered 410 Gone", {{"connection", key}});
    } catch (const std::exception& e) {
      logger.error("could not disable a gone destination in the registry",
                   {{"connection", key}, {"error", db::first_line(e.what())}});
    }
  };
  sender::Sender s(cfg, scfg, topology, book, &ledger, recheck.get(), metrics, disable);
  return s.run(stop.flag());
}

}  // namespace

int main(int argc, char** argv) {
  return hookline::run_program("hookline-sender", [&] { return run(argc, argv); });
}
