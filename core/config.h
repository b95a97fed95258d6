#pragma once
// hookline's configuration: a JSON file (optional) plus environment overrides, parsed once at
// start-up into immutable structs. Unknown keys and wrong types fail fast with file and key.
//
// Environment overrides (they win over the file):
//   HOOKLINE_CONFIG             path of the config file when --config is not given
//   HOOKLINE_KAFKA_BOOTSTRAP    kafka.bootstrap (librdkafka bootstrap.servers)
//   HOOKLINE_KAFKA_<PROPERTY>   any librdkafka property, upper case, '.' written as '_'
//                               (HOOKLINE_KAFKA_SECURITY_PROTOCOL=SASL_SSL -> security.protocol)
//   HOOKLINE_DATABASE_URL       database.url (a libpq connection URI or key=value string)
//   HOOKLINE_LOG_LEVEL          log.level (debug, info, warn, error)
//   HOOKLINE_TOPOLOGY_DIR       topology.dir (folder holding topics.json and providers/)
//   HOOKLINE_SECRET_KEY         secrets.key: the key-encryption key (base64 of 32 bytes) that
//                               seals connection secrets in Postgres (AES-256-GCM)
//   HOOKLINE_SECRET_KEY_FILE    secrets.key_file: a file holding that key (base64)
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "core/json_reader.h"
#include "core/log.h"

namespace hookline {

using Environment = std::map<std::string, std::string>;

// The process environment as a map.
Environment process_environment();

inline constexpr const char* kDefaultBootstrap = "127.0.0.1:9092";
inline constexpr std::chrono::milliseconds kDefaultKafkaTimeout{10000};
inline constexpr std::chrono::seconds kDefaultDbConnectTimeout{5};
inline constexpr const char* kDefaultTopologyDir = "topology";

struct KafkaConfig {
  std::string bootstrap = kDefaultBootstrap;
  // Start-up and admin operations give up after this long (an unreachable broker is named).
  std::chrono::milliseconds timeout = kDefaultKafkaTimeout;
  // Extra librdkafka properties (validated against librdkafka at load).
  std::map<std::string, std::string> properties;
  // Where each property came from, for error messages ("config.json" or "HOOKLINE_KAFKA_X").
  std::map<std::string, std::string> property_origin;
};

struct DatabaseConfig {
  std::string url;  // empty: not configured
  std::chrono::seconds connect_timeout = kDefaultDbConnectTimeout;
};

struct TopologyConfig {
  std::string dir = kDefaultTopologyDir;
  std::string topics_file() const { return dir + "/topics.json"; }
};

// The key-encryption key for connection secrets at rest. Exactly one of key / key_file is
// used (key wins); components that need it fail at start-up when neither is set.
struct SecretsConfig {
  std::string key;       // base64 of 32 bytes; never logged
  std::string key_file;  // path of a file holding the base64 key
  bool configured() const { return !key.empty() || !key_file.empty(); }
  // The base64 key text (reads key_file); throws ConfigError naming the source.
  std::string load_key() const;
};

// Sections owned by one component ("ingest", "normalizer", "gatekeeper", "sender", and the
// CLI's "status"): kept as JSON text here and parsed strictly by the component
// (component_section()).
inline constexpr const char* kComponentSections[] = {"ingest", "normalizer", "gatekeeper", "sender",
                                                     "status"};

struct Config {
  KafkaConfig kafka;
  SecretsConfig secrets;
  std::map<std::string, std::string> sections;  // component name -> JSON object text
  DatabaseConfig database;
  log::Level log_level = log::Level::info;
  TopologyConfig topology;
  std::string source = "(defaults)";  // the file it came from, for messages
};

// Loads `path` (or HOOKLINE_CONFIG, or nothing) and applies `env`. Throws ConfigError.
Config load_config(const std::optional<std::string>& path, const Environment& env);

// The component's section as a document ("{}" when absent) for an ObjectReader with
// origin cfg.source and path `name`.
rapidjson::Document component_section(const Config& cfg, const std::string& name);

// Database URL with any password replaced by "***", safe to print.
std::string redact_url(const std::string& url);

// A listen address "host:port" ("[::1]:8080" too; port 0 picks a free one). Throws ConfigError
// "<origin>: <what> must be host:port (e.g. <example>), not '<text>'".
struct ListenAddress {
  std::string host;
  int port = 0;
};
ListenAddress parse_listen_address(const std::string& text, const std::string& origin,
                                   const std::string& what, const std::string& example);

}  // namespace hookline
