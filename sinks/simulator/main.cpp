// hookline-provider-sim: a local stand-in for the providers' send APIs (Resend, SendGrid,
// Twilio, WhatsApp Cloud, Slack, outgoing webhooks) with rate limits, faults and a record of
// every request, driven by a control API. For tests and scripts/dev.sh; see README.md.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "core/files.h"
#include "core/json_reader.h"
#include "core/log.h"
#include "core/program.h"
#include "sinks/simulator/engine.h"
#include "sinks/simulator/providers.h"
#include "sinks/simulator/rules_json.h"
#include "sinks/simulator/sim_options.h"
#include "sinks/simulator/sim_server.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline-provider-sim [flags]

Answers the send endpoints of Resend, SendGrid, Twilio, WhatsApp Cloud and Slack, their
cheapest authenticated endpoints (the credential checks of `hookline connections test`), and
outgoing webhooks (POST /hooks/...), with rate limits, faults and valid credentials set
through a control API under /_sim/, and records every request it receives. Not a provider:
nothing is delivered.

  --listen HOST:PORT   address to serve on (default 127.0.0.1:8090; port 0: any free port)
  --port-file PATH     write the bound port here once listening
  --threads N          connections served at once, one thread each (default 64)
  --config FILE        initial rules: {"rate_limits":[...],"faults":[...],"credentials":[...]}
  --max-records N      requests kept for /_sim/requests, newest first (default 200000)
  --help               this text

Log level: HOOKLINE_LOG_LEVEL (debug logs every answer). Stops on SIGTERM or SIGINT.
)";

int run(int argc, char** argv) {
  using namespace hookline;
  using namespace hookline::simulator;
  const log::Logger logger("simulator");
  const SimOptions opts = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (opts.help) {
    std::cout << kUsage;
    return 0;
  }
  if (const char* level = std::getenv("HOOKLINE_LOG_LEVEL"); level && *level) {
    log::Level l{};
    if (!log::parse_level(level, l)) {
      throw ConfigError(
          "environment variable HOOKLINE_LOG_LEVEL: must be one of debug, info, warn, error");
    }
    log::set_level(l);
  }
  InitialRules rules;
  if (opts.config) rules = load_rules_file(*opts.config);
  std::signal(SIGPIPE, SIG_IGN);  // a write to a cut connection fails instead

  const StopSignals stop_signals;  // before any thread starts

  Engine engine(builtin_providers(), EngineOptions{opts.max_records, opts.max_records});
  for (auto& r : rules.rate_limits) engine.add_rate_rule(std::move(r));
  for (auto& f : rules.faults) engine.add_fault(std::move(f));
  for (const auto& c : rules.credentials) engine.set_credentials(c.provider, c.valid);
  SimServer server(engine, ServerOptions{opts.host, opts.port, opts.threads});
  server.start();
  if (opts.port_file) write_file_atomic(*opts.port_file, std::to_string(server.port()) + "\n");
  logger.info("listening", {{"port", server.port()},
                            {"threads", opts.threads},
                            {"rate_limits", rules.rate_limits.size()},
                            {"faults", rules.faults.size()},
                            {"credentials", rules.credentials.size()}});
  std::cout << "listening on " << opts.host << ":" << server.port() << "\n" << std::flush;

  logger.info("stopping", {{"signal", stop_signals.wait()}});
  server.stop();
  logger.info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return hookline::run_program("hookline-provider-sim", [&] { return run(argc, argv); });
}
