#pragma once
// The ingest's settings: the "ingest" section of the config file, then environment, then flags.
//
//   "ingest": {
//     "listen": "0.0.0.0:8080",              HOOKLINE_INGEST_LISTEN, --listen
//     "public_url": "https://hooks.example.com",  HOOKLINE_INGEST_PUBLIC_URL, --public-url
//     "threads": 64, "ack_timeout_ms": 5000, "read_timeout_ms": 5000, "write_timeout_ms": 5000,
//     "keep_alive_timeout_s": 30, "retry_after_s": 5, "topic": "webhooks.raw",
//     "providers_dir": "<topology.dir>/providers", "registry_poll_s": 30,
//     "tls_cert_file": "", "tls_key_file": ""
//   }
#include <chrono>
#include <string>

#include "core/cli_args.h"
#include "core/config.h"

namespace hookline::ingest {

struct IngestConfig {
  std::string host = "0.0.0.0";
  int port = 8080;
  // The base URL providers call (scheme://host[:port]), used for Twilio's URL-signing scheme.
  // Behind a proxy this is the proxy's public address. Default: http://<listen address>.
  std::string public_url;
  // cpp-httplib serves one keep-alive connection per thread: size above the expected number
  // of concurrent provider connections (DESIGN.md performance facts).
  int threads = 64;
  std::chrono::milliseconds ack_timeout{5000};
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds write_timeout{5000};
  std::chrono::seconds keep_alive_timeout{30};
  int retry_after_s = 5;
  std::string topic = "webhooks.raw";
  std::string providers_dir;
  std::chrono::seconds registry_poll{30};
  std::string tls_cert_file;
  std::string tls_key_file;
};

// Throws ConfigError / UsageError.
IngestConfig load_ingest_config(const Config& cfg, const Environment& env, const ParsedArgs& args);

}  // namespace hookline::ingest
