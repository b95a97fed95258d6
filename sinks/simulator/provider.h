#pragma once
// One simulated provider: which path it serves, who is calling (the target), what it refuses,
// and its answers, shaped like the real provider's. Pure: no I/O, no state.
#include <optional>
#include <string>

#include "sinks/simulator/exchange.h"

namespace hookline::simulator {

class Provider {
 public:
  virtual ~Provider() = default;

  // resend, sendgrid, twilio, whatsapp, slack, webhook.
  virtual const char* name() const noexcept = 0;
  // An ECMAScript pattern the whole path must match; its groups become Incoming::params.
  virtual const char* path_pattern() const noexcept = 0;
  // Who calls (the target rules match, see match.h); nullopt when the request lacks the
  // provider's authentication (answered with error(401)).
  virtual std::optional<std::string> target(const Incoming& in) const = 0;
  // The answer when the provider would refuse the request as malformed (400); nullopt if fine.
  virtual std::optional<Answer> validate(const Incoming& in) const = 0;
  // The success answer, with fresh ids.
  virtual Answer accept(const Incoming& in) const = 0;
  // The provider's error answer for `status` (401, 405, 409, 429, 5xx, ...).
  virtual Answer error(int status) const = 0;
  // Whether a repeated Idempotency-Key header gets the first answer back (Resend).
  virtual bool honours_idempotency_key() const noexcept { return false; }
};

}  // namespace hookline::simulator
