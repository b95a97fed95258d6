#pragma once
// The normalizer's deduplication window: a time-windowed seen-set of event identities for ONE
// input partition (DESIGN.md decision 4). A plain struct, testable without Kafka: the
// normalizer's partition task feeds it keys, writes a changelog record for every `first`
// verdict and a tombstone for every evicted digest in the same Kafka transaction as its
// outputs, and on partition assignment rebuilds it with restore()/restore_tombstone() from the
// compacted changelog topic before processing starts.
//
// Not thread-safe: one instance per input partition, used by the one thread that owns it.
//
// Keys are stored as a 16-byte digest (the first 16 bytes of SHA-256 of the key), so memory
// per key does not depend on the key's length. Two different keys share a digest with
// probability about 2^-128 per pair (about n^2 / 2^129 for n live keys: negligible for any
// window that fits in memory); such a collision would report the second key as a duplicate.
//
// Times are kept in whole milliseconds since the Unix epoch (the changelog's precision), so a
// restored window gives exactly the verdicts of the original. The clock is injected: no member
// reads it. An entry is live while now < expiry; it expires at now >= expiry.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hookline::normalizer {

enum class Verdict { first, duplicate };

class DedupWindow {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Size of a stored key digest and of an encoded changelog value, in bytes.
  static constexpr std::size_t digest_size = 16;
  static constexpr std::size_t entry_size = 16;

  // One remembered key: when it was first seen and when it stops counting as seen, both in
  // milliseconds since the Unix epoch.
  struct Entry {
    std::int64_t first_seen_ms = 0;
    std::int64_t expires_ms = 0;
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  // The 16-byte digest that identifies `key` (binary; the changelog record key). Empty only in
  // the never-expected case that OpenSSL fails.
  static std::string digest_of(std::string_view key);

  // The changelog record value: first-seen ms then expiry ms, each a big-endian int64.
  static std::string encode_entry(const Entry& entry);
  // nullopt unless `value` is exactly 16 bytes with expiry >= first-seen.
  static std::optional<Entry> decode_entry(std::string_view value);

  // `first` if `key` is not live (never seen, or its entry expired): it is recorded with expiry
  // now + window (saturating; a negative window counts as zero). `duplicate` if it is live: the
  // expiry is NOT extended, so a key repeated forever is still forgotten one window after it
  // was first seen. Should hashing ever fail, the verdict is `first` and nothing is recorded
  // (a possible duplicate downstream rather than a lost event).
  Verdict observe(std::string_view key, TimePoint now, std::chrono::milliseconds window);

  // The same for a key already hashed with digest_of() (the caller needs the digest too, so
  // the key is hashed once). A digest that is not 16 bytes gives `first` and records nothing.
  Verdict observe_digest(std::string_view digest, TimePoint now, std::chrono::milliseconds window);

  // Whether `key` is live at `now`.
  bool contains(std::string_view key, TimePoint now) const;

  // The entry stored under a 16-byte digest, live or expired-but-not-evicted; nullopt if none.
  // The partition task encodes it as the changelog value after a `first` verdict.
  std::optional<Entry> find(std::string_view digest) const;

  // Removes entries whose expiry <= now, soonest expiry first, at most `max` of them, and
  // returns their digests (the changelog writes a tombstone for each). O(k log n) for k
  // evictions, plus the stale index items it skips (see below); never a full scan.
  std::vector<std::string> evict_expired(TimePoint now, std::size_t max = SIZE_MAX);
  // The same, with each evicted entry (so a caller can put it back if its transaction aborts).
  std::vector<std::pair<std::string, Entry>> evict_expired_entries(TimePoint now,
                                                                   std::size_t max = SIZE_MAX);

  // Applies one changelog record while restoring: a later record for the same digest replaces
  // the earlier one. Returns false (and changes nothing) if the digest is not 16 bytes or the
  // value does not decode; the caller counts and skips such records. Entries restored already
  // expired are kept until the next evict_expired(), which returns them so their tombstones
  // are written and compaction can drop them.
  bool restore(std::string_view digest, std::string_view value);
  // Applies a changelog tombstone (null value): forgets the digest, if present.
  void restore_tombstone(std::string_view digest);

  // Number of stored entries (live or expired-but-not-evicted).
  std::size_t size() const { return entries_.size(); }

  // An estimate of the heap bytes held, as glibc malloc would count them: one hash node per
  // entry (next pointer + 16-byte digest + Entry = 40 bytes, a 48-byte malloc chunk; the hash
  // code is not cached because the hasher is noexcept and trivial), one pointer per bucket,
  // and the expiry index's capacity (24 bytes per item). Independent of key lengths.
  std::size_t approximate_bytes() const;

 private:
  using Digest = std::array<char, digest_size>;

  // The digest is already uniformly distributed: its first 8 bytes are the hash.
  struct DigestHash {
    std::size_t operator()(const Digest& d) const noexcept {
      std::size_t h = 0;
      std::memcpy(&h, d.data(), sizeof h);
      return h;
    }
  };

  // An expiry-index item. The index is a min-heap on (expires_ms, digest) with lazy deletion:
  // an item is stale when the map has no entry for its digest or the entry's expiry differs
  // (the entry was replaced or tombstoned); stale items are skipped when they surface, and the
  // heap is rebuilt from the map when stale items outnumber live ones.
  struct IndexItem {
    std::int64_t expires_ms;
    Digest digest;
  };
  struct LaterFirst {
    bool operator()(const IndexItem& a, const IndexItem& b) const noexcept {
      if (a.expires_ms != b.expires_ms) return a.expires_ms > b.expires_ms;
      return a.digest > b.digest;
    }
  };

  static std::optional<Digest> to_digest(std::string_view bytes);
  static std::optional<Digest> hash_key(std::string_view key);
  Verdict observe(const Digest& digest, TimePoint now, std::chrono::milliseconds window);

  void put(const Digest& digest, const Entry& entry);
  void push_index(std::int64_t expires_ms, const Digest& digest);
  void compact_index_if_stale();
  void shrink_if_sparse();

  std::unordered_map<Digest, Entry, DigestHash> entries_;
  std::vector<IndexItem> index_;  // a heap under LaterFirst: the soonest expiry at front()
};

}  // namespace hookline::normalizer
