#include "processors/gatekeeper/gatekeeper_metrics.h"

namespace hookline::gatekeeper {

GatekeeperMetrics::GatekeeperMetrics(metrics::Registry& r)
    : registry(r),
      decisions(r.counter("hookline_gatekeeper_decisions_total",
                          "Send requests decided, by outcome (approved, suppressed, held, denied, "
                          "expired, released, dead_lettered) and reason code",
                          {"outcome", "reason"})),
      approvals_open(
          r.gauge("hookline_gatekeeper_approvals_open", "Approvals waiting for a decision").with()),
      approvals(r.counter("hookline_gatekeeper_approvals_total",
                          "Approvals by status reached (requested, approved, denied, expired)",
                          {"status"})),
      approval_decisions(r.counter("hookline_gatekeeper_approval_decisions_total",
                                   "Decisions read from approvals.decisions, by outcome (applied, "
                                   "unknown_approval, already_decided, not_an_approver, duplicate)",
                                   {"outcome"})),
      held(r.gauge("hookline_gatekeeper_held_messages", "Messages held for a campaign decision")
               .with()),
      consent_changes(r.counter("hookline_gatekeeper_consent_changes_total",
                                "consent.changes records by outcome (recorded, duplicate, "
                                "dead_lettered)",
                                {"outcome"})),
      ledger_lookup(r.histogram("hookline_gatekeeper_ledger_lookup_seconds",
                                "Duration of one consent ledger lookup",
                                {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1})
                        .with()),
      outbox_lag(r.gauge("hookline_gatekeeper_outbox_lag_seconds",
                         "Age of the oldest unpublished outbound_outbox row (0 when none)")
                     .with()),
      outbox_published(r.counter("hookline_gatekeeper_outbox_published_total",
                                 "outbound_outbox rows published to outbound.requests")
                           .with()),
      outbox_invalid(r.counter("hookline_gatekeeper_outbox_invalid_total",
                               "outbound_outbox rows that were not valid send requests")
                         .with()),
      transactions(r.counter("hookline_gatekeeper_transactions_total",
                             "Batches by outcome (committed, aborted)", {"outcome"})) {}

}  // namespace hookline::gatekeeper
