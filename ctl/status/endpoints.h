#pragma once
// Which metrics endpoints `hookline status` probes, per component (ingest, normalizer,
// gatekeeper, sender). Lists are "NAME=URL,NAME=URL,..." (a name may repeat: one URL per
// instance); URL is http[s]://host:port[/path] or host:port (path /metrics), or "none" to probe
// nothing for that component. Sources, first that names a component wins for it:
//   --endpoints LIST, HOOKLINE_STATUS_ENDPOINTS=LIST, the config file's
//   "status": {"endpoints": {"sender": "URL[,URL]"}}, the components' own listen settings.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hookline::ctl::status {

inline constexpr const char* kComponents[] = {"ingest", "normalizer", "gatekeeper", "sender"};
inline constexpr const char* kEndpointsEnv = "HOOKLINE_STATUS_ENDPOINTS";

struct Endpoint {
  std::string component;
  std::string url;  // normalized: scheme://host:port/path; "" for "none"
};

// One source of endpoints, e.g. {"--endpoints", [...]}.
struct EndpointLayer {
  std::string origin;
  std::vector<Endpoint> endpoints;
};

struct EndpointUrl {
  std::string scheme_host_port;  // http://127.0.0.1:9103
  std::string path;              // /metrics
};

// Splits a URL; a bare host:port becomes http://host:port/metrics. Errors name the text.
Result<EndpointUrl> parse_endpoint_url(std::string_view text);

// Parses "NAME=URL,..." (blanks around items ignored). `origin` starts error messages.
Result<std::vector<Endpoint>> parse_endpoint_list(std::string_view text, const std::string& origin);

// The URL for a listen address host:port (0.0.0.0 / :: become the loopback address).
std::string url_for_listen(const std::string& host, int port, const std::string& path);

struct ComponentPlan {
  std::string component;
  std::string origin;             // the layer that named it; "" when none did
  std::vector<std::string> urls;  // empty: nothing to probe
};

// One plan per component in kComponents order.
std::vector<ComponentPlan> resolve_endpoints(const std::vector<EndpointLayer>& layers);

}  // namespace hookline::ctl::status
