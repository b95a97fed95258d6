#pragma once
// HTTP-date (RFC 9110 section 5.6.7), as Retry-After and Date carry it.
#include <chrono>
#include <optional>
#include <string_view>

namespace hookline::sender {

// Accepts the preferred IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and, as recipients
// must, the obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime
// ("Sun Nov  6 08:49:37 1994") forms. The weekday is not checked against the date. nullopt
// for anything else.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace hookline::sender
