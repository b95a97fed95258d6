#include "ctl/dlq_command.h"

#include <cstdio>

#include <pqxx/pqxx>

#include "core/cli_args.h"
#include "core/db/audit_log.h"
#include "core/db/connection.h"
#include "core/kafka/topic_scan.h"
#include "ctl/dlq/dlq_table.h"
#include "ctl/dlq/replayer.h"

namespace hookline::ctl {
namespace {

constexpr const char* kUsage =
    "usage: hookline dlq <command> [flags]\n"
    "\n"
    "commands:\n"
    "  list    [filters] [--limit N] [--json]\n"
    "          parked records: PART:OFFSET, time, provider, connection, error class, attempts,\n"
    "          a short reason; totals per error class at the end. Never bodies or addresses.\n"
    "  show    PARTITION:OFFSET [--reveal --by NAME]\n"
    "          one record's headers and metadata; the body only with --reveal, which is\n"
    "          written to the audit log first\n"
    "  replay  [filters] [--ids FILE] [--new-only] [--rate N/s] [--dry-run] [--yes] [--by NAME]\n"
    "          re-produce the selected records to the topic they came from, attempt counters\n"
    "          reset, with hookline-replayed-from/-by/-at headers. Asks first unless --yes.\n"
    "          Ctrl-C stops between two records; the same command again resumes. Request and\n"
    "          event ids are carried, so replaying a record twice sends it once.\n"
    "\n"
    "flags:\n"
    "  --topic T          outbound.dlq (default) or webhooks.dlq\n"
    "  --since T, --until T  RFC 3339 (2026-11-22T10:00:00Z), now, or an age (90s, 30m, 6h, 7d)\n"
    "  --provider P       e.g. twilio\n"
    "  --connection C     <provider>/<id> or <id>\n"
    "  --error-class E    e.g. http-503 (see dlq list's totals)\n"
    "  --ids FILE         one PARTITION:OFFSET, request id or delivery id per line\n"
    "  --new-only         only what arrived since the last finished replay of the topic (its\n"
    "                     cursor: consumer group hookline-dlq-replay.<topic>)\n"
    "  --rate N           at most N records per second (N or N/s; default: as fast as Kafka\n"
    "                     acknowledges)\n"
    "  --by NAME          the operator (default: $USER)\n"
    "\n"
    "Needs HOOKLINE_KAFKA_BOOTSTRAP; replay and show --reveal also HOOKLINE_DATABASE_URL (runs\n"
    "and reveals are recorded there). Exit codes: 0 done, 1 error or a record not replayed,\n"
    "2 usage error or not confirmed, 130 interrupted (run it again to resume).\n";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int fail(const std::string& message, int code = kExitFailure) {
  std::fprintf(stderr, "hookline dlq: %s\n", message.c_str());
  return code;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The filters, and their canonical text (the arguments as given, so that the same command
// names the same replay run).
struct Filters {
  Selection selection;
  std::string canonical;
};

Result<Filters> read_filters(const ParsedArgs& a) {
  Filters f;
  const std::int64_t now = now_ms();
  for (const char* name : {"since", "until"}) {
    if (auto v = a.get(name)) {
      auto t = parse_time_arg(*v, now);
      if (!t)
        return Error{ErrorKind::permanent, {}, std::string("--") + name + ": " + t.error().message};
      (std::string(name) == "since" ? f.selection.since_ms : f.selection.until_ms) = *t;
      f.canonical += std::string(" ") + name + "=" + *v;
    }
  }
  if (f.selection.since_ms && f.selection.until_ms &&
      *f.selection.since_ms > *f.selection.until_ms) {
    return Error{ErrorKind::permanent, {}, "--since is after --until"};
  }
  f.selection.provider = a.get("provider", "");
  if (auto c = a.get("connection")) {
    if (Status st = set_connection(f.selection, *c); !st) return st.error();
  }
  f.selection.error_class = a.get("error-class", "");
  if (!f.selection.provider.empty()) f.canonical += " provider=" + f.selection.provider;
  if (!f.selection.connection.empty()) f.canonical += " connection=" + f.selection.connection;
  if (!f.selection.error_class.empty()) f.canonical += " error-class=" + f.selection.error_class;
  if (auto path = a.get("ids")) {
    auto ids = read_id_list(*path);
    if (!ids) return Error{ErrorKind::permanent, {}, "--ids " + ids.error().message};
    f.canonical += " ids=" + ids->digest;
    f.selection.ids = std::move(*ids);
  }
  if (a.has("new-only")) f.canonical += " new-only";
  if (f.canonical.empty()) f.canonical = " all";
  f.canonical.erase(0, 1);
  return f;
}

int list(const ParsedArgs& a, const Config& cfg, const std::string& topic) {
  auto filters = read_filters(a);
  if (!filters) return fail(filters.error().message, kExitUsage);
  const long long limit = a.get_int("limit", 1000, 1, 10'000'000);
  auto scan = kafka::TopicScan::open(cfg.kafka, topic);
  if (!scan) return fail(scan.error().message);
  auto marks = (*scan)->watermarks();
  if (!marks) return fail(marks.error().message);
  std::vector<kafka::PartitionRange> ranges = *marks;
  if (filters->selection.since_ms) {
    auto from = (*scan)->offsets_for_time(*filters->selection.since_ms);
    if (!from) return fail(from.error().message);
    for (auto& r : ranges) r.begin = std::max(r.begin, (*from)[r.partition]);
  }
  DlqTable table(stdout, a.has("json"));
  table.header();
  std::int64_t hidden = 0;
  Status st = (*scan)->read(ranges, [&](const kafka::Message& m) {
    const kafka::Headers headers = m.headers();
    const DlqEntry e = describe_dlq_record(view_of(m, headers));
    if (!filters->selection.matches(e)) return true;
    if (table.count() < limit) {
      table.row(e);
    } else {
      ++hidden;
    }
    return true;
  });
  if (!st) return fail(st.error().message);
  if (hidden > 0 && !a.has("json")) {
    std::printf("(%lld more not shown: --limit %lld)\n", static_cast<long long>(hidden), limit);
  }
  table.totals();
  return kExitOk;
}

int show(const ParsedArgs& a, const Config& cfg, const std::string& topic) {
  if (a.positional.size() != 1) return fail("show takes one PARTITION:OFFSET", kExitUsage);
  auto where = parse_coordinate(a.positional[0]);
  if (!where) return fail(where.error().message, kExitUsage);
  const std::int32_t partition = where->first;  // not a structured binding: lambdas capture it
  const std::int64_t offset = where->second;
  std::string by;
  if (a.has("reveal")) {
    auto name = operator_name(a.get("by", ""));
    if (!name) return fail(name.error().message, kExitUsage);
    by = *name;
  }
  auto scan = kafka::TopicScan::open(cfg.kafka, topic);
  if (!scan) return fail(scan.error().message);
  if (partition >= (*scan)->partitions()) {
    return fail(topic + " has partitions 0-" + std::to_string((*scan)->partitions() - 1) +
                ", not " + std::to_string(partition));
  }
  auto marks = (*scan)->watermarks();
  if (!marks) return fail(marks.error().message);
  const auto& range = (*marks)[static_cast<std::size_t>(partition)];
  if (offset < range.begin || offset >= range.end) {
    return fail("no record at " + std::to_string(partition) + ":" + std::to_string(offset) +
                " in " + topic + " (partition " + std::to_string(partition) +
                (range.begin == range.end ? " is empty)"
                                          : " holds offsets " + std::to_string(range.begin) + "-" +
                                                std::to_string(range.end - 1) + ")"));
  }
  std::optional<std::string> body;
  std::optional<DlqEntry> entry;
  kafka::Headers headers;
  Status st = (*scan)->read({{partition, offset, offset + 1}}, [&](const kafka::Message& m) {
    if (m.offset() != offset) return true;
    headers = m.headers();
    entry = describe_dlq_record(view_of(m, headers));
    body = std::string(m.value());
    return false;
  });
  if (!st) return fail(st.error().message);
  if (!entry) return fail("no record at " + a.positional[0] + " in " + topic);
  if (a.has("reveal")) {
    // The audit row comes first: no row, no body.
    try {
      auto conn = db::connect(cfg.database);
      pqxx::work tx(*conn);
      db::append_audit(tx, "ctl:" + by, "dlq.reveal", topic + ":" + a.positional[0]);
      tx.commit();
    } catch (const db::DbError& e) {
      return fail(std::string(e.what()) + " (--reveal is written to the audit log first)");
    } catch (const std::exception& e) {
      return fail("database: " + db::first_line(db::scrub_password(e.what(), cfg.database.url)));
    }
  }
  std::printf("%s\n", entry_json(*entry).c_str());
  std::printf("headers:\n");
  for (const auto& [name, value] : headers) {
    std::printf("  %s: %s\n", name.c_str(), value.c_str());
  }
  if (a.has("reveal")) {
    std::printf("body (%zu bytes):\n%s\n", body->size(), body->c_str());
  } else {
    std::printf("body: %zu bytes, not shown (--reveal --by NAME shows it and audits that)\n",
                body->size());
  }
  return kExitOk;
}

int replay(const ParsedArgs& a, const Config& cfg, const std::string& topic) {
  auto filters = read_filters(a);
  if (!filters) return fail(filters.error().message, kExitUsage);
  auto by = operator_name(a.get("by", ""));
  if (!by) return fail(by.error().message, kExitUsage);
  Result<double> rate = 0.0;
  if (auto r = a.get("rate")) rate = parse_rate_arg(*r);
  if (!rate) return fail(rate.error().message, kExitUsage);
  ReplaySpec spec;
  spec.source_topic = topic;
  spec.selection = filters->canonical;
  spec.operator_name = *by;
  spec.audit_action = "dlq.replay";
  spec.filter = filters->selection;
  spec.new_only = a.has("new-only");
  spec.cursor_group = "hookline-dlq-replay." + topic;
  spec.rate_per_s = *rate;
  spec.dry_run = a.has("dry-run");
  spec.yes = a.has("yes");
  return run_replay(cfg, spec);
}

}  // namespace

int run_dlq_command(const std::vector<std::string>& args, const Config& cfg) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string& cmd = args[0];
  if (cmd != "list" && cmd != "show" && cmd != "replay") {
    return fail("unknown command '" + cmd + "' (see hookline dlq --help)", kExitUsage);
  }
  FlagSpec spec;
  spec.with_value = {"topic", "since", "until", "provider", "connection", "error-class"};
  if (cmd == "list") {
    spec.with_value.insert("limit");
    spec.boolean = {"json"};
  } else if (cmd == "show") {
    spec.with_value = {"topic", "by"};
    spec.boolean = {"reveal"};
  } else {
    spec.with_value.insert({"ids", "rate", "by"});
    spec.boolean = {"dry-run", "yes", "new-only"};
  }
  ParsedArgs a;
  try {
    a = parse_args(std::vector<std::string>(args.begin() + 1, args.end()), spec,
                   "hookline dlq " + cmd);
    if (cmd != "show" && !a.positional.empty()) {
      return fail(cmd + " takes no argument '" + a.positional[0] + "'", kExitUsage);
    }
    const std::string topic = a.get("topic", "outbound.dlq");
    if (cmd == "list") return list(a, cfg, topic);
    if (cmd == "show") return show(a, cfg, topic);
    return replay(a, cfg, topic);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitUsage;
  }
}

}  // namespace hookline::ctl
