#include "ctl/dlq/replayer.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

#include <pqxx/pqxx>

#include "core/db/connection.h"
#include "core/kafka/admin.h"
#include "core/kafka/producer.h"
#include "core/kafka/topic_scan.h"
#include "core/time_format.h"
#include "ctl/dlq/dlq_table.h"
#include "ctl/dlq/replay_record.h"
#include "ctl/dlq/replay_runs.h"

namespace hookline::ctl {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitNotConfirmed = 2;
constexpr int kExitInterrupted = 130;
constexpr std::int64_t kSaveEvery = 200;

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
}

// SIGINT and SIGTERM set g_stop while it lives (no SA_RESTART: a blocked read returns).
class StopOnSignal {
 public:
  StopOnSignal() {
    g_stop.store(false);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopOnSignal() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

class Replay {
 public:
  Replay(const Config& cfg, const ReplaySpec& spec) : cfg_(cfg), spec_(spec) {}

  int run();

 private:
  int fail(const std::string& message, int code = kExitFailure) const {
    std::fprintf(stderr, "%s: %s\n", spec_.program.c_str(), message.c_str());
    return code;
  }
  bool load_topics();
  int partitions_of(const std::string& topic) const {
    auto it = partitions_.find(topic);
    return it == partitions_.end() ? 0 : it->second;
  }
  Result<ReplayTarget> target_of(const DlqEntry& e) const;
  bool plan_new(kafka::TopicScan& scan);
  bool count(kafka::TopicScan& scan);
  bool confirmed() const;
  int replay(kafka::TopicScan& scan);
  void progress(bool last);
  void summary(const char* how) const;

  const Config& cfg_;
  const ReplaySpec& spec_;
  std::map<std::string, int> partitions_;
  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<ReplayRuns> runs_;
  ReplayRun run_;
  bool resumed_ = false;
  std::int64_t to_replay_ = 0;
  std::map<std::string, std::int64_t> to_skip_;       // reason -> records
  std::map<std::string, std::int64_t> by_target_;     // topic -> records
  std::map<std::string, std::int64_t> skip_reasons_;  // during the replay
  Clock::time_point last_progress_{};
};

Result<ReplayTarget> Replay::target_of(const DlqEntry& e) const {
  if (spec_.raw) {
    if (!e.replayed_from.empty()) {
      return Error{ErrorKind::permanent, {}, "already a replay (its original is replayed)"};
    }
    return ReplayTarget{spec_.source_topic, e.partition};
  }
  return replay_target(e, spec_.source_topic,
                       [this](const std::string& t) { return partitions_of(t); });
}

bool Replay::load_topics() {
  try {
    auto admin = kafka::AdminClient::create(cfg_.kafka, "hookline-ctl");
    auto md = admin->describe(cfg_.kafka.timeout);
    if (!md) {
      fail(md.error().message);
      return false;
    }
    for (const auto& [name, t] : md->topics) partitions_[name] = t.partitions;
  } catch (const kafka::KafkaError& e) {
    fail(e.what());
    return false;
  }
  return true;
}

bool Replay::plan_new(kafka::TopicScan& scan) {
  auto marks = scan.watermarks();
  if (!marks) {
    fail(marks.error().message);
    return false;
  }
  kafka::PartitionOffsets begin, end;
  for (const auto& r : *marks) {
    begin[r.partition] = r.begin;
    end[r.partition] = r.end;
  }
  if (spec_.new_only) {
    auto cursor = scan.committed();
    if (!cursor) {
      fail(cursor.error().message);
      return false;
    }
    for (const auto& [p, o] : *cursor) begin[p] = std::max(begin[p], std::min(o, end[p]));
  }
  if (spec_.filter.since_ms) {
    auto from = scan.offsets_for_time(*spec_.filter.since_ms);
    if (!from) {
      fail(from.error().message);
      return false;
    }
    for (const auto& [p, o] : *from) begin[p] = std::max(begin[p], o);
  }
  if (spec_.filter.until_ms) {
    auto to = scan.offsets_for_time(*spec_.filter.until_ms + 1);
    if (!to) {
      fail(to.error().message);
      return false;
    }
    for (const auto& [p, o] : *to) end[p] = std::min(end[p], o);
  }
  run_.since_ms = spec_.filter.since_ms;
  run_.until_ms = spec_.filter.until_ms;
  run_.end = end;
  run_.next = begin;
  return true;
}

bool Replay::count(kafka::TopicScan& scan) {
  std::vector<kafka::PartitionRange> ranges;
  for (const auto& [p, end] : run_.end) {
    auto it = run_.next.find(p);
    ranges.push_back({p, it == run_.next.end() ? 0 : it->second, end});
  }
  std::unique_ptr<DlqTable> table;
  if (spec_.dry_run) {
    table = std::make_unique<DlqTable>(stdout);
    table->header();
  }
  Selection filter = spec_.filter;
  filter.since_ms = run_.since_ms;
  filter.until_ms = run_.until_ms;
  Status st = scan.read(ranges, [&](const kafka::Message& m) {
    const kafka::Headers headers = m.headers();
    const DlqEntry e = describe_dlq_record(view_of(m, headers));
    if (!filter.matches(e)) return true;
    auto target = target_of(e);
    if (!target) {
      ++to_skip_[target.error().message];
      return true;
    }
    ++to_replay_;
    ++by_target_[target->topic];
    if (table) table->row(e);
    return true;
  });
  if (!st) {
    fail(st.error().message);
    return false;
  }
  return true;
}

bool Replay::confirmed() const {
  if (spec_.yes) return true;
  std::fprintf(stderr, "Replay %lld record%s from %s? [y/N] ", static_cast<long long>(to_replay_),
               to_replay_ == 1 ? "" : "s", spec_.source_topic.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    std::fprintf(stderr, "\n");
    return false;
  }
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

void Replay::progress(bool last) {
  if (!isatty(STDERR_FILENO)) return;
  const auto now = Clock::now();
  if (!last && now - last_progress_ < std::chrono::milliseconds(100)) return;
  last_progress_ = now;
  const std::int64_t done = run_.counts.replayed + run_.counts.skipped + run_.counts.failed;
  const std::int64_t total = std::max<std::int64_t>(to_replay_, 1);
  const int width = 30;
  const int filled = static_cast<int>(std::min<std::int64_t>(width, done * width / total));
  std::fprintf(stderr, "\r[%s%s] %lld/%lld",
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), '.').c_str(),
               static_cast<long long>(done), static_cast<long long>(to_replay_));
  if (last) std::fprintf(stderr, "\n");
}

void Replay::summary(const char* how) const {
  std::printf("%s: replayed %lld, skipped %lld, failed %lld (run #%lld)\n", how,
              static_cast<long long>(run_.counts.replayed),
              static_cast<long long>(run_.counts.skipped),
              static_cast<long long>(run_.counts.failed), static_cast<long long>(run_.id));
  for (const auto& [reason, n] : skip_reasons_) {
    std::printf("  skipped %lld: %s\n", static_cast<long long>(n), reason.c_str());
  }
}

int Replay::replay(kafka::TopicScan& scan) {
  std::unique_ptr<kafka::Producer> producer;
  try {
    kafka::Producer::Options popts;
    popts.client_id = "hookline-ctl-replay";
    popts.defaults = kafka::quiet_client_defaults();
    popts.defaults["linger.ms"] = "0";
    producer = kafka::Producer::create(cfg_.kafka, popts);
  } catch (const kafka::KafkaError& e) {
    return fail(e.what());
  }
  std::vector<kafka::PartitionRange> ranges;
  for (const auto& [p, end] : run_.end) ranges.push_back({p, run_.next[p], end});
  Selection filter = spec_.filter;
  filter.since_ms = run_.since_ms;
  filter.until_ms = run_.until_ms;
  const auto gap = spec_.rate_per_s > 0 ? std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(1.0 / spec_.rate_per_s))
                                        : Clock::duration::zero();
  auto next_at = Clock::now();
  std::int64_t since_save = 0;
  std::optional<std::string> stopped;  // why the run stopped early
  bool interrupted = false;
  StopOnSignal signals;
  Status st = scan.read(ranges, [&](const kafka::Message& m) {
    if (g_stop.load()) {
      interrupted = true;
      return false;
    }
    const kafka::Headers headers = m.headers();
    const DlqEntry e = describe_dlq_record(view_of(m, headers));
    if (filter.matches(e)) {
      auto target = target_of(e);
      if (!target) {
        ++run_.counts.skipped;
        ++skip_reasons_[target.error().message];
      } else {
        if (gap > Clock::duration::zero()) {
          while (Clock::now() < next_at && !g_stop.load()) {
            std::this_thread::sleep_for(
                std::min<Clock::duration>(next_at - Clock::now(), std::chrono::milliseconds(50)));
          }
          if (g_stop.load()) {
            interrupted = true;
            return false;
          }
          next_at = std::max(next_at + gap, Clock::now() - gap);
        }
        const kafka::Headers out_headers =
            replayed_headers(headers, coordinates(spec_.source_topic, e.partition, e.offset),
                             spec_.operator_name, std::chrono::system_clock::now(), spec_.raw);
        kafka::OutRecord rec;
        rec.topic = target->topic;
        rec.key = m.key();
        rec.value = m.value();
        rec.headers = &out_headers;
        rec.partition = target->partition >= 0 ? target->partition : RD_KAFKA_PARTITION_UA;
        auto report = producer->produce_sync(rec, cfg_.kafka.timeout);
        const std::optional<Error> err =
            !report ? std::optional<Error>(report.error()) : report->error;
        if (err) {
          if (err->retriable() || err->fatal()) {
            stopped = "Kafka did not take record " + std::to_string(e.partition) + ":" +
                      std::to_string(e.offset) + " (" + err->message + ")";
            return false;  // its position is not passed: a re-run starts with it
          }
          ++run_.counts.failed;
          std::fprintf(stderr, "%s: record %d:%lld not replayed: %s\n", spec_.program.c_str(),
                       e.partition, static_cast<long long>(e.offset), err->message.c_str());
        } else {
          ++run_.counts.replayed;
        }
      }
    }
    run_.next[e.partition] = e.offset + 1;
    if (++since_save >= kSaveEvery) {
      since_save = 0;
      runs_->save(run_);
    }
    progress(false);
    return true;
  });
  progress(true);
  producer->close();
  if (!st && !stopped) stopped = st.error().message;
  if (interrupted || stopped) {
    runs_->save(run_);
    summary(interrupted ? "interrupted" : "stopped");
    if (stopped) fail(*stopped);
    std::printf("run the same command again to resume where it stopped\n");
    return interrupted ? kExitInterrupted : kExitFailure;
  }
  runs_->finish(run_, spec_.source_topic, spec_.selection, spec_.audit_action);
  if (!spec_.cursor_group.empty()) {
    // Only forward: a run that began before the cursor leaves it where it is.
    auto cursor = scan.committed();
    const kafka::PartitionOffsets committed = cursor ? *cursor : kafka::PartitionOffsets{};
    kafka::PartitionOffsets moved;
    for (const auto& [p, end] : run_.end) {
      const auto it = committed.find(p);
      if (it == committed.end() || it->second < end) moved[p] = end;
    }
    if (Status c = scan.commit(moved); !c) {
      fail("the replay finished but the replay cursor did not move: " + c.error().message);
    }
  }
  summary("done");
  return run_.counts.failed > 0 ? kExitFailure : kExitOk;
}

int Replay::run() {
  auto opened = kafka::TopicScan::open(cfg_.kafka, spec_.source_topic, spec_.cursor_group);
  if (!opened) return fail(opened.error().message);
  kafka::TopicScan& scan = **opened;
  if (!load_topics()) return kExitFailure;
  if (!spec_.dry_run || !cfg_.database.url.empty()) {
    try {
      db_ = db::connect(cfg_.database);
      runs_ = std::make_unique<ReplayRuns>(*db_);
      if (!spec_.dry_run && !runs_->lock(spec_.source_topic, spec_.selection)) {
        return fail("the same replay is running in another session; wait for it or stop it");
      }
      if (auto open = runs_->find_open(spec_.source_topic, spec_.selection)) {
        run_ = *open;
        resumed_ = true;
      }
    } catch (const db::DbError& e) {
      return fail(std::string(e.what()) + " (a replay records its runs there, to resume them)");
    } catch (const std::exception& e) {
      return fail("database: " + db::first_line(db::scrub_password(e.what(), cfg_.database.url)));
    }
  }
  if (!resumed_ && !plan_new(scan)) return kExitFailure;
  if (resumed_) {
    std::printf(
        "resuming run #%lld (started %s by %s): replayed %lld, skipped %lld, failed %lld "
        "so far\n",
        static_cast<long long>(run_.id), run_.started_at.c_str(), run_.operator_name.c_str(),
        static_cast<long long>(run_.counts.replayed), static_cast<long long>(run_.counts.skipped),
        static_cast<long long>(run_.counts.failed));
  }
  if (!count(scan)) return kExitFailure;
  if (spec_.dry_run) {
    std::printf("dry run: would replay %lld record%s", static_cast<long long>(to_replay_),
                to_replay_ == 1 ? "" : "s");
    const char* sep = " (";
    for (const auto& [topic, n] : by_target_) {
      std::printf("%s%lld to %s", sep, static_cast<long long>(n), topic.c_str());
      sep = ", ";
    }
    std::printf("%s\n", by_target_.empty() ? "" : ")");
    for (const auto& [reason, n] : to_skip_) {
      std::printf("  would skip %lld: %s\n", static_cast<long long>(n), reason.c_str());
    }
    std::printf("nothing was replayed\n");
    return kExitOk;
  }
  if (to_replay_ == 0 && to_skip_.empty() && !resumed_) {
    std::printf("nothing to replay\n");
    return kExitOk;
  }
  if (!confirmed())
    return fail("not confirmed; nothing was replayed (--yes skips the question)",
                kExitNotConfirmed);
  try {
    if (!resumed_) {
      run_ = runs_->start(spec_.source_topic, spec_.selection, spec_.operator_name, run_.since_ms,
                          run_.until_ms, run_.end, run_.next);
    }
    return replay(scan);
  } catch (const std::exception& e) {
    return fail("database: " + db::first_line(db::scrub_password(e.what(), cfg_.database.url)));
  }
}

}  // namespace

int run_replay(const Config& cfg, const ReplaySpec& spec) {
  return Replay(cfg, spec).run();
}

}  // namespace hookline::ctl
