#pragma once
// Every request the simulator answered, newest `capacity` kept in memory, in sequence order,
// and counts per provider and status since the last reset. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sinks/simulator/exchange.h"

namespace hookline::simulator {

// The headers a record keeps (lower case); never Authorization.
extern const char* const kRecordedHeaders[];

struct Record {
  std::int64_t seq = 0;      // assigned by the Recorder, from 1
  std::int64_t time_ms = 0;  // receive time, ms since the Unix epoch
  std::string provider;      // resend|sendgrid|twilio|whatsapp|slack|webhook|unknown
  std::string method;
  std::string path;
  std::string target;  // see match.h; "" when the request had no credentials
  HeaderList headers;  // those of kRecordedHeaders present, lower-case names
  std::string body;
  int status = 0;  // 0: the connection was closed without an answer
  bool idempotent_replay = false;
  std::string message_id;  // the provider's id in the answer; "" when none
};

struct RecordFilter {
  std::string provider;
  std::string target;
  std::string path_prefix;
  std::optional<int> status;
  std::int64_t since_seq = 0;  // records with seq > since_seq
  std::size_t limit = 10000;
};

struct Stats {
  std::int64_t total = 0;                                          // recorded since the last reset
  std::size_t retained = 0;                                        // still queryable
  std::int64_t last_seq = 0;                                       // the newest record's seq
  std::map<std::string, std::map<int, std::int64_t>> by_provider;  // provider → status → count
};

// Keeps the headers of kRecordedHeaders from `headers` (names already lower case).
HeaderList recorded_headers(const HeaderList& headers);

class Recorder {
 public:
  explicit Recorder(std::size_t capacity);

  // Assigns and returns the seq; the oldest record goes when over capacity.
  std::int64_t add(Record record);
  // Matching records in seq order, at most filter.limit of them.
  std::vector<Record> query(const RecordFilter& filter) const;
  Stats stats() const;
  // Forgets records and counts; seq numbers keep growing.
  void clear();

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<Record> records_;
  std::int64_t next_seq_ = 1;
  std::int64_t total_ = 0;
  std::map<std::string, std::map<int, std::int64_t>> counts_;
};

}  // namespace hookline::simulator
