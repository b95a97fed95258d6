#define BOOST_TEST_MODULE normalizer_config
#include <boost/test/unit_test.hpp>

#include "core/files.h"
#include "processors/normalizer/normalizer_config.h"
#include "tests/support/process.h"

using namespace hookline;
using normalizer::load_normalizer_config;
using normalizer::NormalizerConfig;

namespace {

NormalizerConfig load(const std::string& section, const Environment& env = {},
                      const ParsedArgs& args = {}) {
  test::TempDir dir;
  write_file_atomic(dir.file("c.json"), R"({"normalizer": )" + section + "}");
  Config cfg = load_config(dir.file("c.json"), {});
  return load_normalizer_config(cfg, env, args);
}

void expect_error(const std::string& section, const std::string& fragment,
                  const Environment& env = {}) {
  try {
    (void)load(section, env);
    BOOST_ERROR("expected a ConfigError for " << section);
  } catch (const ConfigError& e) {
    BOOST_CHECK_MESSAGE(std::string(e.what()).find(fragment) != std::string::npos,
                        "'" << e.what() << "' does not contain '" << fragment << "'");
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(defaults) {
  auto c = load("{}");
  BOOST_TEST(c.input_topic == "webhooks.raw");
  BOOST_TEST(c.dlq_topic == "webhooks.dlq");
  BOOST_TEST(c.changelog_topic == "hookline-normalizer.dedup-changelog");
  BOOST_TEST(c.batch_records == 5000u);
  BOOST_TEST(c.batch_interval.count() == 100);
  BOOST_TEST(c.dedup_window.count() == 86400000);
  BOOST_TEST(!c.instance_id.empty());
  BOOST_TEST(c.transactional_id() == "hookline-normalizer-" + c.instance_id);
  BOOST_TEST(c.metrics_port == 9102);
}

BOOST_AUTO_TEST_CASE(file_then_environment_then_flags) {
  ParsedArgs args;
  args.values["metrics-listen"] = "127.0.0.1:0";
  auto c = load(R"({"instance_id": "from-file", "group_id": "g", "batch_records": 10,
                    "dedup_window_s": 60, "dedup_window_s_by_provider": {"stripe": 7200},
                    "metrics_listen": "0.0.0.0:1"})",
                {{"HOOKLINE_NORMALIZER_INSTANCE_ID", "from-env"}}, args);
  BOOST_TEST(c.instance_id == "from-env");
  BOOST_TEST(c.transactional_id() == "g-from-env");
  BOOST_TEST(c.changelog_topic == "g.dedup-changelog");
  BOOST_TEST(c.batch_records == 10u);
  BOOST_TEST(c.window_for("stripe").count() == 7200000);
  BOOST_TEST(c.window_for("github").count() == 60000);
  BOOST_TEST(c.metrics_host == "127.0.0.1");
  BOOST_TEST(c.metrics_port == 0);
}

BOOST_AUTO_TEST_CASE(bad_values_name_the_key) {
  expect_error(R"({"batch_records": 0})", "batch_records");
  expect_error(R"({"dedup_window_s_by_provider": {"stripe": "soon"}})", "'stripe' has 'soon'");
  expect_error(R"({"metrics_listen": "nowhere"})", "metrics address must be host:port");
  expect_error(R"({"instance_id": "a b"})", "instance id may hold");
  expect_error(R"({"unknown": 1})", "unknown");
  expect_error("{}", "HOOKLINE_NORMALIZER_INSTANCE_ID", {{"HOOKLINE_NORMALIZER_INSTANCE_ID", ""}});
}
