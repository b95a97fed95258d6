#pragma once
// Reads a send request record value: strict JSON, validated against
// schemas/outbound.request.v1.schema.json (embedded at build time), into a SendRequest.
// Error messages name the schema keyword and the JSON pointer of the offending member, never
// its value (addresses and content are personal data).
#include <string_view>

#include "core/error.h"
#include "sinks/sender/send_request.h"

namespace hookline::sender {

// Thread-safe (the compiled schema is built once per thread).
Result<SendRequest> parse_send_request(std::string_view json);

// The schema's text (for tests and `--print-schema`).
std::string_view request_schema_text() noexcept;

}  // namespace hookline::sender
