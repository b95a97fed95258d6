// Fuzzes the application/x-www-form-urlencoded parser and what Twilio builds from its output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/providers/form.h"
#include "ingest/providers/twilio.h"

namespace hi = hookline::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto fields = hi::parse_form(input)) {
    std::size_t bytes = 0;
    for (const auto& [name, value] : *fields) bytes += name.size() + value.size();
    if (bytes > input.size()) __builtin_trap();  // decoding never grows the text
    (void)hi::twilio_params_suffix(*fields);
  }
  if (const auto decoded = hi::form_decode(input); decoded && decoded->size() > input.size()) {
    __builtin_trap();
  }
  (void)hi::is_form_content_type(input);
  return 0;
}
