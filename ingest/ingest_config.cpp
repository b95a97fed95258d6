#include "ingest/ingest_config.h"

#include <charconv>

namespace hookline::ingest {
namespace {

void parse_listen(const std::string& text, IngestConfig& out, const std::string& origin) {
  ListenAddress a = parse_listen_address(text, origin, "listen address", "0.0.0.0:8080");
  out.host = std::move(a.host);
  out.port = a.port;
}

}  // namespace

IngestConfig load_ingest_config(const Config& cfg, const Environment& env, const ParsedArgs& args) {
  IngestConfig out;
  out.providers_dir = cfg.topology.dir + "/providers";
  auto doc = component_section(cfg, "ingest");
  ObjectReader r(doc, cfg.source, "ingest");
  if (auto listen = r.string("listen")) parse_listen(*listen, out, r.where("listen"));
  out.public_url = r.string("public_url", "");
  out.threads = static_cast<int>(r.integer("threads", out.threads, 2, 4096));
  out.ack_timeout = std::chrono::milliseconds(r.integer("ack_timeout_ms", 5000, 100, 120000));
  out.read_timeout = std::chrono::milliseconds(r.integer("read_timeout_ms", 5000, 100, 120000));
  out.write_timeout = std::chrono::milliseconds(r.integer("write_timeout_ms", 5000, 100, 120000));
  out.keep_alive_timeout = std::chrono::seconds(r.integer("keep_alive_timeout_s", 30, 1, 3600));
  out.retry_after_s = static_cast<int>(r.integer("retry_after_s", 5, 1, 3600));
  out.topic = r.string("topic", out.topic);
  out.providers_dir = r.string("providers_dir", out.providers_dir);
  out.registry_poll = std::chrono::seconds(r.integer("registry_poll_s", 30, 1, 3600));
  out.tls_cert_file = r.string("tls_cert_file", "");
  out.tls_key_file = r.string("tls_key_file", "");
  r.finish();

  if (auto it = env.find("HOOKLINE_INGEST_LISTEN"); it != env.end()) {
    parse_listen(it->second, out, "environment variable HOOKLINE_INGEST_LISTEN");
  }
  if (auto it = env.find("HOOKLINE_INGEST_PUBLIC_URL"); it != env.end())
    out.public_url = it->second;
  if (auto listen = args.get("listen")) parse_listen(*listen, out, "--listen");
  if (auto url = args.get("public-url")) out.public_url = *url;
  if (auto dir = args.get("providers")) out.providers_dir = *dir;

  while (!out.public_url.empty() && out.public_url.back() == '/') out.public_url.pop_back();
  if (!out.public_url.empty() && !out.public_url.starts_with("http://") &&
      !out.public_url.starts_with("https://")) {
    throw ConfigError("ingest.public_url must start with http:// or https://, not '" +
                      out.public_url + "'");
  }
  if (out.tls_cert_file.empty() != out.tls_key_file.empty()) {
    throw ConfigError(cfg.source + ": ingest.tls_cert_file and ingest.tls_key_file go together");
  }
  return out;
}

}  // namespace hookline::ingest
