#include "tests/e2e/e2e_stack.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "core/files.h"

namespace hookline::e2e {

using namespace std::chrono_literals;

namespace {

// Rules: the shipped defaults, but approvals go to slack/main (the stack's Slack connection),
// and anyone in the channel may decide.
const char* kRules = R"({"consent": {}, "quiet_hours": null,
  "approval": {"expires_after": "24h", "release_batch": 500, "approvers": [],
               "slack": {"connection": "slack/main", "channel": "C0E2E"}},
  "tenants": {}})";

std::string ready_pattern(const std::string& name) {
  return name.starts_with("ingest") ? R"(listening on 127\.0\.0\.1:(\d+))"
                                    : R"(metrics on 127\.0\.0\.1:(\d+))";
}

}  // namespace

const std::vector<std::string>& E2eStack::components() {
  static const std::vector<std::string> names{
      "ingest-1", "ingest-2", "normalizer-1", "normalizer-2", "gatekeeper", "sender-1", "sender-2"};
  return names;
}

E2eStack::E2eStack(const StackOptions& options) : options_(options) {
  spawner_ = std::thread([this] { spawner(); });
  ingest_.register_all();
  ingest_.add_connection("resend", "failing", ingest_.secrets_for("resend").secret);
  sim_ = std::make_unique<test::ProviderSim>();

  topology_dir_ = dir_.file("topology");
  std::filesystem::create_directories(topology_dir_);
  std::filesystem::copy_file(test::source("topology/topics.json"), topology_dir_ + "/topics.json");
  std::filesystem::create_directory_symlink(test::source("topology/providers"),
                                            topology_dir_ + "/providers");
  write_file_atomic(topology_dir_ + "/rules.json", kRules);
  config_path_ = dir_.file("hookline.json");
  // The sender's circuit breaker would hold the failing connection's requests for a minute at a
  // time; the run is about attempts and the DLQ, so it opens only after many failures.
  write_file_atomic(config_path_,
                    R"({"kafka": {"timeout_ms": 5000},
          "normalizer": {"batch_records": )" +
                        std::to_string(options_.normalizer_batch_records) +
                        R"(, "batch_interval_ms": 100},
          "gatekeeper": {"batch_records": 200},
          "sender": {"breaker_failures": 1000, "commit_interval_ms": 200}})");

  enable_sending("resend/main", "re_key_main",
                 R"({"from": "news@example.com", "rate_per_s": 1000})");
  enable_sending("resend/failing", "re_key_failing",
                 R"({"from": "ops@example.com", "rate_per_s": 1000, "max_attempts": )" +
                     std::to_string(options_.failing_max_attempts) + "}");
  enable_sending("slack/main", "xoxb-e2e-approvals", R"({"rate_per_s": 50})");

  // A killed member's partitions move to the others after the session timeout.
  const std::map<std::string, std::string> fast_failover{
      {"HOOKLINE_KAFKA_SESSION_TIMEOUT_MS", "6000"}};
  for (int i = 1; i <= 2; ++i) {
    auto& in = components_["ingest-" + std::to_string(i)];
    in.program = "hookline-ingest";
    in.port = test::closed_port();
    in.args = {"--listen", "127.0.0.1:" + std::to_string(in.port)};

    auto& n = components_["normalizer-" + std::to_string(i)];
    n.program = "hookline-normalizer";
    n.port = test::closed_port();
    n.env = fast_failover;
    n.env["HOOKLINE_NORMALIZER_INSTANCE_ID"] = "n" + std::to_string(i);
    n.env["HOOKLINE_NORMALIZER_METRICS_LISTEN"] = "127.0.0.1:" + std::to_string(n.port);

    auto& s = components_["sender-" + std::to_string(i)];
    s.program = "hookline-sender";
    s.port = test::closed_port();
    s.env = fast_failover;
    s.args = {"--metrics-listen", "127.0.0.1:" + std::to_string(s.port)};
  }
  auto& g = components_["gatekeeper"];
  g.program = "hookline-gatekeeper";
  g.port = test::closed_port();
  g.env = fast_failover;
  g.args = {"--instance-id", "e2e", "--metrics-listen", "127.0.0.1:" + std::to_string(g.port)};
}

E2eStack::~E2eStack() {
  for (auto& [name, c] : components_) {
    if (c.proc) c.proc->stop(10s);
  }
  {
    std::lock_guard lock(spawn_mu_);
    spawn_stop_ = true;
  }
  spawn_cv_.notify_all();
  spawner_.join();
}

void E2eStack::spawner() {
  std::unique_lock lock(spawn_mu_);
  for (;;) {
    spawn_cv_.wait(lock, [&] { return spawn_stop_ || !spawn_tasks_.empty(); });
    if (spawn_tasks_.empty()) return;
    auto task = std::move(spawn_tasks_.front());
    spawn_tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

std::unique_ptr<test::ChildProcess> E2eStack::spawn(const Component& c,
                                                    const std::map<std::string, std::string>& env) {
  std::promise<std::unique_ptr<test::ChildProcess>> made;
  auto result = made.get_future();
  {
    std::lock_guard lock(spawn_mu_);
    spawn_tasks_.push_back([&] {
      try {
        made.set_value(std::make_unique<test::ChildProcess>(test::bin(c.program), c.args, env));
      } catch (...) {
        made.set_exception(std::current_exception());
      }
    });
  }
  spawn_cv_.notify_all();
  return result.get();
}

std::map<std::string, std::string> E2eStack::env() const {
  auto e = ingest_.env();
  e["HOOKLINE_CONFIG"] = config_path_;
  e["HOOKLINE_TOPOLOGY_DIR"] = topology_dir_;
  e["HOOKLINE_LOG_LEVEL"] = "info";
  return e;
}

void E2eStack::enable_sending(const std::string& key, const std::string& secret,
                              const std::string& send) {
  auto e = env();
  e["HOOKLINE_E2E_SEND_SECRET"] = secret;
  auto r = test::run(
      test::bin("hookline"),
      {"connections", "set-send-secret", key, "--send-secret-env", "HOOKLINE_E2E_SEND_SECRET"}, e);
  if (r.exit_code != 0) throw std::runtime_error("set-send-secret " + key + ": " + r.err);
  const std::string with_base =
      R"({"base_url": ")" + sim_->url() + "\", " + send.substr(send.find('{') + 1);
  r = test::run(
      test::bin("hookline"),
      {"connections", "set-settings", key, "--settings", R"({"send": )" + with_base + "}"}, env());
  if (r.exit_code != 0) throw std::runtime_error("set-settings " + key + ": " + r.err);
}

E2eStack::Component& E2eStack::component(const std::string& name) {
  auto it = components_.find(name);
  if (it == components_.end()) throw std::runtime_error("no component " + name);
  return it->second;
}

void E2eStack::start_all() {
  for (const auto& name : components()) start(name);
}

void E2eStack::start(const std::string& name) {
  auto& c = component(name);
  if (c.proc && c.proc->running()) return;
  auto e = env();
  for (const auto& [k, v] : c.env) e[k] = v;
  auto proc = spawn(c, e);
  const std::regex ready(ready_pattern(name));
  const bool up = test::eventually(
      [&] { return std::regex_search(proc->out(), ready) || !proc->running(); }, 60s, 50ms);
  const bool alive = proc->running();
  std::string err = proc->err();
  {
    std::lock_guard lock(mu_);
    if (c.proc) c.past.push_back(std::move(c.proc));
    c.proc = std::move(proc);
  }
  if (!up || !alive) {
    throw std::runtime_error(
        name + " did not start: " + err.substr(err.size() > 2000 ? err.size() - 2000 : 0));
  }
}

void E2eStack::kill(const std::string& name) {
  auto& c = component(name);
  if (!c.proc) return;
  c.proc->signal(SIGKILL);
  c.proc->wait(10s);
}

bool E2eStack::running(const std::string& name) {
  auto& c = component(name);
  return c.proc && c.proc->running();
}

int E2eStack::pid(const std::string& name) {
  auto& c = component(name);
  return c.proc ? static_cast<int>(c.proc->pid()) : 0;
}

long E2eStack::rss_kib(const std::string& name) {
  if (!running(name)) return 0;
  std::ifstream f("/proc/" + std::to_string(pid(name)) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

std::string E2eStack::metrics(const std::string& name) {
  httplib::Client client("127.0.0.1", component(name).port);
  client.set_connection_timeout(2s);
  client.set_read_timeout(5s);
  auto res = client.Get("/metrics");
  return res && res->status == 200 ? res->body : std::string();
}

std::string E2eStack::output(const std::string& name) {
  auto& c = component(name);
  std::lock_guard lock(mu_);
  std::string all;
  for (const auto& p : c.past) all += p->out() + p->err();
  if (c.proc) all += c.proc->out() + c.proc->err();
  return all;
}

std::string E2eStack::log_tail(const std::string& name, std::size_t bytes) {
  auto& c = component(name);
  if (!c.proc) return "";
  const std::string err = c.proc->err();
  return err.substr(err.size() > bytes ? err.size() - bytes : 0);
}

std::string E2eStack::ingest_url(int i) const {
  return "http://127.0.0.1:" +
         std::to_string(components_.at("ingest-" + std::to_string(i + 1)).port);
}

void E2eStack::restart_postgres() {
  const std::string pg = test::source("scripts/pg.sh");
  const std::string before = read_file(options_.pg_dir + "/url");
  auto r = test::run(pg, {"stop", options_.pg_dir}, {}, 90s);
  if (r.exit_code != 0) throw std::runtime_error("cannot stop Postgres: " + r.err);
  std::this_thread::sleep_for(2s);  // down long enough for the components to notice
  r = test::run(pg, {"start", options_.pg_dir}, {}, 90s);
  if (r.exit_code != 0) throw std::runtime_error("cannot start Postgres again: " + r.err);
  const std::string after = read_file(options_.pg_dir + "/url");
  if (after != before) {
    throw std::runtime_error("Postgres came back on another address (" + after + ")");
  }
}

}  // namespace hookline::e2e
