// The pure parts of hookline dlq / replay: reading a parked record, the selection and its
// arguments, where a replay goes and with which headers, the table's text.
#define BOOST_TEST_MODULE ctl_dlq_parts
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

#include "ctl/dlq/dlq_entry.h"
#include "ctl/dlq/dlq_table.h"
#include "ctl/dlq/replay_record.h"
#include "ctl/dlq/replay_runs.h"
#include "ctl/dlq/selection.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::ctl;

namespace {

constexpr std::int64_t kNow = 1'795'000'000'000;  // 2026-11-18

const kafka::Headers kParkedSend = {
    {"attempt", "2"},
    {"due", "2026-11-22T10:00:02.000Z"},
    {"last-error", "http-503"},
    {"first-failed-at", "2026-11-22T10:00:00.000Z"},
    {"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
    {"hookline-original-topic", "outbound.retry.30s"},
    {"hookline-original-partition", "4"},
    {"hookline-original-offset", "1234"},
    {"hookline-error-class", "attempts-exhausted"},
    {"hookline-provider-status", "503"},
    {"hookline-provider-answer", "{\"name\":\"internal_server_error\"}"},
    {"hookline-attempts", "2"},
    {"hookline-failed-at", "2026-11-22T10:00:05.000Z"},
};

RecordView send_view(const std::string& value, const kafka::Headers& headers) {
  RecordView v;
  v.partition = 1;
  v.offset = 7;
  v.timestamp_ms = kNow;
  v.key = "resend/main";
  v.value = value;
  v.headers = &headers;
  return v;
}

std::string temp_file(const test::TempDir& dir, const std::string& content) {
  const std::string path = dir.file("ids.txt");
  std::ofstream(path) << content;
  return path;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_parked_send_request_is_described_from_its_headers_and_key) {
  const std::string value =
      R"({"schema_version":1,"id":"req-42","contact":{"address":"x@example.com"}})";
  const DlqEntry e = describe_dlq_record(send_view(value, kParkedSend));
  BOOST_TEST(e.partition == 1);
  BOOST_TEST(e.offset == 7);
  BOOST_TEST(e.time_ms == kNow);
  BOOST_TEST(e.provider == "resend");
  BOOST_TEST(e.connection == "main");
  BOOST_TEST(e.error_class == "attempts-exhausted");
  BOOST_TEST(e.attempts == 2);
  BOOST_TEST(e.id == "req-42");
  BOOST_TEST(e.original_topic == "outbound.retry.30s");
  BOOST_TEST(e.original_partition == 4);
  BOOST_TEST(e.original_offset == 1234);
  BOOST_TEST(e.reason == "{\"name\":\"internal_server_error\"}");
  const std::string json = entry_json(e);
  BOOST_TEST(json.find("example.com") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(garbage_never_fails_a_description) {
  const kafka::Headers odd = {{"hookline-attempts", "two"},
                              {"hookline-original-partition", "-x"},
                              {"hookline-original-offset", "99999999999999999999999"}};
  for (const std::string& value :
       std::vector<std::string>{"", "not json", "[1,2]", R"({"id":5})", R"({"id":"a b"})",
                                R"({"id":")" + std::string(300, 'a') + "\"}"}) {
    const DlqEntry e = describe_dlq_record(send_view(value, odd));
    BOOST_TEST(e.id.empty(), value);
    BOOST_TEST(e.attempts == -1);
    BOOST_TEST(e.original_partition == -1);
    BOOST_TEST(e.original_offset == -1);
  }
  const std::string empty_object = "{}";
  RecordView no_key = send_view(empty_object, odd);
  no_key.key.reset();
  BOOST_TEST(describe_dlq_record(no_key).connection.empty());
}

BOOST_AUTO_TEST_CASE(a_parked_webhook_is_described_from_the_ingest_headers) {
  const kafka::Headers h = {{"hookline-provider", "stripe"},
                            {"hookline-connection", "main"},
                            {"hookline-delivery-id", "evt_1"},
                            {"hookline-error-class", "unparseable-body"},
                            {"hookline-error-message", "the body is not valid JSON"},
                            {"hookline-original-topic", "webhooks.raw"},
                            {"hookline-original-partition", "11"},
                            {"hookline-original-offset", "5"}};
  const std::string body = "{";
  RecordView v = send_view(body, h);
  v.key = "stripe/main/evt_1";
  const DlqEntry e = describe_dlq_record(v);
  BOOST_TEST(e.provider == "stripe");
  BOOST_TEST(e.connection == "main");
  BOOST_TEST(e.id == "evt_1");
  BOOST_TEST(e.attempts == -1);
  BOOST_TEST(e.reason == "the body is not valid JSON");
}

BOOST_AUTO_TEST_CASE(times_are_rfc3339_now_or_an_age) {
  BOOST_TEST(*parse_time_arg("now", kNow) == kNow);
  BOOST_TEST(*parse_time_arg("90s", kNow) == kNow - 90'000);
  BOOST_TEST(*parse_time_arg("30m", kNow) == kNow - 1'800'000);
  BOOST_TEST(*parse_time_arg("6h", kNow) == kNow - 21'600'000);
  BOOST_TEST(*parse_time_arg("7d", kNow) == kNow - 604'800'000);
  BOOST_TEST(*parse_time_arg("2026-11-22T10:00:00Z", kNow) == 1'795'341'600'000);
  for (const char* bad : {"", "yesterday", "5", "h", "-5m", "5w", "1e3s", "99999999999999d",
                          "2026-13-01T00:00:00Z"}) {
    auto r = parse_time_arg(bad, kNow);
    BOOST_TEST(!static_cast<bool>(r), bad);
    if (!r) BOOST_TEST(r.error().message.find("is not a time") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(coordinates_rates_and_operators) {
  auto c = parse_coordinate("2:1534");
  BOOST_TEST_REQUIRE(static_cast<bool>(c));
  BOOST_TEST(c->first == 2);
  BOOST_TEST(c->second == 1534);
  for (const char* bad : {"", ":", "2:", ":5", "2-5", "a:1", "1:b", "-1:5", "1:-5", "1:2:3",
                          "99999999999:1", " 1:2"}) {
    BOOST_TEST(!static_cast<bool>(parse_coordinate(bad)), bad);
  }
  BOOST_TEST(*parse_rate_arg("50") == 50.0);
  BOOST_TEST(*parse_rate_arg("2.5/s") == 2.5);
  for (const char* bad : {"", "0", "-3", "fast", "5/m", "1e9", "nan", "inf"}) {
    BOOST_TEST(!static_cast<bool>(parse_rate_arg(bad)), bad);
  }
  BOOST_TEST(*operator_name("alice") == "alice");
  BOOST_TEST(!static_cast<bool>(operator_name(std::string(65, 'a'))));
}

BOOST_AUTO_TEST_CASE(an_id_list_takes_coordinates_and_ids) {
  test::TempDir dir;
  auto ids = read_id_list(temp_file(dir, "# parked by the outage\n2:15\n\nreq-7\r\n  evt_9  \n"));
  BOOST_TEST_REQUIRE(static_cast<bool>(ids));
  BOOST_TEST(ids->coordinates.size() == 1u);
  BOOST_TEST(ids->coordinates.contains({2, 15}));
  BOOST_TEST(ids->ids == (std::set<std::string>{"req-7", "evt_9"}));
  BOOST_TEST(ids->digest.size() == 16u);
  BOOST_TEST(!static_cast<bool>(read_id_list(temp_file(dir, "# nothing\n\n"))));
  BOOST_TEST(!static_cast<bool>(read_id_list(dir.file("missing.txt"))));
}

BOOST_AUTO_TEST_CASE(a_selection_matches_on_every_filter_given) {
  DlqEntry e;
  e.partition = 2;
  e.offset = 15;
  e.time_ms = kNow;
  e.provider = "twilio";
  e.connection = "main";
  e.error_class = "http-503";
  e.id = "req-7";
  Selection all;
  BOOST_TEST(all.matches(e));
  Selection s;
  BOOST_TEST(static_cast<bool>(set_connection(s, "twilio/main")));
  BOOST_TEST(s.provider == "twilio");
  BOOST_TEST(s.matches(e));
  s.error_class = "http-500";
  BOOST_TEST(!s.matches(e));
  Selection t;
  t.since_ms = kNow + 1;
  BOOST_TEST(!t.matches(e));
  t.since_ms = kNow;
  t.until_ms = kNow;
  BOOST_TEST(t.matches(e));
  Selection conflict;
  conflict.provider = "resend";
  BOOST_TEST(!static_cast<bool>(set_connection(conflict, "twilio/main")));
  Selection by_id;
  by_id.ids = IdList{};
  by_id.ids->ids = {"req-8"};
  BOOST_TEST(!by_id.matches(e));
  by_id.ids->coordinates = {{2, 15}};
  BOOST_TEST(by_id.matches(e));
}

BOOST_AUTO_TEST_CASE(a_replay_goes_back_where_the_record_came_from) {
  auto partitions = [](const std::string& t) {
    return t == "outbound.retry.30s" ? 6 : t == "webhooks.raw" ? 12 : 0;
  };
  DlqEntry e;
  e.original_topic = "outbound.retry.30s";
  e.original_partition = 4;
  auto t = replay_target(e, "outbound.dlq", partitions);
  BOOST_TEST_REQUIRE(static_cast<bool>(t));
  BOOST_TEST(t->topic == "outbound.retry.30s");
  BOOST_TEST(t->partition == 4);
  e.original_partition = 9;  // the topic has fewer partitions now: the partitioner decides
  BOOST_TEST(replay_target(e, "outbound.dlq", partitions)->partition == -1);
  e.original_topic = "";
  BOOST_TEST(!static_cast<bool>(replay_target(e, "outbound.dlq", partitions)));
  e.original_topic = "webhooks.dlq";
  BOOST_TEST(!static_cast<bool>(replay_target(e, "outbound.dlq", partitions)));
  e.original_topic = "gone.topic";
  BOOST_TEST(!static_cast<bool>(replay_target(e, "outbound.dlq", partitions)));
}

BOOST_AUTO_TEST_CASE(replayed_headers_drop_dlq_and_retry_marks_and_say_who_replayed) {
  kafka::Headers parked = kParkedSend;
  parked.emplace_back("hookline-replayed-from", "outbound.dlq:0:1");
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(kNow));
  const kafka::Headers out = replayed_headers(parked, "outbound.dlq:1:7", "alice", at, false);
  BOOST_TEST(out.size() == 4u);
  BOOST_TEST(out[0].first == "traceparent");
  BOOST_TEST(header_value(out, "hookline-replayed-from") == "outbound.dlq:1:7");
  BOOST_TEST(header_value(out, "hookline-replayed-by") == "alice");
  BOOST_TEST(header_value(out, "hookline-replayed-at") == "2026-11-18T11:06:40.000Z");
  BOOST_TEST(header_value(out, "hookline-replay-mode").empty());
  const kafka::Headers raw =
      replayed_headers({{"hookline-provider", "stripe"}}, "webhooks.raw:3:9", "ops", at, true);
  BOOST_TEST(header_value(raw, "hookline-provider") == "stripe");
  BOOST_TEST(header_value(raw, "hookline-replay-mode") == "renormalize");
}

BOOST_AUTO_TEST_CASE(the_table_cuts_long_text_at_characters_and_counts_classes) {
  test::TempDir dir;
  const std::string path = dir.file("table.txt");
  std::FILE* f = std::fopen(path.c_str(), "w");
  BOOST_TEST_REQUIRE(f != nullptr);
  DlqTable table(f);
  table.header();
  DlqEntry e;
  e.error_class = "http-503";
  e.reason = std::string(59, 'x') + "\xC3\xA9 and more\nlines";
  table.row(e);
  e.error_class = "";
  table.row(e);
  table.totals();
  std::fclose(f);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(text.find(std::string(59, 'x') + "...") != std::string::npos, text);
  BOOST_TEST(text.find("\xC3\n") == std::string::npos);
  BOOST_TEST(text.find("2 records; by error class: (none) 1, http-503 1") != std::string::npos,
             text);
}

BOOST_AUTO_TEST_CASE(run_offsets_round_trip_as_json) {
  const kafka::PartitionOffsets o = {{0, 12}, {2, 40}};
  BOOST_TEST(offsets_json(o) == R"({"0":12,"2":40})");
  BOOST_TEST((read_offsets(offsets_json(o)) == o));
  BOOST_TEST(read_offsets("{}").empty());
  BOOST_CHECK_THROW(read_offsets("[1]"), std::runtime_error);
  BOOST_CHECK_THROW(read_offsets(R"({"0":"x"})"), std::runtime_error);
}
