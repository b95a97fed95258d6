#include "tests/support/sender_stack.h"

#include <atomic>
#include <regex>
#include <stdexcept>

#include <httplib.h>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "core/files.h"

namespace hookline::test {

SenderStack::SenderStack(const std::string& sender_config) {
  broker_ = std::make_unique<DevBroker>();
  db_ = std::make_unique<TestDatabase>();
  sim_ = std::make_unique<ProviderSim>();
  secret_key_ = crypto::base64_encode(crypto::random_bytes(32));
  config_path_ = dir_.file("hookline.json");
  write_file_atomic(config_path_,
                    R"({"kafka": {"timeout_ms": 5000}, "sender": )" + sender_config + "}");
  auto migrate = cli({"db", "migrate"});
  if (migrate.exit_code != 0) throw std::runtime_error("db migrate failed: " + migrate.err);
  kafka::Producer::Options opts;
  opts.client_id = "hookline-test-request-producer";
  producer_ = kafka::Producer::create(broker_->kafka_config(), opts);
}

SenderStack::~SenderStack() {
  if (sender_) sender_->stop();
  if (producer_) producer_->close();
}

std::map<std::string, std::string> SenderStack::env() const {
  return {{"HOOKLINE_KAFKA_BOOTSTRAP", broker_->bootstrap()},
          {"HOOKLINE_DATABASE_URL", db_->url()},
          {"HOOKLINE_SECRET_KEY", secret_key_},
          {"HOOKLINE_TOPOLOGY_DIR", source("topology")},
          {"HOOKLINE_CONFIG", config_path_},
          {"HOOKLINE_LOG_LEVEL", "info"}};
}

RunResult SenderStack::cli(const std::vector<std::string>& args) {
  return run(bin("hookline"), args, env());
}

void SenderStack::add_connection(const std::string& provider, const std::string& id,
                                 const std::string& secret, const std::string& send_settings) {
  std::string send = send_settings;
  if (send.find("\"base_url\"") == std::string::npos) {
    const std::string base = "\"base_url\": \"" + sim_->url() + "\"";
    send = send == "{}" ? "{" + base + "}" : "{" + base + ", " + send.substr(1);
  }
  auto e = env();
  e["HOOKLINE_TEST_SEND_SECRET"] = secret;
  auto r = run(bin("hookline"),
               {"connections", "add", "--provider", provider, "--id", id, "--tenant", "acme",
                "--environment", "dev", "--send-secret-env", "HOOKLINE_TEST_SEND_SECRET",
                "--settings", R"({"send": )" + send + "}"},
               e);
  if (r.exit_code != 0) throw std::runtime_error("connections add failed: " + r.err);
}

ChildProcess& SenderStack::start() {
  if (sender_) sender_->stop();
  sender_ = std::make_unique<ChildProcess>(
      bin("hookline-sender"), std::vector<std::string>{"--metrics-listen", "127.0.0.1:0"}, env());
  std::smatch m;
  std::string out;
  const std::regex listening(R"(metrics on 127\.0\.0\.1:(\d+))");
  if (!eventually([&] {
        out = sender_->out();
        return std::regex_search(out, m, listening) || !sender_->running();
      }) ||
      !sender_->running()) {
    throw std::runtime_error("hookline-sender did not start: " + sender_->err());
  }
  metrics_port_ = std::stoi(m[1].str());
  return *sender_;
}

int SenderStack::stop() {
  if (!sender_) return 0;
  return sender_->stop(std::chrono::seconds(60));
}

std::string SenderStack::metrics() {
  httplib::Client c("127.0.0.1", metrics_port_);
  auto res = c.Get("/metrics");
  return res && res->status == 200 ? res->body : std::string();
}

void SenderStack::publish(
    const std::vector<std::pair<std::string, std::string>>& connection_and_value,
    const std::string& topic, std::int32_t partition) {
  auto failed = std::make_shared<std::atomic<int>>(0);
  for (const auto& [connection, value] : connection_and_value) {
    kafka::OutRecord r;
    r.topic = topic;
    r.key = std::string_view(connection);
    r.value = std::string_view(value);
    if (partition >= 0) r.partition = partition;
    Status st = producer_->produce(r, [failed](const kafka::DeliveryReport& rep) {
      if (rep.error) failed->fetch_add(1);
    });
    if (!st) throw std::runtime_error("produce failed: " + st.error().message);
  }
  if (!producer_->flush(std::chrono::seconds(60)) || failed->load() != 0) {
    throw std::runtime_error("send requests not acknowledged");
  }
}

std::string email_request(const std::string& id, const std::string& connection,
                          const std::string& extra_members, const std::string& address) {
  return R"({"schema_version":1,"id":")" + id + R"(","tenant":"acme","connection":")" + connection +
         R"(","channel":"email","purpose":"transactional","contact":{"id":"c-)" + id +
         R"(","address":")" + address + R"("},"content":{"subject":"Hello","text":"Hi there"})" +
         (extra_members.empty() ? "" : "," + extra_members) + "}";
}

}  // namespace hookline::test
