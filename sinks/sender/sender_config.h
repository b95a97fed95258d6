#pragma once
// The sender's settings: the "sender" section of the config file, then environment, then
// flags.
//
//   "sender": {
//     "input_topic": "outbound.approved",      (outbound.requests: no gatekeeper, for tests)
//     "approvals_topic": "approvals.requests",  approval requests posted to Slack ("" none)
//     "results_topic": "outbound.results", "dlq_topic": "outbound.dlq",
//     "group_id": "hookline-sender",
//     "workers": 32,                            concurrent provider calls
//     "queue_capacity": 1000,                   requests waiting per connection
//     "max_in_flight_per_connection": 16,
//     "commit_interval_ms": 500,
//     "ledger_connections": 4,                  Postgres connections of the sent-ledger
//     "breaker_failures": 5, "breaker_open_s": 60,
//     "max_attempts": 8, "max_attempts_by_provider": {"twilio": 5},
//     "ca_file": "",                            extra CA bundle for provider HTTPS
//     "consent_recheck": true,                  check consent again just before each send
//     "metrics_listen": "0.0.0.0:9103"          HOOKLINE_SENDER_METRICS_LISTEN, --metrics-listen
//   }
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/cli_args.h"
#include "core/config.h"

namespace hookline::sender {

struct SenderConfig {
  std::string input_topic = "outbound.approved";
  std::string approvals_topic = "approvals.requests";  // "" disables approval requests
  std::string results_topic = "outbound.results";
  std::string dlq_topic = "outbound.dlq";
  std::string group_id = "hookline-sender";
  std::size_t workers = 32;
  std::size_t queue_capacity = 1000;
  std::size_t max_in_flight_per_connection = 16;
  std::chrono::milliseconds commit_interval{500};
  std::size_t ledger_connections = 4;
  int breaker_failures = 5;
  std::chrono::seconds breaker_open{60};
  int max_attempts = 8;
  std::map<std::string, int, std::less<>> max_attempts_by_provider;
  std::string ca_file;
  bool consent_recheck = true;
  std::string metrics_host = "0.0.0.0";
  std::uint16_t metrics_port = 9103;

  int attempts_for(std::string_view provider) const {
    auto it = max_attempts_by_provider.find(provider);
    return it == max_attempts_by_provider.end() ? max_attempts : it->second;
  }
};

// Throws ConfigError / UsageError.
SenderConfig load_sender_config(const Config& cfg, const Environment& env, const ParsedArgs& args);

}  // namespace hookline::sender
