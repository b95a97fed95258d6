#pragma once
// After the run drains: compares what went in with what came out, by ids, and measures the
// load figures of the same run.
//   webhooks: every accepted delivery's events on its normalized topic, each id once (a repeat
//     only where a normalizer was killed between the two copies, at most one transaction's worth
//     per kill: the dev broker shows aborted transactional records); nothing forged anywhere;
//   sends: every acknowledged request ends in one final outcome, the one its kind calls for;
//     the simulator got each sent request once (twice only across a sender kill: a crash
//     between the provider's answer and the sent-ledger); nothing suppressed reached it;
//     outbound.dlq holds exactly the failing connection's requests that ran out of attempts;
//   PII: no planted address or phone number in any component's output or metrics.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/chaos.h"
#include "tests/e2e/e2e_stack.h"
#include "tests/e2e/request_load.h"
#include "tests/e2e/webhook_load.h"

namespace hookline::e2e {

struct CheckRow {
  std::string what;
  std::int64_t count = 0;
  bool must_be_zero = false;  // a failure when count != 0
  bool ok() const { return !must_be_zero || count == 0; }
};

struct Report {
  std::vector<CheckRow> rows;
  std::map<std::string, double> figures;  // name -> value (see figure_names in checker.cpp)
  std::map<std::string, long> rss_kib;    // component -> resident memory at the end
  std::vector<std::string> examples;      // a few ids per failed row, for the log
  bool ok() const;
};

struct CheckInput {
  E2eStack& stack;
  const WebhookLoad& webhooks;
  const RequestLoad& requests;
  Chaos& chaos;
};

// Reads the topics and the simulator now (after the drain) and builds the report.
Report check(const CheckInput& in);

// True when the outputs are complete: every accepted event seen and every acknowledged request
// with a final result (used to wait for the drain; `missing` gets what is still missing).
bool complete(const CheckInput& in, std::string* missing);

// The table, printed; and the figures as a JSON object (with the run's settings and counts).
std::string format_table(const Report& r);
std::string format_json(const Report& r, const std::map<std::string, std::string>& settings);

}  // namespace hookline::e2e
