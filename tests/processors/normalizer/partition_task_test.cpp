#define BOOST_TEST_MODULE normalizer_partition_task
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "core/metrics/registry.h"
#include "processors/normalizer/changelog.h"
#include "processors/normalizer/cloudevent_record.h"
#include "processors/normalizer/partition_task.h"

namespace hn = hookline::normalizer;

namespace {

// A mapper whose events are the body's lines: "id" per line; "!" fails the delivery.
class LinesMapper final : public hn::EventMapper {
 public:
  hn::MappingResult map(const hn::RawDelivery& d) const override {
    if (d.body == "!") return hn::MappingError{"unparseable-body", "body is not JSON"};
    std::vector<hn::MappedEvent> out;
    std::string_view rest = d.body;
    while (!rest.empty()) {
      auto nl = rest.find('\n');
      std::string id(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      hn::MappedEvent m;
      m.event.identity = d.provider + "/" + d.connection + "/" + id;
      m.event.id = id;
      m.event.type = "com.test.thing";
      m.event.source = "/" + d.provider + "/" + d.connection;
      m.event.time = d.received_at;
      m.event.topic = "events.test";
      m.event.partition_key = std::string(d.key);
      m.event.content_type = "application/json";
      m.event.data = "{\"id\":\"" + id + "\"}";
      if (id.starts_with("stop")) {
        m.signals.push_back({hn::Signal::Kind::consent, "consent.changes", "t/c/sms", "{}"});
      }
      out.push_back(std::move(m));
    }
    return out;
  }
  std::vector<std::string> topics() const override { return {"events.test"}; }
};

struct Fixture {
  hookline::metrics::Registry registry;
  hn::NormalizerMetrics metrics{registry};
  hn::NormalizerConfig config;
  LinesMapper mapper;
  Fixture() {
    config.changelog_topic = "hookline-normalizer.dedup-changelog";
    config.dedup_window = std::chrono::hours(1);
  }

  static hn::RawInput input(std::int64_t offset, std::string_view body, std::int64_t ts_ms) {
    hn::RawInput in;
    in.topic = "webhooks.raw";
    in.partition = 3;
    in.offset = offset;
    in.key = "stripe/main/x";
    in.value = body;
    in.headers = {{"hookline-provider", "stripe"},
                  {"hookline-connection", "main"},
                  {"hookline-tenant", "acme"},
                  {"hookline-received-at", "2026-11-22T10:00:00.000Z"}};
    in.timestamp_ms = ts_ms;
    return in;
  }
};

std::vector<const hn::Output*> on_topic(const std::vector<hn::Output>& out, std::string_view t) {
  std::vector<const hn::Output*> r;
  for (const auto& o : out) {
    if (o.topic == t) r.push_back(&o);
  }
  return r;
}

std::string header(const hookline::kafka::Headers& h, std::string_view name) {
  for (const auto& [k, v] : h) {
    if (k == name) return v;
  }
  return "<missing>";
}

constexpr std::int64_t t0 = 1'790'000'000'000;

}  // namespace

BOOST_FIXTURE_TEST_CASE(first_copies_written_duplicates_dropped, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.process(input(10, "a\nb\na", t0), out);   // a repeated inside one delivery
  task.process(input(11, "b\nc", t0 + 5), out);  // b repeated by a later delivery
  auto events = on_topic(out, "events.test");
  BOOST_TEST_REQUIRE(events.size() == 3u);
  BOOST_TEST(*events[0]->value == R"({"id":"a"})");
  BOOST_TEST(*events[2]->value == R"({"id":"c"})");
  auto changelog = on_topic(out, config.changelog_topic);
  BOOST_TEST(changelog.size() == 3u);
  for (const auto* c : changelog) {
    BOOST_TEST(c->partition == 3);
    BOOST_TEST(c->key->size() == hn::DedupWindow::digest_size);
    BOOST_TEST(hn::DedupWindow::decode_entry(*c->value).has_value());
  }
  BOOST_TEST(task.next_offset() == 12);
  BOOST_TEST(task.dirty());
  BOOST_TEST(metrics.duplicates.with({"stripe"}).value() == 2.0);
}

BOOST_FIXTURE_TEST_CASE(an_operators_raw_replay_is_re_emitted_inside_the_window, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.process(input(0, "a\nb", t0), out);
  const std::size_t changelog_before = on_topic(out, config.changelog_topic).size();
  hn::RawInput replay = input(1, "a\nb", t0 + 10);
  replay.headers.emplace_back("hookline-replayed-from", "webhooks.raw:3:0");
  replay.headers.emplace_back("hookline-replay-mode", "renormalize");
  task.process(replay, out);
  task.process(input(2, "a", t0 + 20), out);  // a redelivery without the mark: a duplicate
  hn::RawInput other_mode = input(3, "b", t0 + 30);
  other_mode.headers.emplace_back("hookline-replay-mode", "something-else");
  task.process(other_mode, out);
  auto events = on_topic(out, "events.test");
  BOOST_TEST_REQUIRE(events.size() == 4u);  // a, b, then a and b again under the same ids
  BOOST_TEST(header(events[2]->headers, "ce_id") == "a");
  BOOST_TEST(header(events[3]->headers, "ce_id") == "b");
  // The window already held both: the replay writes no changelog entry.
  BOOST_TEST(on_topic(out, config.changelog_topic).size() == changelog_before);
  BOOST_TEST(metrics.replays.with({"stripe"}).value() == 1.0);
  BOOST_TEST(metrics.duplicates.with({"stripe"}).value() == 2.0);
}

BOOST_FIXTURE_TEST_CASE(cloudevent_headers_are_binary_mode, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.process(input(0, "evt_1", t0), out);
  auto events = on_topic(out, "events.test");
  BOOST_TEST_REQUIRE(events.size() == 1u);
  const auto& h = events[0]->headers;
  BOOST_TEST(header(h, "ce_specversion") == "1.0");
  BOOST_TEST(header(h, "ce_id") == "evt_1");
  BOOST_TEST(header(h, "ce_source") == "/stripe/main");
  BOOST_TEST(header(h, "ce_type") == "com.test.thing");
  BOOST_TEST(header(h, "ce_time") == "2026-11-22T10:00:00.000Z");
  BOOST_TEST(header(h, "content-type") == "application/json");
  BOOST_TEST(header(h, "ce_partitionkey") == "stripe/main/x");
  BOOST_TEST(header(h, "ce_tenant") == "acme");
  BOOST_TEST(header(h, "ce_connection") == "main");
  BOOST_TEST(hn::valid_traceparent(header(h, "ce_traceparent")));
  BOOST_TEST(*events[0]->key == "stripe/main/x");
}

BOOST_AUTO_TEST_CASE(traceparent_carried_when_valid_else_derived_deterministically) {
  const std::string carried = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  BOOST_TEST(hn::traceparent_for(carried, "x") == carried);
  const std::string a = hn::traceparent_for(std::string_view("00-zz"), "stripe/main/evt_1");
  BOOST_TEST(hn::valid_traceparent(a));
  BOOST_TEST(a == hn::traceparent_for(std::nullopt, "stripe/main/evt_1"));
  BOOST_TEST(a != hn::traceparent_for(std::nullopt, "stripe/main/evt_2"));
  BOOST_TEST(!hn::valid_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  BOOST_TEST(!hn::valid_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  BOOST_TEST(!hn::valid_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
}

BOOST_FIXTURE_TEST_CASE(signals_follow_their_event_and_not_its_duplicates, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.process(input(0, "stop_1", t0), out);
  task.process(input(1, "stop_1", t0), out);
  auto sig = on_topic(out, "consent.changes");
  BOOST_TEST_REQUIRE(sig.size() == 1u);
  BOOST_TEST(*sig[0]->key == "t/c/sms");
  BOOST_TEST(header(sig[0]->headers, "ce_id") == "stop_1");
}

BOOST_FIXTURE_TEST_CASE(unmappable_and_headerless_records_go_to_the_dlq, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  config.dlq_topic = "webhooks.dlq";
  std::vector<hn::Output> out;
  task.process(input(7, "!", t0), out);
  auto bare = input(8, "a", t0);
  bare.headers.clear();
  task.process(bare, out);
  auto dlq = on_topic(out, "webhooks.dlq");
  BOOST_TEST_REQUIRE(dlq.size() == 2u);
  BOOST_TEST(*dlq[0]->value == "!");
  BOOST_TEST(*dlq[0]->key == "stripe/main/x");
  BOOST_TEST(header(dlq[0]->headers, "hookline-provider") == "stripe");  // original kept
  BOOST_TEST(header(dlq[0]->headers, "hookline-error-class") == "unparseable-body");
  BOOST_TEST(header(dlq[0]->headers, "hookline-error-message") == "body is not JSON");
  BOOST_TEST(header(dlq[0]->headers, "hookline-original-topic") == "webhooks.raw");
  BOOST_TEST(header(dlq[0]->headers, "hookline-original-partition") == "3");
  BOOST_TEST(header(dlq[0]->headers, "hookline-original-offset") == "7");
  BOOST_TEST(header(dlq[0]->headers, "hookline-processor") == "hookline-normalizer");
  BOOST_TEST(header(dlq[0]->headers, "hookline-processor-version") != "<missing>");
  BOOST_TEST(header(dlq[1]->headers, "hookline-error-class") == "missing-header");
  BOOST_TEST(on_topic(out, "events.test").empty());
  BOOST_TEST(task.next_offset() == 9);  // the partition moves on
  BOOST_TEST(metrics.dlq.with({"unparseable-body"}).value() == 1.0);
}

BOOST_FIXTURE_TEST_CASE(rollback_restores_the_committed_window_and_offset, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  task.set_start(100);
  std::vector<hn::Output> out;
  task.process(input(100, "a", t0), out);
  task.committed();
  BOOST_TEST(!task.dirty());
  task.process(input(101, "b", t0), out);
  task.process(input(102, "a", t0), out);  // duplicate of committed a
  task.rolled_back();
  BOOST_TEST(task.next_offset() == 101);
  BOOST_TEST(task.window().size() == 1u);
  out.clear();
  task.process(input(101, "b", t0), out);  // processed again after the abort: still first
  BOOST_TEST(on_topic(out, "events.test").size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(rollback_and_restore_tail_are_restated_in_the_next_transaction, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  task.set_start(0);
  std::vector<hn::Output> out;
  task.process(input(0, "a", t0), out);
  task.committed();
  task.process(input(1, "b\na", t0), out);  // b is new; a a duplicate
  task.rolled_back();
  task.restate({hn::DedupWindow::digest_of("stripe/main/a")});  // as a restore's tail would
  out.clear();
  task.append_restatements(out);
  BOOST_TEST_REQUIRE(out.size() == 2u);  // one record per digest, in digest order
  for (const auto& o : out) {
    BOOST_TEST(o.topic == config.changelog_topic);
    BOOST_TEST(o.partition == 3);
    if (*o.key == hn::DedupWindow::digest_of("stripe/main/a")) {
      BOOST_TEST(o.value.has_value());  // a is in the committed window: its entry again
    } else {
      BOOST_TEST(*o.key == hn::DedupWindow::digest_of("stripe/main/b"));
      BOOST_TEST(!o.value.has_value());  // b is not: a tombstone
    }
  }
  out.clear();
  task.append_restatements(out);
  BOOST_TEST(out.empty());  // said once
}

BOOST_FIXTURE_TEST_CASE(rollback_puts_back_evicted_entries, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.process(input(0, "a", t0), out);
  task.committed();
  out.clear();
  task.process(input(1, "z", t0 + 2 * 3600 * 1000), out);  // two hours later: a expired
  task.evict(out, 100);
  auto tomb = on_topic(out, config.changelog_topic);
  BOOST_TEST_REQUIRE(tomb.size() == 2u);  // z's entry, then a's tombstone
  BOOST_TEST(!tomb[1]->value.has_value());
  BOOST_TEST(task.window().size() == 1u);
  task.rolled_back();
  BOOST_TEST(task.window().size() == 1u);  // a is back, z is gone
  BOOST_TEST(task.window().contains("stripe/main/a",
                                    hn::DedupWindow::TimePoint(std::chrono::milliseconds(t0))));
}

BOOST_FIXTURE_TEST_CASE(offset_record_only_when_dirty, Fixture) {
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.append_offset_record(out);
  BOOST_TEST(out.empty());
  task.process(input(41, "a", t0), out);
  out.clear();
  task.append_offset_record(out);
  BOOST_TEST_REQUIRE(out.size() == 1u);
  BOOST_TEST(*out[0].key == std::string(hn::kOffsetRecordKey));
  BOOST_TEST(hn::decode_offset(*out[0].value).value_or(-1) == 42);
  BOOST_TEST(out[0].partition == 3);
}

BOOST_AUTO_TEST_CASE(offset_encoding_round_trips_and_rejects_garbage) {
  for (std::int64_t v : {0LL, 1LL, 255LL, 256LL, 1LL << 40}) {
    BOOST_TEST(hn::decode_offset(hn::encode_offset(v)).value_or(-1) == v);
  }
  BOOST_TEST(!hn::decode_offset("1234567").has_value());
  BOOST_TEST(!hn::decode_offset(std::string(8, '\xff')).has_value());
}

BOOST_FIXTURE_TEST_CASE(per_provider_window, Fixture) {
  config.provider_windows["stripe"] = std::chrono::seconds(10);
  hn::PartitionTask task(3, mapper, config, metrics);
  std::vector<hn::Output> out;
  task.process(input(0, "a", t0), out);
  task.process(input(1, "a", t0 + 11'000), out);  // past stripe's 10 s window: first again
  BOOST_TEST(on_topic(out, "events.test").size() == 2u);
}
