// The ingest's delivery-id and event-type extraction over untrusted bodies and headers: JSON
// pointers, form fields, JSON inside a form field, headers. First byte picks the content
// shape; the rest is split into a header value and the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/extract.h"

namespace {

std::vector<hookline::ingest::Extractor> extractors() {
  using K = hookline::ingest::Extractor::Kind;
  return {{K::json_pointer, "", "/id"},
          {K::json_pointer, "", "/event/type"},
          {K::json_pointer, "", "/0/sg_event_id"},
          {K::json_pointer, "", "/entry/0/changes/0/value/messages/0/id"},
          {K::form_field, "MessageSid", ""},
          {K::form_json, "payload", "/trigger_id"},
          {K::form_json, "payload", "/actions/0/value"},
          {K::header, "X-GitHub-Delivery", ""},
          {K::body_hash, "", ""}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto list = extractors();
  std::string input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\n');
  const std::string header = split == std::string::npos ? "" : input.substr(0, split);
  const std::string body = split == std::string::npos ? input : input.substr(split + 1);
  hookline::ingest::HeaderMap headers;
  headers.add("X-GitHub-Delivery", header);
  hookline::ingest::Request request;
  request.body = body;
  request.headers = &headers;
  hookline::ingest::ParsedBody parsed(body);
  for (const auto& e : list) {
    auto v = hookline::ingest::extract(e, request, parsed);
    if (v && (v->empty() || v->size() > hookline::ingest::kMaxExtractedLength + 71))
      __builtin_trap();
  }
  (void)hookline::ingest::extract_first(list, request, parsed);
  return 0;
}
