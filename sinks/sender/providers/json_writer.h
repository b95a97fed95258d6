#pragma once
// Request bodies as JSON (RapidJSON's writer), refusing text that is not valid UTF-8 so a
// provider never receives a malformed body. Callers check ok() once at the end.
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hookline::sender {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view value);
  JsonWriter& boolean(bool value);
  // A JSON text already validated by the caller (see is_json_object / is_json_array).
  JsonWriter& raw(std::string_view json);
  // key(name).string(value)
  JsonWriter& member(std::string_view name, std::string_view value);

  // False when a string was not valid UTF-8 or the structure was unbalanced.
  bool ok() const noexcept { return ok_ && writer_.IsComplete(); }
  std::string text() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                   rapidjson::CrtAllocator, rapidjson::kWriteValidateEncodingFlag>;
  rapidjson::StringBuffer buffer_;
  Writer writer_{buffer_};
  bool ok_ = true;
};

// Whether `text` is one JSON object (array), in valid UTF-8.
bool is_json_object(std::string_view text);
bool is_json_array(std::string_view text);

}  // namespace hookline::sender
