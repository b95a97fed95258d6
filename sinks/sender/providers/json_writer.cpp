#include "sinks/sender/providers/json_writer.h"

#include <limits>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace hookline::sender {
namespace {

// RapidJSON lengths are 32-bit; a longer text is refused rather than cut.
bool fits(std::string_view text) noexcept {
  return text.size() < std::numeric_limits<rapidjson::SizeType>::max();
}

rapidjson::SizeType size_of(std::string_view text) noexcept {
  return static_cast<rapidjson::SizeType>(text.size());
}

bool parses_as(std::string_view text, rapidjson::Type type) {
  if (!fits(text)) return false;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  return !doc.HasParseError() && doc.GetType() == type;
}

}  // namespace

JsonWriter& JsonWriter::begin_object() {
  ok_ = writer_.StartObject() && ok_;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  ok_ = writer_.EndObject() && ok_;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  ok_ = writer_.StartArray() && ok_;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  ok_ = writer_.EndArray() && ok_;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (!fits(name)) name = {};  // never in practice: names are ours
  ok_ = writer_.Key(name.data(), size_of(name)) && ok_;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  // A refused string still counts as a value, so the writer's structure stays balanced.
  if (!fits(value)) {
    writer_.Null();
    ok_ = false;
  } else if (!writer_.String(value.data(), size_of(value))) {
    ok_ = false;
  }
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  ok_ = writer_.Bool(value) && ok_;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  if (!fits(json)) {
    ok_ = false;
    writer_.Null();
    return *this;
  }
  ok_ = writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType) && ok_;
  return *this;
}

JsonWriter& JsonWriter::member(std::string_view name, std::string_view value) {
  return key(name).string(value);
}

bool is_json_object(std::string_view text) {
  return parses_as(text, rapidjson::kObjectType);
}

bool is_json_array(std::string_view text) {
  return parses_as(text, rapidjson::kArrayType);
}

}  // namespace hookline::sender
