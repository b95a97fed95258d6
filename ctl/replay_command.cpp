#include "ctl/replay_command.h"

#include <chrono>
#include <cstdio>

#include "core/cli_args.h"
#include "ctl/dlq/replayer.h"

namespace hookline::ctl {
namespace {

constexpr const char* kUsage =
    "usage: hookline replay raw --from T [--to T] [--provider P] [--connection C] [--rate N/s]\n"
    "                           [--dry-run] [--yes] [--by NAME] [--topic webhooks.raw]\n"
    "\n"
    "Re-normalizes the raw webhooks received between --from and --to (default: now): each goes\n"
    "back to webhooks.raw with its key, partition, body and headers, marked as a replay, and the\n"
    "normalizer re-emits its events with the same CloudEvents ids even inside its dedup window\n"
    "(consumers dedupe on id). Use it after fixing a manifest's mapping. Records that are\n"
    "themselves replays are skipped (their originals are in the range).\n"
    "\n"
    "T: RFC 3339 (2026-11-22T10:00:00Z), now, or an age (90s, 30m, 6h, 7d). --connection takes\n"
    "<provider>/<id> or <id>. Asks first unless --yes; Ctrl-C stops between two records and the\n"
    "same command again resumes. Needs HOOKLINE_KAFKA_BOOTSTRAP and HOOKLINE_DATABASE_URL.\n"
    "Exit codes: 0 done, 1 error, 2 usage error or not confirmed, 130 interrupted.\n";

int fail(const std::string& message, int code) {
  std::fprintf(stderr, "hookline replay: %s\n", message.c_str());
  return code;
}

}  // namespace

int run_replay_command(const std::vector<std::string>& args, const Config& cfg) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "raw")
    return fail("unknown command '" + args[0] + "' (see hookline replay --help)", 2);
  ParsedArgs a;
  try {
    a = parse_args(std::vector<std::string>(args.begin() + 1, args.end()),
                   FlagSpec{{"from", "to", "provider", "connection", "rate", "by", "topic"},
                            {"dry-run", "yes"}},
                   "hookline replay raw");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  if (!a.positional.empty()) return fail("raw takes no argument '" + a.positional[0] + "'", 2);
  const auto from = a.get("from");
  if (!from) return fail("--from is required", 2);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  ReplaySpec spec;
  spec.program = "hookline replay";
  spec.source_topic = a.get("topic", "webhooks.raw");
  spec.audit_action = "replay.raw";
  spec.raw = true;
  auto since = parse_time_arg(*from, now);
  if (!since) return fail("--from: " + since.error().message, 2);
  const std::string to_arg = a.get("to", "now");
  auto until = parse_time_arg(to_arg, now);
  if (!until) return fail("--to: " + until.error().message, 2);
  if (*since > *until) return fail("--from is after --to", 2);
  spec.filter.since_ms = *since;
  spec.filter.until_ms = *until;
  spec.filter.provider = a.get("provider", "");
  if (auto c = a.get("connection")) {
    if (Status st = set_connection(spec.filter, *c); !st) return fail(st.error().message, 2);
  }
  spec.selection = "raw from=" + *from + " to=" + to_arg;
  if (!spec.filter.provider.empty()) spec.selection += " provider=" + spec.filter.provider;
  if (!spec.filter.connection.empty()) spec.selection += " connection=" + spec.filter.connection;
  auto by = operator_name(a.get("by", ""));
  if (!by) return fail(by.error().message, 2);
  spec.operator_name = *by;
  if (auto r = a.get("rate")) {
    auto rate = parse_rate_arg(*r);
    if (!rate) return fail(rate.error().message, 2);
    spec.rate_per_s = *rate;
  }
  spec.dry_run = a.has("dry-run");
  spec.yes = a.has("yes");
  return run_replay(cfg, spec);
}

}  // namespace hookline::ctl
