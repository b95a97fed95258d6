#pragma once
// Reading untrusted JSON safely: the parse flags every body goes through (iterative, so deep
// nesting cannot exhaust the stack; UTF-8 validated; exact numbers), a nesting limit for the
// recursive steps that follow (copying, serializing, hashing), and scalar values as text.
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace hookline::normalizer {

inline constexpr unsigned kUntrustedParseFlags = rapidjson::kParseIterativeFlag |
                                                 rapidjson::kParseValidateEncodingFlag |
                                                 rapidjson::kParseFullPrecisionFlag;

// Deepest nesting of arrays and objects accepted in a body (real webhooks nest < 20).
inline constexpr int kMaxJsonDepth = 64;

// True when no array or object nests deeper than `max_depth` levels (recursion is bounded by
// max_depth, whatever the input).
bool within_depth(const rapidjson::Value& value, int max_depth = kMaxJsonDepth);

// One JSON text as a document; nullopt when it is not valid UTF-8 JSON (trailing bytes other
// than whitespace included) or nests deeper than kMaxJsonDepth.
std::optional<rapidjson::Document> parse_untrusted_json(std::string_view text);

// A string as it is, an integer as its decimal text; nullopt for anything else (or null).
std::optional<std::string> scalar_text(const rapidjson::Value* value);

}  // namespace hookline::normalizer
