#include "ctl/status/component_settings.h"

#include <algorithm>

#include "core/cli_args.h"
#include "core/json_reader.h"
#include "processors/gatekeeper/gatekeeper_config.h"
#include "processors/normalizer/normalizer_config.h"
#include "sinks/sender/sender_config.h"

namespace hookline::ctl::status {
namespace {

constexpr const char* kMetricsPath = "/metrics";

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

std::vector<Endpoint> list_or_throw(const std::string& text, const std::string& origin) {
  auto parsed = parse_endpoint_list(text, origin);
  if (!parsed) throw ConfigError(parsed.error().message);
  return std::move(parsed).value();
}

// "status": {"endpoints": {"sender": "URL[,URL]", ...}}
EndpointLayer config_layer(const Config& cfg) {
  EndpointLayer layer{cfg.source + " status.endpoints", {}};
  auto doc = component_section(cfg, "status");
  ObjectReader r(doc, cfg.source, "status");
  for (const auto& [name, urls] : r.string_map("endpoints")) {
    std::string list;
    for (std::size_t from = 0; from <= urls.size();) {
      const auto comma = std::min(urls.find(',', from), urls.size());
      list += (list.empty() ? "" : ",") + name + "=" + urls.substr(from, comma - from);
      from = comma + 1;
    }
    for (auto& e : list_or_throw(list, layer.origin)) layer.endpoints.push_back(std::move(e));
  }
  r.finish();
  return layer;
}

// Whether the listen address was set (file or environment) rather than left at its default:
// a default address says nothing about where a component runs.
std::string configured_origin(const Config& cfg, const Environment& env, const char* section,
                              const char* key, const char* env_name) {
  if (env.contains(env_name)) return std::string("environment variable ") + env_name;
  auto doc = component_section(cfg, section);
  if (doc.IsObject() && doc.HasMember(key)) return cfg.source + " " + section + "." + key;
  return "";
}

void add_listen(EndpointLayer& layer, const std::string& component, const std::string& origin,
                const std::string& host, int port) {
  if (origin.empty() || port <= 0) return;  // port 0: picked at start, not knowable here
  layer.endpoints.push_back({component, url_for_listen(host, port, kMetricsPath)});
}

EndpointLayer listen_layer(const Config& cfg, const Environment& env,
                           const normalizer::NormalizerConfig& n,
                           const gatekeeper::GatekeeperConfig& g, const sender::SenderConfig& s) {
  EndpointLayer layer{"the components' configured listen addresses", {}};
  // The ingest serves /metrics on its webhook address (ingest/ingest_config.h).
  const std::string ingest_origin =
      configured_origin(cfg, env, "ingest", "listen", "HOOKLINE_INGEST_LISTEN");
  if (!ingest_origin.empty()) {
    std::string text;
    if (auto it = env.find("HOOKLINE_INGEST_LISTEN"); it != env.end()) {
      text = it->second;
    } else {
      const auto doc = component_section(cfg, "ingest");
      if (auto m = doc.FindMember("listen"); m != doc.MemberEnd() && m->value.IsString()) {
        text = m->value.GetString();
      }
    }
    if (!text.empty()) {
      ListenAddress a = parse_listen_address(text, ingest_origin, "listen address", "0.0.0.0:8080");
      add_listen(layer, "ingest", ingest_origin, a.host, a.port);
    }
  }
  add_listen(layer, "normalizer",
             configured_origin(cfg, env, "normalizer", "metrics_listen",
                               "HOOKLINE_NORMALIZER_METRICS_LISTEN"),
             n.metrics_host, n.metrics_port);
  add_listen(layer, "gatekeeper",
             configured_origin(cfg, env, "gatekeeper", "metrics_listen",
                               "HOOKLINE_GATEKEEPER_METRICS_LISTEN"),
             g.metrics_host, g.metrics_port);
  add_listen(
      layer, "sender",
      configured_origin(cfg, env, "sender", "metrics_listen", "HOOKLINE_SENDER_METRICS_LISTEN"),
      s.metrics_host, s.metrics_port);
  return layer;
}

}  // namespace

std::string replay_group(const std::string& topic) {
  return "hookline-dlq-replay." + topic;
}

StatusSettings load_status_settings(const Config& cfg, const Environment& env,
                                    const Topology& topology,
                                    const std::optional<std::string>& endpoints_flag) {
  const ParsedArgs no_flags;
  const auto n = normalizer::load_normalizer_config(cfg, env, no_flags);
  const auto g = gatekeeper::load_gatekeeper_config(cfg, env, no_flags);
  const auto s = sender::load_sender_config(cfg, env, no_flags);

  StatusSettings out;
  out.normalizer = {"normalizer", n.group_id, {n.input_topic}};
  out.gatekeeper = {"gatekeeper", g.group_id, {}};
  add_unique(out.gatekeeper.topics, g.requests_topic);
  add_unique(out.gatekeeper.topics, g.decisions_topic);
  add_unique(out.gatekeeper.topics, g.consent_topic);
  out.sender = {"sender", s.group_id, {}};
  add_unique(out.sender.topics, s.input_topic);
  for (const auto& tier : topology.retry_tiers) add_unique(out.sender.topics, tier.topic);
  add_unique(out.sender.topics, s.approvals_topic);
  add_unique(out.dlq_topics, n.dlq_topic);
  add_unique(out.dlq_topics, s.dlq_topic);
  add_unique(out.dlq_topics, g.dlq_topic);

  if (endpoints_flag) {
    auto parsed = parse_endpoint_list(*endpoints_flag, "--endpoints");
    if (!parsed) throw UsageError("hookline status: " + parsed.error().message);
    out.endpoint_layers.push_back({"--endpoints", std::move(parsed).value()});
  }
  if (auto it = env.find(kEndpointsEnv); it != env.end()) {
    const std::string origin = std::string("environment variable ") + kEndpointsEnv;
    out.endpoint_layers.push_back({origin, list_or_throw(it->second, origin)});
  }
  out.endpoint_layers.push_back(config_layer(cfg));
  out.endpoint_layers.push_back(listen_layer(cfg, env, n, g, s));
  return out;
}

}  // namespace hookline::ctl::status
