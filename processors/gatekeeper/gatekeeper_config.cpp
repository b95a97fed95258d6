#include "processors/gatekeeper/gatekeeper_config.h"

#include <unistd.h>

#include "core/json_reader.h"

namespace hookline::gatekeeper {
namespace {

void parse_listen(const std::string& text, GatekeeperConfig& out, const std::string& origin) {
  ListenAddress a = parse_listen_address(text, origin, "metrics address", "0.0.0.0:9104");
  out.metrics_host = std::move(a.host);
  out.metrics_port = static_cast<std::uint16_t>(a.port);
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "gatekeeper";
  return buf;
}

}  // namespace

GatekeeperConfig load_gatekeeper_config(const Config& cfg, const Environment& env,
                                        const ParsedArgs& args) {
  GatekeeperConfig out;
  auto doc = component_section(cfg, "gatekeeper");
  ObjectReader r(doc, cfg.source, "gatekeeper");
  out.requests_topic = r.string("requests_topic", out.requests_topic);
  out.approved_topic = r.string("approved_topic", out.approved_topic);
  out.results_topic = r.string("results_topic", out.results_topic);
  out.dlq_topic = r.string("dlq_topic", out.dlq_topic);
  out.decisions_topic = r.string("decisions_topic", out.decisions_topic);
  out.approval_requests_topic = r.string("approval_requests_topic", out.approval_requests_topic);
  out.consent_topic = r.string("consent_topic", out.consent_topic);
  out.group_id = r.string("group_id", out.group_id);
  out.instance_id = r.string("instance_id", out.instance_id);
  out.batch_records = static_cast<std::size_t>(r.integer("batch_records", 500, 1, 100000));
  out.release_interval =
      std::chrono::milliseconds(r.integer("release_interval_ms", 200, 10, 60000));
  out.consent_cache_entries =
      static_cast<std::size_t>(r.integer("consent_cache_entries", 100000, 0, 100000000));
  out.consent_cache_ttl =
      std::chrono::milliseconds(r.integer("consent_cache_ttl_ms", 30000, 0, 3600000));
  out.outbox = r.boolean("outbox").value_or(out.outbox);
  out.outbox_batch = static_cast<std::size_t>(r.integer("outbox_batch", 500, 1, 10000));
  out.outbox_poll = std::chrono::milliseconds(r.integer("outbox_poll_ms", 200, 10, 60000));
  if (auto listen = r.string("metrics_listen")) {
    parse_listen(*listen, out, r.where("metrics_listen"));
  }
  r.finish();
  if (auto it = env.find("HOOKLINE_GATEKEEPER_METRICS_LISTEN"); it != env.end()) {
    parse_listen(it->second, out, "environment variable HOOKLINE_GATEKEEPER_METRICS_LISTEN");
  }
  if (auto listen = args.get("metrics-listen")) parse_listen(*listen, out, "--metrics-listen");
  if (auto id = args.get("instance-id")) out.instance_id = *id;
  if (out.instance_id.empty()) out.instance_id = host_name();
  return out;
}

}  // namespace hookline::gatekeeper
