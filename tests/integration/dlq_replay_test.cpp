// hookline dlq list|show|replay against a running sender on the dev broker and the provider
// simulator: requests parked after their attempts ran out are listed without addresses, shown
// (the body only with --reveal, audited), replayed selectively once the provider recovers and
// sent exactly once; replaying again sends nothing new; a dry run and an unconfirmed replay
// change nothing; an interrupted replay resumes where it stopped.
#define BOOST_TEST_MODULE dlq_replay
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <map>
#include <pqxx/pqxx>
#include <set>

#include "tests/support/sender_stack.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::string kSettings = R"({"from": "news@example.com", "max_attempts": 2})";
const std::string kAddress = "parked.person@example.com";

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

void publish(test::SenderStack& s, const std::string& connection, const std::string& prefix,
             int n) {
  std::vector<std::pair<std::string, std::string>> v;
  for (int i = 0; i < n; ++i) {
    v.emplace_back(connection,
                   test::email_request(prefix + std::to_string(i), connection, "", kAddress));
  }
  s.publish(v);
}

// Successful calls the simulator received for this API key, by request id.
std::map<std::string, int> sent_by_id(test::SenderStack& s, const std::string& key) {
  test::SimQuery q;
  q.target = key;
  std::map<std::string, int> out;
  for (const auto& r : s.sim().requests(q)) {
    if (r.status != 200) continue;
    auto it = r.headers.find("idempotency-key");
    ++out[it == r.headers.end() ? "" : it->second];
  }
  return out;
}

double metric(const std::string& text, const std::string& name) {
  for (std::size_t pos = text.find(name); pos != std::string::npos;
       pos = text.find(name, pos + 1)) {
    if (pos > 0 && text[pos - 1] != '\n') continue;
    const auto sp = text.find(' ', pos);
    if (sp == std::string::npos) break;
    if (text.compare(pos, sp - pos, name) != 0) continue;
    return std::stod(text.substr(sp + 1));
  }
  return 0;
}

std::int64_t high_watermarks(test::SenderStack& s, const std::string& topic) {
  return static_cast<std::int64_t>(s.read(topic).size());
}

// A sender whose "flaky" connection fails with 503 until the simulator is reset (20 requests
// parked as attempts-exhausted) and whose "broken" one is refused for good (5 parked).
struct Parked {
  // The breaker would hold the failing connection's requests for a minute at a time.
  test::SenderStack s{R"({"max_attempts_by_provider": {"resend": 2}, "breaker_failures": 1000})"};
  Parked() {
    s.add_connection("resend", "flaky", "re_key_flaky", kSettings);
    s.add_connection("resend", "broken", "re_key_broken", kSettings);
    test::SimFault down;
    down.match.target = "re_key_flaky";
    down.status = 503;
    down.count = -1;
    s.sim().add_fault(down);
    test::SimFault refused;
    refused.match.target = "re_key_broken";
    refused.status = 422;
    refused.count = -1;
    s.sim().add_fault(refused);
    s.start();
    publish(s, "resend/flaky", "flaky-", 20);
    publish(s, "resend/broken", "broken-", 5);
    const bool parked =
        test::eventually([&] { return s.read("outbound.dlq").size() == 25u; }, 90s, 200ms);
    BOOST_TEST_REQUIRE(parked, s.read("outbound.dlq").size() << " parked");
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(parked_requests_are_listed_shown_and_replayed_exactly_once) {
  Parked p;
  test::SenderStack& s = p.s;

  auto list = s.cli({"dlq", "list", "--connection", "resend/flaky"});
  BOOST_TEST_REQUIRE(list.exit_code == 0, list.err);
  BOOST_TEST(contains(list.out, "20 records; by error class: attempts-exhausted 20"), list.out);
  BOOST_TEST(!contains(list.out, kAddress));
  auto all = s.cli({"dlq", "list", "--json"});
  BOOST_TEST_REQUIRE(all.exit_code == 0, all.err);
  BOOST_TEST(contains(all.out, R"("records":25)"), all.out);
  BOOST_TEST(!contains(all.out, kAddress));
  auto since = s.cli({"dlq", "list", "--since", "1h", "--error-class", "attempts-exhausted"});
  BOOST_TEST(contains(since.out, "20 records"), since.out);
  auto future = s.cli({"dlq", "list", "--since", "2099-01-01T00:00:00Z"});
  BOOST_TEST(contains(future.out, "0 records"), future.out);

  // show: metadata only; --reveal prints the body and audits it first.
  const auto parked = s.read("outbound.dlq");
  const std::string where =
      std::to_string(parked[0].partition) + ":" + std::to_string(parked[0].offset);
  auto show = s.cli({"dlq", "show", where});
  BOOST_TEST_REQUIRE(show.exit_code == 0, show.err);
  BOOST_TEST(contains(show.out, "hookline-error-class"), show.out);
  BOOST_TEST(!contains(show.out, kAddress));
  auto reveal = s.cli({"dlq", "show", where, "--reveal", "--by", "alice"});
  BOOST_TEST_REQUIRE(reveal.exit_code == 0, reveal.err);
  BOOST_TEST(contains(reveal.out, kAddress));
  {
    auto conn = s.db().connect();
    pqxx::read_transaction tx(*conn);
    BOOST_TEST(tx.exec_params1("SELECT count(*) FROM audit_log WHERE action = 'dlq.reveal' AND "
                               "actor = 'ctl:alice' AND subject = $1",
                               "outbound.dlq:" + where)[0]
                   .as<int>() == 1);
  }

  s.sim().reset();  // the provider recovers
  const std::int64_t retry_records = high_watermarks(s, "outbound.retry.30s");

  // A dry run and an unconfirmed replay change nothing.
  auto dry = s.cli({"dlq", "replay", "--connection", "resend/flaky", "--dry-run", "--by", "alice"});
  BOOST_TEST_REQUIRE(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "would replay 20 records (20 to outbound.retry."), dry.out);
  BOOST_TEST(!contains(dry.out, kAddress));
  auto unconfirmed = s.cli({"dlq", "replay", "--connection", "resend/flaky", "--by", "alice"});
  BOOST_TEST(unconfirmed.exit_code == 2);
  BOOST_TEST(contains(unconfirmed.err, "not confirmed"), unconfirmed.err);
  BOOST_TEST(high_watermarks(s, "outbound.retry.30s") == retry_records);
  BOOST_TEST(sent_by_id(s, "re_key_flaky").empty());
  {
    auto conn = s.db().connect();
    pqxx::read_transaction tx(*conn);
    BOOST_TEST(tx.exec1("SELECT count(*) FROM replay_runs")[0].as<int>() == 0);
  }

  // The replay: every parked request of the connection is sent exactly once.
  auto replay = s.cli({"dlq", "replay", "--connection", "resend/flaky", "--yes", "--by", "alice"});
  BOOST_TEST_REQUIRE(replay.exit_code == 0, replay.err);
  BOOST_TEST(contains(replay.out, "done: replayed 20, skipped 0, failed 0"), replay.out);
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return sent_by_id(s, "re_key_flaky").size() == 20u; }, 60s, 200ms));
  for (const auto& [id, n] : sent_by_id(s, "re_key_flaky")) {
    BOOST_TEST(id.starts_with("flaky-"), id);
    BOOST_TEST(n == 1, id << " sent " << n << " times");
  }
  BOOST_TEST(sent_by_id(s, "re_key_broken").empty());  // not selected
  for (const auto& r : s.read("outbound.retry.30s")) {
    if (r.header("hookline-replayed-from").empty()) continue;
    BOOST_TEST(r.header("hookline-replayed-by") == "alice");
    BOOST_TEST(r.header("attempt").empty());
    BOOST_TEST(r.header("hookline-error-class").empty());
  }

  // Replaying the same records again sends nothing new (the sent-ledger knows their ids).
  const double skips_before = metric(s.metrics(), "hookline_sender_ledger_skips_total");
  auto again = s.cli({"dlq", "replay", "--connection", "resend/flaky", "--yes", "--by", "bob"});
  BOOST_TEST_REQUIRE(again.exit_code == 0, again.err);
  BOOST_TEST(contains(again.out, "replayed 20"), again.out);
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        return metric(s.metrics(), "hookline_sender_ledger_skips_total") >= skips_before + 20;
      },
      60s, 200ms));
  BOOST_TEST(sent_by_id(s, "re_key_flaky").size() == 20u);
  for (const auto& [id, n] : sent_by_id(s, "re_key_flaky")) BOOST_TEST(n == 1, id);

  // The cursor: --new-only finds nothing new since the last replay.
  auto new_only = s.cli(
      {"dlq", "replay", "--new-only", "--connection", "resend/flaky", "--yes", "--by", "bob"});
  BOOST_TEST(new_only.exit_code == 0, new_only.err);
  BOOST_TEST(contains(new_only.out, "nothing to replay"), new_only.out);

  auto conn = s.db().connect();
  pqxx::read_transaction tx(*conn);
  BOOST_TEST(tx.exec1("SELECT count(*) FROM replay_runs WHERE finished_at IS NOT NULL AND "
                      "replayed = 20")[0]
                 .as<int>() == 2);
  BOOST_TEST(tx.exec1("SELECT count(*) FROM audit_log WHERE action = 'dlq.replay'")[0].as<int>() ==
             2);
}

BOOST_AUTO_TEST_CASE(an_interrupted_replay_resumes_where_it_stopped) {
  Parked p;
  test::SenderStack& s = p.s;
  s.sim().reset();
  std::map<std::string, std::string> env = s.env();
  test::ChildProcess first(
      test::bin("hookline"),
      {"dlq", "replay", "--connection", "resend/flaky", "--rate", "4/s", "--yes", "--by", "carol"},
      env);
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        return !s.read("outbound.retry.30s").empty() && sent_by_id(s, "re_key_flaky").size() >= 3u;
      },
      30s, 50ms));
  first.signal(SIGINT);
  const auto code = first.wait(30s);
  BOOST_TEST_REQUIRE(code.has_value());
  BOOST_TEST(*code == 130, first.out() << first.err());
  BOOST_TEST(contains(first.out(), "interrupted: replayed "), first.out());
  BOOST_TEST(contains(first.out(), "run the same command again to resume"));

  auto second = s.cli(
      {"dlq", "replay", "--connection", "resend/flaky", "--rate", "4/s", "--yes", "--by", "carol"});
  BOOST_TEST_REQUIRE(second.exit_code == 0, second.err);
  BOOST_TEST(contains(second.out, "resuming run #1"), second.out);
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return sent_by_id(s, "re_key_flaky").size() == 20u; }, 60s, 200ms));
  for (const auto& [id, n] : sent_by_id(s, "re_key_flaky")) BOOST_TEST(n == 1, id);
  // One run, finished, that replayed each record once across the two commands.
  auto conn = s.db().connect();
  pqxx::read_transaction tx(*conn);
  auto row = tx.exec1("SELECT count(*), sum(replayed) FROM replay_runs");
  BOOST_TEST(row[0].as<int>() == 1);
  BOOST_TEST(row[1].as<int>() == 20);
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_and_a_nonzero_exit) {
  test::SenderStack s;
  auto env = s.env();
  env["HOOKLINE_LOG_LEVEL"] = "";  // the CLI's default: its answer, no library log lines
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"dlq", "list", "--topic", "no.such.topic"}, 1, "unknown topic 'no.such.topic'"},
      {{"dlq", "show", "1-2"}, 2, "is not PARTITION:OFFSET"},
      {{"dlq", "show", "0:99"}, 1, "no record at 0:99 in outbound.dlq"},
      {{"dlq", "show", "7:0"}, 1, "has partitions 0-2, not 7"},
      {{"dlq", "list", "--since", "yesterday"}, 2, "'yesterday' is not a time"},
      {{"dlq", "replay", "--rate", "fast", "--by", "x"}, 2, "--rate must be a positive number"},
      {{"dlq", "purge"}, 2, "unknown command 'purge'"},
      {{"dlq", "list", "--frobnicate"}, 2, "unknown flag --frobnicate"},
      {{"replay", "raw"}, 2, "--from is required"},
      {{"replay", "raw", "--from", "1h", "--to", "2h"}, 2, "--from is after --to"},
  };
  for (const Case& c : cases) {
    auto r = test::run(test::bin("hookline"), c.args, env);
    BOOST_TEST(r.exit_code == c.code, c.args[1] << ": " << r.err);
    BOOST_TEST(contains(r.err, c.says), r.err);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
  }
  // An unreachable broker: one line naming it, no librdkafka log lines.
  const std::string addr = "127.0.0.1:" + std::to_string(test::closed_port());
  env["HOOKLINE_KAFKA_BOOTSTRAP"] = addr;
  auto down = test::run(test::bin("hookline"), {"dlq", "list"}, env, 60s);
  BOOST_TEST(down.exit_code == 1);
  BOOST_TEST(contains(down.err, "hookline dlq: Kafka at " + addr), down.err);
  BOOST_TEST(std::count(down.err.begin(), down.err.end(), '\n') == 1, down.err);
}
