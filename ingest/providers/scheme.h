#pragma once
// A signature scheme verifies that a webhook comes from its provider. One file per scheme;
// each is built from its manifest's "scheme" object by a factory listed in registry.cpp.
//
// Contract: verify() never throws and never logs; it answers ok, or a failure with a reason
// code (bounded set, used as a metric label) and a short detail for the 401 body that never
// contains a secret or a signature value. Comparisons are constant-time. Every secret of the
// connection is tried (two during a rotation); any one matching is enough.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "ingest/request.h"

namespace hookline::ingest {

enum class VerifyFailure {
  missing_header,    // a required signature/timestamp/id header is absent
  malformed_header,  // present but unparseable
  bad_signature,     // parsed, but no signature matches any secret (wrong secret, tampered body)
  stale_timestamp,   // older than the tolerance
  future_timestamp,  // newer than now + tolerance
  no_credentials,    // the connection has no secret / public key this scheme needs
};

const char* to_string(VerifyFailure f) noexcept;

struct VerifyResult {
  bool ok = false;
  VerifyFailure failure = VerifyFailure::bad_signature;
  std::string detail;  // e.g. "header Stripe-Signature has no v1 signature"
  static VerifyResult success() { return {true, VerifyFailure::bad_signature, {}}; }
  static VerifyResult fail(VerifyFailure f, std::string detail) {
    return {false, f, std::move(detail)};
  }
};

// What a connection holds for verification (decrypted, in memory only).
struct Credentials {
  std::vector<std::string> secrets;  // 0, 1 or 2 (rotation); raw secret strings as configured
  std::string public_key;            // PEM or base64 DER (SendGrid ECDSA) / whpk_ (Ed25519)
};

using Clock = std::chrono::system_clock;

class SignatureScheme {
 public:
  virtual ~SignatureScheme() = default;
  virtual std::string_view name() const noexcept = 0;
  virtual VerifyResult verify(const Request& request, const Credentials& credentials,
                              Clock::time_point now) const = 0;
};

// Builds a scheme from its manifest object ({"name": "stripe", "tolerance_s": 300, ...}).
// Reads its own keys from `params` (ObjectReader rejects unknown ones when the caller calls
// finish()); throws ConfigError naming the manifest file and key.
using SchemeFactory = std::unique_ptr<SignatureScheme> (*)(ObjectReader& params);

inline constexpr std::chrono::seconds kDefaultTolerance{300};

}  // namespace hookline::ingest
