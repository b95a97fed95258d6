#include "processors/normalizer/json_access.h"

namespace hookline::normalizer {

bool within_depth(const rapidjson::Value& value, int max_depth) {
  if (!value.IsArray() && !value.IsObject()) return true;
  if (max_depth <= 0) return false;
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (!within_depth(element, max_depth - 1)) return false;
    }
    return true;
  }
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
    if (!within_depth(it->value, max_depth - 1)) return false;
  }
  return true;
}

std::optional<rapidjson::Document> parse_untrusted_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse<kUntrustedParseFlags>(text.data(), text.size());
  if (doc.HasParseError() || !within_depth(doc)) return std::nullopt;
  return doc;
}

std::optional<std::string> scalar_text(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsString()) return std::string(value->GetString(), value->GetStringLength());
  if (value->IsInt64()) return std::to_string(value->GetInt64());
  if (value->IsUint64()) return std::to_string(value->GetUint64());
  return std::nullopt;
}

}  // namespace hookline::normalizer
