#pragma once
// The whole outbound path for tests, on one private dev broker and one fresh database:
// hookline-ingest (an IngestStack, every shipped provider registered as "<provider>/main",
// tenant acme), hookline-normalizer, hookline-gatekeeper and hookline-sender, the provider
// simulator, and a topology folder of its own whose rules.json the test chooses. Processes are
// started and stopped by pid.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/kafka/producer.h"
#include "tests/support/ingest_stack.h"
#include "tests/support/normalizer_stack.h"
#include "tests/support/process.h"
#include "tests/support/provider_sim.h"
#include "tests/support/topic_reader.h"

namespace hookline::test {

class PipelineStack {
 public:
  // `rules_json`: the content of rules.json ("" = the shipped topology/rules.json).
  // `gatekeeper_config` / `sender_config`: the config file's sections.
  explicit PipelineStack(const std::string& rules_json = "",
                         const std::string& gatekeeper_config = "{}",
                         const std::string& sender_config = "{}");
  ~PipelineStack();

  IngestStack& ingest() { return *ingest_; }
  DevBroker& broker() { return ingest_->broker(); }
  ProviderSim& sim() { return *sim_; }
  std::map<std::string, std::string> env() const;
  RunResult cli(const std::vector<std::string>& args);

  // Gives "<provider>/<id>" (registered by the ingest stack) a send secret and send settings
  // pointing at the simulator.
  void enable_sending(const std::string& provider, const std::string& id, const std::string& secret,
                      const std::string& send_settings = "{}");

  void start_normalizer();
  ChildProcess& start_gatekeeper();
  ChildProcess& gatekeeper() { return *gatekeeper_; }
  int stop_gatekeeper();
  ChildProcess& start_sender();
  std::string gatekeeper_metrics();
  std::string sender_metrics();

  // Produces send request values to outbound.requests (key: their connection), waits for acks.
  void publish(const std::vector<std::pair<std::string, std::string>>& connection_and_value,
               const std::string& topic = "outbound.requests");
  // POSTs a signed delivery to the ingest; returns the HTTP status.
  int post(const SignedRequest& r);

  std::vector<ReadRecord> read(const std::string& topic) {
    return read_topic(broker().bootstrap(), topic);
  }

 private:
  ChildProcess& start(std::unique_ptr<ChildProcess>& slot, const std::string& program,
                      int& metrics_port);

  std::unique_ptr<IngestStack> ingest_;
  std::unique_ptr<ProviderSim> sim_;
  std::unique_ptr<NormalizerStack> normalizer_;
  std::unique_ptr<ChildProcess> gatekeeper_;
  std::unique_ptr<ChildProcess> sender_;
  std::unique_ptr<kafka::Producer> producer_;
  TempDir dir_;
  std::string config_path_;
  std::string topology_dir_;
  int gatekeeper_port_ = 0;
  int sender_port_ = 0;
};

// A marketing or transactional SMS request on twilio/main for `address` (tenant acme).
std::string sms_request(const std::string& id, const std::string& address,
                        const std::string& purpose, const std::string& extra_members = "");

}  // namespace hookline::test
