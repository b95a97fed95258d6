// The normalizer's event mapper with the shipped manifests over untrusted bodies and headers:
// never a crash, never an exception, and what it returns always holds together (every event
// with an id, type, topic and RFC 3339 time; every signal valid against its schema).
// Input: byte 0 picks the provider, byte 1 the content type and whether the first line of the
// rest is a header value (given to every header a manifest reads); the rest is the body.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include "core/json_reader.h"
#include "processors/normalizer/event_mapper.h"
#include "processors/normalizer/event_time.h"
#include "tests/fuzz/fuzz_input.h"

namespace hn = hookline::normalizer;

namespace {

constexpr const char* kProviders[] = {"stripe",  "github", "slack",    "twilio",         "whatsapp",
                                      "shopify", "resend", "sendgrid", "example-generic"};
constexpr const char* kContentTypes[] = {"application/json", "application/x-www-form-urlencoded",
                                         "application/x-www-form-urlencoded; charset=utf-8",
                                         "text/plain"};
constexpr const char* kHeaders[] = {
    "x-github-event",       "x-github-delivery",      "x-shopify-topic", "x-shopify-event-id",
    "x-shopify-webhook-id", "x-shopify-triggered-at", "svix-id",         "webhook-id",
    "x-event-type",         "x-delivery-id"};

struct Fixture {
  std::shared_ptr<const hn::EventMapper> mapper;
  rapidjson::Document consent_doc, approval_doc;
  std::unique_ptr<rapidjson::SchemaDocument> consent, approval;
  Fixture() {
    const std::string root = HOOKLINE_SOURCE_DIR;
    mapper = hn::EventMapper::load(root + "/topology/providers");
    consent_doc = hookline::parse_json_file(root + "/schemas/consent.changes.v1.schema.json");
    approval_doc = hookline::parse_json_file(root + "/schemas/approvals.decisions.v1.schema.json");
    consent = std::make_unique<rapidjson::SchemaDocument>(consent_doc);
    approval = std::make_unique<rapidjson::SchemaDocument>(approval_doc);
  }
};

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture fixture;
  static const std::set<std::string> reasons{"unknown-provider", "unparseable-body", "no-events",
                                             "bad-event",        "bad-signal",       "bad-record"};
  if (size < 2) return 0;
  const std::string provider = kProviders[data[0] % std::size(kProviders)];
  const std::string content_type = kContentTypes[data[1] % std::size(kContentTypes)];
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  hn::RawDelivery d;
  if ((data[1] & 0x80U) != 0) {
    const std::string header(hookline::fuzz::next_line(rest));
    for (const char* name : kHeaders) d.headers[std::string("http-") + name] = header;
  }
  const std::string body(rest);
  d.body = body;
  d.provider = provider;
  d.connection = "main";
  d.tenant = (data[1] & 0x40U) != 0 ? "" : "acme";
  d.environment = "dev";
  d.received_at = "2026-11-22T01:00:00.123Z";
  d.content_type = content_type;

  const auto result = fixture.mapper->map(d);
  if (const auto* err = std::get_if<hn::MappingError>(&result)) {
    check(reasons.contains(err->reason));  // "internal-error" means an exception escaped
    check(!err->message.empty() && err->message.size() < 512);  // one bounded line
    return 0;
  }
  const auto& events = std::get<std::vector<hn::MappedEvent>>(result);
  check(!events.empty());
  for (const auto& m : events) {
    const auto& e = m.event;
    check(!e.id.empty() && !e.type.empty() && !e.topic.empty());
    check(!e.data.empty() || body.empty());  // an empty form is an event without data
    check(e.identity == provider + "/main/" + e.id);
    check(e.source == "/" + provider + "/main");
    check(e.partition_key.starts_with(provider + "/main/"));
    check(hn::parse_time_text(e.time, hn::TimeFormat::rfc3339).has_value());
    for (const auto& s : m.signals) {
      check(!s.key.empty());
      rapidjson::Document v;
      v.Parse(s.value.data(), s.value.size());
      check(!v.HasParseError());
      const bool consent = s.kind == hn::Signal::Kind::consent;
      check(s.topic == (consent ? "consent.changes" : "approvals.decisions"));
      rapidjson::SchemaValidator validator(consent ? *fixture.consent : *fixture.approval);
      check(v.Accept(validator));
    }
  }
  return 0;
}
