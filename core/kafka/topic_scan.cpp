#include "core/kafka/topic_scan.h"

#include <set>

#include "core/kafka/error.h"

namespace hookline::kafka {
namespace {

int ms_of(std::chrono::milliseconds d) {
  return static_cast<int>(d.count());
}

}  // namespace

Error TopicScan::failure(const std::string& what) const {
  Error e;
  e.kind = ErrorKind::fatal;
  e.message = what;
  return e;
}

Result<std::unique_ptr<TopicScan>> TopicScan::open(const KafkaConfig& cfg, const std::string& topic,
                                                   const std::string& group_id) {
  std::unique_ptr<TopicScan> scan(new TopicScan());
  scan->topic_ = topic;
  scan->bootstrap_ = cfg.bootstrap;
  scan->group_id_ = group_id;
  scan->timeout_ = cfg.timeout;
  scan->state_ = std::make_unique<ClientState>();
  ClientSettings settings;
  settings.client_id = "hookline-ctl";
  settings.defaults = quiet_client_defaults();
  settings.required = {
      {"group.id", group_id.empty() ? "hookline-ctl-scan" : group_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"isolation.level", "read_committed"},
      {"auto.offset.reset", "earliest"},
      {"allow.auto.create.topics", "false"},
  };
  try {
    scan->rk_ = make_handle(RD_KAFKA_CONSUMER, make_conf(cfg, settings, scan->state_.get()));
  } catch (const KafkaError& e) {
    return scan->failure(e.what());
  }
  if (Status st = wait_for_cluster(scan->rk_.get(), cfg.bootstrap, cfg.timeout); !st) {
    return st.error();
  }
  // All topics, not this one: asking for one topic by name makes some brokers (the dev
  // broker among them) create it.
  const rd_kafka_metadata_t* raw = nullptr;
  const auto err = rd_kafka_metadata(scan->rk_.get(), 1, nullptr, &raw, ms_of(cfg.timeout));
  MetadataPtr md(raw);
  if (err) {
    return scan->failure("Kafka at " + cfg.bootstrap +
                         " did not describe its topics: " + rd_kafka_err2str(err));
  }
  for (int i = 0; i < md->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = md->topics[i];
    if (t.topic != topic || t.partition_cnt == 0) continue;
    if (t.err) return scan->failure("topic '" + topic + "': " + rd_kafka_err2str(t.err));
    scan->partitions_ = t.partition_cnt;
    return scan;
  }
  return scan->failure("unknown topic '" + topic + "' (Kafka at " + cfg.bootstrap +
                       " does not have it; see hookline topology check)");
}

TopicScan::~TopicScan() {
  if (rk_ && assigned_) rd_kafka_consumer_close(rk_.get());
}

Result<std::vector<PartitionRange>> TopicScan::watermarks() {
  std::vector<PartitionRange> out;
  for (std::int32_t p = 0; p < partitions_; ++p) {
    std::int64_t low = 0, high = 0;
    const auto err = rd_kafka_query_watermark_offsets(rk_.get(), topic_.c_str(), p, &low, &high,
                                                      ms_of(timeout_));
    if (err) {
      return failure("cannot read the offsets of " + topic_ + "[" + std::to_string(p) +
                     "] from Kafka at " + bootstrap_ + ": " + rd_kafka_err2str(err));
    }
    out.push_back({p, low, high});
  }
  return out;
}

Result<std::optional<std::pair<std::int64_t, std::int64_t>>> TopicScan::first_record(
    std::int32_t partition, std::int64_t from, std::int64_t to) {
  std::optional<std::pair<std::int64_t, std::int64_t>> found;
  Status st = read({{partition, from, to}}, [&](const Message& m) {
    found = std::make_pair(m.offset(), m.timestamp_ms().value_or(0));
    return false;
  });
  if (!st) return st.error();
  return found;
}

Result<std::int64_t> TopicScan::search_time(const PartitionRange& r, std::int64_t ms) {
  std::int64_t lo = r.begin, hi = r.end;  // the answer lies in [lo, hi]
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto found = first_record(r.partition, mid, hi);
    if (!found) return found.error();
    if (!*found || (*found)->second >= ms) {
      hi = mid;  // [mid, that record) holds none older: the answer is at most mid
    } else {
      lo = (*found)->first + 1;
    }
  }
  return lo;
}

Result<PartitionOffsets> TopicScan::offsets_for_time(std::int64_t ms, bool* searched) {
  auto marks = watermarks();
  if (!marks) return marks.error();
  PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions_));
  for (std::int32_t p = 0; p < partitions_; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p)->offset = ms;
  }
  const auto err = rd_kafka_offsets_for_times(rk_.get(), list.get(), ms_of(timeout_));
  if (err) {
    return failure("cannot look up offsets by time in " + topic_ + ": " + rd_kafka_err2str(err));
  }
  PartitionOffsets out;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& tp = list->elems[i];
    const std::int64_t high = (*marks)[static_cast<std::size_t>(tp.partition)].end;
    if (tp.err) {
      return failure("cannot look up offsets by time in " + topic_ + "[" +
                     std::to_string(tp.partition) + "]: " + rd_kafka_err2str(tp.err));
    }
    out[tp.partition] = tp.offset < 0 ? high : tp.offset;
  }
  // -1 says no record is at or after the time. Brokers without a time index (the dev broker)
  // say that too: where the newest record is not older than the time, the answer is wrong, and
  // the partition's record times are searched instead.
  for (auto& [p, offset] : out) {
    const PartitionRange& r = (*marks)[static_cast<std::size_t>(p)];
    if (offset != r.end || r.begin == r.end) continue;
    auto newest = first_record(p, r.end - 1, r.end);
    if (!newest) return newest.error();
    if (*newest && (*newest)->second < ms) continue;  // the broker was right
    auto found = search_time(r, ms);
    if (!found) return found.error();
    offset = *found;
    if (searched) *searched = true;
  }
  return out;
}

Result<PartitionOffsets> TopicScan::committed() {
  if (group_id_.empty()) return failure("no consumer group given for " + topic_);
  PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions_));
  for (std::int32_t p = 0; p < partitions_; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p);
  }
  const auto err = rd_kafka_committed(rk_.get(), list.get(), ms_of(timeout_));
  if (err) {
    return failure("cannot read the committed offsets of group " + group_id_ + ": " +
                   rd_kafka_err2str(err));
  }
  PartitionOffsets out;
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].offset >= 0) out[list->elems[i].partition] = list->elems[i].offset;
  }
  return out;
}

Status TopicScan::commit(const PartitionOffsets& next) {
  if (group_id_.empty()) return failure("no consumer group given for " + topic_);
  if (next.empty()) return {};
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(next.size())));
  for (const auto& [p, offset] : next) {
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p)->offset = offset;
  }
  const auto err = rd_kafka_commit(rk_.get(), list.get(), 0);
  if (err) {
    return failure("cannot commit the offsets of group " + group_id_ + ": " +
                   rd_kafka_err2str(err));
  }
  return {};
}

Status TopicScan::read(const std::vector<PartitionRange>& ranges,
                       const std::function<bool(const Message&)>& on_record) {
  std::map<std::int32_t, std::int64_t> end;
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(ranges.size())));
  for (const PartitionRange& r : ranges) {
    if (r.begin >= r.end) continue;
    end[r.partition] = r.end;
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), r.partition)->offset = r.begin;
  }
  if (end.empty()) return {};
  if (auto err = rd_kafka_assign(rk_.get(), list.get())) {
    return failure("cannot read " + topic_ + ": " + rd_kafka_err2str(err));
  }
  assigned_ = true;
  auto last_progress = std::chrono::steady_clock::now();
  Status result;
  while (!end.empty()) {
    MessagePtr m(rd_kafka_consumer_poll(rk_.get(), 100));
    if (!m) {
      if (std::chrono::steady_clock::now() - last_progress > timeout_) {
        result = failure("no records from " + topic_ + " on Kafka at " + bootstrap_ + " within " +
                         std::to_string(timeout_.count()) + " ms (is the broker up?)");
        break;
      }
      continue;
    }
    last_progress = std::chrono::steady_clock::now();
    const std::int32_t p = m->partition;
    auto it = end.find(p);
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      // The end of the log: nothing more can come below the range's end (the log only grows
      // and the stable offset only moves up).
      if (it != end.end()) end.erase(it);
      continue;
    }
    if (m->err) {
      if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
          m->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
          m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        result = failure("cannot read " + topic_ + ": " + rd_kafka_err2str(m->err));
        break;
      }
      continue;  // transport errors: librdkafka retries
    }
    if (it == end.end() || m->offset >= it->second) {
      if (it != end.end()) end.erase(it);
      continue;
    }
    if (m->offset + 1 >= it->second) end.erase(it);
    if (!on_record(Message(std::move(m)))) break;
  }
  rd_kafka_assign(rk_.get(), nullptr);
  return result;
}

}  // namespace hookline::kafka
