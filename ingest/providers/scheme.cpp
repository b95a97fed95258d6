#include "ingest/providers/scheme.h"

namespace hookline::ingest {

const char* to_string(VerifyFailure f) noexcept {
  switch (f) {
    case VerifyFailure::missing_header:
      return "missing_header";
    case VerifyFailure::malformed_header:
      return "malformed_header";
    case VerifyFailure::bad_signature:
      return "bad_signature";
    case VerifyFailure::stale_timestamp:
      return "stale_timestamp";
    case VerifyFailure::future_timestamp:
      return "future_timestamp";
    case VerifyFailure::no_credentials:
      return "no_credentials";
  }
  return "unknown";
}

}  // namespace hookline::ingest
