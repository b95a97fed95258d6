// hookline-normalizer: deduplicates webhooks.raw exactly once and writes CloudEvents to the
// events.* topics, consent and approval signals, and what it cannot process to webhooks.dlq.
#include <iostream>
#include <set>

#include "core/cli_args.h"
#include "core/config.h"
#include "core/log.h"
#include "core/metrics/metrics_server.h"
#include "core/metrics/registry.h"
#include "core/program.h"
#include "core/topology.h"
#include "processors/normalizer/event_mapper.h"
#include "processors/normalizer/normalizer_config.h"
#include "processors/normalizer/normalizer_metrics.h"
#include "processors/normalizer/processor.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline-normalizer [flags]

Reads webhooks.raw in a consumer group, drops duplicate events (a per-partition window backed
by a changelog topic) and writes each event once as a binary-mode CloudEvent to its events.*
topic, with consent and approval signals and webhooks.dlq, all in one Kafka transaction.

  --instance-id ID        this instance's stable id: the transactional.id is
                          <group>-<ID> (default: the host name; HOOKLINE_NORMALIZER_INSTANCE_ID).
                          Two instances running at once need different ids; a restarted
                          instance keeps its id so that it fences its predecessor.
  --metrics-listen H:P    Prometheus /metrics (default 0.0.0.0:9102;
                          HOOKLINE_NORMALIZER_METRICS_LISTEN)
  --providers DIR         provider manifests (default <topology.dir>/providers)
  --config FILE           hookline config file (see README: "normalizer" section)
  --help                  this text

Needs HOOKLINE_KAFKA_BOOTSTRAP. Exit 0 after SIGTERM/SIGINT (open work committed), 1 on a
fatal error (a supervisor restarts it; the next start restores and goes on).
)";

int run(int argc, char** argv) {
  using namespace hookline;
  const log::Logger logger("normalizer");
  std::vector<std::string> args(argv + 1, argv + argc);
  ParsedArgs a =
      parse_args(args, FlagSpec{{"instance-id", "metrics-listen", "providers", "config"}, {"help"}},
                 "hookline-normalizer");
  if (a.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!a.positional.empty()) {
    throw UsageError("hookline-normalizer: unexpected argument '" + a.positional[0] + "'");
  }
  const Environment env = process_environment();
  Config cfg = load_config(a.get("config"), env);
  log::set_level(cfg.log_level);
  normalizer::NormalizerConfig ncfg = normalizer::load_normalizer_config(cfg, env, a);
  auto mapper = normalizer::EventMapper::load(ncfg.providers_dir);

  // Every topic written must be declared, so `hookline topology apply` creates it.
  const Topology topology = load_topology(cfg.topology.dir + "/topics.json");
  std::set<std::string> declared;
  for (const auto& t : topology.topics) declared.insert(t.name);
  std::vector<std::string> needed = mapper->topics();
  needed.insert(needed.end(), {ncfg.input_topic, ncfg.dlq_topic, ncfg.changelog_topic});
  for (const auto& t : needed) {
    if (!declared.contains(t)) {
      throw ConfigError("topic '" + t + "' is used by the normalizer but not declared in " +
                        cfg.topology.dir + "/topics.json");
    }
  }

  const StopSignals stop_signals;  // before any thread starts
  const StopFlag stop(stop_signals, [&](const char* sig) {
    logger.info("stopping: committing open work", {{"signal", sig}});
  });

  normalizer::NormalizerMetrics metrics(metrics::default_registry());
  metrics::MetricsServer metrics_server(metrics::default_registry(), ncfg.metrics_host,
                                        ncfg.metrics_port);
  metrics_server.start();
  std::cout << "metrics on " << ncfg.metrics_host << ":" << metrics_server.port() << "\n"
            << std::flush;
  normalizer::Processor processor(cfg, ncfg, mapper, metrics);
  return processor.run(stop.flag());
}

}  // namespace

int main(int argc, char** argv) {
  return hookline::run_program("hookline-normalizer", [&] { return run(argc, argv); });
}
