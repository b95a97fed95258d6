#include "processors/normalizer/changelog.h"

#include "core/kafka/error.h"
#include "core/kafka/message.h"

namespace hookline::normalizer {

namespace {

struct PendingRecord {
  std::string digest;
  std::optional<std::string> value;  // nullopt: a tombstone
};

void apply(std::vector<PendingRecord>& pending, DedupWindow& window, RestoreStats& stats) {
  for (const PendingRecord& p : pending) {
    if (!p.value) {
      window.restore_tombstone(p.digest);
      ++stats.tombstones;
    } else if (window.restore(p.digest, *p.value)) {
      ++stats.entries;
    } else {
      ++stats.skipped;
    }
  }
  pending.clear();
}

}  // namespace

std::string encode_offset(std::int64_t next_offset) {
  std::string out(8, '\0');
  auto v = static_cast<std::uint64_t>(next_offset);
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::optional<std::int64_t> decode_offset(std::string_view value) {
  if (value.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : value) v = (v << 8) | static_cast<unsigned char>(c);
  auto offset = static_cast<std::int64_t>(v);
  if (offset < 0) return std::nullopt;
  return offset;
}

ChangelogRestorer::ChangelogRestorer(const KafkaConfig& cfg, std::string topic,
                                     const std::string& client_id)
    : state_(std::make_unique<kafka::ClientState>()), topic_(std::move(topic)) {
  state_->client_id = client_id;
  kafka::ClientSettings settings;
  settings.client_id = client_id;
  settings.defaults = {{"fetch.max.bytes", "52428800"}, {"socket.nagle.disable", "true"}};
  // Assigned directly, never subscribed: the group id only satisfies librdkafka.
  settings.required = {{"group.id", client_id},
                       {"enable.auto.commit", "false"},
                       {"enable.auto.offset.store", "false"},
                       {"enable.partition.eof", "true"},
                       {"isolation.level", "read_committed"},
                       {"auto.offset.reset", "earliest"}};
  rk_ = kafka::make_handle(RD_KAFKA_CONSUMER, kafka::make_conf(cfg, settings, state_.get()));
  rd_kafka_poll_set_consumer(rk_.get());
}

ChangelogRestorer::~ChangelogRestorer() {
  if (!rk_) return;
  rd_kafka_assign(rk_.get(), nullptr);
  // It never joined a group: nothing to leave. A consumer close would serve the fetch queue
  // with callbacks, which librdkafka forbids for messages still queued there.
  rd_kafka_destroy_flags(rk_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

Result<RestoreStats> ChangelogRestorer::restore(std::int32_t partition, DedupWindow& window,
                                                std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto deadline = started + timeout;
  const std::string where = topic_ + "[" + std::to_string(partition) + "]";
  RestoreStats stats;
  std::vector<PendingRecord> pending;  // read since the last offset record

  std::int64_t low = 0, high = 0;
  if (auto err = rd_kafka_query_watermark_offsets(rk_.get(), topic_.c_str(), partition, &low, &high,
                                                  static_cast<int>(timeout.count()))) {
    Error e = kafka::to_error(err, "read the end of " + where);
    e.kind = ErrorKind::fatal;
    return e;
  }
  if (high > low) {
    kafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), partition)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
    if (auto err = rd_kafka_assign(rk_.get(), list.get())) {
      Error e = kafka::to_error(err, "assign " + where);
      e.kind = ErrorKind::fatal;
      return e;
    }
    bool done = false;
    while (!done) {
      if (Clock::now() >= deadline) {
        rd_kafka_assign(rk_.get(), nullptr);
        return Error{ErrorKind::fatal,
                     {},
                     "restoring " + where + " did not reach its end (offset " +
                         std::to_string(high) + ") within " + std::to_string(timeout.count()) +
                         " ms"};
      }
      kafka::MessagePtr msg(rd_kafka_consumer_poll(rk_.get(), 100));
      if (!msg) continue;
      if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        done = true;
        break;
      }
      if (msg->err) {
        // Transient fetch errors are retried by librdkafka; anything else is fatal here.
        Error e = kafka::to_error(msg->err, "restore from " + where);
        if (e.retriable()) continue;
        rd_kafka_assign(rk_.get(), nullptr);
        e.kind = ErrorKind::fatal;
        return e;
      }
      ++stats.records;
      const std::string_view key(static_cast<const char*>(msg->key), msg->key_len);
      const std::string_view value(static_cast<const char*>(msg->payload),
                                   msg->payload ? msg->len : 0);
      if (key == kOffsetRecordKey) {
        if (auto offset = msg->payload ? decode_offset(value) : std::nullopt) {
          stats.input_offset = offset;
          apply(pending, window, stats);
        } else {
          ++stats.skipped;
        }
      } else if (key.size() != DedupWindow::digest_size) {
        ++stats.skipped;
      } else {
        pending.push_back({std::string(key), msg->payload
                                                 ? std::optional<std::string>(std::string(value))
                                                 : std::nullopt});
      }
      if (msg->offset >= high - 1) done = true;
    }
    rd_kafka_assign(rk_.get(), nullptr);
  }
  for (auto& p : pending) stats.uncommitted.push_back(std::move(p.digest));
  stats.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return stats;
}

}  // namespace hookline::normalizer
