// The dispatcher's consent recheck just before a call: a refused request ends suppressed without
// a call, an unavailable check is retried, an allowed one goes on to its provider, and a request
// the sent-ledger knows is not checked at all. Provider "nope" has no client, so a request that
// passes the check ends unknown-provider there: no network is involved.
#define BOOST_TEST_MODULE sender_dispatcher
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "core/metrics/registry.h"
#include "sinks/sender/dispatcher.h"

namespace hs = hookline::sender;
using namespace std::chrono_literals;

namespace {

class FakeLedger final : public hs::SentLedger {
 public:
  explicit FakeLedger(std::set<std::string> sent) : sent_(std::move(sent)) {}
  hookline::Result<std::optional<hs::LedgerEntry>> find(const std::string& id) override {
    std::lock_guard lock(mu_);
    if (!sent_.contains(id)) return std::optional<hs::LedgerEntry>();
    return std::optional<hs::LedgerEntry>(hs::LedgerEntry{id, "nope/x", "m-1", 1, "sent", ""});
  }
  hookline::Status record(const hs::LedgerEntry& e) override {
    std::lock_guard lock(mu_);
    sent_.insert(e.request_id);
    return {};
  }

 private:
  std::mutex mu_;
  std::set<std::string> sent_;
};

// Knows request "parked" as dead-lettered (attempts-exhausted).
class ParkedLedger final : public hs::SentLedger {
 public:
  hookline::Result<std::optional<hs::LedgerEntry>> find(const std::string& id) override {
    if (id != "parked") return std::optional<hs::LedgerEntry>();
    return std::optional<hs::LedgerEntry>(
        hs::LedgerEntry{id, "nope/x", "", 3, "dead_lettered", "attempts-exhausted"});
  }
  hookline::Status record(const hs::LedgerEntry&) override { return {}; }
};

// Postgres restarting: the first `failures` lookups fail, then the ledger answers (empty).
class FlakyLedger final : public hs::SentLedger {
 public:
  explicit FlakyLedger(int failures) : failures_(failures) {}
  hookline::Result<std::optional<hs::LedgerEntry>> find(const std::string&) override {
    if (failures_.fetch_sub(1) > 0) {
      return hookline::Error{hookline::ErrorKind::retriable, {}, "connection refused"};
    }
    return std::optional<hs::LedgerEntry>();
  }
  hookline::Status record(const hs::LedgerEntry&) override { return {}; }

 private:
  std::atomic<int> failures_;
};

// Answers by contact id: "out" refused (opted_out), "down" unavailable, "flaky" unavailable
// for its first `flaky_failures` checks, anyone else allowed.
class FakeRecheck final : public hs::ConsentRecheck {
 public:
  explicit FakeRecheck(int flaky_failures = 0) : flaky_failures_(flaky_failures) {}
  hookline::Result<hs::RecheckVerdict> check(const hs::SendRequest& r,
                                             std::chrono::system_clock::time_point) override {
    {
      std::lock_guard lock(mu_);
      checked_.insert(r.id);
    }
    if (r.contact_id == "down") {
      return hookline::Error{hookline::ErrorKind::retriable, {}, "ledger unreachable"};
    }
    if (r.contact_id == "flaky" && flaky_failures_.fetch_sub(1) > 0) {
      return hookline::Error{hookline::ErrorKind::retriable, {}, "ledger unreachable"};
    }
    if (r.contact_id == "out") return hs::RecheckVerdict{false, "opted_out"};
    return hs::RecheckVerdict{true, "transactional"};
  }
  std::set<std::string> checked() {
    std::lock_guard lock(mu_);
    return checked_;
  }

 private:
  std::mutex mu_;
  std::set<std::string> checked_;
  std::atomic<int> flaky_failures_;
};

class Completions {
 public:
  void add(hs::Completion&& c) {
    std::lock_guard lock(mu_);
    const std::string id = c.job.request.id;
    got_.emplace(id, std::move(c));
    cv_.notify_all();
  }
  // Waits (bounded) until `n` completions arrived.
  std::map<std::string, hs::Completion> wait_for(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 30s, [&] { return got_.size() >= n; });
    return got_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, hs::Completion> got_;
};

hs::Job job(const std::string& id, const std::string& contact, std::int64_t offset) {
  auto conn = std::make_shared<hs::SendConnection>();
  conn->key = "nope/x";
  conn->provider = "nope";
  conn->rate_per_s = 1000;
  conn->burst = 1000;
  hs::Job j;
  j.request.id = id;
  j.request.tenant = "acme";
  j.request.connection = "nope/x";
  j.request.contact_id = contact;
  j.request.address = "someone@example.com";
  j.topic = "outbound.approved";
  j.offset = offset;
  j.connection = conn;
  return j;
}

struct Fixture {
  hookline::metrics::Registry registry;
  hs::SenderMetrics metrics{registry};
  Completions completions;
  std::chrono::milliseconds store_wait{0};  // no waiting for Postgres unless a test says so

  std::map<std::string, hs::Completion> run(hs::SentLedger* ledger, hs::ConsentRecheck* consent,
                                            std::vector<hs::Job> jobs) {
    hs::DispatcherOptions options;
    options.workers = 1;
    options.consent = consent;
    options.store_wait = store_wait;
    hs::Dispatcher d(options, ledger, metrics,
                     [this](hs::Completion&& c) { completions.add(std::move(c)); });
    for (auto& j : jobs) BOOST_TEST_REQUIRE(d.submit(j));
    auto got = completions.wait_for(jobs.size());
    BOOST_TEST_REQUIRE(got.size() == jobs.size());
    return got;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(consent_is_checked_again_before_the_call, Fixture) {
  FakeLedger ledger({"known"});
  FakeRecheck recheck;
  auto got = run(&ledger, &recheck,
                 {job("refused", "out", 0), job("unavailable", "down", 1), job("allowed", "in", 2),
                  job("known", "out", 3)});

  const auto& refused = got.at("refused");
  BOOST_TEST((refused.end == hs::JobEnd::suppressed));
  BOOST_TEST(refused.result.error_class == "opted_out");

  const auto& unavailable = got.at("unavailable");
  BOOST_TEST((unavailable.end == hs::JobEnd::retry));
  BOOST_TEST(unavailable.result.error_class == "consent-unavailable");

  // Passed the check, then reached the provider step (no client for "nope").
  const auto& allowed = got.at("allowed");
  BOOST_TEST((allowed.end == hs::JobEnd::dead_letter));
  BOOST_TEST(allowed.result.error_class == "unknown-provider");

  // Known sent: no check, no call, ends sent (its contact has opted out meanwhile).
  const auto& known = got.at("known");
  BOOST_TEST((known.end == hs::JobEnd::sent));
  BOOST_TEST(known.already_sent);

  BOOST_TEST((recheck.checked() == std::set<std::string>{"allowed", "refused", "unavailable"}));
  const std::string exposed = registry.expose();
  BOOST_TEST(exposed.find("hookline_sender_consent_check_errors_total 1") != std::string::npos);
  BOOST_TEST(exposed.find("hookline_sender_consent_check_seconds_count 3") != std::string::npos);
  // No call was made for the refused one: no sends were counted.
  BOOST_TEST(exposed.find("hookline_sender_sends_total{") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(without_a_recheck_requests_go_straight_to_their_provider, Fixture) {
  auto got = run(nullptr, nullptr, {job("a", "out", 0), job("b", "down", 1)});
  for (const auto& [id, c] : got) {
    BOOST_TEST((c.end == hs::JobEnd::dead_letter), id);
    BOOST_TEST(c.result.error_class == "unknown-provider", id);
  }
  BOOST_TEST(registry.expose().find("hookline_sender_consent_check_seconds_count 0") !=
             std::string::npos);
}

// Regression (found by scripts/e2e.sh across a Postgres restart): an unanswered sent-ledger or
// consent lookup sent the request to a retry tier at once, spending one of its provider attempts
// (a failing connection's request reached the DLQ early) and resending requests whose ledger
// record had failed. The worker now waits for Postgres, within store_wait.
BOOST_FIXTURE_TEST_CASE(a_postgres_restart_is_waited_out_without_spending_an_attempt, Fixture) {
  store_wait = 10s;
  FlakyLedger ledger(2);
  FakeRecheck recheck(2);
  auto got = run(&ledger, &recheck, {job("f", "flaky", 0)});
  // Both lookups answered in the end: the request reached the provider step (no client for
  // "nope") instead of a retry tier.
  const auto& f = got.at("f");
  BOOST_TEST((f.end == hs::JobEnd::dead_letter));
  BOOST_TEST(f.result.error_class == "unknown-provider");
  const std::string exposed = registry.expose();
  BOOST_TEST(exposed.find("hookline_sender_ledger_errors_total{op=\"find\"} 2") !=
             std::string::npos);
  BOOST_TEST(exposed.find("hookline_sender_consent_check_errors_total 2") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(an_outage_longer_than_the_wait_goes_to_a_retry_tier, Fixture) {
  store_wait = 300ms;
  FlakyLedger ledger(1000);
  auto got = run(&ledger, nullptr, {job("g", "in", 0)});
  const auto& g = got.at("g");
  BOOST_TEST((g.end == hs::JobEnd::retry));
  BOOST_TEST(g.result.error_class == "ledger-unavailable");
}

// Regression (found by scripts/e2e.sh): a retry record redelivered after its request had been
// parked in the DLQ (the offset commit failed in a rebalance) was sent once the provider
// recovered, so the request ended both dead-lettered and sent. The ledger remembers the parking.
BOOST_FIXTURE_TEST_CASE(a_redelivered_parked_request_is_parked_again_unless_replayed, Fixture) {
  ParkedLedger ledger;
  auto again = job("parked", "in", 0);
  again.attempt = 3;
  auto replayed = job("parked", "in", 1);
  replayed.headers = {{"hookline-replayed-from", "outbound.dlq/0/7"}};
  auto got = run(&ledger, nullptr, {again});
  const auto& c = got.at("parked");
  BOOST_TEST((c.end == hs::JobEnd::dead_letter));
  BOOST_TEST(c.already_sent);  // no call was made
  BOOST_TEST(c.result.error_class == "attempts-exhausted");
  BOOST_TEST(c.job.attempt == 3);  // the same attempt: its result keeps its CloudEvents id

  // An operator's replay goes on to the provider step (no client for "nope").
  Completions replay_completions;
  hs::DispatcherOptions options;
  options.workers = 1;
  hs::Dispatcher d(options, &ledger, metrics,
                   [&](hs::Completion&& done) { replay_completions.add(std::move(done)); });
  BOOST_TEST_REQUIRE(d.submit(replayed));
  auto r = replay_completions.wait_for(1);
  BOOST_TEST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r.at("parked").result.error_class == "unknown-provider");
}

// Regression (found by scripts/e2e.sh): copies of one request (a gatekeeper killed mid-transaction
// re-emits it) reached the ledger check at different attempts, and each announced its success
// under its own attempt, so one send had several CloudEvents ids. The accepted attempt's wins.
BOOST_FIXTURE_TEST_CASE(a_known_send_is_announced_as_the_accepted_attempt, Fixture) {
  FakeLedger ledger({"known"});  // accepted at attempt 1
  auto copy = job("known", "in", 0);
  copy.attempt = 3;
  auto got = run(&ledger, nullptr, {copy});
  const auto& c = got.at("known");
  BOOST_TEST((c.end == hs::JobEnd::sent));
  BOOST_TEST(c.already_sent);
  BOOST_TEST(c.job.attempt == 1);
}
