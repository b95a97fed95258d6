#pragma once
// The replay_runs table (migrations/0008): one row per operator replay, so an interrupted run
// resumes where it stopped and every replay is on record. Each call is its own transaction;
// finish() also writes the audit_log row. Throws pqxx errors (the command turns them into one
// line).
#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/connection>

#include "core/kafka/topic_scan.h"

namespace hookline::ctl {

struct ReplayCounts {
  std::int64_t replayed = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
};

struct ReplayRun {
  std::int64_t id = 0;
  std::string operator_name;
  std::string started_at;  // RFC 3339 UTC
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  kafka::PartitionOffsets end;
  kafka::PartitionOffsets next;
  ReplayCounts counts;
};

// {"0":12,"3":40} and back (the jsonb columns). read_offsets throws std::runtime_error on
// anything else.
std::string offsets_json(const kafka::PartitionOffsets& offsets);
kafka::PartitionOffsets read_offsets(const std::string& json);

class ReplayRuns {
 public:
  explicit ReplayRuns(pqxx::connection& conn) : conn_(conn) {}

  // Holds a session lock on (topic, selection) until the connection closes; false when another
  // session holds it (the same replay is running elsewhere).
  bool lock(const std::string& topic, const std::string& selection);
  std::optional<ReplayRun> find_open(const std::string& topic, const std::string& selection);
  ReplayRun start(const std::string& topic, const std::string& selection,
                  const std::string& operator_name, std::optional<std::int64_t> since_ms,
                  std::optional<std::int64_t> until_ms, const kafka::PartitionOffsets& end,
                  const kafka::PartitionOffsets& next);
  void save(const ReplayRun& run);
  // Marks the run finished and writes audit_log (actor "ctl:<operator>", `action`, subject the
  // topic, details: run id, selection and counts).
  void finish(const ReplayRun& run, const std::string& topic, const std::string& selection,
              const std::string& action);

 private:
  pqxx::connection& conn_;
};

}  // namespace hookline::ctl
