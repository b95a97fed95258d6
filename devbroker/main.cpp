// hookline-devbroker: the embedded Kafka for local runs and tests. Starts librdkafka's mock
// cluster, creates the topics declared in topology/, reports the bootstrap servers (stdout and
// --bootstrap-file), and runs until SIGTERM or SIGINT.
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "core/cli_args.h"
#include "core/config.h"
#include "core/files.h"
#include "core/kafka/admin.h"
#include "core/log.h"
#include "core/program.h"
#include "core/topology.h"
#include "devbroker/control_server.h"
#include "devbroker/mock_cluster.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline-devbroker [flags]

Starts an in-memory Kafka (librdkafka's mock cluster) with the declared topics.

  --brokers N            number of brokers (default 3)
  --topology FILE        topics to create (default: <topology.dir>/topics.json)
  --bootstrap-file FILE  write the bootstrap servers here once ready
  --control-file FILE    write the control API's URL here once ready
  --control-port N       port of the control API on 127.0.0.1 (default 0: any free port)
  --config FILE          hookline config file (for log level and topology.dir)
  --help                 this text

Control API: POST /brokers/{id|all}/down|up, POST /brokers/{id|all}/rtt?ms=N, GET /bootstrap.
Not Kafka: nothing on disk, no admin API, no compaction or retention settings, only the
newest ~5 MiB per partition kept, aborted transactions visible to read_committed readers,
no fencing of zombie transactional producers.
)";

int run(int argc, char** argv) {
  using namespace hookline;
  const log::Logger logger("devbroker");
  std::vector<std::string> args(argv + 1, argv + argc);
  FlagSpec spec{{"brokers", "topology", "bootstrap-file", "control-file", "control-port", "config"},
                {"help"}};
  ParsedArgs a = parse_args(args, spec, "hookline-devbroker");
  if (a.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!a.positional.empty())
    throw UsageError("hookline-devbroker: unexpected argument '" + a.positional[0] + "'");
  Config cfg = load_config(a.get("config"), process_environment());
  log::set_level(cfg.log_level);
  const int brokers = static_cast<int>(a.get_int("brokers", 3, 1, 9));
  const int control_port = static_cast<int>(a.get_int("control-port", 0, 0, 65535));
  Topology topo = load_topology(a.get("topology", cfg.topology.topics_file()));

  const StopSignals stop_signals;  // before any thread starts

  devbroker::MockCluster cluster(brokers);
  for (const auto& t : topo.topics) cluster.create_topic(t);
  const std::string bootstrap = cluster.bootstrap();

  // Ready means a real client can see every declared topic through the bootstrap servers.
  KafkaConfig probe_cfg;
  probe_cfg.bootstrap = bootstrap;
  auto probe = kafka::AdminClient::create(probe_cfg, "hookline-devbroker-probe");
  auto md = probe->describe(std::chrono::milliseconds(10000));
  if (!md) throw std::runtime_error("the mock cluster did not answer: " + md.error().message);
  for (const auto& t : topo.topics) {
    if (!md->topics.contains(t.name)) throw std::runtime_error("topic " + t.name + " not visible");
  }
  probe.reset();

  devbroker::ControlServer control(cluster, "127.0.0.1", control_port);
  control.start();

  if (auto f = a.get("control-file")) write_file_atomic(*f, control.url() + "\n");
  if (auto f = a.get("bootstrap-file")) write_file_atomic(*f, bootstrap + "\n");
  std::cout << "bootstrap: " << bootstrap << "\ncontrol: " << control.url() << "\n" << std::flush;
  logger.info("ready", {{"bootstrap", bootstrap},
                        {"brokers", brokers},
                        {"topics", static_cast<std::int64_t>(topo.topics.size())},
                        {"control", control.url()}});

  logger.info("stopping", {{"signal", stop_signals.wait()}});
  control.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return hookline::run_program("hookline-devbroker", [&] { return run(argc, argv); });
}
