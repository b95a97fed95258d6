#pragma once
// An operator's replay (hookline dlq replay, hookline replay raw): reads the selected records
// of a source topic between offsets fixed when the run starts and re-produces each, in order,
// to where it belongs (replay_record.h), at a chosen pace.
//
//  1. Finds an unfinished run of the same selection in replay_runs and resumes it, or plans a
//     new one: from the replay cursor (--new-only), the --since time or the low watermark, to
//     the --until time or the end.
//  2. Counts what it would replay and skip (a dry run prints it and stops there).
//  3. Asks, unless --yes (a line on stdin: y or yes; end of input is no).
//  4. Replays, one acknowledged record at a time, saving its position every few hundred
//     records; Ctrl-C (SIGINT/SIGTERM) stops between two records and a re-run resumes. A
//     broker that stops acknowledging stops the run the same way.
//  5. Marks the run finished, writes the audit log, and moves the replay cursor (a consumer
//     group's committed offsets) to the run's end.
#include <string>

#include "core/config.h"
#include "ctl/dlq/selection.h"

namespace hookline::ctl {

struct ReplaySpec {
  std::string source_topic;
  std::string selection;  // canonical text of the filters: names the run
  std::string operator_name;
  std::string audit_action;  // "dlq.replay", "replay.raw"
  Selection filter;
  bool raw = false;          // back to the source topic and partition, re-normalized
  bool new_only = false;     // start at the cursor
  std::string cursor_group;  // "" for none
  double rate_per_s = 0;     // 0: as fast as Kafka acknowledges
  bool dry_run = false;
  bool yes = false;
  std::string program = "hookline dlq";  // prefix of error lines
};

// Prints to stdout (progress to stderr on a terminal); returns the exit code: 0 done, 1 an
// error or a failed record, 2 not confirmed, 130 interrupted.
int run_replay(const Config& cfg, const ReplaySpec& spec);

}  // namespace hookline::ctl
