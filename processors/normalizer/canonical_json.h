#pragma once
// The canonical bytes of a JSON value, for identities of events whose provider gives no id:
// object members sorted by key (bytewise; equal keys by their canonical value), no whitespace,
// strings with only '"', '\\' and control characters escaped (\b \f \n \r \t, else \u00xx),
// integers in decimal, other numbers as RapidJSON writes them. Two documents that differ only
// in member order or whitespace have the same canonical bytes.
#include <string>

#include <rapidjson/document.h>

namespace hookline::normalizer {

// `value` must be within_depth() (every parsed body is): the recursion follows its nesting.
std::string canonical_json(const rapidjson::Value& value);

// "sha256:<64 lower-case hex>" of canonical_json(value).
std::string canonical_id(const rapidjson::Value& value);

}  // namespace hookline::normalizer
