#pragma once
// Writes a send request as a record value (schemas/outbound.request.v1.schema.json), the
// inverse of parse_send_request: parse_send_request(to_json(r)) reads back every field of r.
// Used where hookline itself makes a send request (the Slack approval message) or hands one
// on changed (the gatekeeper moving not_before out of quiet hours).
#include <string>

#include "sinks/sender/send_request.h"

namespace hookline::sender {

// Empty strings and absent options are left out; times are RFC 3339 UTC with milliseconds.
// `content.blocks_json` and `content.payload_json` are written as they are (JSON texts, as the
// parser keeps them).
std::string to_json(const SendRequest& request);

}  // namespace hookline::sender
