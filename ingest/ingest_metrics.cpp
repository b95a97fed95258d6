#include "ingest/ingest_metrics.h"

namespace hookline::ingest {
namespace {

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace

IngestMetrics::IngestMetrics(metrics::Registry& r)
    : registry(r),
      requests(r.counter("hookline_ingest_requests_total",
                         "Webhook requests by provider, connection and HTTP status",
                         {"provider", "connection", "status"})),
      verification_failures(r.counter("hookline_ingest_verification_failures_total",
                                      "Deliveries refused by signature verification, by reason",
                                      {"provider", "reason"})),
      request_duration(r.histogram("hookline_ingest_request_duration_seconds",
                                   "Time from request received to answer, by provider",
                                   latency_buckets(), {"provider"})),
      ack_duration(r.histogram("hookline_ingest_kafka_ack_duration_seconds",
                               "Time from produce to Kafka's acknowledgement", latency_buckets())
                       .with()),
      in_flight(r.gauge("hookline_ingest_in_flight_requests", "Requests being handled").with()),
      producer_queue(r.gauge("hookline_ingest_producer_queue_depth",
                             "Records queued in the producer or awaiting acknowledgement")
                         .with()),
      published(r.counter("hookline_ingest_published_total",
                          "Raw records acknowledged by Kafka, by provider", {"provider"})) {}

}  // namespace hookline::ingest
