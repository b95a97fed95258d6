// The lag arithmetic of `hookline status`: committed offsets against watermarks, partitions
// without a commit, commits below the low watermark, gauges, and DLQ counts.
#define BOOST_TEST_MODULE status_lag
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "ctl/status/lag.h"

using namespace hookline::ctl::status;

BOOST_AUTO_TEST_CASE(lag_is_end_minus_committed) {
  const Watermark w{0, 10, 50};
  BOOST_TEST(partition_lag(w, 45) == 5);
  BOOST_TEST(partition_lag(w, 50) == 0);
  // No commit: everything still held counts.
  BOOST_TEST(partition_lag(w, std::nullopt) == 40);
  // A commit below the low watermark: the older records are gone.
  BOOST_TEST(partition_lag(w, 3) == 40);
  // A commit past the stable end (an open transaction holds the end back): not negative.
  BOOST_TEST(partition_lag(w, 60) == 0);
  BOOST_TEST(partition_lag(Watermark{0, 0, 0}, std::nullopt) == 0);
}

BOOST_AUTO_TEST_CASE(topic_lag_sums_partitions_and_notes_the_ones_without_commit) {
  const std::vector<Watermark> marks{{0, 0, 10}, {1, 5, 20}, {2, 0, 7}};
  const TopicLag t =
      lag_from_offsets("outbound.approved", marks, {{0, 8}, {1, 20}}, LagSource::broker);
  BOOST_TEST(t.topic == "outbound.approved");
  BOOST_TEST(std::string(to_string(t.source)) == "broker");
  BOOST_TEST(t.partition_count == 3);
  BOOST_TEST_REQUIRE(t.partitions.size() == 3u);
  BOOST_TEST(t.partitions[0].lag == 2);
  BOOST_TEST(t.partitions[0].committed.value_or(-1) == 8);
  BOOST_TEST(t.partitions[1].lag == 0);
  BOOST_TEST(!t.partitions[2].committed.has_value());
  BOOST_TEST(t.partitions[2].lag == 7);
  BOOST_TEST(t.total.value_or(-1) == 9);
  BOOST_TEST(t.note.find("1 partition(s) without a commit") != std::string::npos, t.note);

  const TopicLag none = lag_from_offsets("x", marks, {}, LagSource::database);
  BOOST_TEST(none.total.value_or(-1) == 10 + 15 + 7);
  BOOST_TEST(none.note.find("no committed offsets") != std::string::npos, none.note);

  const TopicLag all = lag_from_offsets("x", marks, {{0, 10}, {1, 20}, {2, 7}}, LagSource::broker);
  BOOST_TEST(all.total.value_or(-1) == 0);
  BOOST_TEST(all.note.empty());
}

BOOST_AUTO_TEST_CASE(gauges_give_the_reported_partitions_and_the_empty_ones) {
  // Partition 0 and 2 reported; 1 holds nothing (lag 0); 3 holds records nobody reports.
  const std::vector<Watermark> marks{{0, 0, 10}, {1, 4, 4}, {2, 0, 9}, {3, 0, 2}};
  const TopicLag t = lag_from_gauges("webhooks.raw", marks, {{0, 3}, {2, 5.0}, {9, 100}, {-1, 7}});
  BOOST_TEST(std::string(to_string(t.source)) == "metrics");
  BOOST_TEST(t.partition_count == 4);
  BOOST_TEST_REQUIRE(t.partitions.size() == 3u);  // 9 and -1 are not partitions of the topic
  BOOST_TEST(t.partitions[0].lag == 3);
  BOOST_TEST(t.partitions[0].end == 10);
  BOOST_TEST(!t.partitions[0].committed.has_value());
  BOOST_TEST(t.partitions[1].partition == 1);
  BOOST_TEST(t.partitions[1].lag == 0);
  BOOST_TEST(t.partitions[2].lag == 5);
  BOOST_TEST(t.total.value_or(-1) == 8);
  BOOST_TEST(t.note.find("1 partition(s) holding records not reported") == 0u, t.note);

  const std::vector<Watermark> three{{0, 0, 1}, {1, 0, 1}, {2, 0, 1}};
  const TopicLag odd = lag_from_gauges("t", three,
                                       {{0, std::numeric_limits<double>::quiet_NaN()},
                                        {1, -4},
                                        {2, std::numeric_limits<double>::infinity()}});
  BOOST_TEST_REQUIRE(odd.partitions.size() == 3u);
  BOOST_TEST(odd.partitions[0].lag == 0);
  BOOST_TEST(odd.partitions[1].lag == 0);
  BOOST_TEST(odd.partitions[2].lag > 0);
  BOOST_TEST(odd.note.empty());

  const TopicLag none = lag_from_gauges("t", three, {});
  BOOST_TEST(!none.total.has_value());
  BOOST_TEST(none.note.find("3 partition(s)") == 0u, none.note);
}

BOOST_AUTO_TEST_CASE(dlq_counts_held_last_hour_and_unreplayed) {
  // Partition 0: records 2..9 held; 6..9 arrived in the last hour; replayed up to 4.
  // Partition 1: records 0..4 held; none in the last hour (offset for the time = end); never
  // replayed (no cursor).
  const std::vector<Watermark> marks{{0, 2, 10}, {1, 0, 5}};
  const DlqCounts c = dlq_counts(marks, {{0, 6}, {1, 5}}, {{0, 4}});
  BOOST_TEST(c.held == 8 + 5);
  BOOST_TEST(c.last_hour == 4);
  BOOST_TEST(c.not_replayed == 6 + 5);

  // A cursor below the low watermark counts from it; a partition missing from the time lookup
  // counts nothing as new.
  const DlqCounts d = dlq_counts(marks, {{0, 10}}, {{0, 0}, {1, 5}});
  BOOST_TEST(d.last_hour == 0);
  BOOST_TEST(d.not_replayed == 8);

  const DlqCounts empty = dlq_counts({}, {}, {});
  BOOST_TEST(empty.held == 0);
}

BOOST_AUTO_TEST_CASE(empty_partitions_need_no_commit) {
  const std::vector<Watermark> marks{{0, 3, 3}, {1, 0, 0}, {2, 0, 4}};
  const TopicLag quiet = lag_from_offsets("t", {{0, 3, 3}, {1, 0, 0}}, {}, LagSource::broker);
  BOOST_TEST(quiet.total.value_or(-1) == 0);
  BOOST_TEST(quiet.note.empty(), quiet.note);
  const TopicLag one = lag_from_offsets("t", marks, {}, LagSource::broker);
  BOOST_TEST(one.total.value_or(-1) == 4);
  BOOST_TEST(one.note.find("no committed offsets") == 0u, one.note);
}
