#include "ctl/approvals_command.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <pqxx/pqxx>

#include "core/cli_args.h"
#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "core/db/connection.h"
#include "core/kafka/producer.h"
#include "processors/gatekeeper/approval_store.h"
#include "processors/gatekeeper/decision_record.h"

namespace hookline::ctl {
namespace {

constexpr const char* kUsage =
    "usage: hookline approvals <command> [flags]\n"
    "\n"
    "commands:\n"
    "  list     [--status pending|approved|denied|expired|all] [--tenant T]\n"
    "           approvals, newest first (default: pending)\n"
    "  show     ID   one approval: campaign, reasons, held messages by status, decisions\n"
    "  approve  ID --by NAME   release the campaign's held messages\n"
    "  deny     ID --by NAME   report the campaign's held messages denied\n"
    "\n"
    "ID is the approval id shown by list (apr-17, or 17). approve and deny publish a decision\n"
    "to approvals.decisions with decided_by.operator = NAME; the gatekeeper applies it (once:\n"
    "a decision for an approval that is no longer pending is recorded and ignored).\n"
    "Needs HOOKLINE_DATABASE_URL; approve and deny also HOOKLINE_KAFKA_BOOTSTRAP.\n"
    "Exit codes: 0 done, 1 error (database, Kafka, not found, not pending), 2 usage error.\n";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int fail(const std::string& message, int code = kExitFailure) {
  std::fprintf(stderr, "hookline approvals: %s\n", message.c_str());
  return code;
}

int list(const ParsedArgs& a, pqxx::connection& conn) {
  const std::string status = a.get("status", "pending");
  if (status != "pending" && status != "approved" && status != "denied" && status != "expired" &&
      status != "all") {
    return fail("--status must be pending, approved, denied, expired or all", kExitUsage);
  }
  pqxx::read_transaction tx(conn);
  auto rows = tx.exec_params(
      "SELECT a.id, a.tenant, a.campaign_id, a.status, a.recipients, "
      "array_to_string(a.reasons, ','), to_char(a.requested_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(a.expires_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(a.decided_by, ''), "
      "(SELECT count(*) FROM held_messages h WHERE h.approval_id = a.id AND h.status = 'held') "
      "FROM approvals a WHERE ($1 = 'all' OR a.status = $1) AND ($2 = '' OR a.tenant = $2) "
      "ORDER BY a.id DESC LIMIT 500",
      status, a.get("tenant", ""));
  std::printf("%-10s %-16s %-32s %-9s %10s %6s  %-20s %-20s %s\n", "ID", "TENANT", "CAMPAIGN",
              "STATUS", "RECIPIENTS", "HELD", "REQUESTED", "EXPIRES", "DECIDED BY / REASONS");
  for (const auto& r : rows) {
    const std::string by = r[8].as<std::string>();
    std::printf("%-10s %-16s %-32s %-9s %10lld %6lld  %-20s %-20s %s\n",
                gatekeeper::approval_key(r[0].as<std::int64_t>()).c_str(),
                r[1].as<std::string>().c_str(), r[2].as<std::string>().c_str(),
                r[3].as<std::string>().c_str(), static_cast<long long>(r[4].as<std::int64_t>()),
                static_cast<long long>(r[9].as<std::int64_t>()), r[6].as<std::string>().c_str(),
                r[7].as<std::string>().c_str(), (by.empty() ? r[5].as<std::string>() : by).c_str());
  }
  if (rows.empty()) std::printf("(no %s approvals)\n", status == "all" ? "" : status.c_str());
  return kExitOk;
}

int show(std::int64_t id, pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  auto rows = tx.exec_params(
      "SELECT tenant, campaign_id, campaign_name, status, array_to_string(reasons, ','), "
      "recipients, risk_score, sensitive, ai_drafted, requested_at::text, expires_at::text, "
      "coalesce(decided_at::text, ''), coalesce(decided_by, ''), slack_connection, "
      "slack_channel, request_published_at IS NOT NULL FROM approvals WHERE id = $1",
      id);
  if (rows.empty()) return fail("no approval " + gatekeeper::approval_key(id));
  const auto& r = rows[0];
  std::printf("approval     %s\n", gatekeeper::approval_key(id).c_str());
  std::printf("tenant       %s\n", r[0].c_str());
  std::printf("campaign     %s%s%s\n", r[1].c_str(), r[2].size() > 0 ? " - " : "", r[2].c_str());
  std::printf("status       %s\n", r[3].c_str());
  std::printf("reasons      %s\n", r[4].c_str());
  std::printf("recipients   %s   risk score %s   sensitive %s   ai-drafted %s\n", r[5].c_str(),
              r[6].c_str(), r[7].as<bool>() ? "yes" : "no", r[8].as<bool>() ? "yes" : "no");
  std::printf("requested    %s (Slack %s %s, %s)\n", r[9].c_str(), r[13].c_str(), r[14].c_str(),
              r[15].as<bool>() ? "posted" : "not posted yet");
  std::printf("expires      %s\n", r[10].c_str());
  if (r[11].size() > 0) std::printf("decided      %s by %s\n", r[11].c_str(), r[12].c_str());
  std::printf("held messages:");
  auto counts = tx.exec_params(
      "SELECT status, count(*) FROM held_messages WHERE approval_id = $1 GROUP BY status "
      "ORDER BY status",
      id);
  if (counts.empty()) std::printf(" none");
  for (const auto& c : counts) std::printf(" %s %s", c[0].c_str(), c[1].c_str());
  std::printf("\ndecisions received:\n");
  auto decisions = tx.exec_params(
      "SELECT decided_at::text, decision, decided_by, outcome FROM approval_decisions "
      "WHERE approval_id = $1 ORDER BY id",
      id);
  if (decisions.empty()) std::printf("  none\n");
  for (const auto& d : decisions) {
    std::printf("  %s %s by %s: %s\n", d[0].c_str(), d[1].c_str(), d[2].c_str(), d[3].c_str());
  }
  return kExitOk;
}

int decide(std::int64_t id, bool approve, const ParsedArgs& a, pqxx::connection& conn,
           const Config& cfg) {
  auto by = a.get("by");
  if (!by || by->empty() || by->size() > 256) {
    return fail("--by NAME is required (who decides; 1-256 characters)", kExitUsage);
  }
  gatekeeper::ApprovalDecision d;
  {
    pqxx::read_transaction tx(conn);
    auto rows =
        tx.exec_params("SELECT tenant, campaign_id, status FROM approvals WHERE id = $1", id);
    if (rows.empty()) return fail("no approval " + gatekeeper::approval_key(id));
    if (rows[0][2].as<std::string>() != "pending") {
      return fail(gatekeeper::approval_key(id) + " is already " + rows[0][2].as<std::string>());
    }
    d.tenant = rows[0][0].as<std::string>();
    d.campaign_id = rows[0][1].as<std::string>();
  }
  d.approve = approve;
  d.operator_name = *by;
  d.decided_at = std::chrono::system_clock::now();
  d.provider = "cli";
  d.event_id = "cli." + crypto::hex_encode(crypto::random_bytes(16));
  const std::string value = gatekeeper::decision_to_json(d);
  if (auto check = gatekeeper::parse_approval_decision(value); !check) {
    return fail("the decision is not valid: " + check.error().message, kExitUsage);
  }
  kafka::Producer::Options popts;
  popts.client_id = "hookline-ctl";
  auto producer = kafka::Producer::create(cfg.kafka, popts);
  kafka::OutRecord rec;
  rec.topic = "approvals.decisions";
  rec.key = std::string_view(d.campaign_id);
  rec.value = value;
  auto report = producer->produce_sync(rec, cfg.kafka.timeout);
  producer->close();
  if (!report) return fail("decision not published: " + report.error().message);
  if (report->error) return fail("decision not published: " + report->error->message);
  std::printf("%s decision for %s (campaign %s) published; the gatekeeper applies it\n",
              approve ? "approve" : "deny", gatekeeper::approval_key(id).c_str(),
              d.campaign_id.c_str());
  return kExitOk;
}

}  // namespace

int run_approvals_command(const std::vector<std::string>& args, const hookline::Config& cfg) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  ParsedArgs a;
  try {
    a = parse_args(rest, FlagSpec{{"status", "tenant", "by"}, {}}, "hookline approvals " + command);
  } catch (const UsageError& e) {
    return fail(e.what(), kExitUsage);
  }
  if (command != "list" && command != "show" && command != "approve" && command != "deny") {
    return fail("unknown command '" + command + "' (list, show, approve, deny)", kExitUsage);
  }
  std::optional<std::int64_t> id;
  if (command != "list") {
    if (a.positional.size() != 1) return fail(command + " needs one approval ID", kExitUsage);
    id = gatekeeper::approval_id_from_key(a.positional[0]);
    if (!id) return fail("'" + a.positional[0] + "' is not an approval id (apr-17)", kExitUsage);
  } else if (!a.positional.empty()) {
    return fail("list takes no arguments", kExitUsage);
  }
  try {
    auto conn = db::connect(cfg.database);
    if (command == "list") return list(a, *conn);
    if (command == "show") return show(*id, *conn);
    return decide(*id, command == "approve", a, *conn, cfg);
  } catch (const db::DbError& e) {
    return fail(e.what());
  } catch (const kafka::KafkaError& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    return fail(db::first_line(db::scrub_password(e.what(), cfg.database.url)));
  }
}

}  // namespace hookline::ctl
