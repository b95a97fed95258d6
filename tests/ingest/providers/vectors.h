#pragma once
// Shared by the signature-scheme tests: the published vectors (read at run time from
// tests/fixtures/signature_vectors.json, where each vector's source is recorded), a request
// builder, and a scheme built from manifest JSON the way the ingest builds it.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/crypto/encoding.h"
#include "core/json_reader.h"
#include "ingest/providers/registry.h"
#include "ingest/providers/scheme.h"
#include "ingest/request.h"

namespace hookline::ingest::test {

inline const rapidjson::Document& signature_vectors() {
  static const rapidjson::Document doc =
      parse_json_file(std::string(HOOKLINE_SOURCE_DIR) + "/tests/fixtures/signature_vectors.json");
  return doc;
}

// The vectors whose member `key` ("scheme", "provider", "id") equals `value`.
inline std::vector<const rapidjson::Value*> vectors_where(std::string_view key,
                                                          std::string_view value) {
  std::vector<const rapidjson::Value*> out;
  for (const auto& v : signature_vectors()["vectors"].GetArray()) {
    const auto it = v.FindMember(rapidjson::StringRef(key.data(), key.size()));
    if (it != v.MemberEnd() && it->value.IsString() && value == it->value.GetString()) {
      out.push_back(&v);
    }
  }
  return out;
}

// A string member of `v` (or of v[object]), with a clear failure when it is absent.
inline std::string text(const rapidjson::Value& v, const char* key) {
  const auto it = v.FindMember(key);
  BOOST_REQUIRE_MESSAGE(it != v.MemberEnd() && it->value.IsString(), "no string " << key);
  return {it->value.GetString(), it->value.GetStringLength()};
}
inline std::string text(const rapidjson::Value& v, const char* object, const char* key) {
  const auto it = v.FindMember(object);
  BOOST_REQUIRE_MESSAGE(it != v.MemberEnd() && it->value.IsObject(), "no object " << object);
  return text(it->value, key);
}
inline bool has(const rapidjson::Value& v, const char* object, const char* key) {
  const auto it = v.FindMember(object);
  return it != v.MemberEnd() && it->value.IsObject() && it->value.HasMember(key);
}

// Builds a scheme from its manifest object and finishes the reader, as the caller does.
inline std::unique_ptr<SignatureScheme> scheme_from_json(std::string_view json) {
  const auto doc = parse_json_text(json, "test.json");
  ObjectReader reader(doc, "test.json", "scheme");
  auto scheme = make_scheme(reader);
  reader.finish();
  return scheme;
}

// Owns everything a Request points at.
struct FakeRequest {
  HeaderMap headers;
  std::string body;
  std::string url;

  FakeRequest& with(std::string name, std::string value) {
    headers.add(std::move(name), std::move(value));
    return *this;
  }
  Request request() const {
    Request r;
    r.method = "POST";
    r.path = "/webhooks/test";
    r.body = body;
    r.headers = &headers;
    r.public_url = url;
    return r;
  }
};

inline Clock::time_point at(std::int64_t unix_seconds) {
  return Clock::time_point(std::chrono::seconds(unix_seconds));
}

inline Credentials secrets(std::vector<std::string> list) {
  Credentials c;
  c.secrets = std::move(list);
  return c;
}

inline Credentials public_key(std::string key) {
  Credentials c;
  c.public_key = std::move(key);
  return c;
}

inline std::string unhex(std::string_view hex) {
  return crypto::hex_decode(hex).value();
}

}  // namespace hookline::ingest::test

// Asserts that `result` failed for `reason` (printed by name when it does not).
#define HOOKLINE_CHECK_FAILS(result, reason)                             \
  do {                                                                   \
    const auto& r_ = (result);                                           \
    BOOST_TEST(!r_.ok);                                                  \
    BOOST_TEST(std::string(::hookline::ingest::to_string(r_.failure)) == \
               std::string(::hookline::ingest::to_string(reason)));      \
  } while (0)

#define HOOKLINE_CHECK_OK(result)                                                             \
  do {                                                                                        \
    const auto& r_ = (result);                                                                \
    BOOST_CHECK_MESSAGE(                                                                      \
        r_.ok, "failed: " << ::hookline::ingest::to_string(r_.failure) << ": " << r_.detail); \
  } while (0)
