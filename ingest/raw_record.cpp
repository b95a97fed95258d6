#include "ingest/raw_record.h"

#include "core/time_format.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace hookline::ingest {

RawRecord build_raw_record(const Manifest& manifest, const Connection& connection,
                           const Request& request, ParsedBody& body,
                           Clock::time_point received_at) {
  namespace h = raw_headers;
  RawRecord r;
  r.value = request.body;
  // delivery_id always ends with a body hash, so there is always a value.
  r.delivery_id = extract_first(manifest.delivery_id, request, body).value_or("");
  const bool hashed = r.delivery_id.starts_with("sha256:");
  std::string key_source;
  if (manifest.batch) {
    // Every copy of a batch delivery lands on the connection's partition (decision 4).
    r.key = manifest.provider + "/" + connection.id;
    key_source = "connection";
  } else {
    r.key = manifest.provider + "/" + connection.id + "/" + r.delivery_id;
    key_source = hashed ? "body-hash" : "event-id";
  }
  auto& hd = r.headers;
  hd.reserve(12 + manifest.keep_headers.size());
  hd.emplace_back(h::kProvider, manifest.provider);
  hd.emplace_back(h::kConnection, connection.id);
  hd.emplace_back(h::kTenant, connection.tenant);
  hd.emplace_back(h::kEnvironment, connection.environment);
  hd.emplace_back(h::kDeliveryId, r.delivery_id);
  if (auto type = extract_first(manifest.event_type, request, body)) {
    hd.emplace_back(h::kEventType, *type);
  }
  hd.emplace_back(h::kReceivedAt, rfc3339_ms(received_at));
  hd.emplace_back(h::kContentType, std::string(request.content_type()));
  hd.emplace_back(h::kScheme, manifest.scheme_name);
  hd.emplace_back(h::kPublicUrl, request.public_url);
  hd.emplace_back(h::kKeySource, key_source);
  for (const auto& name : manifest.keep_headers) {
    auto v = request.header(name);
    if (!v) continue;
    std::string lower;
    for (char c : name)
      lower.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    hd.emplace_back(h::kKeptPrefix + lower, std::string(*v));
  }
  // A W3C trace context travels on, whatever the manifest keeps: the normalizer carries it
  // into the CloudEvent's traceparent.
  bool kept_trace = false;
  for (const auto& name : manifest.keep_headers) {
    kept_trace = kept_trace ||
                 (name.size() == 11 && std::equal(name.begin(), name.end(), "traceparent",
                                                  [](char a, char b) { return (a | 0x20) == b; }));
  }
  if (!kept_trace) {
    if (auto v = request.header("traceparent")) {
      hd.emplace_back(std::string(h::kKeptPrefix) + "traceparent", std::string(*v));
    }
  }
  return r;
}

}  // namespace hookline::ingest
