#define BOOST_TEST_MODULE normalizer_dedup_window
#include <boost/test/unit_test.hpp>

#include <malloc.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/crypto/digest.h"
#include "processors/normalizer/dedup_window.h"

namespace hn = hookline::normalizer;
using hn::DedupWindow;
using hn::Verdict;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// A fixed, injected clock origin: 2024-01-01T00:00:00Z.
const DedupWindow::TimePoint t0{seconds{1704067200}};
constexpr milliseconds day = hours{24};

std::string key_of(std::size_t i) {
  return "conn_42/evt_" + std::to_string(i);
}

// Heap bytes in use per glibc: small chunks (uordblks) plus the mmapped large ones (hblkhd),
// where the bucket array and the expiry index land once they pass the mmap threshold.
std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool asan = true;
#else
constexpr bool asan = false;
#endif
#else
constexpr bool asan = false;
#endif

}  // namespace

BOOST_AUTO_TEST_CASE(first_then_duplicate) {
  DedupWindow w;
  BOOST_TEST((w.observe("conn_1/evt_1", t0, day) == Verdict::first));
  BOOST_TEST((w.observe("conn_1/evt_1", t0, day) == Verdict::duplicate));
  BOOST_TEST((w.observe("conn_1/evt_1", t0 + hours{1}, day) == Verdict::duplicate));
  BOOST_TEST((w.observe("conn_2/evt_1", t0, day) == Verdict::first));
  BOOST_TEST(w.size() == 2U);
  BOOST_TEST(w.contains("conn_1/evt_1", t0));
  BOOST_TEST(!w.contains("conn_3/evt_1", t0));
}

BOOST_AUTO_TEST_CASE(digest_is_the_sha256_prefix) {
  const std::string d = DedupWindow::digest_of("conn_1/evt_1");
  BOOST_TEST(d.size() == DedupWindow::digest_size);
  BOOST_TEST(d == hookline::crypto::sha256("conn_1/evt_1").substr(0, 16));
  BOOST_TEST(DedupWindow::digest_of(std::string(1000, 'x')).size() == 16U);
}

BOOST_AUTO_TEST_CASE(expiry_with_injected_clock) {
  DedupWindow w;
  const milliseconds window = seconds{10};
  BOOST_TEST((w.observe("k", t0, window) == Verdict::first));
  // A duplicate does not extend the expiry.
  BOOST_TEST((w.observe("k", t0 + seconds{5}, window) == Verdict::duplicate));
  BOOST_TEST((w.observe("k", t0 + milliseconds{9999}, window) == Verdict::duplicate));
  BOOST_TEST(w.contains("k", t0 + milliseconds{9999}));
  BOOST_TEST(!w.contains("k", t0 + window));
  const auto old_entry = w.find(DedupWindow::digest_of("k"));
  BOOST_TEST_REQUIRE(old_entry.has_value());
  BOOST_TEST(old_entry->expires_ms - old_entry->first_seen_ms == 10000);
  // Expired (though not evicted): seen for the first time again, with a fresh window.
  BOOST_TEST((w.observe("k", t0 + window, window) == Verdict::first));
  BOOST_TEST((w.observe("k", t0 + seconds{15}, window) == Verdict::duplicate));
  BOOST_TEST(w.size() == 1U);
  // The stale index item of the first entry evicts nothing; the live one goes at its expiry.
  BOOST_TEST(w.evict_expired(t0 + seconds{19}).empty());
  BOOST_TEST(w.size() == 1U);
  const auto evicted = w.evict_expired(t0 + seconds{20});
  BOOST_TEST(evicted.size() == 1U);
  BOOST_TEST(w.size() == 0U);
  BOOST_TEST(w.evict_expired(t0 + hours{1}).empty());
}

BOOST_AUTO_TEST_CASE(per_key_windows) {
  DedupWindow w;
  BOOST_TEST((w.observe("github/1", t0, hours{1}) == Verdict::first));
  BOOST_TEST((w.observe("stripe/1", t0, hours{72}) == Verdict::first));
  BOOST_TEST((w.observe("github/1", t0 + hours{2}, hours{1}) == Verdict::first));
  BOOST_TEST((w.observe("stripe/1", t0 + hours{71}, hours{72}) == Verdict::duplicate));
  BOOST_TEST((w.observe("stripe/1", t0 + hours{72}, hours{72}) == Verdict::first));
  // Edge windows: zero remembers nothing; a huge one saturates instead of overflowing.
  BOOST_TEST((w.observe("zero", t0, milliseconds{0}) == Verdict::first));
  BOOST_TEST((w.observe("zero", t0, milliseconds{0}) == Verdict::first));
  BOOST_TEST((w.observe("forever", t0, milliseconds::max()) == Verdict::first));
  BOOST_TEST((w.observe("forever", t0 + hours{100000}, milliseconds::max()) == Verdict::duplicate));
}

BOOST_AUTO_TEST_CASE(evict_expired_order_and_max) {
  DedupWindow w;
  // Inserted out of expiry order, with different windows.
  w.observe("c", t0, seconds{3});
  w.observe("a", t0, seconds{1});
  w.observe("e", t0, seconds{5});
  w.observe("b", t0, seconds{2});
  w.observe("d", t0, seconds{4});
  w.observe("late", t0, hours{1});

  BOOST_TEST(w.evict_expired(t0 + milliseconds{999}).empty());
  auto evicted = w.evict_expired(t0 + seconds{10}, 2);
  BOOST_TEST_REQUIRE(evicted.size() == 2U);
  BOOST_TEST(evicted[0] == DedupWindow::digest_of("a"));
  BOOST_TEST(evicted[1] == DedupWindow::digest_of("b"));
  BOOST_TEST(w.size() == 4U);
  BOOST_TEST(w.evict_expired(t0 + seconds{10}, 0).empty());

  evicted = w.evict_expired(t0 + seconds{10});
  BOOST_TEST_REQUIRE(evicted.size() == 3U);
  BOOST_TEST(evicted[0] == DedupWindow::digest_of("c"));
  BOOST_TEST(evicted[1] == DedupWindow::digest_of("d"));
  BOOST_TEST(evicted[2] == DedupWindow::digest_of("e"));
  BOOST_TEST(w.size() == 1U);
  BOOST_TEST(w.contains("late", t0 + seconds{10}));
}

BOOST_AUTO_TEST_CASE(entry_encoding) {
  const DedupWindow::Entry e{1, 0x0102030405060708};
  const std::string v = DedupWindow::encode_entry(e);
  BOOST_TEST(v == std::string("\0\0\0\0\0\0\0\x01\x01\x02\x03\x04\x05\x06\x07\x08", 16));
  BOOST_TEST((DedupWindow::decode_entry(v) == e));
  const DedupWindow::Entry negative{-5, -1};
  BOOST_TEST((DedupWindow::decode_entry(DedupWindow::encode_entry(negative)) == negative));
}

BOOST_AUTO_TEST_CASE(restore_round_trip_gives_same_verdicts) {
  DedupWindow original;
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < 1000; ++i) {
    keys.push_back(key_of(i));
    // Different first-seen times and windows (1..10 minutes).
    const auto seen = t0 + seconds{static_cast<std::int64_t>(i % 300)};
    const milliseconds window = std::chrono::minutes{1 + static_cast<std::int64_t>(i % 10)};
    original.observe(keys.back(), seen, window);
  }

  DedupWindow restored;
  for (const auto& key : keys) {
    const std::string digest = DedupWindow::digest_of(key);
    const auto entry = original.find(digest);
    BOOST_TEST_REQUIRE(entry.has_value());
    const auto decoded = DedupWindow::decode_entry(DedupWindow::encode_entry(*entry));
    BOOST_TEST_REQUIRE((decoded == entry));
    BOOST_TEST(restored.restore(digest, DedupWindow::encode_entry(*entry)));
  }
  BOOST_TEST(restored.size() == original.size());

  for (const auto offset : {seconds{0}, seconds{61}, seconds{200}, seconds{400}, seconds{900}}) {
    for (const auto& key : keys) {
      BOOST_TEST(restored.contains(key, t0 + offset) == original.contains(key, t0 + offset));
    }
  }
  const auto at = t0 + seconds{330};
  for (const auto& key : keys) {
    BOOST_TEST((restored.observe(key, at, day) == original.observe(key, at, day)));
  }
  const auto later = t0 + hours{25};
  BOOST_TEST(restored.evict_expired(later) == original.evict_expired(later));
  BOOST_TEST(restored.size() == 0U);
}

BOOST_AUTO_TEST_CASE(later_restore_record_wins) {
  DedupWindow w;
  const std::string d = DedupWindow::digest_of("k");
  const std::int64_t base = 1'704'067'200'000;
  BOOST_TEST(w.restore(d, DedupWindow::encode_entry({base, base + 1000})));
  BOOST_TEST(w.restore(d, DedupWindow::encode_entry({base + 5000, base + 6000})));
  BOOST_TEST(w.size() == 1U);
  // Live past the first record's expiry: the second record replaced it.
  BOOST_TEST(w.contains("k", t0 + milliseconds{2000}));
  BOOST_TEST(!w.contains("k", t0 + milliseconds{6000}));
  // The superseded record's expiry evicts nothing.
  BOOST_TEST(w.evict_expired(t0 + milliseconds{1000}).empty());
  BOOST_TEST(w.evict_expired(t0 + milliseconds{6000}).size() == 1U);
}

BOOST_AUTO_TEST_CASE(tombstones_remove) {
  DedupWindow w;
  w.observe("a", t0, day);
  w.observe("b", t0, day);
  w.restore_tombstone(DedupWindow::digest_of("a"));
  w.restore_tombstone(DedupWindow::digest_of("never-seen"));
  w.restore_tombstone("short");
  BOOST_TEST(w.size() == 1U);
  BOOST_TEST(!w.contains("a", t0));
  BOOST_TEST(w.contains("b", t0));
  BOOST_TEST((w.observe("a", t0, day) == Verdict::first));
  // Many tombstones leave stale index items; eviction still returns each live digest once.
  for (std::size_t i = 0; i < 10000; ++i) w.observe(key_of(i), t0, seconds{1});
  for (std::size_t i = 0; i < 10000; i += 2) w.restore_tombstone(DedupWindow::digest_of(key_of(i)));
  BOOST_TEST(w.size() == 5002U);
  BOOST_TEST(w.evict_expired(t0 + seconds{1}).size() == 5000U);
  BOOST_TEST(w.size() == 2U);
}

BOOST_AUTO_TEST_CASE(malformed_changelog_rejected) {
  const std::string good = DedupWindow::encode_entry({10, 20});
  BOOST_TEST(!DedupWindow::decode_entry("").has_value());
  BOOST_TEST(!DedupWindow::decode_entry(good.substr(0, 15)).has_value());
  BOOST_TEST(!DedupWindow::decode_entry(good + '\0').has_value());
  BOOST_TEST(!DedupWindow::decode_entry(DedupWindow::encode_entry({20, 10})).has_value());

  DedupWindow w;
  const std::string d = DedupWindow::digest_of("k");
  BOOST_TEST(!w.restore(d, good.substr(0, 15)));
  BOOST_TEST(!w.restore(d.substr(0, 15), good));
  BOOST_TEST(!w.restore(d + 'x', good));
  BOOST_TEST(w.size() == 0U);
  BOOST_TEST(w.restore(d, good));
  // A malformed later record leaves the earlier one in place.
  BOOST_TEST(!w.restore(d, "garbage"));
  BOOST_TEST((w.find(d) == DedupWindow::Entry{10, 20}));
  BOOST_TEST(!w.find("short").has_value());
}

BOOST_AUTO_TEST_CASE(key_length_does_not_change_bytes_per_key) {
  constexpr std::size_t n = 20000;
  DedupWindow short_keys;
  DedupWindow long_keys;
  for (std::size_t i = 0; i < n; ++i) {
    short_keys.observe(std::to_string(i), t0, day);
    long_keys.observe(std::string(2000, 'k') + std::to_string(i), t0, day);
  }
  BOOST_TEST(short_keys.size() == n);
  BOOST_TEST(long_keys.size() == n);
  BOOST_TEST(short_keys.approximate_bytes() == long_keys.approximate_bytes());
  BOOST_TEST_MESSAGE("approximate bytes per key: " << short_keys.approximate_bytes() / n);
}

BOOST_AUTO_TEST_CASE(hundred_thousand_keys_inserted_and_evicted) {
  constexpr std::size_t n = 100000;
  DedupWindow w;
  const std::size_t empty_bytes = w.approximate_bytes();
  std::vector<std::string> digests;
  for (std::size_t i = 0; i < n; ++i) {
    // Windows spread over 0..999 ms, so expiries interleave with insertion order.
    w.observe(key_of(i), t0, milliseconds{static_cast<std::int64_t>((i * 7919) % 1000)});
    if (i % 10 == 0) digests.push_back(DedupWindow::digest_of(key_of(i)));
  }
  BOOST_TEST(w.size() == n);
  // Expected expiry of a sample of keys, to check that one large call evicts soonest first.
  std::unordered_map<std::string, std::int64_t> expiry;
  for (const auto& d : digests) expiry[d] = w.find(d)->expires_ms;

  std::size_t evicted = w.evict_expired(t0 + milliseconds{100}, 1000).size();
  std::int64_t previous = 0;
  bool ordered = true;
  const auto rest = w.evict_expired(t0 + seconds{1});
  for (const auto& d : rest) {
    const auto it = expiry.find(d);
    if (it == expiry.end()) continue;
    ordered = ordered && previous <= it->second;
    previous = it->second;
  }
  evicted += rest.size();
  BOOST_TEST(ordered);
  BOOST_TEST(evicted == n);
  BOOST_TEST(w.size() == 0U);
  BOOST_TEST(!w.contains(key_of(0), t0));
  // Memory is handed back once the window empties (index and buckets shrink).
  BOOST_TEST(w.approximate_bytes() <= empty_bytes + 64U);
  BOOST_TEST_MESSAGE("approximate bytes when emptied: " << w.approximate_bytes());
}

BOOST_AUTO_TEST_CASE(measured_heap_bytes_per_key) {
  constexpr std::size_t n = 200000;
  DedupWindow w;
  const std::size_t before = heap_in_use();
  for (std::size_t i = 0; i < n; ++i) w.observe(key_of(i), t0, day);
  const std::size_t after = heap_in_use();
  BOOST_TEST(w.size() == n);
  if (asan) {
    BOOST_TEST_MESSAGE("measured heap bytes per key: skipped (mallinfo2 does not see ASAN's heap)");
    return;
  }
  const double measured = static_cast<double>(after - before) / static_cast<double>(n);
  const double estimated = static_cast<double>(w.approximate_bytes()) / static_cast<double>(n);
  BOOST_TEST_MESSAGE("measured heap bytes per key (mallinfo2, "
                     << n << " keys): " << measured
                     << "; approximate_bytes() per key: " << estimated);
  // A generous bound, not a benchmark: catches a regression to storing whole keys or strings.
  BOOST_TEST(measured < 200.0);
}

BOOST_AUTO_TEST_CASE(observe_digest_agrees_with_observe) {
  DedupWindow w;
  const std::string digest = DedupWindow::digest_of(key_of(7));
  BOOST_TEST(digest.size() == DedupWindow::digest_size);
  BOOST_TEST((w.observe_digest(digest, t0, day) == Verdict::first));
  BOOST_TEST((w.observe(key_of(7), t0, day) == Verdict::duplicate));        // the same identity
  BOOST_TEST((w.observe_digest(digest, t0 + day, day) == Verdict::first));  // expired
  BOOST_TEST((w.observe_digest("short", t0, day) == Verdict::first));       // not a digest
  BOOST_TEST(w.size() == 1u);
}
