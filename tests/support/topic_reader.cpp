#include "tests/support/topic_reader.h"

#include <map>
#include <stdexcept>

#include "core/kafka/handles.h"

namespace hookline::test {

std::string ReadRecord::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

std::vector<ReadRecord> read_topic(const std::string& bootstrap, const std::string& topic,
                                   std::chrono::milliseconds timeout) {
  char err[512];
  kafka::ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set(conf.get(), "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf.get(), "group.id", "hookline-test-reader", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "log_level", "3", err, sizeof err);
  // Downstream readers of transactional topics read committed records only; the end of a
  // partition may be a transaction marker, which is never delivered: EOF tells the end.
  rd_kafka_conf_set(conf.get(), "isolation.level", "read_committed", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "enable.partition.eof", "true", err, sizeof err);
  rd_kafka_t* raw = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), err, sizeof err);
  if (!raw) throw std::runtime_error(err);
  (void)conf.release();
  kafka::HandlePtr rk(raw);
  const rd_kafka_metadata_t* md_raw = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
  auto merr = rd_kafka_metadata(rk.get(), 0, rkt, &md_raw, 10000);
  rd_kafka_topic_destroy(rkt);
  kafka::MetadataPtr md(md_raw);
  if (merr || md->topic_cnt != 1 || md->topics[0].err) {
    throw std::runtime_error("cannot read metadata of " + topic);
  }
  const int partitions = md->topics[0].partition_cnt;
  std::map<int, std::int64_t> high;
  kafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    std::int64_t lo = 0, hi = 0;
    if (rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, 10000)) {
      throw std::runtime_error("cannot read watermarks of " + topic);
    }
    if (hi > lo) {
      high[p] = hi;
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = lo;
    }
  }
  std::vector<ReadRecord> out;
  if (high.empty()) return out;
  rd_kafka_assign(rk.get(), list.get());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!high.empty()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("records of " + topic + " did not arrive in time");
    }
    kafka::MessagePtr m(rd_kafka_consumer_poll(rk.get(), 100));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (auto it = high.find(m->partition); it != high.end() && m->offset >= it->second) {
        high.erase(it);
      }
      continue;
    }
    if (m->err) continue;
    kafka::Message msg(std::move(m));
    ReadRecord r;
    r.topic = topic;
    r.partition = msg.partition();
    r.offset = msg.offset();
    if (auto k = msg.key()) r.key = std::string(*k);
    r.value = std::string(msg.value());
    r.headers = msg.headers();
    r.timestamp_ms = msg.timestamp_ms().value_or(0);
    auto it = high.find(r.partition);
    if (it != high.end() && r.offset + 1 >= it->second) high.erase(it);
    out.push_back(std::move(r));
  }
  rd_kafka_consumer_close(rk.get());
  return out;
}

}  // namespace hookline::test
