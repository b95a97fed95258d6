#include "sinks/sender/sender_config.h"

#include <charconv>

#include "core/json_reader.h"

namespace hookline::sender {
namespace {

void parse_listen(const std::string& text, SenderConfig& out, const std::string& origin) {
  ListenAddress a = parse_listen_address(text, origin, "metrics address", "0.0.0.0:9103");
  out.metrics_host = std::move(a.host);
  out.metrics_port = static_cast<std::uint16_t>(a.port);
}

}  // namespace

SenderConfig load_sender_config(const Config& cfg, const Environment& env, const ParsedArgs& args) {
  SenderConfig out;
  auto doc = component_section(cfg, "sender");
  ObjectReader r(doc, cfg.source, "sender");
  out.input_topic = r.string("input_topic", out.input_topic);
  out.approvals_topic = r.string("approvals_topic", out.approvals_topic);
  out.results_topic = r.string("results_topic", out.results_topic);
  out.dlq_topic = r.string("dlq_topic", out.dlq_topic);
  out.group_id = r.string("group_id", out.group_id);
  out.workers = static_cast<std::size_t>(r.integer("workers", 32, 1, 1024));
  out.queue_capacity = static_cast<std::size_t>(r.integer("queue_capacity", 1000, 1, 1000000));
  out.max_in_flight_per_connection =
      static_cast<std::size_t>(r.integer("max_in_flight_per_connection", 16, 1, 1024));
  out.commit_interval = std::chrono::milliseconds(r.integer("commit_interval_ms", 500, 10, 60000));
  out.ledger_connections = static_cast<std::size_t>(r.integer("ledger_connections", 4, 1, 64));
  out.breaker_failures = static_cast<int>(r.integer("breaker_failures", 5, 1, 1000));
  out.breaker_open = std::chrono::seconds(r.integer("breaker_open_s", 60, 1, 3600));
  out.max_attempts = static_cast<int>(r.integer("max_attempts", 8, 1, 100));
  for (const auto& [provider, text] : r.string_map("max_attempts_by_provider")) {
    int n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || p != text.data() + text.size() || n < 1 || n > 100) {
      r.fail("max_attempts_by_provider",
             "values must be whole numbers from 1 to 100 ('" + provider + "' has '" + text + "')");
    }
    out.max_attempts_by_provider[provider] = n;
  }
  out.ca_file = r.string("ca_file", out.ca_file);
  out.consent_recheck = r.boolean("consent_recheck").value_or(out.consent_recheck);
  if (auto listen = r.string("metrics_listen")) {
    parse_listen(*listen, out, r.where("metrics_listen"));
  }
  if (!out.approvals_topic.empty() && out.approvals_topic == out.input_topic) {
    r.fail("approvals_topic", "must not be the input topic ('" + out.input_topic + "')");
  }
  r.finish();
  if (auto it = env.find("HOOKLINE_SENDER_METRICS_LISTEN"); it != env.end()) {
    parse_listen(it->second, out, "environment variable HOOKLINE_SENDER_METRICS_LISTEN");
  }
  if (auto listen = args.get("metrics-listen")) parse_listen(*listen, out, "--metrics-listen");
  return out;
}

}  // namespace hookline::sender
