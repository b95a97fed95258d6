#pragma once
// The body of a delivery as one JSON document, as a manifest's `body` says to read it:
//   "json"   the body is JSON;
//   "form"   the body is application/x-www-form-urlencoded; its fields become an object of
//            strings (a repeated field: an array of its values) so pointers address them
//            ({/Body}, {/From}); the event data stays the form bytes;
//   "auto"   form when the Content-Type says so, JSON otherwise.
// With `form_json_field` ("payload": Slack interactivity, GitHub form deliveries), a form that
// carries that field is read as the JSON inside it, and the event data is that JSON.
#include <string>
#include <string_view>
#include <variant>

#include <rapidjson/document.h>

#include "processors/normalizer/event_mapper.h"

namespace hookline::normalizer {

struct BodySpec {
  enum class Format { json, form, auto_detect };
  Format format = Format::json;
  std::string form_json_field;  // empty: none
};

inline constexpr const char* kJsonContentType = "application/json";
inline constexpr const char* kFormContentType = "application/x-www-form-urlencoded";

struct DeliveryBody {
  rapidjson::Document doc;
  std::string data;          // the event data when the document is one event (not split)
  std::string content_type;  // of `data`
};

// MappingError "unparseable-body" when the bytes are not what the spec says.
std::variant<DeliveryBody, MappingError> read_body(const BodySpec& spec, std::string_view body,
                                                   std::string_view content_type);

}  // namespace hookline::normalizer
