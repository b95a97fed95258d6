#pragma once
// The consent check made again just before a provider call (DESIGN.md decision 8: consent can
// be withdrawn while a message waits for approval or a retry). An interface, so the sender's
// library does not depend on the gatekeeper's: hookline-sender adapts the gatekeeper's
// ConsentChecker (gatekeeper_recheck.h); tests use their own.
#include <chrono>
#include <string>

#include "core/error.h"
#include "sinks/sender/send_request.h"

namespace hookline::sender {

struct RecheckVerdict {
  bool allowed = true;
  // The consent check's reason code (no_opt_in, opted_out, stop_keyword, ...); for one that is
  // not allowed, the suppressed result's reason. [a-z0-9_], at most 64 characters.
  std::string reason;
};

class ConsentRecheck {
 public:
  virtual ~ConsentRecheck() = default;
  // Thread-safe (called by the dispatcher's workers). An error means the check could not be
  // made (the ledger is unreachable): the request is not sent now but retried later.
  virtual Result<RecheckVerdict> check(const SendRequest& request,
                                       std::chrono::system_clock::time_point now) = 0;
};

}  // namespace hookline::sender
