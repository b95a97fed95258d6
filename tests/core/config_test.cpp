#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#include "core/config.h"
#include "core/files.h"
#include "tests/support/process.h"

using namespace hookline;

namespace {

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  write_file_atomic(dir.file(name), text);
  return dir.file(name);
}

// Asserts that loading throws ConfigError whose message contains every fragment.
void expect_error(const std::optional<std::string>& path, const Environment& env,
                  const std::vector<std::string>& fragments) {
  try {
    (void)load_config(path, env);
    BOOST_ERROR("expected a ConfigError");
  } catch (const ConfigError& e) {
    for (const auto& f : fragments) {
      BOOST_CHECK_MESSAGE(std::string(e.what()).find(f) != std::string::npos,
                          "'" << e.what() << "' does not contain '" << f << "'");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(defaults_without_file_or_env) {
  Config c = load_config(std::nullopt, {});
  BOOST_CHECK_EQUAL(c.kafka.bootstrap, kDefaultBootstrap);
  BOOST_CHECK(c.kafka.properties.empty());
  BOOST_CHECK(c.database.url.empty());
  BOOST_CHECK_EQUAL(c.topology.topics_file(), "topology/topics.json");
  BOOST_CHECK(c.log_level == log::Level::info);
}

BOOST_AUTO_TEST_CASE(full_file_is_read) {
  test::TempDir dir;
  auto path = write(dir, "c.json", R"({
    "kafka": {"bootstrap": "k1:9092,k2:9092", "timeout_ms": 2500,
              "properties": {"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN",
                             "linger.ms": 0, "enable.ssl.certificate.verification": false}},
    "database": {"url": "postgresql://u:pw@db/hookline", "connect_timeout_s": 3},
    "log": {"level": "debug"},
    "topology": {"dir": "/etc/hookline/topology"}
  })");
  Config c = load_config(path, {});
  BOOST_CHECK_EQUAL(c.kafka.bootstrap, "k1:9092,k2:9092");
  BOOST_CHECK_EQUAL(c.kafka.timeout.count(), 2500);
  BOOST_CHECK_EQUAL(c.kafka.properties.at("security.protocol"), "SASL_SSL");
  BOOST_CHECK_EQUAL(c.kafka.properties.at("linger.ms"), "0");
  BOOST_CHECK_EQUAL(c.kafka.properties.at("enable.ssl.certificate.verification"), "false");
  BOOST_CHECK_EQUAL(c.database.url, "postgresql://u:pw@db/hookline");
  BOOST_CHECK_EQUAL(c.database.connect_timeout.count(), 3);
  BOOST_CHECK(c.log_level == log::Level::debug);
  BOOST_CHECK_EQUAL(c.topology.topics_file(), "/etc/hookline/topology/topics.json");
  BOOST_CHECK_EQUAL(c.source, path);
}

BOOST_AUTO_TEST_CASE(env_overrides_win_over_the_file) {
  test::TempDir dir;
  auto path = write(dir, "c.json", R"({"kafka": {"bootstrap": "file:9092",
      "properties": {"client.rack": "a"}}, "database": {"url": "postgresql://file/db"}})");
  Environment env{{"HOOKLINE_KAFKA_BOOTSTRAP", "env:9092"},
                  {"HOOKLINE_KAFKA_CLIENT_RACK", "b"},
                  {"HOOKLINE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"},
                  {"HOOKLINE_KAFKA_SASL_MECHANISMS", "SCRAM-SHA-512"},
                  {"HOOKLINE_DATABASE_URL", "postgresql://env/db"},
                  {"HOOKLINE_LOG_LEVEL", "warn"},
                  {"HOOKLINE_TOPOLOGY_DIR", "/srv/topo"},
                  {"UNRELATED", "x"}};
  Config c = load_config(path, env);
  BOOST_CHECK_EQUAL(c.kafka.bootstrap, "env:9092");
  BOOST_CHECK_EQUAL(c.kafka.properties.at("client.rack"), "b");
  BOOST_CHECK_EQUAL(c.kafka.properties.at("security.protocol"), "SASL_SSL");
  BOOST_CHECK_EQUAL(c.kafka.properties.at("sasl.mechanisms"), "SCRAM-SHA-512");
  BOOST_CHECK_EQUAL(c.database.url, "postgresql://env/db");
  BOOST_CHECK(c.log_level == log::Level::warn);
  BOOST_CHECK_EQUAL(c.topology.dir, "/srv/topo");
}

BOOST_AUTO_TEST_CASE(config_path_from_env) {
  test::TempDir dir;
  auto path = write(dir, "c.json", R"({"kafka": {"bootstrap": "viaenv:1"}})");
  Config c = load_config(std::nullopt, {{"HOOKLINE_CONFIG", path}});
  BOOST_CHECK_EQUAL(c.kafka.bootstrap, "viaenv:1");
}

BOOST_AUTO_TEST_CASE(missing_file_names_the_file) {
  expect_error(std::string("/nonexistent/hookline.json"), {},
               {"/nonexistent/hookline.json", "cannot open"});
}

BOOST_AUTO_TEST_CASE(bad_json_names_file_line_and_column) {
  test::TempDir dir;
  auto path = write(dir, "bad.json", "{\n  \"kafka\": {\"bootstrap\": \"x\",}\n}");
  expect_error(path, {}, {path + ":2:", "invalid JSON"});
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_named_with_their_path) {
  test::TempDir dir;
  auto top = write(dir, "top.json", R"({"kafak": {}})");
  expect_error(top, {}, {top, "'kafak'", "unknown key"});
  auto nested = write(dir, "nested.json", R"({"kafka": {"bootstrapp": "x"}})");
  expect_error(nested, {}, {nested, "'kafka.bootstrapp'", "unknown key"});
}

BOOST_AUTO_TEST_CASE(wrong_types_and_ranges_are_named) {
  test::TempDir dir;
  auto t1 = write(dir, "t1.json", R"({"kafka": {"timeout_ms": "10"}})");
  expect_error(t1, {}, {"'kafka.timeout_ms'", "must be an integer"});
  auto t2 = write(dir, "t2.json", R"({"kafka": {"timeout_ms": 1}})");
  expect_error(t2, {}, {"'kafka.timeout_ms'", "between"});
  auto t3 = write(dir, "t3.json", R"({"kafka": []})");
  expect_error(t3, {}, {t3, "kafka must be a JSON object"});
  auto t4 = write(dir, "t4.json", R"({"log": {"level": "loud"}})");
  expect_error(t4, {}, {"'log.level'", "debug, info, warn, error"});
  auto t5 = write(dir, "t5.json", R"({"kafka": {"properties": {"bootstrap.servers": "x"}}})");
  expect_error(t5, {}, {"kafka.bootstrap"});
}

BOOST_AUTO_TEST_CASE(unknown_librdkafka_properties_fail_fast_with_origin) {
  expect_error(std::nullopt, {{"HOOKLINE_KAFKA_NOT_A_PROPERTY", "1"}},
               {"HOOKLINE_KAFKA_NOT_A_PROPERTY", "not.a.property"});
  test::TempDir dir;
  auto path = write(dir, "p.json", R"({"kafka": {"properties": {"linger.ms": "soon"}}})");
  expect_error(path, {}, {path, "kafka.properties.linger.ms", "linger.ms"});
  expect_error(std::nullopt, {{"HOOKLINE_LOG_LEVEL", "chatty"}}, {"HOOKLINE_LOG_LEVEL"});
}

BOOST_AUTO_TEST_CASE(redact_url_hides_passwords) {
  BOOST_CHECK_EQUAL(redact_url("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  BOOST_CHECK_EQUAL(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  BOOST_CHECK_EQUAL(redact_url("host=h password=secret dbname=x"), "host=h password=*** dbname=x");
  BOOST_CHECK_EQUAL(redact_url("postgresql://h/db?user=a@b&password=s3&sslmode=require"),
                    "postgresql://h/db?user=a@b&password=***&sslmode=require");
  BOOST_CHECK_EQUAL(redact_url("postgresql://u:p@h/db?password=x"),
                    "postgresql://u:***@h/db?password=***");
}

BOOST_AUTO_TEST_CASE(component_sections_are_kept_for_their_component) {
  test::TempDir dir;
  auto path = write(dir, "c.json", R"({"ingest": {"listen": "0.0.0.0:9000"}, "sender": {}})");
  Config c = load_config(path, {});
  BOOST_REQUIRE(c.sections.contains("ingest"));
  auto doc = component_section(c, "ingest");
  BOOST_CHECK_EQUAL(std::string(doc["listen"].GetString()), "0.0.0.0:9000");
  BOOST_CHECK(component_section(c, "normalizer").IsObject());
  auto bad = write(dir, "bad.json", R"({"ingest": []})");
  expect_error(bad, {}, {"ingest must be a JSON object"});
  auto secret = write(dir, "s.json", R"({"secrets": {"key": "abc"}})");
  expect_error(secret, {}, {"'secrets.key'", "not in the config file"});
}

BOOST_AUTO_TEST_CASE(secret_key_from_env_or_file) {
  test::TempDir dir;
  auto key_file = write(dir, "kek", "c2VjcmV0LWtleS1mb3ItdGVzdHMtMzItYnl0ZXMhISE=\n");
  Config c = load_config(std::nullopt, {{"HOOKLINE_SECRET_KEY_FILE", key_file}});
  BOOST_CHECK_EQUAL(c.secrets.load_key(), "c2VjcmV0LWtleS1mb3ItdGVzdHMtMzItYnl0ZXMhISE=");
  Config none = load_config(std::nullopt, {});
  BOOST_CHECK_THROW((void)none.secrets.load_key(), ConfigError);
  Config missing = load_config(std::nullopt, {{"HOOKLINE_SECRET_KEY_FILE", "/nonexistent/kek"}});
  BOOST_CHECK_THROW((void)missing.secrets.load_key(), ConfigError);
}
