#pragma once
// application/x-www-form-urlencoded bodies (Twilio, and Slack when not JSON).
#include <map>
#include <string>
#include <string_view>

namespace hookline::simulator {

// Name → first value, decoded ('+' is a space, %XX a byte; a malformed escape stays as is).
std::map<std::string, std::string> parse_form(std::string_view body);

}  // namespace hookline::simulator
