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

struct Config {
  KafkaConfig kafka;
  DatabaseConfig database;
  log::Level log_level = log::Level::info;
  TopologyConfig topology;
  std::string source = "(defaults)";  // the file it came from, for messages
};

// Loads `path` (or HOOKLINE_CONFIG, or nothing) and applies `env`. Throws ConfigError.
Config load_config(const std::optional<std::string>& path, const Environment& env);

// Database URL with any password replaced by "***", safe to print.
std::string redact_url(const std::string& url);

}  // namespace hookline
