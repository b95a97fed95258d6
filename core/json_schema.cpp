#include "core/json_schema.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>

#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "core/json_walk.h"
#include "core/time_format.h"

namespace hookline {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::permanent, {}, std::move(message)};
}

const rapidjson::SchemaDocument& compiled(std::string_view text) {
  thread_local std::map<const char*, std::unique_ptr<rapidjson::SchemaDocument>> schemas;
  auto& slot = schemas[text.data()];
  if (!slot) {
    rapidjson::Document d;
    d.Parse(text.data(), text.size());
    if (d.HasParseError()) std::abort();  // a build defect, caught by every test
    slot = std::make_unique<rapidjson::SchemaDocument>(d);
  }
  return *slot;
}

bool numbers_in_range(const rapidjson::Value& root) {
  return !any_json_node(root, [](const rapidjson::Value& v) {
    return v.IsDouble() && !(v.GetDouble() > -9.2e18 && v.GetDouble() < 9.2e18);
  });
}

}  // namespace

Result<rapidjson::Document> parse_validated(std::string_view json, std::string_view schema_text,
                                            std::string_view schema_name) {
  rapidjson::Document d;
  // Without kParseStopWhenDoneFlag, text after the value is an error (root not singular).
  // Invalid UTF-8 is refused here (RapidJSON's pointer rendering over-reads on it later).
  d.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (d.HasParseError()) {
    return invalid(std::string("not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) +
                   " at offset " + std::to_string(d.GetErrorOffset()));
  }
  if (!numbers_in_range(d)) return invalid("a number is out of range (beyond 64-bit integers)");
  rapidjson::SchemaValidator validator(compiled(schema_text));
  if (!d.Accept(validator)) {
    rapidjson::StringBuffer where;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
    std::string pointer = where.GetString();
    if (pointer.starts_with('#')) pointer.erase(0, 1);
    return invalid("does not match " + std::string(schema_name) + ": " +
                   validator.GetInvalidSchemaKeyword() + " at " +
                   (pointer.empty() ? std::string("/") : pointer));
  }
  return d;
}

std::string string_member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

Result<std::chrono::system_clock::time_point> time_member(const rapidjson::Value& obj,
                                                          const char* key) {
  auto ms = parse_rfc3339_ms(string_member(obj, key));
  if (!ms) return invalid(std::string("/") + key + " is not an RFC 3339 time");
  constexpr std::int64_t kLatestMs = 7258118400000;  // 2200-01-01T00:00:00Z
  if (*ms > kLatestMs) return invalid(std::string("/") + key + " is after 2200");
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
}

}  // namespace hookline
