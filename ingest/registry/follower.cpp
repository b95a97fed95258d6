#include "ingest/registry/follower.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/notification>

#include "core/db/connection.h"
#include "core/log.h"

namespace hookline::ingest {
namespace {

using Steady = std::chrono::steady_clock;

// How long one wait for notifications lasts: the bound on how late stop() is noticed.
constexpr std::chrono::milliseconds kAwaitSlice{200};
constexpr const char* kActor = "ingest";  // never writes: load_all only

const log::Logger& follower_log() {
  static const log::Logger logger("ingest.registry");
  return logger;
}

long microseconds(std::chrono::nanoseconds d) {
  return static_cast<long>(
      std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count()));
}

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel)
      : pqxx::notification_receiver(conn, channel) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { pending_ = true; }
  // Whether a notification arrived since the last call.
  bool take() noexcept { return std::exchange(pending_, false); }

 private:
  bool pending_ = false;
};

}  // namespace

// One connection that LISTENs. Members are destroyed in reverse: the receiver before the
// connection it is registered with.
class RegistryFollower::Session {
 public:
  explicit Session(const DatabaseConfig& database) : conn_(db::connect(database)) {
    // A broken connection must surface as an exception (and a full reload after reconnecting),
    // not be silently re-opened by libpqxx, which would lose notifications in between.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    conn_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    receiver_ = std::make_unique<Receiver>(*conn_, kNotificationChannel);  // LISTEN
  }
  pqxx::connection& conn() {
    return *conn_;
  }
  Receiver& receiver() {
    return *receiver_;
  }

 private:
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<Receiver> receiver_;
};

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

RegistryFollower::RegistryFollower(DatabaseConfig database, SecretBox box, Registry& registry,
                                   FollowerOptions options)
    : database_(std::move(database)),
      configured_url_(database_.url),
      box_(std::move(box)),
      registry_(registry),
      options_(options) {
  database_.url = with_keepalives(database_.url);
}

RegistryFollower::~RegistryFollower() {
  stop();
}

std::chrono::system_clock::time_point RegistryFollower::last_success() const noexcept {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(last_success_ns_.load())));
}

Status RegistryFollower::load_once() {
  try {
    auto conn = db::connect(database_);
    ConnectionStore store(*conn, box_, kActor);
    apply(store.load_all(), "start");
    return {};
  } catch (const std::exception& e) {
    ++failures_;
    return Error{
        ErrorKind::retriable, {}, "cannot load the connection registry: " + reason_of(e.what())};
  }
}

void RegistryFollower::start() {
  if (thread_.joinable()) return;
  stop_.store(false);
  thread_ = std::thread([this] { run(); });
}

void RegistryFollower::stop() noexcept {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  wake_.notify_all();
  try {
    if (thread_.joinable()) thread_.join();
  } catch (const std::exception&) {
    // join() only throws for a thread joining itself or one already detached.
  }
}

bool RegistryFollower::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !wake_.wait_for(lock, d, [this] { return stopping(); });
}

std::string RegistryFollower::reason_of(const std::string& what) const {
  std::string line = db::scrub_password(db::first_line(what), database_.url);
  const std::string shown = db::printable_url(database_.url);
  if (const auto at = line.find(shown); at != std::string::npos) {
    line.replace(at, shown.size(), db::printable_url(configured_url_));
  }
  return line;
}

void RegistryFollower::record_failure(const char* what, const std::string& reason,
                                      std::chrono::milliseconds retry_in) {
  ++failures_;
  connected_.store(false);
  follower_log().warn(what, {{"reason", reason_of(reason)},
                             {"serving_connections", registry_.size()},
                             {"loaded", registry_.loaded()},
                             {"retry_in_ms", retry_in.count()}});
}

void RegistryFollower::run() noexcept {
  std::chrono::milliseconds backoff = options_.backoff_min;
  while (!stopping()) {
    bool was_connected = false;
    try {
      Session session(database_);
      connected_.store(true);
      was_connected = true;
      reload(session, "connect");
      backoff = options_.backoff_min;
      follow(session);
    } catch (const std::exception& e) {
      record_failure(was_connected ? "lost the registry database, serving the last snapshot"
                                   : "registry database unavailable, serving the last snapshot",
                     e.what(), backoff);
    } catch (...) {
      record_failure("registry follower failed, serving the last snapshot", "unknown error",
                     backoff);
    }
    connected_.store(false);
    if (stopping()) break;
    if (!sleep_for(backoff)) break;
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
}

void RegistryFollower::follow(Session& session) {
  Steady::time_point next_poll = Steady::now() + options_.poll_interval;
  while (!stopping()) {
    const auto slice = std::min<Steady::duration>(kAwaitSlice, next_poll - Steady::now());
    session.conn().await_notification(0, microseconds(slice));
    if (session.receiver().take()) {
      // Let the rest of a burst (an operator script, a key change) arrive, then reload once.
      const Steady::time_point until = Steady::now() + options_.coalesce;
      while (!stopping() && Steady::now() < until) {
        session.conn().await_notification(0, microseconds(until - Steady::now()));
      }
      session.receiver().take();
      reload(session, "notification");
      next_poll = Steady::now() + options_.poll_interval;
    } else if (Steady::now() >= next_poll) {
      reload(session, "poll");
      next_poll = Steady::now() + options_.poll_interval;
    }
  }
}

void RegistryFollower::reload(Session& session, const char* trigger) {
  ConnectionStore store(session.conn(), box_, kActor);
  apply(store.load_all(), trigger);
}

void RegistryFollower::apply(LoadResult result, const char* trigger) {
  const std::size_t count = result.connections.size();
  const std::size_t skipped = result.skipped;
  registry_.replace(std::move(result.connections));
  skipped_.store(skipped);
  ++reloads_;
  last_success_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
  // Polls are routine; loads after a connect or a change are worth a line.
  const bool routine = std::string_view(trigger) == "poll";
  follower_log().write(routine ? log::Level::debug : log::Level::info, "connection registry loaded",
                       {{"trigger", trigger}, {"connections", count}, {"skipped", skipped}});
}

}  // namespace hookline::ingest
