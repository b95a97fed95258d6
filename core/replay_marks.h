#pragma once
// The headers an operator's replay adds to a re-produced record (hookline dlq replay, hookline
// replay raw; see README "Operator's runbook"). Every replayed record says where it came from,
// who replayed it and when; a raw replay also asks the normalizer to re-emit its events even
// inside the dedup window (with the same CloudEvents ids: consumers dedupe on id).
namespace hookline::replay_marks {

// "<topic>:<partition>:<offset>" of the record that was replayed.
inline constexpr const char* kReplayedFrom = "hookline-replayed-from";
// The operator's name.
inline constexpr const char* kReplayedBy = "hookline-replayed-by";
// RFC 3339 UTC with milliseconds.
inline constexpr const char* kReplayedAt = "hookline-replayed-at";
// "renormalize" on raw replays: the normalizer skips its dedup verdict for this record.
inline constexpr const char* kReplayMode = "hookline-replay-mode";
inline constexpr const char* kRenormalize = "renormalize";

}  // namespace hookline::replay_marks
