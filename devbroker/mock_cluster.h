#pragma once
// librdkafka's mock cluster (rdkafka_mock.h): the real Kafka protocol over TCP, in memory.
// Limits, stated so nobody mistakes it for Kafka: nothing on disk; no admin API (no
// CreateTopics, no DescribeConfigs: topics are created here, from topology/); no compaction
// and no retention settings (it keeps only the newest ~5 MiB of each partition); read_committed
// readers still see aborted transactional records; zombie producers are not fenced.
#include <memory>
#include <string>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "core/kafka/handles.h"
#include "core/topology.h"

namespace hookline::devbroker {

class MockCluster {
 public:
  // Throws std::runtime_error.
  explicit MockCluster(int brokers);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  std::string bootstrap() const;
  int brokers() const noexcept { return brokers_; }
  // Throws std::runtime_error naming the topic.
  void create_topic(const TopicSpec& spec);
  // Broker ids are 1..brokers(). Return false on an unknown id or a mock error.
  bool set_broker_down(int id);
  bool set_broker_up(int id);
  bool set_broker_rtt(int id, int rtt_ms);

 private:
  kafka::HandlePtr rk_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  int brokers_;
};

}  // namespace hookline::devbroker
