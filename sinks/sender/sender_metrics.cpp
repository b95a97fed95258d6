#include "sinks/sender/sender_metrics.h"

namespace hookline::sender {
namespace {

std::vector<double> seconds_buckets() {
  return {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

}  // namespace

SenderMetrics::SenderMetrics(metrics::Registry& r)
    : registry(r),
      sends(r.counter("hookline_sender_sends_total",
                      "Provider calls by provider, connection and outcome (sent, retryable, "
                      "permanent, gone, throttled)",
                      {"provider", "connection", "outcome"})),
      latency(r.histogram("hookline_sender_provider_latency_seconds",
                          "Duration of one provider call (answer or transport error)",
                          seconds_buckets(), {"provider"})),
      token_wait(r.counter("hookline_sender_token_wait_seconds_total",
                           "Seconds requests waited in their connection's queue before a call",
                           {"connection"})),
      queue_depth(r.gauge("hookline_sender_queue_depth", "Requests waiting in a connection's queue",
                          {"connection"})),
      retry_waiting(r.gauge("hookline_sender_retry_waiting",
                            "Retry records held until their due time, by tier", {"tier"})),
      tier_lag(r.gauge("hookline_sender_retry_tier_lag",
                       "Records in a retry tier not yet finished (its queue depth), by tier",
                       {"tier"})),
      circuit_state(r.gauge("hookline_sender_circuit_state",
                            "Circuit breaker per connection: 0 closed, 1 half-open, 2 open",
                            {"connection"})),
      paused(r.gauge("hookline_sender_connection_paused",
                     "1 while a connection is paused by the provider's Retry-After",
                     {"connection"})),
      results(r.counter("hookline_sender_results_total",
                        "Results written to outbound.results, by type", {"type"})),
      dlq(r.counter("hookline_sender_dlq_total", "Requests parked in outbound.dlq, by reason",
                    {"reason"})),
      retries(
          r.counter("hookline_sender_retries_total", "Requests sent to a retry tier", {"tier"})),
      ledger_skips(r.counter("hookline_sender_ledger_skips_total",
                             "Requests not sent again because the sent-ledger knew them sent")
                       .with()),
      ledger_errors(r.counter("hookline_sender_ledger_errors_total",
                              "Sent-ledger failures, by operation (find, record)", {"op"})),
      gone(r.counter("hookline_sender_destinations_gone_total",
                     "Webhook destinations disabled after 410 Gone", {"connection"})),
      suppressed(r.counter("hookline_sender_suppressed_total",
                           "Requests not sent because consent, checked again just before the "
                           "call, no longer allowed them, by reason",
                           {"reason"})),
      consent_latency(r.histogram("hookline_sender_consent_check_seconds",
                                  "Duration of one consent recheck before a call",
                                  seconds_buckets())
                          .with()),
      consent_errors(r.counter("hookline_sender_consent_check_errors_total",
                               "Consent rechecks that could not be made (the request is retried)")
                         .with()),
      approval_requests(r.counter("hookline_sender_approval_requests_total",
                                  "approvals.requests records read, by outcome (accepted, invalid)",
                                  {"outcome"})) {}

}  // namespace hookline::sender
