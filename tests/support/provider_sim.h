#pragma once
// A private hookline-provider-sim for one test: started on 127.0.0.1:0 (its port read from
// --port-file), driven through its control API, stopped by pid at the end. See
// sinks/simulator/README.md for what the simulator answers.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace hookline::test {

// Selects requests; an empty field matches everything.
struct SimMatch {
  std::string provider;  // resend, sendgrid, twilio, whatsapp, slack, webhook
  std::string target;    // bearer token; twilio: AccountSid; webhook: the path
  std::string path_prefix;
};

struct SimRateLimit {
  SimMatch match;
  double rate_per_s = 1;
  double burst = 1;
  bool per_target = false;  // one bucket per target
};

struct SimFault {
  SimMatch match;
  // The answer's status; 0 closes the connection unanswered; nullopt answers normally after
  // delay_ms (a slow provider).
  std::optional<int> status = 503;
  int count = 1;  // -1: until reset
  int retry_after_s = 0;
  int delay_ms = 0;
  std::optional<std::string> body;  // nullopt: the provider's own error body
};

struct SimRequest {
  std::int64_t seq = 0;
  std::int64_t time_ms = 0;
  std::string provider;
  std::string method;
  std::string path;
  std::string target;
  std::map<std::string, std::string> headers;  // the recorded ones, lower-case names
  std::string body;
  int status = 0;  // 0: the connection was closed unanswered
  bool idempotent_replay = false;
  std::string message_id;
};

struct SimQuery {
  std::string provider;
  std::string target;
  std::string path_prefix;
  std::optional<int> status;
  std::int64_t since_seq = 0;
};

class ProviderSim {
 public:
  // Starts the simulator with `extra_args` appended and waits until it listens. Throws with
  // its stderr when it does not start.
  explicit ProviderSim(const std::vector<std::string>& extra_args = {});
  ~ProviderSim();
  ProviderSim(const ProviderSim&) = delete;
  ProviderSim& operator=(const ProviderSim&) = delete;

  int port() const { return port_; }
  const std::string& url() const { return url_; }  // http://127.0.0.1:<port>

  // Control API calls; each throws std::runtime_error unless the simulator answers 200.
  // The add_ calls return the rule's id.
  std::int64_t add_rate_limit(const SimRateLimit& rule);
  std::int64_t add_fault(const SimFault& fault);
  // Drops a pending fault before it is used up (DELETE /_sim/faults/{id}).
  void remove_fault(std::int64_t id);
  // Only these credentials authenticate with `provider` from now on (the bearer token; for
  // twilio the Basic password), on its send and check endpoints; others get the provider's
  // wrong-credential answer. An empty list accepts any non-empty credential again (the
  // default). reset() forgets them.
  void set_valid_credentials(const std::string& provider, const std::vector<std::string>& valid);
  std::vector<SimRequest> requests(const SimQuery& query = {});
  std::string stats_json();
  void reset();

  ChildProcess& process() { return *proc_; }

 private:
  std::string call(const std::string& method, const std::string& path,
                   const std::string& body = "");

  TempDir dir_;
  std::unique_ptr<ChildProcess> proc_;
  int port_ = 0;
  std::string url_;
};

}  // namespace hookline::test
