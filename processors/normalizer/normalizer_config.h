#pragma once
// The normalizer's settings: the "normalizer" section of the config file, then environment,
// then flags.
//
//   "normalizer": {
//     "input_topic": "webhooks.raw", "dlq_topic": "webhooks.dlq",
//     "group_id": "hookline-normalizer",        (changelog: "<group_id>.dedup-changelog")
//     "instance_id": "<hostname>",              HOOKLINE_NORMALIZER_INSTANCE_ID, --instance-id
//     "dedup_window_s": 86400, "dedup_window_s_by_provider": {"stripe": 259200},
//     "batch_records": 5000, "batch_interval_ms": 100,
//     "commit_timeout_ms": 30000, "restore_timeout_ms": 300000,
//     "metrics_listen": "0.0.0.0:9102",        HOOKLINE_NORMALIZER_METRICS_LISTEN, --metrics-listen
//     "providers_dir": "<topology.dir>/providers"
//   }
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/cli_args.h"
#include "core/config.h"

namespace hookline::normalizer {

struct NormalizerConfig {
  std::string input_topic = "webhooks.raw";
  std::string dlq_topic = "webhooks.dlq";
  std::string group_id = "hookline-normalizer";
  std::string changelog_topic;  // "<group_id>.dedup-changelog"
  // The transactional.id is "<group_id>-<instance_id>": stable across restarts of one
  // instance, so a restarted instance fences and aborts its predecessor's open transaction.
  // Two instances running at once must have different ids.
  std::string instance_id;
  std::chrono::milliseconds dedup_window{std::chrono::hours(24)};
  std::map<std::string, std::chrono::milliseconds, std::less<>> provider_windows;
  std::size_t batch_records = 5000;
  std::chrono::milliseconds batch_interval{100};
  std::chrono::milliseconds commit_timeout{30000};
  std::chrono::milliseconds restore_timeout{300000};
  std::string metrics_host = "0.0.0.0";
  std::uint16_t metrics_port = 9102;
  std::string providers_dir;

  std::chrono::milliseconds window_for(std::string_view provider) const {
    auto it = provider_windows.find(provider);
    return it == provider_windows.end() ? dedup_window : it->second;
  }
  std::string transactional_id() const { return group_id + "-" + instance_id; }
};

// Throws ConfigError / UsageError.
NormalizerConfig load_normalizer_config(const Config& cfg, const Environment& env,
                                        const ParsedArgs& args);

}  // namespace hookline::normalizer
