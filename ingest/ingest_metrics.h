#pragma once
// Every metric the ingest exposes, declared in one place (STYLE.md convention 7). Labels are
// bounded: provider and connection come from manifests and the registry (unknown ones are
// reported as "unknown"), status and reason from fixed sets.
#include "core/metrics/registry.h"

namespace hookline::ingest {

struct IngestMetrics {
  explicit IngestMetrics(metrics::Registry& registry);

  metrics::Registry& registry;
  // hookline_ingest_requests_total{provider,connection,status}
  metrics::Family<metrics::Counter>& requests;
  // hookline_ingest_verification_failures_total{provider,reason}
  metrics::Family<metrics::Counter>& verification_failures;
  // hookline_ingest_request_duration_seconds{provider}
  metrics::Family<metrics::Histogram>& request_duration;
  // hookline_ingest_kafka_ack_duration_seconds
  metrics::Histogram& ack_duration;
  // hookline_ingest_in_flight_requests
  metrics::Gauge& in_flight;
  // hookline_ingest_producer_queue_depth (records queued or awaiting ack)
  metrics::Gauge& producer_queue;
  // hookline_ingest_published_total{provider}
  metrics::Family<metrics::Counter>& published;
};

}  // namespace hookline::ingest
