#pragma once
// "slack": X-Slack-Signature "v0=" + hex HMAC-SHA256 of "v0:" + X-Slack-Request-Timestamp +
// ":" + body, keyed with the app's signing secret as-is. Params: tolerance_s (default 300).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

inline constexpr std::string_view kSlackSignatureHeader = "X-Slack-Signature";
inline constexpr std::string_view kSlackTimestampHeader = "X-Slack-Request-Timestamp";

// "v0=<64 hex>" into the raw MAC; nullopt otherwise.
std::optional<std::string> parse_slack_signature(std::string_view value);

std::unique_ptr<SignatureScheme> make_slack_scheme(ObjectReader& params);

}  // namespace hookline::ingest
