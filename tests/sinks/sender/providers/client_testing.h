#pragma once
// Shared by the provider client tests: requests and connections to start from, lookups in
// built calls, answers to interpret, and a checker of JSON bodies against the providers' own
// API descriptions (specs/, copied from the upstream extracts; sources in specs/sources.json).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_reader.h"
#include "sinks/sender/provider_client.h"

// Printable in Boost.Test messages.
namespace hookline {
inline std::ostream& operator<<(std::ostream& os, ErrorKind k) {
  return os << to_string(k);
}
}  // namespace hookline
namespace hookline::sender {
inline std::ostream& operator<<(std::ostream& os, Outcome o) {
  return os << to_string(o);
}
}  // namespace hookline::sender

namespace hookline::sender::test {

// The build error's message, for BOOST_REQUIRE_MESSAGE (which evaluates it on success too).
inline std::string why(const Result<HttpCall>& built) {
  return built.ok() ? std::string() : built.error().message;
}

inline std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

// 2021-02-25T15:02:10Z
inline const auto kNow = at(1614265330);

inline SendRequest request_on(Channel channel, std::string connection, std::string address) {
  SendRequest r;
  r.id = "req_01HZX3Q4W5E6R7T8Y9U0I1O2P3";
  r.tenant = "acme";
  r.connection = std::move(connection);
  r.channel = channel;
  r.contact_id = "contact-42";
  r.address = std::move(address);
  return r;
}

// Case-insensitive header lookup in a built call; nullopt when absent.
inline std::optional<std::string> header(const HttpCall& call, std::string_view name) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const auto& [k, v] : call.headers) {
    if (lower(k) == lower(name)) return v;
  }
  return std::nullopt;
}

inline std::size_t header_count(const HttpCall& call, std::string_view name) {
  std::size_t n = 0;
  for (const auto& [k, v] : call.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      ++n;
    }
  }
  return n;
}

// The headers every call carries.
inline void check_common_headers(const HttpCall& call, const SendRequest& request,
                                 std::string_view content_type) {
  BOOST_TEST(call.method == "POST");
  BOOST_TEST(header(call, "content-type").value_or("") == content_type);
  BOOST_TEST(header(call, "user-agent").value_or("") == "hookline-sender/0.1");
  BOOST_TEST(header(call, "x-hookline-request-id").value_or("") == request.id);
  for (const auto& [k, v] : call.headers) {
    BOOST_TEST_CONTEXT("header " << k) {
      BOOST_TEST(header_count(call, k) == 1u);
    }
  }
}

inline rapidjson::Document json_of(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  BOOST_REQUIRE_MESSAGE(!doc.HasParseError(), "not JSON: " << text);
  return doc;
}

inline std::string str(const rapidjson::Value& v) {
  BOOST_REQUIRE(v.IsString());
  return {v.GetString(), v.GetStringLength()};
}

// Members in order.
inline std::vector<std::string> keys(const rapidjson::Value& object) {
  std::vector<std::string> out;
  for (const auto& m : object.GetObject()) out.emplace_back(m.name.GetString());
  return out;
}

inline HttpAnswer answer(int status, std::string body = "",
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpAnswer a;
  a.status = status;
  a.body = std::move(body);
  a.headers = std::move(headers);
  return a;
}

inline HttpAnswer transport_failure(std::string why) {
  HttpAnswer a;
  a.status = 0;
  a.transport_error = std::move(why);
  return a;
}

// A Date header and the same instant: answers carry the provider's clock.
inline const std::pair<std::string, std::string> kDate{"date", "Thu, 25 Feb 2021 15:02:10 GMT"};

// Checks a JSON value against a schema of an OpenAPI 3 (or Swagger 2) description: $ref,
// allOf (properties and required merged across the parts), oneOf/anyOf, discriminator
// mappings, type, enum, items, required, and - stricter than JSON Schema's default - no member
// the description does not name, unless the object schema names no properties at all or
// allows additional ones with a schema.
class SpecChecker {
 public:
  explicit SpecChecker(const std::string& name)
      : doc_(parse_json_file(std::string(HOOKLINE_SOURCE_DIR) +
                             "/tests/sinks/sender/providers/specs/" + name + ".json")) {}

  const rapidjson::Value& at(std::string_view pointer) const {
    const rapidjson::Pointer p(pointer.data(), pointer.size());
    const auto* v = p.IsValid() ? p.Get(doc_) : nullptr;
    BOOST_REQUIRE_MESSAGE(v != nullptr, "no " << pointer << " in the description");
    return *v;
  }

  // Problems of `value` against the schema at `pointer`; empty when it conforms.
  std::vector<std::string> problems(std::string_view pointer, const rapidjson::Value& value) const {
    std::vector<std::string> out;
    validate(at(pointer), value, "", out, 0);
    return out;
  }

 private:
  // The schema a "#/..." reference names; nullptr when there is none.
  const rapidjson::Value* lookup(const std::string& ref) const {
    if (ref.empty() || ref[0] != '#') return nullptr;
    const rapidjson::Pointer p(ref.substr(1).c_str());
    return p.IsValid() ? p.Get(doc_) : nullptr;
  }

  const rapidjson::Value* deref(const rapidjson::Value& schema) const {
    const rapidjson::Value* s = &schema;
    for (int i = 0; i < 16 && s && s->IsObject() && s->HasMember("$ref"); ++i) {
      s = lookup((*s)["$ref"].GetString());
    }
    return s;
  }

  struct ObjectShape {
    std::map<std::string, const rapidjson::Value*> properties;
    std::set<std::string> required;
    bool open = false;  // additionalProperties with a schema, or true
  };

  void collect(const rapidjson::Value& schema, ObjectShape& shape) const {
    const auto* s = deref(schema);
    if (!s || !s->IsObject()) return;
    if (s->HasMember("allOf")) {
      for (const auto& part : (*s)["allOf"].GetArray()) collect(part, shape);
    }
    if (s->HasMember("properties")) {
      for (const auto& p : (*s)["properties"].GetObject()) {
        shape.properties[p.name.GetString()] = &p.value;
      }
    }
    if (s->HasMember("required")) {
      for (const auto& r : (*s)["required"].GetArray()) shape.required.insert(r.GetString());
    }
    if (s->HasMember("additionalProperties") &&
        ((*s)["additionalProperties"].IsObject() || (*s)["additionalProperties"].IsTrue())) {
      shape.open = true;
    }
  }

  bool conforms(const rapidjson::Value& schema, const rapidjson::Value& value, int depth) const {
    std::vector<std::string> errors;
    validate(schema, value, "", errors, depth);
    return errors.empty();
  }

  void validate(const rapidjson::Value& schema_in, const rapidjson::Value& value,
                const std::string& path, std::vector<std::string>& errors, int depth) const {
    const auto* schema = deref(schema_in);
    if (!schema) {
      errors.push_back(path + ": unresolvable $ref");
      return;
    }
    if (depth > 32 || !schema->IsObject()) return;
    const auto& s = *schema;
    // A discriminator whose mapping names a schema present in the description.
    if (s.HasMember("discriminator") && value.IsObject()) {
      const auto& d = s["discriminator"];
      const std::string prop = d["propertyName"].GetString();
      if (d.HasMember("mapping") && value.HasMember(prop.c_str()) &&
          value[prop.c_str()].IsString() &&
          d["mapping"].HasMember(value[prop.c_str()].GetString())) {
        // Mapping values are references ("#/components/schemas/TextMessage").
        if (const auto* target =
                lookup(d["mapping"][value[prop.c_str()].GetString()].GetString())) {
          validate(*target, value, path, errors, depth + 1);
          return;
        }
      }
    }
    for (const char* key : {"oneOf", "anyOf"}) {
      if (!s.HasMember(key) || s.HasMember("discriminator")) continue;
      bool any = false;
      for (const auto& option : s[key].GetArray()) any = any || conforms(option, value, depth + 1);
      if (!any) errors.push_back(path + ": matches none of " + key);
    }
    if (s.HasMember("enum")) {
      bool found = false;
      for (const auto& e : s["enum"].GetArray()) found = found || e == value;
      if (!found) errors.push_back(path + ": not one of the enum values");
    }
    const std::string type =
        s.HasMember("type") && s["type"].IsString() ? s["type"].GetString() : "";
    if (type == "string" && !value.IsString()) errors.push_back(path + ": not a string");
    if (type == "integer" && !value.IsInt64()) errors.push_back(path + ": not an integer");
    if (type == "number" && !value.IsNumber()) errors.push_back(path + ": not a number");
    if (type == "boolean" && !value.IsBool()) errors.push_back(path + ": not a boolean");
    if (type == "array") {
      if (!value.IsArray()) {
        errors.push_back(path + ": not an array");
      } else if (s.HasMember("items")) {
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
          validate(s["items"], value[i], path + "/" + std::to_string(i), errors, depth + 1);
        }
      }
    }
    if (type == "object" && !value.IsObject()) errors.push_back(path + ": not an object");
    if (value.IsObject() &&
        (type == "object" || s.HasMember("properties") || s.HasMember("allOf"))) {
      ObjectShape shape;
      collect(s, shape);
      for (const auto& m : value.GetObject()) {
        const std::string name = m.name.GetString();
        const auto it = shape.properties.find(name);
        if (it != shape.properties.end()) {
          validate(*it->second, m.value, path + "/" + name, errors, depth + 1);
        } else if (!shape.properties.empty() && !shape.open) {
          errors.push_back(path + "/" + name + ": not in the description");
        }
      }
      for (const auto& r : shape.required) {
        if (!value.HasMember(r.c_str())) errors.push_back(path + "/" + r + ": required, missing");
      }
    }
  }

  rapidjson::Document doc_;
};

#define HOOKLINE_CHECK_CONFORMS(checker, pointer, value)                             \
  do {                                                                               \
    const auto problems_ = (checker).problems((pointer), (value));                   \
    std::string all_;                                                                \
    for (const auto& p_ : problems_) all_ += p_ + "; ";                              \
    BOOST_CHECK_MESSAGE(problems_.empty(), "against " << (pointer) << ": " << all_); \
  } while (0)

}  // namespace hookline::sender::test
