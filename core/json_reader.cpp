#include "core/json_reader.h"

#include <fstream>
#include <sstream>

#include <rapidjson/error/en.h>

namespace hookline {
namespace {

std::string format_number(double d) {
  std::ostringstream out;
  out << d;
  return out.str();
}

}  // namespace

rapidjson::Document parse_json_text(std::string_view text, const std::string& origin) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    // Turn the byte offset into line:column for the message.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < doc.GetErrorOffset() && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw ConfigError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                      ": invalid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}

rapidjson::Document parse_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ConfigError(path + ": cannot read file");
  return parse_json_text(ss.str(), path);
}

ObjectReader::ObjectReader(const rapidjson::Value& value, std::string origin, std::string path)
    : value_(value), origin_(std::move(origin)), path_(std::move(path)) {
  if (!value_.IsObject()) {
    throw ConfigError(origin_ + ": " + (path_.empty() ? std::string("top level") : path_) +
                      " must be a JSON object");
  }
}

std::string ObjectReader::where(std::string_view key) const {
  std::string k = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  return origin_ + ": key '" + k + "'";
}

void ObjectReader::fail(std::string_view key, std::string_view why) const {
  throw ConfigError(where(key) + ": " + std::string(why));
}

bool ObjectReader::has(std::string_view key) const {
  return value_.FindMember(rapidjson::StringRef(key.data(), key.size())) != value_.MemberEnd();
}

const rapidjson::Value* ObjectReader::find(std::string_view key) {
  seen_.emplace(key);
  auto it = value_.FindMember(rapidjson::StringRef(key.data(), key.size()));
  if (it == value_.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::optional<std::string> ObjectReader::string(std::string_view key) {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->IsString()) fail(key, "must be a string");
  return std::string(v->GetString(), v->GetStringLength());
}

std::string ObjectReader::string(std::string_view key, std::string fallback) {
  auto v = string(key);
  return v ? *v : std::move(fallback);
}

std::string ObjectReader::required_string(std::string_view key) {
  auto v = string(key);
  if (!v) fail(key, "is required");
  if (v->empty()) fail(key, "must not be empty");
  return *v;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key) {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->IsInt64()) fail(key, "must be an integer");
  return v->GetInt64();
}

std::int64_t ObjectReader::integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) {
  auto v = integer(key);
  if (!v) return fallback;
  if (*v < min || *v > max) {
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return *v;
}

double ObjectReader::number(std::string_view key, double fallback, double min, double max) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->IsNumber()) fail(key, "must be a number");
  const double d = v->GetDouble();
  if (!(d >= min && d <= max)) {
    fail(key, "must be between " + format_number(min) + " and " + format_number(max));
  }
  return d;
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->IsBool()) fail(key, "must be true or false");
  return v->GetBool();
}

std::map<std::string, std::string> ObjectReader::string_map(std::string_view key) {
  std::map<std::string, std::string> out;
  const auto* v = find(key);
  if (!v) return out;
  if (!v->IsObject()) fail(key, "must be an object of strings");
  for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    const auto& m = it->value;
    if (m.IsString()) {
      out[name] = std::string(m.GetString(), m.GetStringLength());
    } else if (m.IsBool()) {
      out[name] = m.GetBool() ? "true" : "false";
    } else if (m.IsInt64()) {
      out[name] = std::to_string(m.GetInt64());
    } else {
      fail(std::string(key) + "." + name, "must be a string, a number or a boolean");
    }
  }
  return out;
}

std::vector<std::string> ObjectReader::string_array(std::string_view key) {
  std::vector<std::string> out;
  const auto* v = find(key);
  if (!v) return out;
  if (!v->IsArray()) fail(key, "must be an array of strings");
  for (const auto& e : v->GetArray()) {
    if (!e.IsString()) fail(key, "must be an array of strings");
    out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return out;
}

void ObjectReader::object(std::string_view key, const std::function<void(ObjectReader&)>& fn) {
  const auto* v = find(key);
  if (!v) return;
  std::string p = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  ObjectReader nested(*v, origin_, p);
  fn(nested);
  nested.finish();
}

void ObjectReader::array_of_objects(std::string_view key,
                                    const std::function<void(ObjectReader&)>& fn) {
  const auto* v = find(key);
  if (!v) return;
  if (!v->IsArray()) fail(key, "must be an array of objects");
  std::size_t i = 0;
  for (const auto& e : v->GetArray()) {
    std::string p = (path_.empty() ? std::string(key) : path_ + "." + std::string(key)) + "[" +
                    std::to_string(i++) + "]";
    ObjectReader nested(e, origin_, p);
    fn(nested);
    nested.finish();
  }
}

void ObjectReader::skip_rest() {
  for (auto it = value_.MemberBegin(); it != value_.MemberEnd(); ++it) {
    seen_.emplace(it->name.GetString(), it->name.GetStringLength());
  }
}

void ObjectReader::finish() const {
  for (auto it = value_.MemberBegin(); it != value_.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (!seen_.contains(name)) throw ConfigError(where(name) + ": unknown key");
  }
}

}  // namespace hookline
