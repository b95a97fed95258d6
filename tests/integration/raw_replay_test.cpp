// hookline replay raw on the dev broker with a running normalizer: after a manifest's mapping
// is fixed, replaying a time range of webhooks.raw puts the corrected events on the normalized
// topic under the same CloudEvents ids, inside the dedup window; records outside the range are
// not replayed; a dry run changes nothing; a plain redelivery is still dropped as a duplicate.
#define BOOST_TEST_MODULE raw_replay
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "core/files.h"
#include "core/time_format.h"
#include "tests/support/normalizer_stack.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::string now_text() {
  return rfc3339_ms(std::chrono::system_clock::now());
}

// ce_id -> the ce_subject of each copy, in topic order.
std::map<std::string, std::vector<std::string>> subjects(test::NormalizerStack& n) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& r : n.read("events.payments")) {
    out[r.header("ce_id")].push_back(r.header("ce_subject"));
  }
  return out;
}

std::size_t events(test::NormalizerStack& n) {
  return n.read("events.payments").size();
}

// The shipped stripe manifest with its subject read from `pointer`.
std::string stripe_manifest(const std::string& pointer) {
  std::string m = read_file(test::source("topology/providers/stripe.json"));
  const std::string shipped = R"("{/data/object/id}")";
  const auto at = m.find(shipped);
  if (at == std::string::npos) throw std::runtime_error("stripe.json: subject pointer moved");
  return m.replace(at, shipped.size(), "\"{" + pointer + "}\"");
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_raw_replay_after_a_mapping_fix_re_emits_corrected_events_under_same_ids) {
  // A topology whose Stripe mapping takes the subject from the wrong field.
  test::TempDir topology;
  std::filesystem::copy(
      test::source("topology"), topology.path(),
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  const std::string manifest = topology.file("providers/stripe.json");
  write_file_atomic(manifest, stripe_manifest("/data/object/object"));

  test::TestDatabase db;
  test::NormalizerStack n;
  const std::map<std::string, std::string> env = {
      {"HOOKLINE_KAFKA_BOOTSTRAP", n.broker().bootstrap()},
      {"HOOKLINE_DATABASE_URL", db.url()},
      {"HOOKLINE_LOG_LEVEL", ""}};
  auto cli = [&](const std::vector<std::string>& args) {
    return test::run(test::bin("hookline"), args, env, 120s);
  };
  BOOST_TEST_REQUIRE(cli({"db", "migrate"}).exit_code == 0);
  n.set_topology_dir(topology.path());
  n.start("a");

  // Three deliveries inside the range, two after it.
  const std::string from = now_text();
  std::this_thread::sleep_for(20ms);
  n.publish({test::stripe_delivery("evt_a0", 1763800000),
             test::stripe_delivery("evt_a1", 1763800001),
             test::stripe_delivery("evt_a2", 1763800002)});
  const std::string to = now_text();
  std::this_thread::sleep_for(20ms);
  n.publish(
      {test::stripe_delivery("evt_b0", 1763800003), test::stripe_delivery("evt_b1", 1763800004)});
  BOOST_TEST_REQUIRE(test::eventually([&] { return events(n) == 5u; }, 60s, 100ms));
  for (const auto& [id, s] : subjects(n))
    BOOST_TEST(s == std::vector<std::string>{"payment_intent"}, id);

  // The fix, then a restart.
  BOOST_TEST(n.stop("a") == 0);
  write_file_atomic(manifest, stripe_manifest("/data/object/id"));
  n.start("a");

  // A dry run changes nothing.
  const std::vector<std::string> range = {"replay", "raw",        "--from", from,   "--to",
                                          to,       "--provider", "stripe", "--by", "ops"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = range;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  auto dry = cli(with({"--dry-run"}));
  BOOST_TEST_REQUIRE(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "would replay 3 records (3 to webhooks.raw)"), dry.out);
  BOOST_TEST(n.read("webhooks.raw").size() == 5u);

  auto replay = cli(with({"--yes"}));
  BOOST_TEST_REQUIRE(replay.exit_code == 0, replay.err);
  BOOST_TEST(contains(replay.out, "done: replayed 3, skipped 0, failed 0"), replay.out);
  BOOST_TEST_REQUIRE(test::eventually([&] { return events(n) == 8u; }, 60s, 100ms));
  const auto s = subjects(n);
  for (const std::string id : {"evt_a0", "evt_a1", "evt_a2"}) {
    // The two copies may sit on different partitions (the key can follow the subject).
    const std::vector<std::string> expected = {"payment_intent", "pi_" + id};
    auto got = s.count(id) ? s.at(id) : std::vector<std::string>{};
    std::sort(got.begin(), got.end());
    std::string shown;
    for (const auto& g : got) shown += g + " ";
    BOOST_TEST((got == expected), id << ": " << shown);
  }
  for (const std::string id : {"evt_b0", "evt_b1"}) BOOST_TEST(s.at(id).size() == 1u, id);
  for (const auto& r : n.read("webhooks.raw")) {
    if (r.header("hookline-replayed-from").empty()) continue;
    BOOST_TEST(r.header("hookline-replay-mode") == "renormalize");
    BOOST_TEST(r.header("hookline-replayed-by") == "ops");
    BOOST_TEST(r.header("hookline-delivery-id").starts_with("evt_a"));
  }

  // A provider's redelivery of an event is still a duplicate; the marker only works for replays.
  n.publish(
      {test::stripe_delivery("evt_a0", 1763800000), test::stripe_delivery("evt_c0", 1763800005)});
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return subjects(n).count("evt_c0") == 1u; }, 60s, 100ms));
  BOOST_TEST(subjects(n).at("evt_a0").size() == 2u);
  BOOST_TEST(contains(n.metrics("a"), "hookline_normalizer_replays_total{provider=\"stripe\"} 3"),
             n.metrics("a"));
}
