#pragma once
// Turning one webhooks.raw record into normalized events and outbound-side signals, as the
// provider manifests' `normalize` sections describe it (DESIGN.md decision 5). A plain type,
// testable without Kafka: the normalizer's partition task hands it a RawDelivery and writes
// what it returns (after deduplicating each event by `identity`) in its Kafka transaction.
//
// Immutable after load and safe to share between threads. map() never throws on untrusted
// input: it returns a MappingError whose `reason` is a short bounded code (a metric label and
// the DLQ's error-class header) and whose `message` says what was wrong without echoing the
// body, addresses or secrets.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hookline::normalizer {

// What the partition task read from one webhooks.raw record (schemas/webhooks.raw.headers.md).
struct RawDelivery {
  std::string_view key;   // the record key
  std::string_view body;  // the record value: the provider's bytes
  std::string provider, connection, tenant, environment;
  std::string delivery_id, event_type;  // as the ingest extracted them
  std::string received_at;              // RFC 3339 UTC with milliseconds
  std::string content_type;             // the HTTP Content-Type
  // Every record header by name (lower case), the kept HTTP headers included as "http-<name>".
  std::map<std::string, std::string, std::less<>> headers;
};

// One event, ready to be written as a binary-mode CloudEvent. The partition task adds the
// extensions that do not depend on the body (ce_tenant, ce_connection, ce_environment,
// ce_traceparent) and the ce_partitionkey header (= partition_key).
struct NormalizedEvent {
  std::string identity;  // dedup key: "<provider>/<connection>/<provider event id>", or
                         // "<provider>/<connection>/sha256:<hex>" of the canonical bytes
  std::string id;        // ce_id: the provider's event id, or "sha256:<hex>"; deterministic
  std::string type;      // ce_type, reverse-DNS ("com.stripe.payment_intent.succeeded")
  std::string source;    // ce_source: "/<provider>/<connection>"
  std::optional<std::string> subject;  // ce_subject where the provider names one
  std::string time;           // ce_time: the provider's event time, RFC 3339 (received_at if none)
  std::string topic;          // the routed topic ("events.payments", or the default)
  std::string partition_key;  // the record key and ce_partitionkey
  std::string content_type;   // "application/json", or the body's own type (Twilio forms)
  std::string data;           // the record value: ONE event (not the batch)
};

// A record for the outbound side: consent.changes (schemas/consent.changes.v1.schema.json) or
// approvals.decisions (schemas/approvals.decisions.v1.schema.json). Each signal belongs to the
// event it came from and is written only when that event is not a duplicate.
struct Signal {
  enum class Kind { consent, approval };
  Kind kind = Kind::consent;
  std::string topic;  // "consent.changes" or "approvals.decisions"
  std::string key;    // consent: "<tenant>/<contact>/<channel>"; approval: the campaign id
  std::string value;  // the JSON document, valid against its schema
};

struct MappedEvent {
  NormalizedEvent event;
  std::vector<Signal> signals;
};

struct MappingError {
  std::string reason;   // bounded code: "unknown-provider", "unparseable-body", "no-events",
                        // "bad-event", "schema" ... (documented in the README)
  std::string message;  // one line, no body bytes, no addresses, no secrets
};

using MappingResult = std::variant<std::vector<MappedEvent>, MappingError>;

class EventMapper {
 public:
  // Reads the `normalize` section of every *.json manifest in `providers_dir`. Throws
  // ConfigError naming the file and key for anything wrong (start-up only).
  static std::shared_ptr<const EventMapper> load(const std::string& providers_dir);

  virtual ~EventMapper() = default;
  // The events of one delivery, in the order the provider sent them (a batch split into one
  // event each), or why it cannot be normalized.
  virtual MappingResult map(const RawDelivery& delivery) const = 0;
  // Every topic map() can route to (events.*, consent.changes, approvals.decisions): the
  // processor checks at start that topology declares them.
  virtual std::vector<std::string> topics() const = 0;
};

}  // namespace hookline::normalizer
