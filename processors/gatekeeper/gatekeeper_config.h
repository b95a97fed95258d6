#pragma once
// The gatekeeper's settings: the "gatekeeper" section of the config file, then environment,
// then flags. The rules themselves are data in topology/rules.json (rules/rules.h).
//
//   "gatekeeper": {
//     "requests_topic": "outbound.requests",   send requests from internal teams
//     "approved_topic": "outbound.approved",   requests that passed consent and approval
//     "results_topic": "outbound.results",     suppressed / denied / expired results
//     "dlq_topic": "outbound.dlq",             records that cannot be read
//     "decisions_topic": "approvals.decisions",
//     "approval_requests_topic": "approvals.requests",
//     "consent_topic": "consent.changes",
//     "group_id": "hookline-gatekeeper",       consumer group and transactional.id prefix
//     "instance_id": "",                       transactional.id suffix (default: the host name)
//     "batch_records": 500,                    records per transaction
//     "release_interval_ms": 200,              how often held messages and expiries are looked at
//     "consent_cache_entries": 100000, "consent_cache_ttl_ms": 30000,
//     "outbox": true,                          run the outbound_outbox relay
//     "outbox_batch": 500, "outbox_poll_ms": 200,
//     "metrics_listen": "0.0.0.0:9104"         HOOKLINE_GATEKEEPER_METRICS_LISTEN, --metrics-listen
//   }
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/cli_args.h"
#include "core/config.h"

namespace hookline::gatekeeper {

struct GatekeeperConfig {
  std::string requests_topic = "outbound.requests";
  std::string approved_topic = "outbound.approved";
  std::string results_topic = "outbound.results";
  std::string dlq_topic = "outbound.dlq";
  std::string decisions_topic = "approvals.decisions";
  std::string approval_requests_topic = "approvals.requests";
  std::string consent_topic = "consent.changes";
  std::string group_id = "hookline-gatekeeper";
  std::string instance_id;
  std::size_t batch_records = 500;
  std::chrono::milliseconds release_interval{200};
  std::size_t consent_cache_entries = 100000;
  std::chrono::milliseconds consent_cache_ttl{30000};
  bool outbox = true;
  std::size_t outbox_batch = 500;
  std::chrono::milliseconds outbox_poll{200};
  std::string metrics_host = "0.0.0.0";
  std::uint16_t metrics_port = 9104;
};

// Throws ConfigError / UsageError.
GatekeeperConfig load_gatekeeper_config(const Config& cfg, const Environment& env,
                                        const ParsedArgs& args);

}  // namespace hookline::gatekeeper
