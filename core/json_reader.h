#pragma once
// Strict reading of JSON objects into typed structs at start-up (STYLE.md convention 2):
// wrong types and unknown keys are rejected with the file and the key's path in the message.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace hookline {

// Thrown for bad configuration and data files; caught by main() and printed as one line.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a whole file as JSON; throws ConfigError naming the file, line-less offset and reason.
rapidjson::Document parse_json_file(const std::string& path);
rapidjson::Document parse_json_text(std::string_view text, const std::string& origin);

class ObjectReader {
 public:
  // `origin` is the file name, `path` the dotted path of this object inside it ("" for root).
  ObjectReader(const rapidjson::Value& value, std::string origin, std::string path);

  std::optional<std::string> string(std::string_view key);
  std::string string(std::string_view key, std::string fallback);
  std::string required_string(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  // A number (integer or not) within [min, max], or `fallback` when absent.
  double number(std::string_view key, double fallback, double min, double max);
  std::optional<bool> boolean(std::string_view key);
  // An object whose members are all strings (numbers and booleans are turned into text,
  // as librdkafka properties are).
  std::map<std::string, std::string> string_map(std::string_view key);
  std::vector<std::string> string_array(std::string_view key);
  // Calls fn on the nested object, if present.
  void object(std::string_view key, const std::function<void(ObjectReader&)>& fn);
  // Calls fn for each object element of an array, if present.
  void array_of_objects(std::string_view key, const std::function<void(ObjectReader&)>& fn);
  bool has(std::string_view key) const;
  // Marks every key as read: for a section another component owns and validates.
  void skip_rest();

  // Throws if any key of the object was never read.
  void finish() const;

  [[noreturn]] void fail(std::string_view key, std::string_view why) const;
  std::string where(std::string_view key) const;

 private:
  const rapidjson::Value* find(std::string_view key);
  const rapidjson::Value& value_;
  std::string origin_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace hookline
