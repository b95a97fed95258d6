#pragma once
// Reading a record value strictly against a JSON Schema embedded in the binary: the one way
// hookline's readers of Kafka records (send requests, approval requests and decisions, consent
// changes) parse and validate. Error messages name the schema keyword and the JSON pointer of
// the offending member, never its value (records carry personal data).
#include <chrono>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "core/error.h"

namespace hookline {

// Parses `json` (valid UTF-8, exactly one value), refuses numbers beyond 64-bit integers
// (RapidJSON's validator hashes `enum` numbers as 64-bit integers), and validates the document
// against the schema whose text is `schema_text`. Errors are permanent:
//   "not JSON: <reason> at offset N"
//   "a number is out of range (beyond 64-bit integers)"
//   "does not match <schema_name>: <keyword> at <pointer>"
// The compiled schema is kept per thread and per schema (RapidJSON 1.1's pattern matcher keeps
// its state in the compiled regex), keyed by `schema_text`'s address: pass an embedded literal.
// A schema text that is not JSON is a build defect: abort().
Result<rapidjson::Document> parse_validated(std::string_view json, std::string_view schema_text,
                                            std::string_view schema_name);

// The value of a string member; "" when absent or not a string.
std::string string_member(const rapidjson::Value& obj, const char* key);

// The RFC 3339 time of string member `key` (milliseconds kept). Errors (permanent):
// "/<key> is not an RFC 3339 time" and "/<key> is after 2200" (system_clock counts nanoseconds
// in 64 bits and ends in 2262).
Result<std::chrono::system_clock::time_point> time_member(const rapidjson::Value& obj,
                                                          const char* key);

}  // namespace hookline
