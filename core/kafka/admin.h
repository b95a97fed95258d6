#pragma once
// Cluster metadata and the admin calls the topology commands need. Works with any client
// handle. The dev broker (librdkafka's mock cluster) answers metadata but implements no admin
// API: CreateTopics and DescribeConfigs come back as `unsupported` (see is_unsupported()).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/client_config.h"
#include "core/kafka/handles.h"

namespace hookline::kafka {

struct TopicMetadata {
  std::string name;
  int partitions = 0;
  int replication_factor = 0;  // replicas of partition 0
  std::string error;           // non-empty when the broker reported one for this topic
};

struct ClusterMetadata {
  std::vector<std::string> brokers;  // host:port
  // Admin requests go to the controller. The dev broker names a controller id that none of
  // its brokers has, so it cannot take them (librdkafka would wait for it until the timeout).
  bool has_controller = false;
  std::map<std::string, TopicMetadata> topics;
};

struct NewTopic {
  std::string name;
  int partitions = 1;
  int replication_factor = 1;
  std::map<std::string, std::string> config;
};

Result<ClusterMetadata> describe_cluster(rd_kafka_t* rk, const std::string& bootstrap,
                                         std::chrono::milliseconds timeout);

// The error admin calls give when the cluster cannot take admin requests (is_unsupported()).
Error no_admin_api(const std::string& what);

// Creates the topics; a topic that already exists is not an error.
Status create_topics(rd_kafka_t* rk, const std::vector<NewTopic>& topics,
                     std::chrono::milliseconds timeout);

// The topics' configuration entries (name -> value), for drift checks.
Result<std::map<std::string, std::map<std::string, std::string>>> describe_topic_configs(
    rd_kafka_t* rk, const std::vector<std::string>& topics, std::chrono::milliseconds timeout);

// A plain client handle for metadata and admin calls (no idempotence, nothing produced; quiet:
// its errors come back as results).
class AdminClient {
 public:
  // Throws KafkaError on a bad configuration.
  static std::unique_ptr<AdminClient> create(const KafkaConfig& cfg, const std::string& client_id);
  rd_kafka_t* handle() const noexcept { return rk_.get(); }
  const std::string& bootstrap() const noexcept { return bootstrap_; }
  Result<ClusterMetadata> describe(std::chrono::milliseconds timeout) const {
    return describe_cluster(rk_.get(), bootstrap_, timeout);
  }

 private:
  AdminClient() = default;
  std::unique_ptr<ClientState> state_;
  HandlePtr rk_;
  std::string bootstrap_;
};

// True when the broker does not implement the admin request (the dev broker).
bool is_unsupported(const Error& error) noexcept;

}  // namespace hookline::kafka
