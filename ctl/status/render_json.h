#pragma once
// `hookline status --json`: the snapshot as one JSON object (one line), with per-partition lag.
//
//   {"kafka": "...", "taken_at": "...", "needs_attention": bool, "attention": ["..."],
//    "groups": [{"component", "group_id", "topics": [{"topic", "source", "lag", "partition_count",
//               "partitions": [{"partition", "end", "committed", "lag"}], "note", "error"}]}],
//    "dlqs": [{"topic", "held", "last_hour", "not_replayed", "replay_group", "has_cursor",
//              "error"}],
//    "approvals": {"configured", "pending", "oldest_age_s", "error"},
//    "endpoints": [{"component", "origin", "probes": [{"url", "up", "detail"}]}],
//    "sender": {"scraped", "note", "circuits": [{"connection", "state"}], "throttled": [...],
//               "skipped_lines"},
//    "topology": {"checked", "in_step", "source", "declared", "configs_skipped", "drift",
//                 "error"}}
//
// Unknown numbers are null ("committed" without a commit, or from metrics); empty notes and
// errors are left out.
#include <string>
#include <vector>

#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

std::string render_json(const Snapshot& s, const std::vector<std::string>& attention);

}  // namespace hookline::ctl::status
