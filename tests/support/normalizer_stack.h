#pragma once
// Normalizer instances for tests and benchmarks: a private dev broker, a config file, and
// hookline-normalizer processes started and stopped by pid; plus raw records written to
// webhooks.raw exactly as the ingest writes them.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/kafka/producer.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"
#include "tests/support/topic_reader.h"

namespace hookline::test {

// A webhooks.raw record as the ingest publishes it (raw_record.h header names).
struct RawDeliveryRecord {
  std::string provider = "stripe";
  std::string connection = "main";
  std::string key;  // the dedup / partition key
  std::string body;
  std::string content_type = "application/json";
  std::string delivery_id;
  std::vector<std::pair<std::string, std::string>> kept_headers;  // HTTP name, value
};

// The headers the ingest writes on a raw record (tenant "acme", environment "dev"), kept HTTP
// headers as http-<lower-case name>.
kafka::Headers raw_record_headers(const RawDeliveryRecord& record, const std::string& received_at);

// A Stripe event delivery (key stripe/main/<id>), as the ingest publishes it.
RawDeliveryRecord stripe_delivery(const std::string& event_id, std::int64_t created_unix);

class NormalizerStack {
 public:
  // `normalizer_config` is the JSON of the config file's "normalizer" section.
  // With `broker` (e.g. an IngestStack's), uses it instead of starting a private one.
  explicit NormalizerStack(const std::string& normalizer_config = "{}",
                           DevBroker* broker = nullptr);
  ~NormalizerStack();

  DevBroker& broker() { return *broker_ptr_; }
  // The topology folder instances started from now on read (default: the shipped topology/).
  void set_topology_dir(const std::string& dir) { topology_dir_ = dir; }
  std::map<std::string, std::string> env(const std::string& instance_id) const;

  // Starts hookline-normalizer with this instance id; waits until it serves metrics.
  ChildProcess& start(const std::string& instance_id);
  ChildProcess& instance(const std::string& instance_id) { return *instances_.at(instance_id); }
  // Stops the instance (SIGTERM) and returns its exit code; on a non-zero code prints the end
  // of its stderr, for the test log.
  int stop(const std::string& instance_id);
  // The end of an instance's stderr.
  std::string log_tail(const std::string& instance_id, std::size_t bytes = 4000);
  // The normalizer's /metrics text ("" when unreachable).
  std::string metrics(const std::string& instance_id);

  // Produces raw records to webhooks.raw and waits for their acknowledgement (throws if not).
  void publish(const std::vector<RawDeliveryRecord>& records);

  std::vector<ReadRecord> read(const std::string& topic) {
    return read_topic(broker_ptr_->bootstrap(), topic);
  }

 private:
  TempDir dir_;
  std::unique_ptr<DevBroker> broker_;
  DevBroker* broker_ptr_ = nullptr;
  std::string config_path_;
  std::string topology_dir_ = source("topology");
  std::unique_ptr<kafka::Producer> producer_;
  std::map<std::string, std::unique_ptr<ChildProcess>> instances_;
  std::map<std::string, int> metrics_ports_;
};

}  // namespace hookline::test
