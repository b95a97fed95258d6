#pragma once
// One simulated provider: which paths it serves (its send endpoint and the cheap authenticated
// endpoint `hookline connections test` calls), who is calling (the target), with what
// credential, what it refuses, and its answers, shaped like the real provider's. Pure: no I/O,
// no state.
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
  // provider's authentication (answered with error(401)). Serves both endpoints.
  virtual std::optional<std::string> target(const Incoming& in) const = 0;
  // The secret the request authenticates with, compared with the credentials declared valid
  // for the provider (credential_list.h): the bearer token, Twilio's Basic password. ""
  // when the provider takes none (webhooks are signed, not authenticated).
  virtual std::string credential(const Incoming& in) const;
  // The answer to a credential that is not among those declared valid: what the provider
  // answers a wrong key (error(401) unless the provider differs).
  virtual Answer wrong_credential() const { return error(401); }
  // The answer when the provider would refuse the request as malformed (400); nullopt if fine.
  virtual std::optional<Answer> validate(const Incoming& in) const = 0;
  // The success answer, with fresh ids.
  virtual Answer accept(const Incoming& in) const = 0;
  // The provider's error answer for `status` (401, 405, 409, 429, 5xx, ...).
  virtual Answer error(int status) const = 0;
  // Whether a repeated Idempotency-Key header gets the first answer back (Resend).
  virtual bool honours_idempotency_key() const noexcept { return false; }

  // The credential check endpoint: its path pattern ("" none; groups become params as for
  // the send path), its method, and its success answer (no side effect, no body read).
  virtual const char* check_pattern() const noexcept { return ""; }
  virtual const char* check_method() const noexcept { return "GET"; }
  virtual Answer check(const Incoming& in) const;
};

}  // namespace hookline::simulator
