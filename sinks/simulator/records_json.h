#pragma once
// The control API's view of the records: the query string of GET /_sim/requests, and the JSON
// of the records and the stats.
#include <map>
#include <string>
#include <vector>

#include "sinks/simulator/recorder.h"

namespace hookline::simulator {

// provider, target, path_prefix, status, since_seq, limit (1..200000, default 10000).
// Unknown parameters and malformed numbers throw ConfigError naming the parameter.
RecordFilter parse_record_filter(const std::multimap<std::string, std::string>& query);

// {"requests":[{"seq":1,"time_ms":..,"provider":..,"method":..,"path":..,"target":..,
//  "headers":{..},"body":..,"status":200,"idempotent_replay":false,"message_id":..}],
//  "last_seq":N}: last_seq is the newest seq returned, or `since_seq` when none is.
std::string render_requests(const std::vector<Record>& records, std::int64_t since_seq);

// {"total":N,"retained":N,"last_seq":N,"providers":{"resend":{"200":3,"429":1},...}}
std::string render_stats(const Stats& stats);

}  // namespace hookline::simulator
