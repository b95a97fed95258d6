#pragma once
// Small JSON helpers for the providers' bodies and the control API.
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace hookline::simulator {

// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

// `body` parsed, if it is a JSON object (what every JSON send API expects); nullopt otherwise.
std::optional<rapidjson::Document> parse_object(std::string_view body);

// Whether `body` is any JSON value.
bool is_json(std::string_view body);

// The string member `name` of `object`; "" when absent or not a string.
std::string string_member(const rapidjson::Value& object, const char* name);

}  // namespace hookline::simulator
