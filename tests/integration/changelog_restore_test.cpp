// ChangelogRestorer against the dev broker: records before the last offset record are applied;
// the ones after it (a transaction that never completed, which the dev broker shows to
// read_committed readers) are set aside and reported for restating.
#define BOOST_TEST_MODULE changelog_restore
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "core/kafka/producer.h"
#include "processors/normalizer/changelog.h"
#include "processors/normalizer/dedup_window.h"
#include "tests/support/dev_broker.h"

namespace hn = hookline::normalizer;
using namespace std::chrono_literals;

namespace {

const std::string kTopic = "hookline-normalizer.dedup-changelog";
const hn::DedupWindow::TimePoint kNow{std::chrono::milliseconds(1790000000000)};

std::string entry_value() {
  hn::DedupWindow w;
  w.observe("x", kNow, std::chrono::hours(1));
  return hn::DedupWindow::encode_entry(*w.find(hn::DedupWindow::digest_of("x")));
}

void produce(hookline::kafka::Producer& p, std::int32_t partition, const std::string& key,
             std::optional<std::string> value) {
  hookline::kafka::OutRecord r;
  r.topic = kTopic;
  r.partition = partition;
  r.key = std::string_view(key);
  if (value) r.value = std::string_view(*value);
  auto rep = p.produce_sync(r, 10s);
  BOOST_TEST_REQUIRE((rep && !rep->error), "changelog record not acknowledged");
}

}  // namespace

BOOST_AUTO_TEST_CASE(records_after_the_last_offset_record_are_set_aside) {
  hookline::test::DevBroker broker;
  hookline::kafka::Producer::Options opts;
  opts.client_id = "changelog-restore-test";
  auto producer = hookline::kafka::Producer::create(broker.kafka_config(), opts);
  const std::string a = hn::DedupWindow::digest_of("a"), b = hn::DedupWindow::digest_of("b"),
                    c = hn::DedupWindow::digest_of("c");
  const std::string v = entry_value();
  // Transaction 1: a, b, offset 10. Transaction 2: b expires, offset 20. Then an unfinished
  // one: c and a's tombstone with no offset record.
  produce(*producer, 5, a, v);
  produce(*producer, 5, b, v);
  produce(*producer, 5, std::string(hn::kOffsetRecordKey), hn::encode_offset(10));
  produce(*producer, 5, b, std::nullopt);
  produce(*producer, 5, std::string(hn::kOffsetRecordKey), hn::encode_offset(20));
  produce(*producer, 5, c, v);
  produce(*producer, 5, a, std::nullopt);
  producer->close();

  hn::ChangelogRestorer restorer(broker.kafka_config(), kTopic, "changelog-restore-test");
  hn::DedupWindow window;
  auto stats = restorer.restore(5, window, 30s);
  BOOST_TEST_REQUIRE(static_cast<bool>(stats));
  BOOST_TEST(stats->records == 7u);
  BOOST_TEST(stats->input_offset.value_or(-1) == 20);
  BOOST_TEST(window.size() == 1u);
  BOOST_TEST(window.find(a).has_value());   // its tombstone is set aside
  BOOST_TEST(!window.find(b).has_value());  // expired in a completed transaction
  BOOST_TEST(!window.find(c).has_value());  // set aside
  auto aside = stats->uncommitted;
  std::sort(aside.begin(), aside.end());
  std::vector<std::string> expected{a, c};
  std::sort(expected.begin(), expected.end());
  BOOST_TEST((aside == expected));

  // An empty partition restores nothing.
  hn::DedupWindow empty;
  auto none = restorer.restore(6, empty, 30s);
  BOOST_TEST_REQUIRE(static_cast<bool>(none));
  BOOST_TEST(none->records == 0u);
  BOOST_TEST(!none->input_offset.has_value());
  BOOST_TEST(none->uncommitted.empty());
}
