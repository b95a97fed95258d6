#include "ctl/status_command.h"

#include <chrono>
#include <future>
#include <iostream>
#include <map>
#include <optional>

#include "core/cli_args.h"
#include "core/kafka/admin.h"
#include "core/time_format.h"
#include "core/topology.h"
#include "ctl/status/component_settings.h"
#include "ctl/status/db_state.h"
#include "ctl/status/endpoint_probe.h"
#include "ctl/status/kafka_state.h"
#include "ctl/status/metrics_reading.h"
#include "ctl/status/prometheus_text.h"
#include "ctl/status/render_json.h"
#include "ctl/status/render_text.h"
#include "ctl/topology_command.h"

namespace hookline::ctl {
namespace {

namespace st = status;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitAttention = 3;

constexpr const char* kUsage =
    R"(usage: hookline status [--json] [--endpoints NAME=URL,...] [--topology FILE]

One screen: consumer lag per component group (normalizer, gatekeeper, sender), the DLQs'
size, growth in the last hour and records not yet replayed, open approvals, each component's
metrics endpoint (up/down), the sender's circuit breakers and throttled connections, and the
topology check (as hookline topology check).

  --json        one JSON object instead of text (per-partition lag included)
  --endpoints   metrics endpoints to probe, NAME=URL pairs separated by commas; NAME is
                ingest, normalizer, gatekeeper or sender (repeat a name for more instances);
                URL is http://host:port[/path] or host:port (path /metrics), or none
  --topology    the declared topology (default: <topology.dir>/topics.json)

Endpoints, the first source naming a component wins: --endpoints, HOOKLINE_STATUS_ENDPOINTS
(same syntax), the config file's "status": {"endpoints": {"sender": "URL[,URL]"}}, then the
components' configured addresses (ingest.listen, <component>.metrics_listen or their
HOOKLINE_*_LISTEN variables). A component without any is shown as "no endpoint given".

Lag sources: broker (the group's committed offsets), metrics (the normalizer's own gauge,
used when the broker has no commit of its transactional group, as on the dev broker),
database (the gatekeeper's offsets in Postgres), unknown.

Exit codes: 0 all well, 1 error (Kafka unreachable, bad configuration), 2 usage error,
3 something needs attention (topology drift, a DLQ that grew in the last hour, an open
circuit, an endpoint down, a part that could not be read).
)";

st::TopologyState topology_state(const Topology& topo, const kafka::AdminClient& admin,
                                 const Config& cfg) {
  st::TopologyState t;
  t.source = topo.source;
  t.declared = topo.topics.size();
  try {
    const TopologyCheck c = check_topology(topo, admin, cfg);
    t.checked = true;
    t.drift = c.drift;
    if (!c.configs_checked) t.configs_skipped = c.configs_skipped;
  } catch (const std::exception& e) {
    t.error = e.what();
  }
  return t;
}

struct Scraped {
  std::vector<st::ComponentEndpoints> endpoints;
  std::map<std::string, std::vector<st::MetricsText>> metrics;  // component -> answers
};

Scraped scrape(const std::vector<st::ComponentPlan>& plans) {
  std::vector<std::string> urls;
  for (const auto& p : plans) urls.insert(urls.end(), p.urls.begin(), p.urls.end());
  std::vector<st::Fetched> fetched = st::fetch_all(urls);
  Scraped out;
  std::size_t i = 0;
  for (const auto& p : plans) {
    st::ComponentEndpoints c{p.component, p.origin, {}};
    for (std::size_t k = 0; k < p.urls.size(); ++k, ++i) {
      c.probes.push_back(fetched[i].probe);
      if (fetched[i].probe.up) {
        out.metrics[p.component].push_back(st::parse_prometheus_text(fetched[i].body));
      }
    }
    out.endpoints.push_back(std::move(c));
  }
  return out;
}

st::SenderHealth sender_state(const Scraped& scraped) {
  auto it = scraped.metrics.find("sender");
  if (it != scraped.metrics.end()) return st::sender_health(it->second);
  st::SenderHealth h;
  bool given = false;
  for (const auto& c : scraped.endpoints) {
    if (c.component == "sender") given = !c.probes.empty();
  }
  h.note = given ? "no sender endpoint answered" : "no endpoint given for the sender";
  return h;
}

st::Snapshot collect(const Config& cfg, const Topology& topo, const st::StatusSettings& settings,
                     const kafka::AdminClient& admin) {
  st::Snapshot s;
  const auto now = std::chrono::system_clock::now();
  s.bootstrap = cfg.kafka.bootstrap;
  s.taken_at = rfc3339_ms(now);
  // The endpoints and Postgres are read while Kafka is: the slowest bounds the whole.
  auto scraping = std::async(std::launch::async, [&settings] {
    return scrape(st::resolve_endpoints(settings.endpoint_layers));
  });
  auto db_reading = std::async(std::launch::async, [&cfg, &settings] {
    return st::read_db_state(cfg.database, settings.gatekeeper.group_id);
  });
  s.topology = topology_state(topo, admin, cfg);
  for (const auto& topic : settings.dlq_topics)
    s.dlqs.push_back(st::dlq_state(cfg.kafka, topic, now));
  s.groups.push_back(st::committed_group_lag(cfg.kafka, settings.sender));

  const Scraped scraped = scraping.get();
  s.endpoints = scraped.endpoints;
  s.sender = sender_state(scraped);
  std::optional<std::map<std::int32_t, double>> gauges;
  if (auto it = scraped.metrics.find("normalizer"); it != scraped.metrics.end()) {
    gauges = st::normalizer_lag_gauges(it->second);
  }
  s.groups.insert(s.groups.begin(),
                  st::normalizer_group_lag(cfg.kafka, settings.normalizer, gauges));

  st::DbReading db = db_reading.get();
  s.approvals = db.approvals;
  s.groups.insert(s.groups.begin() + 1,
                  st::stored_group_lag(cfg.kafka, settings.gatekeeper, db.gatekeeper_offsets));
  return s;
}

}  // namespace

int run_status_command(const std::vector<std::string>& args, const Config& cfg) {
  try {
    ParsedArgs a =
        parse_args(args, FlagSpec{{"endpoints", "topology"}, {"json", "help"}}, "hookline status");
    if (a.has("help")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (!a.positional.empty()) {
      throw UsageError("hookline status: unexpected argument '" + a.positional[0] +
                       "' (see hookline status --help)");
    }
    const Topology topo = load_topology(a.get("topology", cfg.topology.topics_file()));
    const st::StatusSettings settings =
        st::load_status_settings(cfg, process_environment(), topo, a.get("endpoints"));

    auto admin = kafka::AdminClient::create(cfg.kafka, "hookline-status");
    if (auto md = admin->describe(cfg.kafka.timeout); !md) {
      std::cerr << "hookline status: " << md.error().message << "\n";
      return kExitFailure;
    }
    const st::Snapshot snapshot = collect(cfg, topo, settings, *admin);
    const std::vector<std::string> attention = st::attention(snapshot);
    std::cout << (a.has("json") ? st::render_json(snapshot, attention)
                                : st::render_text(snapshot, attention));
    return attention.empty() ? kExitOk : kExitAttention;
  } catch (const UsageError& e) {
    std::cerr << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "hookline status: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace hookline::ctl
