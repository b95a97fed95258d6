// The dev broker program: start-up, readiness files, control API, stop on SIGTERM, bad input.
#define BOOST_TEST_MODULE devbroker
#include <boost/test/unit_test.hpp>

#include <csignal>

#include "core/files.h"
#include "core/kafka/admin.h"
#include "core/topology.h"
#include "tests/support/dev_broker.h"

using namespace hookline;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(creates_every_declared_topic_with_its_partitions) {
  test::DevBroker broker;
  Topology topo = load_topology(test::source("topology/topics.json"));
  auto admin = kafka::AdminClient::create(broker.kafka_config(), "devbroker-test");
  auto md = admin->describe(10s);
  BOOST_REQUIRE_MESSAGE(md.ok(), (md.ok() ? "" : md.error().message));
  BOOST_CHECK_EQUAL(md->brokers.size(), 3u);
  for (const auto& t : topo.topics) {
    auto it = md->topics.find(t.name);
    BOOST_REQUIRE_MESSAGE(it != md->topics.end(), t.name << " missing");
    BOOST_CHECK_EQUAL(it->second.partitions, t.partitions);
    BOOST_CHECK_EQUAL(it->second.replication_factor, t.replication_factor);
  }
}

BOOST_AUTO_TEST_CASE(stops_cleanly_on_sigterm_and_sigint) {
  for (int sig : {SIGTERM, SIGINT}) {
    test::DevBroker broker;
    broker.process().signal(sig);
    auto code = broker.process().wait(10s);
    BOOST_REQUIRE(code.has_value());
    BOOST_CHECK_EQUAL(*code, 0);
  }
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_one_line_error) {
  test::TempDir dir;
  write_file_atomic(dir.file("bad.json"), R"({"topics": [{"name": "x", "partitions": "many"}]})");
  auto bad = test::run(test::bin("hookline-devbroker"), {"--topology", dir.file("bad.json")});
  BOOST_CHECK_EQUAL(bad.exit_code, 1);
  BOOST_CHECK_MESSAGE(
      bad.err.find("'topics[0].partitions': must be an integer") != std::string::npos, bad.err);

  auto rf = test::run(test::bin("hookline-devbroker"),
                      {"--brokers", "1", "--topology", test::source("topology/topics.json")});
  BOOST_CHECK_EQUAL(rf.exit_code, 1);
  BOOST_CHECK(rf.err.find("start it with --brokers 3") != std::string::npos);

  auto flag = test::run(test::bin("hookline-devbroker"), {"--brokers", "zero"});
  BOOST_CHECK_EQUAL(flag.exit_code, 2);
  BOOST_CHECK(flag.err.find("--brokers must be a whole number") != std::string::npos);

  auto help = test::run(test::bin("hookline-devbroker"), {"--help"});
  BOOST_CHECK_EQUAL(help.exit_code, 0);
  BOOST_CHECK(help.out.find("no admin API") != std::string::npos);
}
