#include "processors/normalizer/dedup_window.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/crypto/digest.h"

namespace hookline::normalizer {
namespace {

std::int64_t to_ms(DedupWindow::TimePoint t) {
  return static_cast<std::int64_t>(
      std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

// now + window, a negative window counting as zero, saturating at the largest time.
std::int64_t expiry_of(std::int64_t now_ms, std::chrono::milliseconds window) {
  const auto w = std::max<std::int64_t>(0, static_cast<std::int64_t>(window.count()));
  if (now_ms > std::numeric_limits<std::int64_t>::max() - w) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return now_ms + w;
}

void put_be64(std::string& out, std::int64_t value) {
  const auto u = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<unsigned char>((u >> shift) & 0xffU)));
  }
}

std::int64_t get_be64(std::string_view in) {
  std::uint64_t u = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    u = (u << 8) | static_cast<unsigned char>(in[i]);
  }
  return static_cast<std::int64_t>(u);
}

// The size of the glibc malloc chunk (64-bit) that serves a request of `n` bytes: the request
// plus an 8-byte header, rounded up to 16, at least 32.
constexpr std::size_t malloc_chunk(std::size_t n) {
  const std::size_t chunk = (n + 8 + 15) / 16 * 16;
  return chunk < 32 ? 32 : chunk;
}

// Small tables are never shrunk: below these sizes the memory is not worth a rehash.
constexpr std::size_t min_shrink_capacity = 1024;
// The index is rebuilt once its stale items exceed its live ones by this slack.
constexpr std::size_t index_rebuild_slack = 64;

}  // namespace

std::optional<DedupWindow::Digest> DedupWindow::to_digest(std::string_view bytes) {
  if (bytes.size() != digest_size) return std::nullopt;
  Digest d{};
  std::copy(bytes.begin(), bytes.end(), d.begin());
  return d;
}

std::optional<DedupWindow::Digest> DedupWindow::hash_key(std::string_view key) {
  const std::string full = crypto::sha256(key);
  if (full.size() < digest_size) return std::nullopt;
  return to_digest(std::string_view(full).substr(0, digest_size));
}

std::string DedupWindow::digest_of(std::string_view key) {
  const auto d = hash_key(key);
  if (!d) return {};
  return std::string(d->data(), d->size());
}

std::string DedupWindow::encode_entry(const Entry& entry) {
  std::string out;
  out.reserve(entry_size);
  put_be64(out, entry.first_seen_ms);
  put_be64(out, entry.expires_ms);
  return out;
}

std::optional<DedupWindow::Entry> DedupWindow::decode_entry(std::string_view value) {
  if (value.size() != entry_size) return std::nullopt;
  Entry e{get_be64(value.substr(0, 8)), get_be64(value.substr(8, 8))};
  if (e.expires_ms < e.first_seen_ms) return std::nullopt;
  return e;
}

Verdict DedupWindow::observe(std::string_view key, TimePoint now,
                             std::chrono::milliseconds window) {
  const auto d = hash_key(key);
  if (!d) return Verdict::first;
  return observe(*d, now, window);
}

Verdict DedupWindow::observe_digest(std::string_view digest, TimePoint now,
                                    std::chrono::milliseconds window) {
  const auto d = to_digest(digest);
  if (!d) return Verdict::first;
  return observe(*d, now, window);
}

Verdict DedupWindow::observe(const Digest& digest, TimePoint now,
                             std::chrono::milliseconds window) {
  const std::int64_t now_ms = to_ms(now);
  const auto it = entries_.find(digest);
  if (it != entries_.end() && now_ms < it->second.expires_ms) return Verdict::duplicate;
  put(digest, Entry{now_ms, expiry_of(now_ms, window)});
  return Verdict::first;
}

bool DedupWindow::contains(std::string_view key, TimePoint now) const {
  const auto d = hash_key(key);
  if (!d) return false;
  const auto it = entries_.find(*d);
  return it != entries_.end() && to_ms(now) < it->second.expires_ms;
}

std::optional<DedupWindow::Entry> DedupWindow::find(std::string_view digest) const {
  const auto d = to_digest(digest);
  if (!d) return std::nullopt;
  const auto it = entries_.find(*d);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> DedupWindow::evict_expired(TimePoint now, std::size_t max) {
  std::vector<std::string> digests;
  for (auto& [digest, entry] : evict_expired_entries(now, max))
    digests.push_back(std::move(digest));
  return digests;
}

std::vector<std::pair<std::string, DedupWindow::Entry>> DedupWindow::evict_expired_entries(
    TimePoint now, std::size_t max) {
  std::vector<std::pair<std::string, Entry>> evicted;
  const std::int64_t now_ms = to_ms(now);
  while (evicted.size() < max && !index_.empty() && index_.front().expires_ms <= now_ms) {
    std::pop_heap(index_.begin(), index_.end(), LaterFirst{});
    const IndexItem item = index_.back();
    index_.pop_back();
    const auto it = entries_.find(item.digest);
    if (it == entries_.end() || it->second.expires_ms != item.expires_ms) continue;  // stale
    evicted.emplace_back(std::string(item.digest.data(), item.digest.size()), it->second);
    entries_.erase(it);
  }
  shrink_if_sparse();
  return evicted;
}

bool DedupWindow::restore(std::string_view digest, std::string_view value) {
  const auto d = to_digest(digest);
  const auto e = decode_entry(value);
  if (!d || !e) return false;
  put(*d, *e);
  return true;
}

void DedupWindow::restore_tombstone(std::string_view digest) {
  const auto d = to_digest(digest);
  if (!d) return;
  // The entry's index item becomes stale and is skipped or compacted away later.
  if (entries_.erase(*d) > 0) compact_index_if_stale();
}

std::size_t DedupWindow::approximate_bytes() const {
  constexpr std::size_t node_bytes =
      malloc_chunk(sizeof(void*) + sizeof(std::pair<const Digest, Entry>));
  return entries_.size() * node_bytes + entries_.bucket_count() * sizeof(void*) +
         index_.capacity() * sizeof(IndexItem);
}

void DedupWindow::put(const Digest& digest, const Entry& entry) {
  const auto [it, inserted] = entries_.try_emplace(digest, entry);
  if (inserted) {
    push_index(entry.expires_ms, digest);
    return;
  }
  // A replaced entry's index item stays valid if the expiry is unchanged, else becomes stale.
  const bool expiry_changed = it->second.expires_ms != entry.expires_ms;
  it->second = entry;
  if (expiry_changed) {
    push_index(entry.expires_ms, digest);
    compact_index_if_stale();
  }
}

void DedupWindow::push_index(std::int64_t expires_ms, const Digest& digest) {
  index_.push_back(IndexItem{expires_ms, digest});
  std::push_heap(index_.begin(), index_.end(), LaterFirst{});
}

void DedupWindow::compact_index_if_stale() {
  if (index_.size() <= 2 * entries_.size() + index_rebuild_slack) return;
  // O(n), paid for by the more than n stale items pushed since the previous rebuild.
  index_.clear();
  for (const auto& [digest, entry] : entries_)
    index_.push_back(IndexItem{entry.expires_ms, digest});
  std::make_heap(index_.begin(), index_.end(), LaterFirst{});
  shrink_if_sparse();
}

void DedupWindow::shrink_if_sparse() {
  // Hysteresis of 4x (index) and 8x (buckets) keeps the O(n) shrinks amortised O(1).
  if (index_.capacity() > min_shrink_capacity && index_.size() * 4 < index_.capacity()) {
    index_.shrink_to_fit();  // keeps the order, so the heap property holds
  }
  if (entries_.bucket_count() > min_shrink_capacity &&
      entries_.size() * 8 < entries_.bucket_count()) {
    entries_.rehash(0);  // the fewest buckets for the current size and max_load_factor
  }
}

}  // namespace hookline::normalizer
