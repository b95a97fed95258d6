#include "processors/normalizer/cloudevent_record.h"

#include "core/crypto/digest.h"
#include "core/crypto/encoding.h"

namespace hookline::normalizer {
namespace {

bool lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(std::string_view s) {
  return s.find_first_not_of('0') == std::string_view::npos;
}

}  // namespace

bool valid_traceparent(std::string_view t) {
  // 00-<trace id 32>-<parent id 16>-<flags 2>: 55 characters.
  if (t.size() != 55 || t[2] != '-' || t[35] != '-' || t[52] != '-') return false;
  const auto version = t.substr(0, 2), trace = t.substr(3, 32), span = t.substr(36, 16),
             flags = t.substr(53, 2);
  return version == "00" && lower_hex(trace) && lower_hex(span) && lower_hex(flags) &&
         !all_zero(trace) && !all_zero(span);
}

std::string traceparent_for(std::optional<std::string_view> carried, std::string_view identity) {
  if (carried && valid_traceparent(*carried)) return std::string(*carried);
  std::string hex = crypto::hex_encode(crypto::sha256(identity));
  if (hex.size() < 48) hex.assign(48, '1');  // OpenSSL failed: still a valid, non-zero id
  std::string out = "00-";
  out.append(hex, 0, 32).append("-").append(hex, 32, 16).append("-01");
  return out;
}

kafka::Headers cloudevent_headers(const NormalizedEvent& event, const RawDelivery& delivery) {
  kafka::Headers h;
  h.reserve(12);
  h.emplace_back(ce_headers::kSpecVersion, "1.0");
  h.emplace_back(ce_headers::kId, event.id);
  h.emplace_back(ce_headers::kSource, event.source);
  h.emplace_back(ce_headers::kType, event.type);
  h.emplace_back(ce_headers::kTime, event.time);
  if (event.subject && !event.subject->empty())
    h.emplace_back(ce_headers::kSubject, *event.subject);
  h.emplace_back(ce_headers::kContentType, event.content_type);
  h.emplace_back(ce_headers::kPartitionKey, event.partition_key);
  if (!delivery.tenant.empty()) h.emplace_back(ce_headers::kTenant, delivery.tenant);
  h.emplace_back(ce_headers::kConnection, delivery.connection);
  if (!delivery.environment.empty()) h.emplace_back(ce_headers::kEnvironment, delivery.environment);
  std::optional<std::string_view> carried;
  if (auto it = delivery.headers.find("http-traceparent"); it != delivery.headers.end()) {
    carried = it->second;
  }
  h.emplace_back(ce_headers::kTraceparent, traceparent_for(carried, event.identity));
  return h;
}

}  // namespace hookline::normalizer
