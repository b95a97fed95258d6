#pragma once
// Every metric the gatekeeper exposes, declared in one place (STYLE.md convention 7). Labels
// are bounded: outcome and reason from fixed sets of codes, topic from the topology. Never a
// contact, an address or a campaign id.
#include "core/metrics/registry.h"

namespace hookline::gatekeeper {

struct GatekeeperMetrics {
  explicit GatekeeperMetrics(metrics::Registry& registry);

  metrics::Registry& registry;
  // hookline_gatekeeper_decisions_total{outcome,reason}: requests decided (approved,
  // suppressed, held, denied, expired, released, dead_lettered) with the reason code
  metrics::Family<metrics::Counter>& decisions;
  // hookline_gatekeeper_approvals_open: approvals waiting for a decision
  metrics::Gauge& approvals_open;
  // hookline_gatekeeper_approvals_total{status}: approvals requested, approved, denied, expired
  metrics::Family<metrics::Counter>& approvals;
  // hookline_gatekeeper_approval_decisions_total{outcome}: decisions applied or ignored
  // (unknown_approval, already_decided, not_an_approver, duplicate)
  metrics::Family<metrics::Counter>& approval_decisions;
  // hookline_gatekeeper_held_messages: messages held for a decision
  metrics::Gauge& held;
  // hookline_gatekeeper_consent_changes_total{outcome}: consent.changes recorded, duplicate,
  // dead_lettered
  metrics::Family<metrics::Counter>& consent_changes;
  // hookline_gatekeeper_ledger_lookup_seconds: one consent ledger lookup
  metrics::Histogram& ledger_lookup;
  // hookline_gatekeeper_outbox_lag_seconds: age of the oldest unpublished outbox row (0: none)
  metrics::Gauge& outbox_lag;
  // hookline_gatekeeper_outbox_published_total: outbox rows published to outbound.requests
  metrics::Counter& outbox_published;
  // hookline_gatekeeper_outbox_invalid_total: outbox rows that were not send requests
  metrics::Counter& outbox_invalid;
  // hookline_gatekeeper_transactions_total{outcome}: batches committed / aborted
  metrics::Family<metrics::Counter>& transactions;
};

}  // namespace hookline::gatekeeper
