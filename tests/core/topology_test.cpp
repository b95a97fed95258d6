#define BOOST_TEST_MODULE topology
#include <boost/test/unit_test.hpp>

#include "core/files.h"
#include "core/json_reader.h"
#include "core/topology.h"
#include "tests/support/process.h"

using namespace hookline;

BOOST_AUTO_TEST_CASE(shipped_topology_declares_every_design_topic) {
  Topology t = load_topology(test::source("topology/topics.json"));
  for (const char* name :
       {"webhooks.raw", "webhooks.dlq", "consent.changes", "outbound.requests", "outbound.approved",
        "outbound.dlq", "outbound.results", "approvals.requests", "approvals.decisions",
        "hookline-normalizer.dedup-changelog", "events.payments", "events.other"}) {
    BOOST_CHECK_MESSAGE(t.find(name) != nullptr, name << " is not declared");
  }
  BOOST_REQUIRE_GE(t.retry_tiers.size(), 2u);
  for (const auto& tier : t.retry_tiers) {
    BOOST_CHECK(t.find(tier.topic) != nullptr);
    BOOST_CHECK(tier.topic.starts_with("outbound.retry."));
  }
  // Dedup restores partition-local state: the changelog must mirror the raw topic.
  BOOST_CHECK_EQUAL(t.find("webhooks.raw")->partitions,
                    t.find("hookline-normalizer.dedup-changelog")->partitions);
  BOOST_CHECK_EQUAL(t.find("consent.changes")->config.at("cleanup.policy"), "compact");
  BOOST_CHECK_EQUAL(t.find("webhooks.raw")->config.at("min.insync.replicas"), "2");
}

BOOST_AUTO_TEST_CASE(bad_declarations_are_refused_with_the_key) {
  test::TempDir dir;
  auto check = [&](const std::string& json, const std::string& fragment) {
    write_file_atomic(dir.file("t.json"), json);
    try {
      (void)load_topology(dir.file("t.json"));
      BOOST_ERROR("expected an error for " << json);
    } catch (const ConfigError& e) {
      BOOST_CHECK_MESSAGE(std::string(e.what()).find(fragment) != std::string::npos, e.what());
    }
  };
  check(R"({"topics": [{"name": "a"}, {"name": "a"}]})", "declared twice");
  check(R"({"topics": [{"name": "bad name"}]})", "not a valid Kafka topic name");
  check(R"({"topics": [{"name": "a", "partitions": 0}]})", "topics[0].partitions");
  check(R"({"topics": [{"name": "a", "partition": 3}]})", "'topics[0].partition': unknown key");
  check(R"({"topics": []})", "declares no topics");
  check(R"({"topics": [{"name": "a"}], "retry": {"topic_prefix": "r.", "tiers": [
          {"name": "2m", "delay_ms": 120000}, {"name": "30s", "delay_ms": 30000}]}})",
        "increasing delay");
}
