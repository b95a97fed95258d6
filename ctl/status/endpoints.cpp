#include "ctl/status/endpoints.h"

#include <algorithm>
#include <charconv>

namespace hookline::ctl::status {
namespace {

constexpr std::string_view kDefaultPath = "/metrics";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error bad(const std::string& message) {
  Error e;
  e.kind = ErrorKind::permanent;
  e.message = message;
  return e;
}

bool known_component(std::string_view name) {
  return std::any_of(std::begin(kComponents), std::end(kComponents),
                     [&](const char* c) { return name == c; });
}

bool valid_port(std::string_view text) {
  int port = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && p == text.data() + text.size() && port > 0 && port <= 65535;
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

// host:port or [v6]:port.
bool valid_authority(std::string_view a) {
  std::string_view host, port;
  if (!a.empty() && a.front() == '[') {
    const auto close = a.find(']');
    if (close == std::string_view::npos || close + 1 >= a.size() || a[close + 1] != ':') {
      return false;
    }
    host = a.substr(1, close - 1);
    port = a.substr(close + 2);
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != host.npos) {
      return false;
    }
  } else {
    const auto colon = a.rfind(':');
    if (colon == std::string_view::npos) return false;
    host = a.substr(0, colon);
    port = a.substr(colon + 1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), host_char)) return false;
  }
  return valid_port(port);
}

}  // namespace

Result<EndpointUrl> parse_endpoint_url(std::string_view text) {
  const std::string shown(text);
  std::string_view rest = text;
  std::string scheme = "http";
  if (auto sep = rest.find("://"); sep != std::string_view::npos) {
    scheme = std::string(rest.substr(0, sep));
    rest.remove_prefix(sep + 3);
    if (scheme != "http" && scheme != "https") {
      return bad("endpoint '" + shown + "': only http:// and https:// URLs are probed");
    }
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? kDefaultPath : rest.substr(slash);
  if (path == "/") path = kDefaultPath;
  if (!valid_authority(authority)) {
    return bad("endpoint '" + shown + "' must be http://host:port[/path] or host:port");
  }
  for (char c : path) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return bad("endpoint '" + shown + "': the path has a blank or a control character");
    }
  }
  return EndpointUrl{scheme + "://" + std::string(authority), std::string(path)};
}

Result<std::vector<Endpoint>> parse_endpoint_list(std::string_view text,
                                                  const std::string& origin) {
  std::vector<Endpoint> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      return bad(origin + ": '" + std::string(item) +
                 "' must be NAME=URL (NAME: ingest, normalizer, gatekeeper or sender)");
    }
    const std::string name(trim(item.substr(0, eq)));
    const std::string_view url = trim(item.substr(eq + 1));
    if (!known_component(name)) {
      return bad(origin + ": unknown component '" + name +
                 "' (ingest, normalizer, gatekeeper or sender)");
    }
    if (url == "none") {
      out.push_back({name, ""});
      continue;
    }
    auto parsed = parse_endpoint_url(url);
    if (!parsed) return bad(origin + ": " + parsed.error().message);
    out.push_back({name, parsed->scheme_host_port + parsed->path});
  }
  return out;
}

std::string url_for_listen(const std::string& host, int port, const std::string& path) {
  std::string h = host;
  if (h.empty() || h == "0.0.0.0") h = "127.0.0.1";
  if (h == "::") h = "::1";
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return "http://" + h + ":" + std::to_string(port) + path;
}

std::vector<ComponentPlan> resolve_endpoints(const std::vector<EndpointLayer>& layers) {
  std::vector<ComponentPlan> out;
  for (const char* component : kComponents) {
    ComponentPlan plan;
    plan.component = component;
    for (const auto& layer : layers) {
      bool named = false;
      for (const auto& e : layer.endpoints) {
        if (e.component != component) continue;
        named = true;
        if (!e.url.empty() &&
            std::find(plan.urls.begin(), plan.urls.end(), e.url) == plan.urls.end()) {
          plan.urls.push_back(e.url);
        }
      }
      if (named) {
        plan.origin = layer.origin;
        break;
      }
    }
    out.push_back(std::move(plan));
  }
  return out;
}

}  // namespace hookline::ctl::status
