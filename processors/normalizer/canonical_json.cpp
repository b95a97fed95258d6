#include "processors/normalizer/canonical_json.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/crypto/digest.h"
#include "core/crypto/encoding.h"

namespace hookline::normalizer {
namespace {

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xFU];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append(std::string& out, const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      out += "null";
      return;
    case rapidjson::kFalseType:
      out += "false";
      return;
    case rapidjson::kTrueType:
      out += "true";
      return;
    case rapidjson::kStringType:
      append_string(out, std::string_view(v.GetString(), v.GetStringLength()));
      return;
    case rapidjson::kNumberType: {
      if (v.IsInt64()) {
        out += std::to_string(v.GetInt64());
      } else if (v.IsUint64()) {
        out += std::to_string(v.GetUint64());
      } else {
        rapidjson::StringBuffer sb;
        rapidjson::Writer<rapidjson::StringBuffer> w(sb);
        w.Double(v.GetDouble());
        out.append(sb.GetString(), sb.GetSize());
      }
      return;
    }
    case rapidjson::kArrayType: {
      out += '[';
      bool first = true;
      for (const auto& e : v.GetArray()) {
        if (!first) out += ',';
        first = false;
        append(out, e);
      }
      out += ']';
      return;
    }
    case rapidjson::kObjectType: {
      std::vector<std::pair<std::string_view, std::string>> members;
      members.reserve(v.MemberCount());
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        std::string value;
        append(value, it->value);
        members.emplace_back(std::string_view(it->name.GetString(), it->name.GetStringLength()),
                             std::move(value));
      }
      std::sort(members.begin(), members.end());
      out += '{';
      bool first = true;
      for (const auto& [name, value] : members) {
        if (!first) out += ',';
        first = false;
        append_string(out, name);
        out += ':';
        out += value;
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string canonical_json(const rapidjson::Value& value) {
  std::string out;
  append(out, value);
  return out;
}

std::string canonical_id(const rapidjson::Value& value) {
  return "sha256:" + crypto::hex_encode(crypto::sha256(canonical_json(value)));
}

}  // namespace hookline::normalizer
