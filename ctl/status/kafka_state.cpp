#include "ctl/status/kafka_state.h"

#include <algorithm>

#include "core/kafka/topic_scan.h"
#include "ctl/status/lag.h"

namespace hookline::ctl::status {
namespace {

constexpr std::chrono::hours kGrowthWindow{1};

// An open scan and the topic's watermarks.
struct Opened {
  std::unique_ptr<kafka::TopicScan> scan;
  std::vector<Watermark> marks;
};

Result<Opened> open(const KafkaConfig& kafka, const std::string& topic,
                    const std::string& group_id) {
  auto scan = kafka::TopicScan::open(kafka, topic, group_id);
  if (!scan) return scan.error();
  auto ranges = (*scan)->watermarks();
  if (!ranges) return ranges.error();
  Opened out;
  for (const auto& r : *ranges) out.marks.push_back({r.partition, r.begin, r.end});
  out.scan = std::move(scan).value();
  return out;
}

Offsets to_offsets(const kafka::PartitionOffsets& p) {
  return Offsets(p.begin(), p.end());
}

TopicLag failed(const std::string& topic, LagSource source, const std::string& error) {
  TopicLag t;
  t.topic = topic;
  t.source = source;
  t.error = error;
  return t;
}

TopicLag committed_topic_lag(const KafkaConfig& kafka, const std::string& topic,
                             const std::string& group_id) {
  auto o = open(kafka, topic, group_id);
  if (!o) return failed(topic, LagSource::broker, o.error().message);
  auto committed = o->scan->committed();
  if (!committed) return failed(topic, LagSource::broker, committed.error().message);
  return lag_from_offsets(topic, o->marks, to_offsets(*committed), LagSource::broker);
}

}  // namespace

GroupLag committed_group_lag(const KafkaConfig& kafka, const GroupSpec& group) {
  GroupLag g{group.component, group.group_id, {}};
  for (const auto& topic : group.topics) {
    g.topics.push_back(committed_topic_lag(kafka, topic, group.group_id));
  }
  return g;
}

GroupLag normalizer_group_lag(const KafkaConfig& kafka, const GroupSpec& group,
                              const std::optional<std::map<std::int32_t, double>>& gauges) {
  GroupLag g{group.component, group.group_id, {}};
  for (const auto& topic : group.topics) {
    auto o = open(kafka, topic, group.group_id);
    if (!o) {
      g.topics.push_back(failed(topic, LagSource::unknown, o.error().message));
      continue;
    }
    auto committed = o->scan->committed();
    if (!committed) {
      g.topics.push_back(failed(topic, LagSource::unknown, committed.error().message));
      continue;
    }
    if (!committed->empty()) {
      g.topics.push_back(
          lag_from_offsets(topic, o->marks, to_offsets(*committed), LagSource::broker));
      continue;
    }
    const bool empty = std::all_of(o->marks.begin(), o->marks.end(),
                                   [](const Watermark& w) { return w.low == w.end; });
    if (empty) {
      TopicLag t = lag_from_offsets(topic, o->marks, {}, LagSource::broker);
      t.note = "the topic holds no records";
      g.topics.push_back(std::move(t));
      continue;
    }
    const std::string why =
        "no committed offsets in Kafka (the dev broker keeps no transactional commits)";
    if (gauges && !gauges->empty()) {
      TopicLag t = lag_from_gauges(topic, o->marks, *gauges);
      t.note = why + ", read from hookline_normalizer_consumer_lag" +
               (t.note.empty() ? "" : "; " + t.note);
      g.topics.push_back(std::move(t));
      continue;
    }
    TopicLag t;
    t.topic = topic;
    t.source = LagSource::unknown;
    t.partition_count = static_cast<int>(o->marks.size());
    t.note = why + (gauges ? " and the normalizer's endpoint reports no lag"
                           : " and no normalizer endpoint answered");
    g.topics.push_back(std::move(t));
  }
  return g;
}

GroupLag stored_group_lag(const KafkaConfig& kafka, const GroupSpec& group,
                          const std::optional<Result<StoredOffsets>>& stored) {
  GroupLag g{group.component, group.group_id, {}};
  for (const auto& topic : group.topics) {
    if (!stored) {
      TopicLag t;
      t.topic = topic;
      t.note = "no database configured (the gatekeeper keeps its offsets in Postgres)";
      g.topics.push_back(std::move(t));
      continue;
    }
    if (!*stored) {
      g.topics.push_back(failed(topic, LagSource::database, stored->error().message));
      continue;
    }
    auto o = open(kafka, topic, "");
    if (!o) {
      g.topics.push_back(failed(topic, LagSource::database, o.error().message));
      continue;
    }
    Offsets offsets;
    for (const auto& [key, next] : stored->value()) {
      if (key.first == topic) offsets[key.second] = next;
    }
    g.topics.push_back(lag_from_offsets(topic, o->marks, offsets, LagSource::database));
  }
  return g;
}

DlqState dlq_state(const KafkaConfig& kafka, const std::string& topic,
                   std::chrono::system_clock::time_point now) {
  DlqState d;
  d.topic = topic;
  d.replay_group = replay_group(topic);
  auto o = open(kafka, topic, d.replay_group);
  if (!o) {
    d.error = o.error().message;
    return d;
  }
  const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
                         (now - kGrowthWindow).time_since_epoch())
                         .count();
  bool searched = false;
  auto since_hour = o->scan->offsets_for_time(since, &searched);
  if (!since_hour) {
    d.error = since_hour.error().message;
    return d;
  }
  auto cursor = o->scan->committed();
  if (!cursor) {
    d.error = cursor.error().message;
    return d;
  }
  d.has_cursor = !cursor->empty();
  if (searched) {
    d.note = "no time index on this broker (the dev broker): the last hour read from record times";
  }
  const DlqCounts c = dlq_counts(o->marks, to_offsets(*since_hour), to_offsets(*cursor));
  d.held = c.held;
  d.last_hour = c.last_hour;
  d.not_replayed = c.not_replayed;
  return d;
}

}  // namespace hookline::ctl::status
