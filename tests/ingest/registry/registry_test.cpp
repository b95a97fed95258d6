#define BOOST_TEST_MODULE ingest_registry_registry
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "ingest/registry/connection.h"
#include "ingest/registry/registry.h"

using namespace hookline;
using ingest::Connection;
using ingest::Registry;

namespace {

Connection conn(std::string provider, std::string id, bool enabled = true) {
  Connection c;
  c.tenant = "default";
  c.provider = std::move(provider);
  c.id = std::move(id);
  c.environment = "prod";
  c.enabled = enabled;
  c.credentials.secrets = {"secret-of-" + c.id};
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(empty_until_loaded) {
  Registry r;
  BOOST_TEST(!r.loaded());
  BOOST_TEST(r.size() == 0U);
  BOOST_TEST(r.find("stripe", "main") == nullptr);
  BOOST_TEST(r.find_default("stripe") == nullptr);
  r.replace({});
  BOOST_TEST(r.loaded());
  BOOST_TEST(r.size() == 0U);
}

BOOST_AUTO_TEST_CASE(find_by_provider_and_id) {
  Registry r;
  r.replace({conn("stripe", "main"), conn("stripe", "eu"), conn("github", "main")});
  BOOST_TEST(r.size() == 3U);
  auto c = r.find("stripe", "eu");
  BOOST_REQUIRE(c != nullptr);
  BOOST_TEST(c->credentials.secrets.front() == "secret-of-eu");
  BOOST_TEST(r.find("github", "main")->provider == "github");
  BOOST_TEST(r.find("github", "eu") == nullptr);
  BOOST_TEST(r.find("slack", "main") == nullptr);
  BOOST_TEST(r.find("", "") == nullptr);
}

BOOST_AUTO_TEST_CASE(disabled_connections_are_returned_as_disabled) {
  Registry r;
  r.replace({conn("stripe", "main", false)});
  auto c = r.find("stripe", "main");
  BOOST_REQUIRE(c != nullptr);
  BOOST_TEST(!c->enabled);
  BOOST_REQUIRE(r.find_default("stripe") != nullptr);
  BOOST_TEST(!r.find_default("stripe")->enabled);
}

BOOST_AUTO_TEST_CASE(default_is_the_default_id_else_the_only_one) {
  Registry r;
  r.replace({conn("stripe", "main"), conn("stripe", "default"), conn("github", "only"),
             conn("slack", "a"), conn("slack", "b")});
  BOOST_TEST(r.find_default("stripe")->id == "default");
  BOOST_TEST(r.find_default("github")->id == "only");
  BOOST_TEST(r.find_default("slack") == nullptr);  // several, none named "default"
  BOOST_TEST(r.find_default("twilio") == nullptr);
}

BOOST_AUTO_TEST_CASE(replace_swaps_and_old_handles_stay_valid) {
  Registry r;
  r.replace({conn("stripe", "main")});
  auto held = r.find("stripe", "main");
  auto snapshot = r.snapshot();
  r.replace({conn("stripe", "other")});
  BOOST_TEST(r.find("stripe", "main") == nullptr);
  BOOST_TEST(r.find("stripe", "other") != nullptr);
  BOOST_TEST(held->id == "main");  // still usable by a request in flight
  BOOST_TEST(snapshot->find("stripe", "main") != nullptr);
  BOOST_TEST(snapshot->size() == 1U);
}

BOOST_AUTO_TEST_CASE(readers_run_concurrently_with_replace) {
  Registry r;
  r.replace({conn("stripe", "main")});
  std::atomic<bool> done{false};
  std::atomic<long> misses{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto c = r.find("stripe", "main");
        if (c == nullptr || c->credentials.secrets.empty()) ++misses;
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    r.replace({conn("stripe", "main"), conn("stripe", "n" + std::to_string(i))});
  }
  done = true;
  for (auto& t : readers) t.join();
  BOOST_TEST(misses.load() == 0);
  BOOST_TEST(r.size() == 2U);
}

BOOST_AUTO_TEST_CASE(name_rules) {
  BOOST_TEST(ingest::is_valid_name("stripe"));
  BOOST_TEST(ingest::is_valid_name("acct_1.eu-west"));
  BOOST_TEST(ingest::is_valid_name("0"));
  BOOST_TEST(ingest::is_valid_name(std::string(64, 'a')));
  BOOST_TEST(!ingest::is_valid_name(std::string(65, 'a')));
  BOOST_TEST(!ingest::is_valid_name(""));
  BOOST_TEST(!ingest::is_valid_name("Stripe"));
  BOOST_TEST(!ingest::is_valid_name("-x"));
  BOOST_TEST(!ingest::is_valid_name(".x"));
  BOOST_TEST(!ingest::is_valid_name("a/b"));
  BOOST_TEST(!ingest::is_valid_name("a b"));
  BOOST_TEST(ingest::is_valid_environment("staging"));
  BOOST_TEST(!ingest::is_valid_environment("production"));
}
