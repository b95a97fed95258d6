#pragma once
// A running sender for tests and benchmarks: a private dev broker, a fresh migrated database
// (connection registry, sent-ledger, consent ledger), the provider simulator, connections
// registered through `hookline connections add` with a send secret and settings pointing at the
// simulator, and hookline-sender processes started and stopped by pid. The sender reads the
// shipped topology/ (topics.json, and rules.json for its consent recheck).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/kafka/producer.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"
#include "tests/support/provider_sim.h"
#include "tests/support/test_database.h"
#include "tests/support/topic_reader.h"

namespace hookline::test {

class SenderStack {
 public:
  // `sender_config` is the JSON of the config file's "sender" section.
  explicit SenderStack(const std::string& sender_config = "{}");
  ~SenderStack();

  // Registers connection <provider>/<id> with send secret `secret` and the "send" settings
  // `send_settings` (a JSON object; base_url defaults to the simulator).
  void add_connection(const std::string& provider, const std::string& id, const std::string& secret,
                      const std::string& send_settings = "{}");
  RunResult cli(const std::vector<std::string>& args);

  // Starts hookline-sender; waits until it serves metrics.
  ChildProcess& start();
  ChildProcess& sender() { return *sender_; }
  int stop();
  std::string metrics();

  // Produces send request values to `topic` (key = their connection), waits for the acks.
  // partition -1: by key.
  void publish(const std::vector<std::pair<std::string, std::string>>& connection_and_value,
               const std::string& topic = "outbound.approved", std::int32_t partition = -1);

  std::vector<ReadRecord> read(const std::string& topic) {
    return read_topic(broker_->bootstrap(), topic);
  }
  ProviderSim& sim() { return *sim_; }
  DevBroker& broker() { return *broker_; }
  TestDatabase& db() { return *db_; }
  std::map<std::string, std::string> env() const;
  // The secrets key (base64 of 32 bytes) the sender is started with; the consent ledger's
  // contact hashes are keyed by it.
  const std::string& secret_key() const { return secret_key_; }

 private:
  TempDir dir_;
  std::unique_ptr<DevBroker> broker_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ProviderSim> sim_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<ChildProcess> sender_;
  std::string secret_key_;
  std::string config_path_;
  int metrics_port_ = 0;
};

// A send request value (schemas/outbound.request.v1.schema.json) on an email connection,
// transactional, to `address` (contact id "c-<id>").
std::string email_request(const std::string& id, const std::string& connection,
                          const std::string& extra_members = "",
                          const std::string& address = "user@example.com");

}  // namespace hookline::test
