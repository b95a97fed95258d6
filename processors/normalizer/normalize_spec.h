#pragma once
// The `normalize` section of a provider manifest (topology/providers/<provider>.json), parsed
// strictly at start-up. processors/normalizer/README.md is the reference; in short:
//
//   "normalize": {
//     "description": "...",                                    optional, for readers
//     "body": {"format": "json" | "form" | "auto", "form_json_field": "payload"},
//     "events": [ {                                            kinds of event, see EventKind
//       "name": "status",
//       "split": ["/entry", "/changes", "/value/statuses"],
//       "when": [{"pointer": "/status", "exists": true}],
//       "type": ["com.whatsapp.message.status.{/status}"],
//       "id": ["{/id}:{/status}"],
//       "subject": ["{/id}"],
//       "time": [{"pointer": "/timestamp", "format": "unix_s"}],
//       "partition_key": ["{/recipient_id}"],
//       "data": "narrowed"
//     } ],
//     "routes": [{"type": "com.whatsapp.*", "topic": "events.messaging"}],
//     "default_topic": "events.other",
//     "signals": [{"when": [{"type": "..."}], "consent": {...}} | {..., "approval": {...}}]
//   }
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/pointer.h>

#include "core/json_reader.h"
#include "processors/normalizer/approval_signal.h"
#include "processors/normalizer/condition.h"
#include "processors/normalizer/consent_signal.h"
#include "processors/normalizer/delivery_body.h"
#include "processors/normalizer/event_time.h"
#include "processors/normalizer/routing.h"
#include "processors/normalizer/template.h"

namespace hookline::normalizer {

inline constexpr const char* kDefaultTopic = "events.other";
inline constexpr std::size_t kMaxSplitDepth = 8;

struct TimeSource {
  std::optional<rapidjson::Pointer> pointer;  // else `header`
  std::string header;
  TimeFormat format = TimeFormat::rfc3339;
};

// One kind of event. The body (or each element its `split` reaches) is an event of the first
// kind, among those with the same split, whose `when` holds.
struct EventKind {
  std::string name;
  std::vector<std::string> split;  // array pointers, each relative to an element of the last
  std::vector<Condition> when;
  std::vector<Template> type;  // required
  std::vector<Template> id;    // none resolves: "sha256:<hex>" of the event's canonical bytes
  std::vector<Template> subject;
  std::vector<TimeSource> time;         // none resolves: the delivery's received_at
  std::vector<Template> partition_key;  // default: the subject, else the id
  enum class Data { event, narrowed };
  // event: the element alone (the body itself when not split); narrowed: the whole body with
  // each split array cut down to this one element (and sibling split arrays removed), so the
  // event keeps the provider's envelope (WhatsApp: entry id, phone_number_id, contacts).
  Data data = Data::event;
};

struct SignalRule {
  std::string description;
  std::vector<Condition> when;
  std::optional<ConsentRule> consent;
  std::optional<ApprovalRule> approval;
};

struct NormalizeSpec {
  std::string provider;
  std::string description;
  BodySpec body;
  std::vector<EventKind> events;
  Routing routing;
  std::vector<SignalRule> signals;

  // Every topic events and signals can go to.
  std::vector<std::string> topics() const;
};

// Reads the section; `keep_headers` are the manifest's (templates may only name those).
// Throws ConfigError naming the file and key.
NormalizeSpec read_normalize_spec(ObjectReader& section, const std::string& provider,
                                  const std::vector<std::string>& keep_headers);

}  // namespace hookline::normalizer
