#define BOOST_TEST_MODULE sinks_simulator_recorder
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "core/json_reader.h"
#include "sinks/simulator/recorder.h"
#include "sinks/simulator/records_json.h"

using namespace hookline;
using namespace hookline::simulator;

namespace {

Record record(const std::string& provider, const std::string& target, int status,
              const std::string& path = "/p") {
  Record r;
  r.provider = provider;
  r.target = target;
  r.status = status;
  r.method = "POST";
  r.path = path;
  return r;
}

std::vector<std::int64_t> seqs(const std::vector<Record>& rs) {
  std::vector<std::int64_t> out;
  for (const auto& r : rs) out.push_back(r.seq);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(records_get_increasing_seqs_and_the_oldest_go_first) {
  Recorder rec(3);
  for (int i = 0; i < 5; ++i) BOOST_CHECK_EQUAL(rec.add(record("resend", "k", 200)), i + 1);
  BOOST_CHECK((seqs(rec.query({})) == std::vector<std::int64_t>{3, 4, 5}));
  const Stats s = rec.stats();
  BOOST_CHECK_EQUAL(s.total, 5);
  BOOST_CHECK_EQUAL(s.retained, 3u);
  BOOST_CHECK_EQUAL(s.last_seq, 5);
  BOOST_CHECK_EQUAL(s.by_provider.at("resend").at(200), 5);
}

BOOST_AUTO_TEST_CASE(query_filters_by_provider_target_path_status_and_since_seq) {
  Recorder rec(100);
  rec.add(record("resend", "a", 200, "/emails"));               // 1
  rec.add(record("resend", "b", 429, "/emails"));               // 2
  rec.add(record("slack", "a", 200, "/api/chat.postMessage"));  // 3
  rec.add(record("resend", "a", 429, "/emails"));               // 4
  rec.add(record("webhook", "/hooks/x", 410, "/hooks/x"));      // 5
  RecordFilter f;
  f.provider = "resend";
  BOOST_CHECK((seqs(rec.query(f)) == std::vector<std::int64_t>{1, 2, 4}));
  f.target = "a";
  BOOST_CHECK((seqs(rec.query(f)) == std::vector<std::int64_t>{1, 4}));
  f.since_seq = 1;
  BOOST_CHECK((seqs(rec.query(f)) == std::vector<std::int64_t>{4}));
  RecordFilter by_status;
  by_status.status = 429;
  BOOST_CHECK((seqs(rec.query(by_status)) == std::vector<std::int64_t>{2, 4}));
  RecordFilter by_path;
  by_path.path_prefix = "/hooks/";
  BOOST_CHECK((seqs(rec.query(by_path)) == std::vector<std::int64_t>{5}));
  RecordFilter limited;
  limited.limit = 2;
  BOOST_CHECK((seqs(rec.query(limited)) == std::vector<std::int64_t>{1, 2}));
}

BOOST_AUTO_TEST_CASE(clear_forgets_records_and_counts_but_seqs_keep_growing) {
  Recorder rec(10);
  rec.add(record("resend", "a", 200));
  rec.add(record("resend", "a", 200));
  rec.clear();
  BOOST_CHECK(rec.query({}).empty());
  BOOST_CHECK_EQUAL(rec.stats().total, 0);
  BOOST_CHECK(rec.stats().by_provider.empty());
  BOOST_CHECK_EQUAL(rec.add(record("resend", "a", 200)), 3);
}

BOOST_AUTO_TEST_CASE(only_the_selected_headers_are_kept) {
  const HeaderList in{{"authorization", "Bearer secret"},
                      {"idempotency-key", "k1"},
                      {"webhook-signature", "v1,abc"},
                      {"x-other", "1"},
                      {"content-type", "application/json"}};
  const HeaderList kept = recorded_headers(in);
  BOOST_REQUIRE_EQUAL(kept.size(), 3u);
  BOOST_CHECK_EQUAL(kept[0].first, "idempotency-key");
  BOOST_CHECK_EQUAL(kept[1].first, "webhook-signature");
  BOOST_CHECK_EQUAL(kept[2].first, "content-type");
}

BOOST_AUTO_TEST_CASE(records_and_stats_render_as_json) {
  Record r = record("resend", "re_a", 200, "/emails");
  r.seq = 7;
  r.time_ms = 1700000000000;
  r.headers = {{"idempotency-key", "k\"1"}};
  r.body = "{\"to\":\"a@b\"}";
  r.idempotent_replay = true;
  r.message_id = "id-1";
  auto doc = parse_json_text(render_requests({r}, 0), "requests");
  const auto& first = doc["requests"][0];
  BOOST_CHECK_EQUAL(first["seq"].GetInt64(), 7);
  BOOST_CHECK_EQUAL(first["time_ms"].GetInt64(), 1700000000000);
  BOOST_CHECK_EQUAL(first["provider"].GetString(), "resend");
  BOOST_CHECK_EQUAL(first["target"].GetString(), "re_a");
  BOOST_CHECK_EQUAL(first["headers"]["idempotency-key"].GetString(), "k\"1");
  BOOST_CHECK_EQUAL(first["body"].GetString(), "{\"to\":\"a@b\"}");
  BOOST_CHECK_EQUAL(first["status"].GetInt(), 200);
  BOOST_CHECK(first["idempotent_replay"].GetBool());
  BOOST_CHECK_EQUAL(first["message_id"].GetString(), "id-1");
  BOOST_CHECK_EQUAL(doc["last_seq"].GetInt64(), 7);
  BOOST_CHECK_EQUAL(parse_json_text(render_requests({}, 42), "x")["last_seq"].GetInt64(), 42);

  Stats s;
  s.total = 3;
  s.retained = 3;
  s.last_seq = 3;
  s.by_provider["slack"][429] = 1;
  s.by_provider["slack"][200] = 2;
  auto st = parse_json_text(render_stats(s), "stats");
  BOOST_CHECK_EQUAL(st["total"].GetInt64(), 3);
  BOOST_CHECK_EQUAL(st["providers"]["slack"]["429"].GetInt64(), 1);
  BOOST_CHECK_EQUAL(st["providers"]["slack"]["200"].GetInt64(), 2);
}

BOOST_AUTO_TEST_CASE(query_parameters_are_read_strictly) {
  const RecordFilter f = parse_record_filter({{"provider", "resend"},
                                              {"target", "re_a"},
                                              {"since_seq", "12"},
                                              {"status", "429"},
                                              {"limit", "5"},
                                              {"path_prefix", "/emails"}});
  BOOST_CHECK_EQUAL(f.provider, "resend");
  BOOST_CHECK_EQUAL(f.target, "re_a");
  BOOST_CHECK_EQUAL(f.since_seq, 12);
  BOOST_CHECK_EQUAL(*f.status, 429);
  BOOST_CHECK_EQUAL(f.limit, 5u);
  BOOST_CHECK_EQUAL(f.path_prefix, "/emails");
  BOOST_CHECK_THROW(parse_record_filter({{"since_seq", "x"}}), ConfigError);
  BOOST_CHECK_THROW(parse_record_filter({{"since_seq", "-1"}}), ConfigError);
  BOOST_CHECK_THROW(parse_record_filter({{"limit", "0"}}), ConfigError);
  BOOST_CHECK_THROW(parse_record_filter({{"provder", "resend"}}), ConfigError);
}
