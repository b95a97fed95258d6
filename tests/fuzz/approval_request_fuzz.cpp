// Fuzzes the approvals.requests reader (strict JSON + schema validation) and, for what it
// accepts, the Slack message built from it: the message must be a valid send request.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sinks/sender/approval_request.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/request_writer.h"

namespace hs = hookline::sender;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto request = hs::parse_approval_request(input);
  if (!request) {
    if (request.error().message.empty()) __builtin_trap();  // every refusal says why
    return 0;
  }
  if (request->campaign_id.empty()) __builtin_trap();
  const hs::SendRequest message = hs::approval_message(*request);
  auto again = hs::parse_send_request(hs::to_json(message));
  if (!again || again->id != message.id || again->content.blocks_json.empty()) __builtin_trap();
  return 0;
}
