// `hookline topology apply|check` against a dev broker, as an operator runs them.
#define BOOST_TEST_MODULE topology_cli
#include <boost/test/unit_test.hpp>

#include "core/files.h"
#include "core/topology.h"
#include "tests/support/dev_broker.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

test::RunResult hookline_cli(const test::DevBroker& broker, std::vector<std::string> args) {
  return test::run(test::bin("hookline"), args,
                   {{"HOOKLINE_KAFKA_BOOTSTRAP", broker.bootstrap()},
                    {"HOOKLINE_LOG_LEVEL", "warn"},
                    {"HOOKLINE_CONFIG", ""}});
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(apply_then_check_is_clean_and_says_what_it_skipped) {
  test::DevBroker broker;
  const std::string topo = test::source("topology/topics.json");
  auto apply = hookline_cli(broker, {"topology", "apply", "--topology", topo});
  BOOST_CHECK_MESSAGE(apply.exit_code == 0, apply.out << apply.err);
  BOOST_CHECK(contains(apply.out, "all " + std::to_string(load_topology(topo).topics.size()) +
                                      " declared topics exist"));
  auto check = hookline_cli(broker, {"topology", "check", "--topology", topo});
  BOOST_CHECK_MESSAGE(check.exit_code == 0, check.out << check.err);
  BOOST_CHECK(contains(check.out, "topology in step"));
  BOOST_CHECK(contains(check.out, "skipped: topic configs"));
  BOOST_CHECK(contains(check.out, "partition counts, replication factors"));
}

BOOST_AUTO_TEST_CASE(check_reports_a_deleted_topic) {
  // The mock cluster cannot delete topics: a broker started without one declared topic is the
  // same cluster state as one where that topic was deleted.
  test::TempDir dir;
  auto present = test::write_topology(dir, "present.json", {{"a.one", 3}, {"a.two", 3}});
  auto declared =
      test::write_topology(dir, "declared.json", {{"a.one", 3}, {"a.two", 3}, {"a.gone", 3}});
  test::DevBroker broker(present);
  auto check = hookline_cli(broker, {"topology", "check", "--topology", declared});
  BOOST_CHECK_EQUAL(check.exit_code, 3);
  BOOST_CHECK_MESSAGE(contains(check.err, "missing topic a.gone"), check.err);
  BOOST_CHECK(contains(check.out, "drift: missing topic a.gone"));

  // apply cannot create it on the dev broker, and says why.
  auto apply = hookline_cli(broker, {"topology", "apply", "--topology", declared});
  BOOST_CHECK_EQUAL(apply.exit_code, 1);
  BOOST_CHECK_MESSAGE(contains(apply.err, "no CreateTopics (no admin API)"), apply.err);
  BOOST_CHECK(contains(apply.err, "a.gone"));
}

BOOST_AUTO_TEST_CASE(check_reports_a_topic_declared_differently) {
  test::TempDir dir;
  auto actual = test::write_topology(dir, "actual.json", {{"b.one", 3}, {"b.two", 6}});
  auto more_partitions = test::write_topology(dir, "p.json", {{"b.one", 3}, {"b.two", 12}});
  auto less_replicas = test::write_topology(dir, "r.json", {{"b.one", 3}, {"b.two", 6}}, 2);
  test::DevBroker broker(actual);
  auto clean = hookline_cli(broker, {"topology", "check", "--topology", actual});
  BOOST_CHECK_EQUAL(clean.exit_code, 0);
  auto p = hookline_cli(broker, {"topology", "check", "--topology", more_partitions});
  BOOST_CHECK_EQUAL(p.exit_code, 3);
  BOOST_CHECK_MESSAGE(contains(p.err, "topic b.two has 6 partitions, declared 12"), p.err);
  auto r = hookline_cli(broker, {"topology", "check", "--topology", less_replicas});
  BOOST_CHECK_EQUAL(r.exit_code, 3);
  BOOST_CHECK_MESSAGE(contains(r.out, "replication factor 3, declared 2"), r.out);
}

BOOST_AUTO_TEST_CASE(unreachable_broker_is_a_timely_named_error) {
  test::TempDir dir;
  write_file_atomic(dir.file("c.json"), R"({"kafka": {"timeout_ms": 1500}})");
  const std::string addr = "127.0.0.1:" + std::to_string(test::closed_port());
  auto r = test::run(test::bin("hookline"),
                     {"--config", dir.file("c.json"), "topology", "check", "--topology",
                      test::source("topology/topics.json")},
                     {{"HOOKLINE_KAFKA_BOOTSTRAP", addr}, {"HOOKLINE_LOG_LEVEL", "error"}}, 30s);
  BOOST_CHECK_EQUAL(r.exit_code, 1);
  BOOST_CHECK_MESSAGE(contains(r.err, "hookline topology: Kafka at " + addr), r.err);
  BOOST_CHECK(contains(r.err, "1500 ms"));
}

BOOST_AUTO_TEST_CASE(bad_invocations_get_one_line_and_a_nonzero_exit) {
  auto missing = test::run(test::bin("hookline"),
                           {"--config", "/nonexistent/hookline.json", "topology", "check"});
  BOOST_CHECK_EQUAL(missing.exit_code, 1);
  BOOST_CHECK_EQUAL(missing.err, "hookline: /nonexistent/hookline.json: cannot open file\n");

  auto group = test::run(test::bin("hookline"), {"frobnicate"});
  BOOST_CHECK_EQUAL(group.exit_code, 2);
  BOOST_CHECK(contains(group.err, "unknown command group 'frobnicate'"));

  auto cmd = test::run(test::bin("hookline"), {"topology", "destroy"});
  BOOST_CHECK_EQUAL(cmd.exit_code, 2);
  BOOST_CHECK(contains(cmd.err, "unknown command 'destroy'"));

  auto flag = test::run(test::bin("hookline"), {"topology", "check", "--force"});
  BOOST_CHECK_EQUAL(flag.exit_code, 2);
  BOOST_CHECK(contains(flag.err, "unknown flag --force"));

  auto env = test::run(test::bin("hookline"), {"topology", "check"},
                       {{"HOOKLINE_KAFKA_SOCKET_TIMEOUT_MSS", "10"}});
  BOOST_CHECK_EQUAL(env.exit_code, 1);
  BOOST_CHECK(contains(env.err, "HOOKLINE_KAFKA_SOCKET_TIMEOUT_MSS"));

  auto topo = test::run(test::bin("hookline"),
                        {"topology", "check", "--topology", "/nonexistent/topics.json"});
  BOOST_CHECK_EQUAL(topo.exit_code, 1);
  BOOST_CHECK(contains(topo.err, "/nonexistent/topics.json: cannot open file"));

  auto help = test::run(test::bin("hookline"), {"--help"});
  BOOST_CHECK_EQUAL(help.exit_code, 0);
  BOOST_CHECK(contains(help.out, "topology apply|check"));
}
