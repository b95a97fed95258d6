#pragma once
// The whole pipeline for the end-to-end run: a 3-broker dev broker, a database on the e2e
// Postgres (restartable: scripts/pg.sh on its folder), ingest x2, normalizer x2, gatekeeper,
// sender x2 and the provider simulator, each on a fixed port so a killed component comes back
// where the load expects it. Every process's output is kept (across restarts) for the PII scan.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/ingest_stack.h"
#include "tests/support/process.h"
#include "tests/support/provider_sim.h"

namespace hookline::e2e {

struct StackOptions {
  std::string pg_dir;                  // the Postgres cluster folder (scripts/pg.sh), for restarts
  int normalizer_batch_records = 200;  // records per normalizer transaction
  int failing_max_attempts = 3;        // attempts of the failing connection before the DLQ
};

class E2eStack {
 public:
  explicit E2eStack(const StackOptions& options);
  ~E2eStack();
  E2eStack(const E2eStack&) = delete;
  E2eStack& operator=(const E2eStack&) = delete;

  // Component names: ingest-1, ingest-2, normalizer-1, normalizer-2, gatekeeper, sender-1,
  // sender-2.
  static const std::vector<std::string>& components();
  void start_all();
  // Starts the component and waits until it serves (throws with its stderr when it does not).
  void start(const std::string& name);
  // SIGKILL and reap; its output is kept.
  void kill(const std::string& name);
  bool running(const std::string& name);
  int pid(const std::string& name);
  // Resident memory in KiB (0 when not running).
  long rss_kib(const std::string& name);
  // The component's /metrics text ("" when unreachable).
  std::string metrics(const std::string& name);
  // Every byte every process of the component wrote (stdout and stderr), all restarts.
  std::string output(const std::string& name);
  // The end of the component's current stderr.
  std::string log_tail(const std::string& name, std::size_t bytes = 3000);

  std::string ingest_url(int i) const;  // i = 0, 1
  test::ProviderSim& sim() { return *sim_; }
  test::DevBroker& broker() { return ingest_.broker(); }
  test::TestSecrets secrets_for(const std::string& provider) const {
    return ingest_.secrets_for(provider);
  }
  std::map<std::string, std::string> env() const;
  // Stops and starts the Postgres cluster (same port); throws when it does not come back.
  void restart_postgres();
  const StackOptions& options() const { return options_; }

 private:
  struct Component {
    std::string program;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    int port = 0;  // the port it listens or serves metrics on
    std::unique_ptr<test::ChildProcess> proc;
    std::vector<std::unique_ptr<test::ChildProcess>> past;  // killed or stopped runs
  };
  Component& component(const std::string& name);
  // Children get SIGTERM when the thread that forked them ends (PR_SET_PDEATHSIG), so every
  // component is forked by one thread that lives as long as the stack.
  std::unique_ptr<test::ChildProcess> spawn(const Component& c,
                                            const std::map<std::string, std::string>& env);
  void spawner();
  void enable_sending(const std::string& key, const std::string& secret, const std::string& send);

  StackOptions options_;
  test::TempDir dir_;
  test::IngestStack ingest_;
  std::unique_ptr<test::ProviderSim> sim_;
  std::string config_path_;
  std::string topology_dir_;
  std::mutex mu_;
  std::map<std::string, Component> components_;
  std::mutex spawn_mu_;
  std::condition_variable spawn_cv_;
  std::deque<std::function<void()>> spawn_tasks_;
  bool spawn_stop_ = false;
  std::thread spawner_;
};

}  // namespace hookline::e2e
