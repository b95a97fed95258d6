#include "tests/support/ingest_stack.h"

#include <filesystem>
#include <regex>
#include <stdexcept>

#include <httplib.h>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "core/files.h"

namespace hookline::test {

IngestStack::IngestStack(const std::string& ingest_config) {
  broker_ = std::make_unique<DevBroker>();
  db_ = std::make_unique<TestDatabase>();
  secret_key_ = crypto::base64_encode(crypto::random_bytes(32));
  config_path_ = dir_.file("hookline.json");
  write_file_atomic(config_path_,
                    R"({"kafka": {"timeout_ms": 5000}, "ingest": )" + ingest_config + "}");
  auto migrate = cli({"db", "migrate"});
  if (migrate.exit_code != 0) throw std::runtime_error("db migrate failed: " + migrate.err);
}

IngestStack::~IngestStack() {
  stop_ingest();
}

std::map<std::string, std::string> IngestStack::env() const {
  return {{"HOOKLINE_KAFKA_BOOTSTRAP", broker_->bootstrap()},
          {"HOOKLINE_DATABASE_URL", db_->url()},
          {"HOOKLINE_SECRET_KEY", secret_key_},
          {"HOOKLINE_TOPOLOGY_DIR", source("topology")},
          {"HOOKLINE_CONFIG", config_path_},
          {"HOOKLINE_LOG_LEVEL", "warn"}};
}

RunResult IngestStack::cli(const std::vector<std::string>& args) {
  return run(bin("hookline"), args, env());
}

TestSecrets IngestStack::secrets_for(const std::string& provider) const {
  if (provider == "resend") return {test_whsec(), nullptr};
  return {"test-secret-" + provider, &ecdsa_};
}

void IngestStack::add_connection(const std::string& provider, const std::string& connection,
                                 const std::string& secret) {
  std::vector<std::string> args{"connections", "add",      "--provider", provider,        "--id",
                                connection,    "--tenant", "acme",       "--environment", "dev"};
  if (provider == "sendgrid") {
    std::string key_file = dir_.file("sendgrid.pub");
    write_file_atomic(key_file, ecdsa_.public_key_base64() + "\n");
    args.insert(args.end(), {"--public-key-file", key_file});
  } else {
    args.insert(args.end(), {"--secret", secret});
  }
  if (provider == "whatsapp") args.insert(args.end(), {"--verify-token", "verify-me"});
  auto r = cli(args);
  if (r.exit_code != 0) throw std::runtime_error("connections add failed: " + r.err);
}

void IngestStack::register_all() {
  for (const auto& entry : std::filesystem::directory_iterator(source("topology/providers"))) {
    std::string provider = entry.path().stem().string();
    add_connection(provider, "main", secrets_for(provider).secret);
  }
}

void IngestStack::start_ingest(bool tls) {
  ingest_ = std::make_unique<ChildProcess>(
      bin("hookline-ingest"), std::vector<std::string>{"--listen", "127.0.0.1:0"}, env());
  std::smatch m;
  std::string out;
  const std::regex listening(R"(listening on 127\.0\.0\.1:(\d+))");
  if (!eventually([&] {
        out = ingest_->out();
        return std::regex_search(out, m, listening) || !ingest_->running();
      }) ||
      !ingest_->running()) {
    throw std::runtime_error("hookline-ingest did not start: " + ingest_->err());
  }
  port_ = std::stoi(m[1].str());
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);
  auto ready = [&](auto& client) {
    return eventually([&] {
      auto res = client.Get("/readyz");
      return res && res->status == 200;
    });
  };
  bool ok = false;
  if (tls) {
    httplib::SSLClient c("127.0.0.1", port_);
    c.enable_server_certificate_verification(false);
    ok = ready(c);
  } else {
    httplib::Client c(base_url_);
    ok = ready(c);
  }
  if (!ok) {
    throw std::runtime_error("hookline-ingest did not become ready: " + ingest_->err());
  }
}

void IngestStack::stop_ingest() {
  if (ingest_) ingest_->stop();
}

}  // namespace hookline::test
