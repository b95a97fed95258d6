#pragma once
// Finding a delivery's id and event type, as a provider manifest describes it: from a header,
// a JSON pointer into the body, a form field, JSON inside a form field (Slack's `payload`),
// a fixed value, or a hash of the body. A list of extractors is tried in order; the first
// that yields a non-empty value wins. Never throws on untrusted input.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/json_reader.h"
#include "ingest/request.h"

namespace hookline::ingest {

struct Extractor {
  enum class Kind { header, json_pointer, form_field, form_json, value, body_hash };
  Kind kind = Kind::value;
  std::string name;     // header name, form field, or the fixed value
  std::string pointer;  // JSON pointer for json_pointer and form_json
};

// The body parsed at most once per request, lazily, as JSON or as a form. The JSON tree is
// built in a pool that starts in this object (a webhook's tree usually fits) and grows in
// 16 KiB chunks, not in rapidjson's default 64 KiB ones. Neither copied nor moved: the tree
// points into the pool.
class ParsedBody {
 public:
  explicit ParsedBody(std::string_view body)
      : body_(body), pool_(pool_buffer_, sizeof pool_buffer_, kPoolChunk) {}
  ParsedBody(const ParsedBody&) = delete;
  ParsedBody& operator=(const ParsedBody&) = delete;
  const rapidjson::Document* json();  // nullptr when the body is not JSON
  const std::vector<std::pair<std::string, std::string>>* form();  // nullptr when not a form
  std::string_view raw() const { return body_; }

 private:
  static constexpr size_t kPoolChunk = 16 * 1024;
  std::string_view body_;
  bool json_done_ = false, form_done_ = false;
  alignas(std::max_align_t) char pool_buffer_[8 * 1024];
  rapidjson::MemoryPoolAllocator<> pool_;
  std::optional<rapidjson::Document> json_;
  std::optional<std::vector<std::pair<std::string, std::string>>> form_;
};

// One value: strings as they are, integers as their decimal text; anything else is nullopt.
std::optional<std::string> extract(const Extractor& e, const Request& request, ParsedBody& body);
std::optional<std::string> extract_first(const std::vector<Extractor>& list, const Request& request,
                                         ParsedBody& body);

// Reads an extractor object ({"header": "X-GitHub-Delivery"}, {"json_pointer": "/id"},
// {"form_field": "MessageSid"}, {"form_json": "payload", "json_pointer": "/trigger_id"},
// {"value": "message"}, {"body_hash": "sha256"}). Throws ConfigError.
Extractor read_extractor(ObjectReader& r);

inline constexpr size_t kMaxExtractedLength = 256;

}  // namespace hookline::ingest
