#include "core/config.h"

#include <charconv>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>

#include <librdkafka/rdkafka.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

extern char** environ;

namespace hookline {
namespace {

constexpr std::string_view kKafkaPrefix = "HOOKLINE_KAFKA_";

void parse_file(Config& cfg, const std::string& path) {
  rapidjson::Document doc = parse_json_file(path);
  ObjectReader root(doc, path, "");
  root.object("kafka", [&](ObjectReader& k) {
    cfg.kafka.bootstrap = k.string("bootstrap", cfg.kafka.bootstrap);
    cfg.kafka.timeout =
        std::chrono::milliseconds(k.integer("timeout_ms", cfg.kafka.timeout.count(), 100, 600000));
    for (auto& [name, value] : k.string_map("properties")) {
      if (name == "bootstrap.servers") {
        k.fail("properties.bootstrap.servers", "set kafka.bootstrap instead");
      }
      cfg.kafka.properties[name] = value;
      cfg.kafka.property_origin[name] = k.where("properties." + name);
    }
  });
  root.object("database", [&](ObjectReader& d) {
    cfg.database.url = d.string("url", cfg.database.url);
    cfg.database.connect_timeout = std::chrono::seconds(
        d.integer("connect_timeout_s", cfg.database.connect_timeout.count(), 1, 300));
  });
  root.object("log", [&](ObjectReader& l) {
    if (auto lvl = l.string("level")) {
      if (!log::parse_level(*lvl, cfg.log_level)) {
        l.fail("level", "must be one of debug, info, warn, error");
      }
    }
  });
  root.object("secrets", [&](ObjectReader& sc) {
    if (sc.has("key")) {
      sc.fail("key",
              "put the key in a file (secrets.key_file) or in HOOKLINE_SECRET_KEY, not in "
              "the config file");
    }
    cfg.secrets.key_file = sc.string("key_file", cfg.secrets.key_file);
  });
  root.object("topology",
              [&](ObjectReader& t) { cfg.topology.dir = t.string("dir", cfg.topology.dir); });
  for (const char* name : kComponentSections) {
    if (!doc.HasMember(name)) continue;
    root.object(name, [&](ObjectReader& section) { section.skip_rest(); });  // type-checks
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc[name].Accept(w);
    cfg.sections[name] = std::string(buf.GetString(), buf.GetSize());
  }
  root.finish();
}

std::string property_from_env_name(std::string_view suffix) {
  std::string out;
  out.reserve(suffix.size());
  for (char c : suffix) {
    out.push_back(c == '_' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

void apply_env(Config& cfg, const Environment& env) {
  for (const auto& [name, value] : env) {
    if (name == "HOOKLINE_KAFKA_BOOTSTRAP") {
      cfg.kafka.bootstrap = value;
    } else if (name.starts_with(kKafkaPrefix) && name.size() > kKafkaPrefix.size()) {
      std::string prop = property_from_env_name(std::string_view(name).substr(kKafkaPrefix.size()));
      cfg.kafka.properties[prop] = value;
      cfg.kafka.property_origin[prop] = "environment variable " + name;
    } else if (name == "HOOKLINE_DATABASE_URL") {
      cfg.database.url = value;
    } else if (name == "HOOKLINE_LOG_LEVEL") {
      if (!log::parse_level(value, cfg.log_level)) {
        throw ConfigError(
            "environment variable HOOKLINE_LOG_LEVEL: must be one of debug, info, "
            "warn, error");
      }
    } else if (name == "HOOKLINE_TOPOLOGY_DIR") {
      cfg.topology.dir = value;
    } else if (name == "HOOKLINE_SECRET_KEY") {
      cfg.secrets.key = value;
    } else if (name == "HOOKLINE_SECRET_KEY_FILE") {
      cfg.secrets.key_file = value;
    }
  }
}

// Every property must be one librdkafka knows, so a typo fails at start-up, not at first use.
void validate_kafka_properties(const KafkaConfig& k) {
  std::unique_ptr<rd_kafka_conf_t, decltype(&rd_kafka_conf_destroy)> conf(rd_kafka_conf_new(),
                                                                          &rd_kafka_conf_destroy);
  char err[512];
  for (const auto& [name, value] : k.properties) {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), err, sizeof err) !=
        RD_KAFKA_CONF_OK) {
      auto origin = k.property_origin.find(name);
      throw ConfigError((origin != k.property_origin.end() ? origin->second : "kafka property") +
                        ": librdkafka property '" + name + "': " + err);
    }
  }
  if (k.bootstrap.empty()) throw ConfigError("kafka.bootstrap must not be empty");
}

}  // namespace

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Config load_config(const std::optional<std::string>& path, const Environment& env) {
  Config cfg;
  std::optional<std::string> file = path;
  if (!file) {
    if (auto it = env.find("HOOKLINE_CONFIG"); it != env.end() && !it->second.empty()) {
      file = it->second;
    }
  }
  if (file) {
    parse_file(cfg, *file);
    cfg.source = *file;
  }
  apply_env(cfg, env);
  validate_kafka_properties(cfg.kafka);
  return cfg;
}

rapidjson::Document component_section(const Config& cfg, const std::string& name) {
  auto it = cfg.sections.find(name);
  return parse_json_text(it == cfg.sections.end() ? std::string_view("{}") : it->second,
                         cfg.source);
}

std::string SecretsConfig::load_key() const {
  std::string text = key;
  std::string origin = "HOOKLINE_SECRET_KEY";
  if (text.empty()) {
    if (key_file.empty()) {
      throw ConfigError(
          "no secret key configured: set HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE "
          "(base64 of 32 random bytes, e.g. `head -c32 /dev/urandom | base64`)");
    }
    origin = key_file;
    std::ifstream in(key_file, std::ios::binary);
    if (!in) throw ConfigError(key_file + ": cannot open secret key file");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.empty()) throw ConfigError(origin + ": the secret key is empty");
  return text;
}

std::string redact_url(const std::string& url) {
  std::string out = url;
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db (authority part only).
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    const size_t begin = scheme + 3;
    const size_t end = std::min(out.find_first_of("/?#", begin), out.size());
    const size_t at = out.rfind('@', end == 0 ? 0 : end - 1);
    if (at != std::string::npos && at >= begin && at < end) {
      const size_t colon = out.find(':', begin);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a query parameter (?password=, &password=) or a key=value word.
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const bool starts_word = p == 0 || out[p - 1] == '?' || out[p - 1] == '&' || out[p - 1] == ' ';
    if (!starts_word) continue;
    const size_t value = p + 9;
    const size_t stop = std::min(out.find_first_of("& ", value), out.size());
    out.replace(value, stop - value, "***");
  }
  return out;
}

ListenAddress parse_listen_address(const std::string& text, const std::string& origin,
                                   const std::string& what, const std::string& example) {
  const auto colon = text.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    auto [p, ec] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), port);
    if (ec != std::errc() || p != text.data() + text.size()) port = -1;
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    throw ConfigError(origin + ": " + what + " must be host:port (e.g. " + example + "), not '" +
                      text + "'");
  }
  ListenAddress out{text.substr(0, colon), port};
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  return out;
}

}  // namespace hookline
