// hookline-ingest: verifies providers' webhooks and publishes them durably to webhooks.raw.
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "core/cli_args.h"
#include "core/config.h"
#include "core/kafka/client_config.h"
#include "core/log.h"
#include "core/program.h"
#include "ingest/ingest_config.h"
#include "ingest/manifest.h"
#include "ingest/publisher.h"
#include "ingest/registry/follower.h"
#include "ingest/registry/registry.h"
#include "ingest/registry/secret_box.h"
#include "ingest/server.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline-ingest [flags]

Receives provider webhooks, verifies their signatures and publishes them to Kafka
(webhooks.raw), answering 2xx only after Kafka acknowledged the record.

  --listen HOST:PORT   address to serve on (default 0.0.0.0:8080; HOOKLINE_INGEST_LISTEN)
  --public-url URL     base URL providers call, for URL-signing schemes such as Twilio's
                       (HOOKLINE_INGEST_PUBLIC_URL; default http://<listen address>)
  --providers DIR      provider manifests (default <topology.dir>/providers)
  --config FILE        hookline config file (see README: "ingest" section)
  --help               this text

Needs HOOKLINE_KAFKA_BOOTSTRAP, HOOKLINE_DATABASE_URL (the connection registry) and
HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE (to open connection secrets).
Routes: POST|GET /webhooks/{provider}[/{connection}], GET /healthz, /readyz, /metrics.
)";

int run(int argc, char** argv) {
  using namespace hookline;
  const log::Logger logger("ingest");
  std::vector<std::string> args(argv + 1, argv + argc);
  ParsedArgs a = parse_args(
      args, FlagSpec{{"listen", "public-url", "providers", "config"}, {"help"}}, "hookline-ingest");
  if (a.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!a.positional.empty()) {
    throw UsageError("hookline-ingest: unexpected argument '" + a.positional[0] + "'");
  }
  const Environment env = process_environment();
  Config cfg = load_config(a.get("config"), env);
  log::set_level(cfg.log_level);
  ingest::IngestConfig icfg = ingest::load_ingest_config(cfg, env, a);
  const ingest::Manifests manifests = ingest::load_manifests(icfg.providers_dir);
  ingest::SecretBox box = ingest::SecretBox::from_config(cfg.secrets);
  if (cfg.database.url.empty()) {
    throw ConfigError(
        "no database configured: set HOOKLINE_DATABASE_URL (the connection registry)");
  }

  const StopSignals stop_signals;  // before any thread starts

  ingest::Registry registry;
  ingest::FollowerOptions follow;
  follow.poll_interval = icfg.registry_poll;
  ingest::RegistryFollower follower(cfg.database, box, registry, follow);
  if (Status st = follower.load_once(); !st) {
    // Serve anyway: requests get 503 until the registry loads, and the follower keeps trying.
    logger.error("connection registry not loaded; retrying in the background",
                 {{"error", st.error().message}});
  }
  follower.start();

  ingest::KafkaPublisher publisher(cfg.kafka, icfg.topic, icfg.ack_timeout);
  if (Status st = kafka::wait_for_cluster(publisher.producer().handle(), cfg.kafka.bootstrap,
                                          cfg.kafka.timeout);
      !st) {
    logger.error("Kafka not reachable at start; deliveries get 503 until it is",
                 {{"error", st.error().message}});
  }
  ingest::IngestMetrics metrics(metrics::default_registry());
  ingest::WebhookHandler handler(manifests, registry, publisher, metrics,
                                 ingest::HandlerOptions{icfg.retry_after_s});
  ingest::IngestServer server(icfg, handler, metrics,
                              [&] { return registry.loaded() && publisher.healthy(); });
  server.start();
  logger.info("listening", {{"address", icfg.host + ":" + std::to_string(server.port())},
                            {"public_url", server.public_url()},
                            {"providers", static_cast<std::int64_t>(manifests.size())},
                            {"connections", static_cast<std::int64_t>(registry.size())},
                            {"topic", icfg.topic}});
  std::cout << "listening on " << icfg.host << ":" << server.port() << "\n" << std::flush;

  logger.info("stopping: finishing in-flight requests", {{"signal", stop_signals.wait()}});
  server.stop();
  follower.stop();
  publisher.close(std::chrono::milliseconds(10000));
  logger.info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return hookline::run_program("hookline-ingest", [&] { return run(argc, argv); });
}
