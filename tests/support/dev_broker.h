#pragma once
// Starts a private hookline-devbroker for one test (its own topics, its own ports) and stops
// it by pid at the end.
#include <memory>
#include <string>

#include "core/config.h"
#include "tests/support/process.h"

namespace hookline::test {

class DevBroker {
 public:
  // `topology` defaults to the repo's topology/topics.json.
  explicit DevBroker(const std::string& topology = "", int brokers = 3);
  ~DevBroker();
  const std::string& bootstrap() const { return bootstrap_; }
  // KafkaConfig pointing at this broker.
  KafkaConfig kafka_config() const;
  // POST /brokers/{which}/{action} on the control API; true on 200.
  bool control(const std::string& which, const std::string& action);
  ChildProcess& process() { return *proc_; }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> proc_;
  std::string bootstrap_;
  std::string control_url_;
};

// Writes a topology file with the given topics ({"name", partitions}) into `dir`.
std::string write_topology(const TempDir& dir, const std::string& name,
                           const std::vector<std::pair<std::string, int>>& topics,
                           int replication_factor = 3);

}  // namespace hookline::test
