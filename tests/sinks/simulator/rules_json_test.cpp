#define BOOST_TEST_MODULE sinks_simulator_rules_json
#include <boost/test/unit_test.hpp>

#include "core/files.h"
#include "core/json_reader.h"
#include "sinks/simulator/rules_json.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::simulator;

namespace {

// The message of the ConfigError `fn` throws ("" when it throws none).
template <class F>
std::string error_of(F fn) {
  try {
    fn();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_rate_rule_is_read_with_its_defaults) {
  RateRule r = parse_rate_rule(
      R"({"match":{"provider":"resend","target":"re_key_a"},"rate_per_s":5,"burst":10})");
  BOOST_CHECK_EQUAL(r.match.provider, "resend");
  BOOST_CHECK_EQUAL(r.match.target, "re_key_a");
  BOOST_CHECK_EQUAL(r.rate_per_s, 5.0);
  BOOST_CHECK_EQUAL(r.burst, 10.0);
  BOOST_CHECK(!r.per_target);
  RateRule d = parse_rate_rule(R"({"rate_per_s":0.5})");
  BOOST_CHECK(d.match.provider.empty() && d.match.target.empty() && d.match.path_prefix.empty());
  BOOST_CHECK_EQUAL(d.burst, 1.0);  // at least one request can pass
  BOOST_CHECK_EQUAL(parse_rate_rule(R"({"rate_per_s":20,"per_target":true})").burst, 20.0);
}

BOOST_AUTO_TEST_CASE(a_fault_is_read_with_its_defaults) {
  Fault f =
      parse_fault(R"({"match":{"path_prefix":"/hooks/"},"status":503,"count":5,"retry_after_s":2,)"
                  R"("delay_ms":100,"body":"{}"})");
  BOOST_CHECK_EQUAL(f.match.path_prefix, "/hooks/");
  BOOST_CHECK_EQUAL(*f.status, 503);
  BOOST_CHECK_EQUAL(f.count, 5);
  BOOST_CHECK_EQUAL(f.retry_after_s, 2);
  BOOST_CHECK_EQUAL(f.delay_ms, 100);
  BOOST_CHECK_EQUAL(*f.body, "{}");
  Fault d = parse_fault(R"({"status":0})");
  BOOST_CHECK_EQUAL(*d.status, 0);
  BOOST_CHECK_EQUAL(d.count, 1);
  BOOST_CHECK(!d.body);
  Fault slow = parse_fault(R"({"delay_ms":3000,"count":-1})");
  BOOST_CHECK(!slow.status);
  BOOST_CHECK_EQUAL(slow.count, -1);
}

BOOST_AUTO_TEST_CASE(bad_rules_are_refused_naming_the_key) {
  BOOST_CHECK(contains(error_of([] { (void)parse_rate_rule(R"({"rate_per_s":1,"brust":2})"); }),
                       "key 'brust': unknown key"));
  BOOST_CHECK(contains(error_of([] { (void)parse_rate_rule(R"({"burst":2})"); }),
                       "key 'rate_per_s': is required"));
  BOOST_CHECK(contains(error_of([] { (void)parse_rate_rule(R"({"rate_per_s":"5"})"); }),
                       "key 'rate_per_s': must be a number"));
  BOOST_CHECK(
      contains(error_of([] { (void)parse_rate_rule(R"({"rate_per_s":0})"); }), "key 'rate_per_s'"));
  BOOST_CHECK(contains(
      error_of([] { (void)parse_rate_rule(R"({"rate_per_s":1,"match":{"provider":"x"}})"); }),
      "match: key 'provider'"));
  BOOST_CHECK(contains(
      error_of([] { (void)parse_fault(R"({"status":503,"match":{"path_prefix":"hooks"}})"); }),
      "key 'path_prefix'"));
  BOOST_CHECK(contains(error_of([] { (void)parse_fault(R"({"status":42})"); }), "key 'status'"));
  BOOST_CHECK(
      contains(error_of([] { (void)parse_fault(R"({"status":503,"count":0})"); }), "key 'count'"));
  BOOST_CHECK(contains(error_of([] { (void)parse_fault(R"({"count":2})"); }),
                       "key 'status': is required unless delay_ms"));
  BOOST_CHECK(
      contains(error_of([] { (void)parse_fault(R"({"status":1.5})"); }), "must be a whole number"));
  BOOST_CHECK(contains(error_of([] { (void)parse_fault("[]"); }), "must be a JSON object"));
  BOOST_CHECK(contains(error_of([] { (void)parse_fault("{"); }), "invalid JSON"));
}

BOOST_AUTO_TEST_CASE(a_rules_file_holds_both_lists) {
  test::TempDir dir;
  const std::string path = dir.file("sim.json");
  write_file_atomic(path, R"({"rate_limits":[{"match":{"provider":"slack"},"rate_per_s":1}],
                             "faults":[{"status":503},{"status":500,"count":2}]})");
  InitialRules rules = load_rules_file(path);
  BOOST_REQUIRE_EQUAL(rules.rate_limits.size(), 1u);
  BOOST_CHECK_EQUAL(rules.rate_limits[0].match.provider, "slack");
  BOOST_REQUIRE_EQUAL(rules.faults.size(), 2u);
  BOOST_CHECK_EQUAL(rules.faults[1].count, 2);
  write_file_atomic(path, R"({"faults":[{"status":503},{"status":503,"x":1}]})");
  BOOST_CHECK(contains(error_of([&] { (void)load_rules_file(path); }),
                       path + ": faults[1]: key 'x': unknown key"));
  write_file_atomic(path, R"({"rules":[]})");
  BOOST_CHECK(contains(error_of([&] { (void)load_rules_file(path); }), "key 'rules'"));
}

BOOST_AUTO_TEST_CASE(rules_render_back_as_json) {
  RateRule r = parse_rate_rule(R"({"match":{"provider":"resend"},"rate_per_s":5})");
  r.id = 3;
  auto doc = parse_json_text(render_rate_rules({r}), "rules");
  BOOST_CHECK_EQUAL(doc["rate_limits"][0]["id"].GetInt64(), 3);
  BOOST_CHECK_EQUAL(doc["rate_limits"][0]["match"]["provider"].GetString(), "resend");
  BOOST_CHECK_EQUAL(doc["rate_limits"][0]["rate_per_s"].GetDouble(), 5.0);
  Fault f = parse_fault(R"({"status":503,"count":4})");
  auto faults = parse_json_text(render_faults({f}), "faults");
  BOOST_CHECK_EQUAL(faults["faults"][0]["status"].GetInt(), 503);
  BOOST_CHECK_EQUAL(faults["faults"][0]["count"].GetInt(), 4);
}
