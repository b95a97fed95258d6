// hookline: the operator CLI. One file per subcommand group.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/json_reader.h"
#include "ctl/approvals_command.h"
#include "ctl/connections_command.h"
#include "ctl/consent_command.h"
#include "ctl/db_command.h"
#include "ctl/dlq_command.h"
#include "ctl/replay_command.h"
#include "ctl/send_command.h"
#include "ctl/status_command.h"
#include "ctl/topology_command.h"

namespace {

constexpr const char* kUsage = R"(usage: hookline [--config FILE] <group> <command> [flags]

groups:
  topology apply|check   create the declared Kafka topics / report drift (exit 3)
  db migrate|status      apply the embedded Postgres migrations / list them
  connections add|list|rotate|disable|enable|set-send-secret|set-settings
                         connections (inbound webhooks, outbound sending), their sealed
                         secrets and settings
  consent get|set|history|export|erase
                         one contact's consent: current state, an operator's opt-in or
                         opt-out, history, GDPR export, erase
  approvals list|show|approve|deny
                         campaigns waiting for a person's decision; decide from the CLI
  dlq list|show|replay   what is parked in outbound.dlq / webhooks.dlq and why; replay a
                         selection to where it came from (resumable, paced, idempotent)
  replay raw             re-normalize the raw webhooks of a time range (after a mapping fix)
  send                   an operator's test message through the whole outbound path
  status                 one screen: consumer lag, DLQ growth, open approvals, endpoints,
                         circuits, topology drift (exit 3 when something needs attention)

global flags:
  --config FILE   JSON config file (default: $HOOKLINE_CONFIG, else built-in defaults)
  --help          this text
  --version       print the version

environment: HOOKLINE_KAFKA_BOOTSTRAP, HOOKLINE_KAFKA_<LIBRDKAFKA_PROPERTY>,
HOOKLINE_DATABASE_URL, HOOKLINE_LOG_LEVEL (the CLI logs errors only, or debug),
HOOKLINE_TOPOLOGY_DIR,
HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE (see README).
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> config_path;
  size_t i = 0;
  for (; i < args.size() && args[i].starts_with("--"); ++i) {
    const std::string& a = args[i];
    if (a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--version") {
      std::cout << "hookline " HOOKLINE_VERSION "\n";
      return 0;
    } else if (a == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (a.starts_with("--config=")) {
      config_path = a.substr(9);
    } else {
      std::fprintf(stderr, "hookline: unknown flag %s (see hookline --help)\n", a.c_str());
      return 2;
    }
  }
  if (i >= args.size()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string group = args[i];
  std::vector<std::string> rest(args.begin() + static_cast<long>(i) + 1, args.end());
  if (group != "topology" && group != "db" && group != "connections" && group != "consent" &&
      group != "approvals" && group != "dlq" && group != "replay" && group != "send" &&
      group != "status") {
    std::fprintf(stderr, "hookline: unknown command group '%s' (see hookline --help)\n",
                 group.c_str());
    return 2;
  }
  hookline::Config cfg;
  try {
    cfg = hookline::load_config(config_path, hookline::process_environment());
  } catch (const hookline::ConfigError& e) {
    std::fprintf(stderr, "hookline: %s\n", e.what());
    return 1;
  }
  // The CLI's output is its answer: log lines (the Kafka clients' warnings about a broker
  // restarting, say) only at error level, unless debug logging is asked for.
  hookline::log::set_level(
      cfg.log_level == hookline::log::Level::debug ? cfg.log_level : hookline::log::Level::error);
  if (group == "topology") return hookline::ctl::run_topology_command(rest, cfg);
  if (group == "connections") return hookline::ctl::run_connections_command(rest, cfg);
  if (group == "consent") return hookline::ctl::run_consent_command(rest, cfg);
  if (group == "approvals") return hookline::ctl::run_approvals_command(rest, cfg);
  if (group == "dlq") return hookline::ctl::run_dlq_command(rest, cfg);
  if (group == "replay") return hookline::ctl::run_replay_command(rest, cfg);
  if (group == "send") return hookline::ctl::run_send_command(rest, cfg);
  if (group == "status") return hookline::ctl::run_status_command(rest, cfg);
  return hookline::ctl::run_db_command(rest, cfg);
}
