#include "tests/support/dev_broker.h"

#include <fstream>
#include <stdexcept>

#include <httplib.h>

#include "core/files.h"

namespace hookline::test {

DevBroker::DevBroker(const std::string& topology, int brokers) {
  std::vector<std::string> args{
      "--brokers",        std::to_string(brokers),
      "--bootstrap-file", dir_.file("bootstrap"),
      "--control-file",   dir_.file("control"),
      "--topology",       topology.empty() ? source("topology/topics.json") : topology};
  proc_ = std::make_unique<ChildProcess>(
      bin("hookline-devbroker"), args,
      std::map<std::string, std::string>{{"HOOKLINE_LOG_LEVEL", "warn"}});
  bool ready = eventually([&] {
    if (!proc_->running()) return true;
    std::ifstream c(dir_.file("control"));
    return c.good() && std::ifstream(dir_.file("bootstrap")).good();
  });
  if (!ready || !proc_->running()) {
    throw std::runtime_error("hookline-devbroker did not start: " + proc_->err());
  }
  auto trim = [](std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  };
  bootstrap_ = trim(read_file(dir_.file("bootstrap")));
  control_url_ = trim(read_file(dir_.file("control")));
}

DevBroker::~DevBroker() {
  proc_->stop();
}

KafkaConfig DevBroker::kafka_config() const {
  KafkaConfig k;
  k.bootstrap = bootstrap_;
  return k;
}

bool DevBroker::control(const std::string& which, const std::string& action) {
  httplib::Client cli(control_url_);
  auto res = cli.Post("/brokers/" + which + "/" + action);
  return res && res->status == 200;
}

std::string write_topology(const TempDir& dir, const std::string& name,
                           const std::vector<std::pair<std::string, int>>& topics,
                           int replication_factor) {
  std::string json = "{\"defaults\":{\"replication_factor\":" + std::to_string(replication_factor) +
                     "},\"topics\":[";
  for (size_t i = 0; i < topics.size(); ++i) {
    if (i) json += ",";
    json += "{\"name\":\"" + topics[i].first +
            "\",\"partitions\":" + std::to_string(topics[i].second) + "}";
  }
  json += "]}";
  std::string path = dir.file(name);
  write_file_atomic(path, json);
  return path;
}

}  // namespace hookline::test
