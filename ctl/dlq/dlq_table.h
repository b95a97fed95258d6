#pragma once
// How dead-lettered records are shown: the table of hookline dlq list and replay --dry-run (one
// line per record, no bodies, no addresses), JSON lines for --json, and the totals per error
// class at the end.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "ctl/dlq/dlq_entry.h"

namespace hookline::ctl {

class DlqTable {
 public:
  explicit DlqTable(std::FILE* out, bool json = false) : out_(out), json_(json) {}
  void header();
  void row(const DlqEntry& entry);
  // "N records; by error class: http-503 12, ..." (text) or {"totals":{...}} (JSON).
  void totals();
  std::int64_t count() const noexcept { return count_; }

 private:
  std::FILE* out_;
  bool json_;
  std::int64_t count_ = 0;
  std::map<std::string, std::int64_t> by_class_;
};

// One JSON object (no trailing newline) with every field of the entry.
std::string entry_json(const DlqEntry& entry);

}  // namespace hookline::ctl
