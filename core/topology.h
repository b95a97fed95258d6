#pragma once
// The declared Kafka topology (topology/topics.json): every topic hookline uses, with its
// partitions, replication and configuration, and the outbound retry tiers, which expand into
// one topic each. The dev broker creates these topics at start; `hookline topology apply`
// creates them on a real cluster and `hookline topology check` reports drift.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hookline {

struct TopicSpec {
  std::string name;
  int partitions = 0;
  int replication_factor = 0;
  std::map<std::string, std::string> config;  // Kafka topic configs (retention.ms, ...)
  std::string description;
};

struct RetryTier {
  std::string name;  // "30s" -> topic outbound.retry.30s
  std::chrono::milliseconds delay{0};
  std::string topic;
};

struct Topology {
  std::vector<TopicSpec> topics;  // retry tier topics included
  std::vector<RetryTier> retry_tiers;
  std::string source;
  const TopicSpec* find(const std::string& name) const;
};

// Throws ConfigError naming the file and key.
Topology load_topology(const std::string& path);

}  // namespace hookline
