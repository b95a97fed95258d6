#pragma once
// String templates of the manifests' `normalize` sections: literal text with references in
// braces, resolved against one event.
//
//   "com.stripe.{/type}"                       a JSON pointer into the event (RFC 6901)
//   "com.github.{header:X-GitHub-Event}"       a kept HTTP header (the manifest's keep_headers)
//   "com.shopify.{header:X-Shopify-Topic|slash_to_dot}"   filters: lower, slash_to_dot
//   "{{" and "}}"                              literal braces
//
// A template resolves only when every reference yields a non-empty string or integer that
// passes the value policy; a list of templates is tried in order and the first that resolves
// wins. Never throws on untrusted input.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include "processors/normalizer/event_mapper.h"

namespace hookline::normalizer {

// What a resolved reference may contain.
enum class ValuePolicy {
  token,  // 1-256 bytes of printable ASCII without spaces: ids, types, subjects, keys
  text,   // 1-1024 bytes of UTF-8 without control characters: contacts, display names
};

inline constexpr std::size_t kMaxTokenLength = 256;
inline constexpr std::size_t kMaxTextLength = 1024;

// What references are resolved against: the event (a JSON value) and the delivery's headers.
struct Scope {
  const rapidjson::Value* event = nullptr;
  const RawDelivery* delivery = nullptr;
};

// The kept HTTP header `name` (any case) of the delivery: its "http-<lower-case name>" header.
std::optional<std::string_view> kept_header(const RawDelivery& delivery, std::string_view name);
std::string lower_ascii(std::string_view text);
// Whether `value` passes `policy`.
bool acceptable(std::string_view value, ValuePolicy policy);

// A pointer from a manifest: "" (the whole value) or "/..."; nullopt when invalid.
std::optional<rapidjson::Pointer> make_pointer(std::string_view text);

class Template {
 public:
  // Throws std::invalid_argument saying what is wrong (the caller names file and key).
  static Template parse(std::string_view text);

  std::optional<std::string> resolve(const Scope& scope,
                                     ValuePolicy policy = ValuePolicy::token) const;
  // Header names referenced (as written), so the loader can check they are kept.
  std::vector<std::string> headers() const;
  const std::string& text() const { return text_; }

 private:
  struct Part {
    enum class Kind { literal, pointer, header };
    Kind kind = Kind::literal;
    std::string text;  // the literal, or the header name as written
    rapidjson::Pointer pointer;
    bool lower = false;
    bool slash_to_dot = false;
  };
  std::string text_;
  std::vector<Part> parts_;
};

std::optional<std::string> resolve_first(const std::vector<Template>& templates, const Scope& scope,
                                         ValuePolicy policy = ValuePolicy::token);

}  // namespace hookline::normalizer
