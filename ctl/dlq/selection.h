#pragma once
// Which dead-lettered records an operator's command selects: the filters of hookline dlq list
// and replay (--since, --until, --provider, --connection, --error-class, --ids FILE), how their
// arguments are read, and the canonical text that names a selection (the same command gives
// the same text, so a re-run finds the replay it interrupted).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "ctl/dlq/dlq_entry.h"

namespace hookline::ctl {

// A time argument: RFC 3339 ("2026-11-22T10:00:00Z"), "now", or a duration ago ("90s", "30m",
// "6h", "7d"). Milliseconds since the epoch; an Error (kind permanent) saying what is accepted.
Result<std::int64_t> parse_time_arg(std::string_view text, std::int64_t now_ms);

// --rate: "N" or "N/s", records per second, 0 < N <= 1e6.
Result<double> parse_rate_arg(std::string_view text);

// --by NAME, else $USER: the operator a replay or a reveal is recorded under (<= 64 bytes).
Result<std::string> operator_name(const std::string& by_flag);

// "PARTITION:OFFSET" (both decimal, partition >= 0, offset >= 0).
Result<std::pair<std::int32_t, std::int64_t>> parse_coordinate(std::string_view text);

struct IdList {
  std::set<std::pair<std::int32_t, std::int64_t>> coordinates;  // lines "P:O"
  std::set<std::string> ids;  // any other line: a request id or a delivery id
  std::string digest;         // sha256 of the file, for the selection's name
};

// One entry per line; blank lines and lines starting with '#' are skipped. An Error names the
// file when it cannot be read or holds no entry.
Result<IdList> read_id_list(const std::string& path);

struct Selection {
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  std::string provider;
  std::string connection;  // the connection id, without the provider
  std::string error_class;
  std::optional<IdList> ids;

  bool matches(const DlqEntry& entry) const;
};

// --connection takes "<provider>/<id>" or "<id>"; the first form also sets the provider (a
// different --provider is an Error).
Status set_connection(Selection& selection, std::string_view connection_arg);

}  // namespace hookline::ctl
