#include "ctl/dlq/replay_runs.h"

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <pqxx/pqxx>
#include "core/db/audit_log.h"

namespace hookline::ctl {
namespace {

std::optional<std::int64_t> optional_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

ReplayRun read_run(const pqxx::row& r) {
  ReplayRun run;
  run.id = r[0].as<std::int64_t>();
  run.operator_name = r[1].as<std::string>();
  run.started_at = r[2].as<std::string>();
  run.since_ms = optional_int(r[3]);
  run.until_ms = optional_int(r[4]);
  run.end = read_offsets(r[5].as<std::string>());
  run.next = read_offsets(r[6].as<std::string>());
  run.counts = {r[7].as<std::int64_t>(), r[8].as<std::int64_t>(), r[9].as<std::int64_t>()};
  return run;
}

constexpr const char* kColumns =
    "id, operator, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "since_ms, until_ms, end_offsets::text, next_offsets::text, replayed, skipped, failed";

}  // namespace

std::string offsets_json(const kafka::PartitionOffsets& offsets) {
  std::string out = "{";
  for (const auto& [p, o] : offsets) {
    if (out.size() > 1) out += ',';
    out += '"' + std::to_string(p) + "\":" + std::to_string(o);
  }
  return out + "}";
}

kafka::PartitionOffsets read_offsets(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    throw std::runtime_error("replay_runs: offsets are not a JSON object");
  }
  kafka::PartitionOffsets out;
  const rapidjson::Value& root = doc;  // const iterators: clang's C++20 rewritten != is ambiguous
  for (const auto& m : root.GetObject()) {
    if (!m.value.IsInt64()) throw std::runtime_error("replay_runs: an offset is not an integer");
    out[std::stoi(m.name.GetString())] = m.value.GetInt64();
  }
  return out;
}

bool ReplayRuns::lock(const std::string& topic, const std::string& selection) {
  pqxx::nontransaction tx(conn_);
  return tx
      .exec_params1("SELECT pg_try_advisory_lock(hashtextextended($1, 8))",
                    "hookline-replay " + topic + " " + selection)[0]
      .as<bool>();
}

std::optional<ReplayRun> ReplayRuns::find_open(const std::string& topic,
                                               const std::string& selection) {
  pqxx::read_transaction tx(conn_);
  auto rows = tx.exec_params(std::string("SELECT ") + kColumns +
                                 " FROM replay_runs WHERE source_topic = $1 AND selection = $2 "
                                 "AND finished_at IS NULL",
                             topic, selection);
  if (rows.empty()) return std::nullopt;
  return read_run(rows[0]);
}

ReplayRun ReplayRuns::start(const std::string& topic, const std::string& selection,
                            const std::string& operator_name, std::optional<std::int64_t> since_ms,
                            std::optional<std::int64_t> until_ms,
                            const kafka::PartitionOffsets& end,
                            const kafka::PartitionOffsets& next) {
  pqxx::work tx(conn_);
  auto row = tx.exec_params1(
      std::string("INSERT INTO replay_runs (source_topic, selection, operator, since_ms, "
                  "until_ms, end_offsets, next_offsets) VALUES ($1, $2, $3, $4, $5, $6::jsonb, "
                  "$7::jsonb) RETURNING ") +
          kColumns,
      topic, selection, operator_name, since_ms, until_ms, offsets_json(end), offsets_json(next));
  tx.commit();
  return read_run(row);
}

void ReplayRuns::save(const ReplayRun& run) {
  pqxx::work tx(conn_);
  tx.exec_params0(
      "UPDATE replay_runs SET next_offsets = $2::jsonb, replayed = $3, skipped = $4, failed = $5, "
      "updated_at = now() WHERE id = $1",
      run.id, offsets_json(run.next), run.counts.replayed, run.counts.skipped, run.counts.failed);
  tx.commit();
}

void ReplayRuns::finish(const ReplayRun& run, const std::string& topic,
                        const std::string& selection, const std::string& action) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("run");
  w.Int64(run.id);
  w.Key("selection");
  w.String(selection.c_str(), static_cast<rapidjson::SizeType>(selection.size()));
  w.Key("replayed");
  w.Int64(run.counts.replayed);
  w.Key("skipped");
  w.Int64(run.counts.skipped);
  w.Key("failed");
  w.Int64(run.counts.failed);
  w.EndObject();
  pqxx::work tx(conn_);
  tx.exec_params0(
      "UPDATE replay_runs SET next_offsets = $2::jsonb, replayed = $3, skipped = $4, failed = $5, "
      "updated_at = now(), finished_at = now() WHERE id = $1",
      run.id, offsets_json(run.next), run.counts.replayed, run.counts.skipped, run.counts.failed);
  db::append_audit(tx, "ctl:" + run.operator_name, action, topic,
                   std::string(buf.GetString(), buf.GetSize()));
  tx.commit();
}

}  // namespace hookline::ctl
