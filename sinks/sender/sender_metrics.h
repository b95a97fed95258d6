#pragma once
// Every metric the sender exposes, declared in one place (STYLE.md convention 7). Labels are
// bounded: provider from the built-in clients, connection from the registry, outcome and
// reason from fixed sets, tier from the topology. Never a contact or an address.
#include "core/metrics/registry.h"

namespace hookline::sender {

struct SenderMetrics {
  explicit SenderMetrics(metrics::Registry& registry);

  metrics::Registry& registry;
  // hookline_sender_sends_total{provider,connection,outcome}: provider calls by outcome (sent,
  // retryable, permanent, gone, throttled)
  metrics::Family<metrics::Counter>& sends;
  // hookline_sender_provider_latency_seconds{provider}: one HTTP call, answer or not
  metrics::Family<metrics::Histogram>& latency;
  // hookline_sender_token_wait_seconds_total{connection}: time requests waited for a token
  metrics::Family<metrics::Counter>& token_wait;
  // hookline_sender_queue_depth{connection}: requests waiting in the connection's queue
  metrics::Family<metrics::Gauge>& queue_depth;
  // hookline_sender_retry_waiting{tier}: retry records held until due (one per paused partition)
  metrics::Family<metrics::Gauge>& retry_waiting;
  // hookline_sender_retry_tier_lag{tier}: records in a retry tier not yet finished (the
  // tier's queue depth, over the partitions this instance holds)
  metrics::Family<metrics::Gauge>& tier_lag;
  // hookline_sender_circuit_state{connection}: 0 closed, 1 half-open, 2 open
  metrics::Family<metrics::Gauge>& circuit_state;
  // hookline_sender_connection_paused{connection}: 1 while a Retry-After pause lasts
  metrics::Family<metrics::Gauge>& paused;
  // hookline_sender_results_total{type}: results written (succeeded, failed, retrying,
  // dead_lettered, suppressed)
  metrics::Family<metrics::Counter>& results;
  // hookline_sender_dlq_total{reason}: requests parked in outbound.dlq
  metrics::Family<metrics::Counter>& dlq;
  // hookline_sender_retries_total{tier}: requests sent to a retry tier
  metrics::Family<metrics::Counter>& retries;
  // hookline_sender_ledger_skips_total: requests not sent because the ledger knew them sent
  metrics::Counter& ledger_skips;
  // hookline_sender_ledger_errors_total{op}: sent-ledger failures (find, record)
  metrics::Family<metrics::Counter>& ledger_errors;
  // hookline_sender_destinations_gone_total{connection}: webhook destinations disabled (410)
  metrics::Family<metrics::Counter>& gone;
  // hookline_sender_suppressed_total{reason}: requests not sent because consent, checked again
  // just before the call, no longer allowed them (reason: the consent check's code)
  metrics::Family<metrics::Counter>& suppressed;
  // hookline_sender_consent_check_seconds: one consent recheck (cache hit or ledger lookup)
  metrics::Histogram& consent_latency;
  // hookline_sender_consent_check_errors_total: rechecks that could not be made (retried later)
  metrics::Counter& consent_errors;
  // hookline_sender_approval_requests_total{outcome}: approvals.requests records read (posted
  // to Slack as a send request: accepted; not readable: invalid, to outbound.dlq)
  metrics::Family<metrics::Counter>& approval_requests;
};

}  // namespace hookline::sender
