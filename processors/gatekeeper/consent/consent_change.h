#pragma once
// Reads a `consent.changes` record value (schemas/consent.changes.v1.schema.json, embedded at
// build time) into the ledger entry the gatekeeper appends. Strict JSON (valid UTF-8, nothing
// after the value), then the schema, then the meaning:
//   opt_out + keyword:<K>            -> inbound_stop
//   opt_in  + keyword:<K>            -> inbound_start
//   hard_bounce                      -> bounce     (opt_out only)
//   spam_complaint                   -> complaint  (opt_out only)
//   unsubscribe, group_unsubscribe   -> unsubscribe_link (opt_out only)
//   group_resubscribe                -> resubscribe (opt_in only)
//   any other opt_out reason         -> unsubscribe_link
//   any other opt_in reason          -> resubscribe
// The scope comes from rules.opt_out_scope / rules.opt_in_scope by source (marketing when the
// source is not listed). The contact is normalized (contact.h) and hashed; evidence_event_id
// is source.event_id; recorded_by is "hookline-gatekeeper".
//
// Errors are permanent (the record goes to a DLQ) and name the schema keyword and the JSON
// pointer of the offending member, never its value (contacts are personal data).
#include <string_view>

#include "core/error.h"
#include "processors/gatekeeper/consent/consent_entry.h"
#include "processors/gatekeeper/consent/contact.h"
#include "processors/gatekeeper/rules/rules.h"

namespace hookline::gatekeeper {

inline constexpr const char* kGatekeeperRecorder = "hookline-gatekeeper";

// Thread-safe (the compiled schema is built once per thread).
Result<ConsentEntry> consent_entry_from_change(std::string_view json, const ConsentRules& rules,
                                               const ContactHasher& hasher);

// The schema's text (for tests).
std::string_view consent_change_schema_text() noexcept;

}  // namespace hookline::gatekeeper
