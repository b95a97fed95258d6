// The consent check with its cache, connection pool and invalidation listener
// (consent_check.h).
#include "processors/gatekeeper/consent/consent_check.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <pqxx/connection>
#include <pqxx/notification>

#include "core/db/connection.h"
#include "core/log.h"
#include "processors/gatekeeper/consent/consent_ledger.h"
#include "processors/gatekeeper/consent/consent_rules.h"

namespace hookline::gatekeeper {
namespace {

using Steady = std::chrono::steady_clock;

// How long one wait for notifications lasts: the bound on how late the destructor is noticed.
constexpr long kAwaitSliceMicros = 200000;

const log::Logger& consent_log() {
  static const log::Logger logger("gatekeeper.consent");
  return logger;
}

// TCP keepalives, so that a listening connection on a dead network fails instead of waiting
// for notifications forever (libpq's defaults leave that to the kernel: hours).
std::string with_keepalives(const std::string& url) {
  if (url.empty() || url.find("keepalives") != std::string::npos) return url;
  constexpr const char* kOptions[] = {"keepalives=1", "keepalives_idle=10", "keepalives_interval=5",
                                      "keepalives_count=3"};
  const bool uri = url.starts_with("postgresql://") || url.starts_with("postgres://");
  std::string out = url;
  char sep = ' ';
  if (uri) sep = url.find('?') == std::string::npos ? '?' : '&';
  for (const char* option : kOptions) {
    if (!(uri && (out.back() == '?' || out.back() == '&'))) out.push_back(sep);
    out.append(option);
    if (uri) sep = '&';
  }
  return out;
}

// Whether a pooled connection still looks alive: reading what the server sent notices a
// connection it closed (a restart, a terminated backend) before a query is sent on it, which
// libpqxx 6.4 would answer with an error that leaks its result.
bool usable(pqxx::connection& conn) noexcept {
  try {
    conn.get_notifs();
    return conn.is_open();
  } catch (...) {
    return false;
  }
}

}  // namespace

struct ConsentChecker::Impl {
  struct Slot {
    std::mutex mutex;
    std::unique_ptr<pqxx::connection> conn;
  };
  struct Cached {
    std::vector<ConsentEntry> entries;
    Steady::time_point loaded;
    std::list<std::string>::iterator age;  // position in `ages`
  };

  // Calls every notification with its payload.
  class Receiver final : public pqxx::notification_receiver {
   public:
    Receiver(pqxx::connection_base& conn, Impl& impl)
        : pqxx::notification_receiver(conn, kConsentNotificationChannel), impl_(impl) {}
    void operator()(const std::string& payload, int /*backend_pid*/) override {
      const std::size_t slash = payload.rfind('/');
      if (slash == std::string::npos) return;
      impl_.invalidate(payload.substr(0, slash), payload.substr(slash + 1));
    }

   private:
    Impl& impl_;
  };

  Impl(const DatabaseConfig& database, ContactHasher h, ConsentRules r, ConsentCheckOptions o)
      : db(database), hasher(std::move(h)), rules(std::move(r)), options(std::move(o)) {
    listen_db = db;
    listen_db.url = with_keepalives(db.url);
    const std::size_t pool = std::max<std::size_t>(1, options.pool_size);
    for (std::size_t i = 0; i < pool; ++i) {
      auto s = std::make_unique<Slot>();
      s->conn = db::connect(db);
      if (i == 0) ConsentLedger::require_tables(*s->conn, db.url);
      slots.push_back(std::move(s));
    }
    if (options.listen) listener = std::thread([this] { listen_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(wake_mutex);
      stopping.store(true);
    }
    wake.notify_all();
    if (listener.joinable()) listener.join();
  }

  static std::string key_of(const std::string& tenant, const std::string& contact_hash) {
    return tenant + "/" + contact_hash;
  }

  // --- the cache ---

  void invalidate(const std::string& tenant, const std::string& contact_hash) {
    std::lock_guard lock(cache_mutex);
    ++generation;
    auto it = cache.find(key_of(tenant, contact_hash));
    if (it == cache.end()) return;
    ages.erase(it->second.age);
    cache.erase(it);
  }

  void drop_all() {
    std::lock_guard lock(cache_mutex);
    ++generation;
    cache.clear();
    ages.clear();
  }

  // The cached entries of `key` while fresh; records the generation a lookup starts from.
  std::optional<std::vector<ConsentEntry>> cached_entries(const std::string& key,
                                                          std::uint64_t& seen_generation) {
    std::lock_guard lock(cache_mutex);
    seen_generation = generation;
    auto it = cache.find(key);
    if (it == cache.end()) return std::nullopt;
    if (Steady::now() - it->second.loaded < options.cache_ttl) return it->second.entries;
    ages.erase(it->second.age);
    cache.erase(it);
    return std::nullopt;
  }

  // Stores a lookup's result unless an invalidation happened since it started (the result
  // may predate the change that was announced).
  void store(const std::string& key, const std::vector<ConsentEntry>& entries,
             Steady::time_point loaded, std::uint64_t seen_generation) {
    if (options.cache_entries == 0) return;
    std::lock_guard lock(cache_mutex);
    if (generation != seen_generation) return;
    if (auto it = cache.find(key); it != cache.end()) {
      ages.erase(it->second.age);
      cache.erase(it);
    }
    while (cache.size() >= options.cache_entries && !ages.empty()) {
      cache.erase(ages.front());
      ages.pop_front();
    }
    ages.push_back(key);
    cache.emplace(key, Cached{entries, loaded, std::prev(ages.end())});
  }

  // --- the pool ---

  // Runs `fn(ledger)` on a pooled connection; after a retriable failure the connection is
  // replaced and `fn` runs once more (every use here is a read or an idempotent write).
  template <class Fn>
  auto with_ledger(Fn fn) -> decltype(fn(std::declval<ConsentLedger&>())) {
    Slot& s = *slots[next.fetch_add(1, std::memory_order_relaxed) % slots.size()];
    std::lock_guard lock(s.mutex);
    decltype(fn(std::declval<ConsentLedger&>())) result = Error{ErrorKind::retriable, {}, ""};
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!s.conn || !usable(*s.conn)) s.conn = db::connect(db);
      } catch (const std::exception& e) {
        s.conn.reset();
        return Error{
            ErrorKind::retriable,
            {},
            "consent ledger unavailable: " + db::first_line(db::scrub_password(e.what(), db.url))};
      }
      ConsentLedger ledger(*s.conn, db.url);
      result = fn(ledger);
      if (result || !result.error().retriable()) return result;
      s.conn.reset();
    }
    return result;
  }

  Result<std::vector<ConsentEntry>> entries_for(const std::string& tenant,
                                                const std::string& contact_hash) {
    const std::string key = key_of(tenant, contact_hash);
    std::uint64_t seen_generation = 0;
    if (auto hit = cached_entries(key, seen_generation)) return std::move(*hit);
    const Steady::time_point start = Steady::now();
    auto entries =
        with_ledger([&](ConsentLedger& ledger) { return ledger.current(tenant, contact_hash); });
    if (options.on_lookup) {
      options.on_lookup(std::chrono::duration<double>(Steady::now() - start).count());
    }
    if (entries) store(key, *entries, start, seen_generation);
    return entries;
  }

  // --- the listener ---

  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(wake_mutex);
    return !wake.wait_for(lock, d, [this] { return stopping.load(); });
  }

  void listen_loop() noexcept {
    std::chrono::milliseconds backoff = options.listen_backoff_min;
    while (!stopping.load()) {
      bool was_listening = false;
      try {
        // Declared in this order so that the receiver goes before its connection.
        std::unique_ptr<pqxx::connection> conn = db::connect(listen_db);
        // A broken connection must surface as an exception (and a dropped cache), not be
        // silently re-opened by libpqxx, which would lose notifications in between.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
        Receiver receiver(*conn, *this);  // LISTEN
        // Changes made before LISTEN took effect were not announced to us.
        drop_all();
        listening_flag.store(true);
        was_listening = true;
        backoff = options.listen_backoff_min;
        consent_log().info("listening for consent changes", {});
        while (!stopping.load()) conn->await_notification(0, kAwaitSliceMicros);
      } catch (const std::exception& e) {
        listening_flag.store(false);
        drop_all();
        consent_log().warn(was_listening ? "lost the consent listener, cache dropped"
                                         : "consent listener cannot connect",
                           {{"reason", db::first_line(db::scrub_password(e.what(), db.url))},
                            {"retry_in_ms", backoff.count()}});
      } catch (...) {
        listening_flag.store(false);
        drop_all();
      }
      listening_flag.store(false);
      if (stopping.load() || !sleep_for(backoff)) break;
      backoff = std::min(backoff * 2, options.listen_backoff_max);
    }
  }

  DatabaseConfig db;
  DatabaseConfig listen_db;
  ContactHasher hasher;
  ConsentRules rules;
  ConsentCheckOptions options;

  std::vector<std::unique_ptr<Slot>> slots;
  std::atomic<std::size_t> next{0};

  mutable std::mutex cache_mutex;
  std::unordered_map<std::string, Cached> cache;
  std::list<std::string> ages;   // cache keys, oldest stored first
  std::uint64_t generation = 0;  // bumped by every invalidation

  std::mutex wake_mutex;
  std::condition_variable wake;
  std::atomic<bool> stopping{false};
  std::atomic<bool> listening_flag{false};
  std::thread listener;
};

ConsentChecker::ConsentChecker(const DatabaseConfig& db, ContactHasher hasher, ConsentRules rules,
                               ConsentCheckOptions options)
    : impl_(std::make_unique<Impl>(db, std::move(hasher), std::move(rules), std::move(options))) {}

ConsentChecker::~ConsentChecker() = default;

Result<ConsentDecision> ConsentChecker::check(const sender::SendRequest& request,
                                              std::chrono::system_clock::time_point now) {
  if (!consent_required(impl_->rules, request.channel)) {
    return ConsentDecision{true, consent_reason::kNoConsentRequired, 0};
  }
  const std::string contact_hash = impl_->hasher.hash(request.tenant, request.address);
  auto entries = impl_->entries_for(request.tenant, contact_hash);
  if (!entries) return entries.error();
  ConsentDecision decision = evaluate_consent(impl_->rules, request, *entries, now);
  if (!needs_confirmation_claim(decision)) return decision;
  const std::int64_t entry_id = decision.entry_id;
  auto claimed = impl_->with_ledger(
      [&](ConsentLedger& ledger) { return ledger.claim_confirmation(entry_id, request.id); });
  if (!claimed) return claimed.error();
  if (!*claimed) return ConsentDecision{false, consent_reason::kConfirmationAlreadySent, entry_id};
  return decision;
}

void ConsentChecker::invalidate(const std::string& tenant, const std::string& contact_hash) {
  impl_->invalidate(tenant, contact_hash);
}

std::size_t ConsentChecker::cached() const {
  std::lock_guard lock(impl_->cache_mutex);
  return impl_->cache.size();
}

bool ConsentChecker::listening() const noexcept {
  return impl_->listening_flag.load();
}

}  // namespace hookline::gatekeeper
