#include "tests/support/pipeline_stack.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include <httplib.h>

#include "core/files.h"

namespace hookline::test {

PipelineStack::PipelineStack(const std::string& rules_json, const std::string& gatekeeper_config,
                             const std::string& sender_config) {
  ingest_ = std::make_unique<IngestStack>();
  ingest_->register_all();
  ingest_->start_ingest();
  sim_ = std::make_unique<ProviderSim>();
  topology_dir_ = dir_.file("topology");
  std::filesystem::create_directories(topology_dir_);
  std::filesystem::copy_file(source("topology/topics.json"), topology_dir_ + "/topics.json");
  std::filesystem::create_directory_symlink(source("topology/providers"),
                                            topology_dir_ + "/providers");
  if (rules_json.empty()) {
    std::filesystem::copy_file(source("topology/rules.json"), topology_dir_ + "/rules.json");
  } else {
    write_file_atomic(topology_dir_ + "/rules.json", rules_json);
  }
  config_path_ = dir_.file("hookline.json");
  write_file_atomic(config_path_,
                    R"({"kafka": {"timeout_ms": 5000}, "gatekeeper": )" + gatekeeper_config +
                        R"(, "sender": )" + sender_config +
                        R"(, "normalizer": {"batch_records": 20, "batch_interval_ms": 50}})");
  kafka::Producer::Options opts;
  opts.client_id = "hookline-test-request-producer";
  producer_ = kafka::Producer::create(broker().kafka_config(), opts);
}

PipelineStack::~PipelineStack() {
  if (sender_) sender_->stop();
  if (gatekeeper_) gatekeeper_->stop();
  normalizer_.reset();
  if (producer_) producer_->close();
}

std::map<std::string, std::string> PipelineStack::env() const {
  auto e = ingest_->env();
  e["HOOKLINE_CONFIG"] = config_path_;
  e["HOOKLINE_TOPOLOGY_DIR"] = topology_dir_;
  e["HOOKLINE_LOG_LEVEL"] = "info";
  return e;
}

RunResult PipelineStack::cli(const std::vector<std::string>& args) {
  return run(bin("hookline"), args, env());
}

void PipelineStack::enable_sending(const std::string& provider, const std::string& id,
                                   const std::string& secret, const std::string& send_settings) {
  std::string send = send_settings;
  if (send.find("\"base_url\"") == std::string::npos) {
    const std::string base = "\"base_url\": \"" + sim_->url() + "\"";
    send = send == "{}" ? "{" + base + "}" : "{" + base + ", " + send.substr(1);
  }
  auto e = env();
  e["HOOKLINE_TEST_SEND_SECRET"] = secret;
  const std::string key = provider + "/" + id;
  auto r = run(
      bin("hookline"),
      {"connections", "set-send-secret", key, "--send-secret-env", "HOOKLINE_TEST_SEND_SECRET"}, e);
  if (r.exit_code != 0) throw std::runtime_error("set-send-secret failed: " + r.err);
  r = cli({"connections", "set-settings", key, "--settings", R"({"send": )" + send + "}"});
  if (r.exit_code != 0) throw std::runtime_error("set-settings failed: " + r.err);
}

void PipelineStack::start_normalizer() {
  if (normalizer_) return;
  normalizer_ = std::make_unique<NormalizerStack>(
      R"({"batch_records": 20, "batch_interval_ms": 50})", &broker());
  normalizer_->start("n1");
}

ChildProcess& PipelineStack::start(std::unique_ptr<ChildProcess>& slot, const std::string& program,
                                   int& metrics_port) {
  if (slot) slot->stop();
  slot = std::make_unique<ChildProcess>(
      bin(program), std::vector<std::string>{"--metrics-listen", "127.0.0.1:0"}, env());
  std::smatch m;
  std::string out;
  const std::regex listening(R"(metrics on 127\.0\.0\.1:(\d+))");
  if (!eventually([&] {
        out = slot->out();
        return std::regex_search(out, m, listening) || !slot->running();
      }) ||
      !slot->running()) {
    throw std::runtime_error(program + " did not start: " + slot->err());
  }
  metrics_port = std::stoi(m[1].str());
  return *slot;
}

ChildProcess& PipelineStack::start_gatekeeper() {
  return start(gatekeeper_, "hookline-gatekeeper", gatekeeper_port_);
}

int PipelineStack::stop_gatekeeper() {
  if (!gatekeeper_) return 0;
  const int rc = gatekeeper_->stop(std::chrono::seconds(60));
  if (rc != 0) {
    const std::string err = gatekeeper_->err();
    std::fprintf(stderr, "hookline-gatekeeper exited %d; its stderr ends:\n%s\n", rc,
                 err.substr(err.size() > 4000 ? err.size() - 4000 : 0).c_str());
  }
  return rc;
}

ChildProcess& PipelineStack::start_sender() {
  return start(sender_, "hookline-sender", sender_port_);
}

namespace {
std::string get_metrics(int port) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Get("/metrics");
  return res && res->status == 200 ? res->body : std::string();
}
}  // namespace

std::string PipelineStack::gatekeeper_metrics() {
  return get_metrics(gatekeeper_port_);
}
std::string PipelineStack::sender_metrics() {
  return get_metrics(sender_port_);
}

void PipelineStack::publish(
    const std::vector<std::pair<std::string, std::string>>& connection_and_value,
    const std::string& topic) {
  auto failed = std::make_shared<std::atomic<int>>(0);
  for (const auto& [connection, value] : connection_and_value) {
    kafka::OutRecord r;
    r.topic = topic;
    r.key = std::string_view(connection);
    r.value = std::string_view(value);
    Status st = producer_->produce(r, [failed](const kafka::DeliveryReport& rep) {
      if (rep.error) failed->fetch_add(1);
    });
    if (!st) throw std::runtime_error("produce failed: " + st.error().message);
  }
  if (!producer_->flush(std::chrono::seconds(60)) || failed->load() != 0) {
    throw std::runtime_error("send requests not acknowledged");
  }
}

int PipelineStack::post(const SignedRequest& r) {
  httplib::Client c("127.0.0.1", ingest_->port());
  httplib::Headers h;
  std::string content_type = "application/json";
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type") {
      content_type = v;
    } else {
      h.emplace(k, v);
    }
  }
  auto res = c.Post(r.path.c_str(), h, r.body, content_type.c_str());
  return res ? res->status : -1;
}

std::string sms_request(const std::string& id, const std::string& address,
                        const std::string& purpose, const std::string& extra_members) {
  return R"({"schema_version":1,"id":")" + id +
         R"(","tenant":"acme","connection":"twilio/main","channel":"sms","purpose":")" + purpose +
         R"(","contact":{"id":"c-)" + id + R"(","address":")" + address +
         R"("},"content":{"text":"Hello from hookline"})" +
         (extra_members.empty() ? "" : "," + extra_members) + "}";
}

}  // namespace hookline::test
