#include "processors/normalizer/normalizer_metrics.h"

namespace hookline::normalizer {
namespace {

std::vector<double> seconds_buckets() {
  return {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::vector<double> count_buckets() {
  return {1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
}

}  // namespace

NormalizerMetrics::NormalizerMetrics(metrics::Registry& r)
    : registry(r),
      records_in(r.counter("hookline_normalizer_records_in_total",
                           "Raw records read from webhooks.raw, by provider", {"provider"})),
      events_out(r.counter("hookline_normalizer_events_out_total",
                           "Normalized events written (first copies), by provider, type and topic",
                           {"provider", "type", "topic"})),
      duplicates(r.counter("hookline_normalizer_duplicates_dropped_total",
                           "Events dropped because their identity was seen in the window",
                           {"provider"})),
      replays(r.counter("hookline_normalizer_replays_total",
                        "Raw records replayed by an operator (hookline replay raw), re-emitted "
                        "whatever the dedup window says, by provider",
                        {"provider"})),
      signals(r.counter("hookline_normalizer_signals_total",
                        "Consent and approval records written, by topic", {"topic"})),
      dlq(r.counter("hookline_normalizer_dlq_total", "Raw records sent to webhooks.dlq, by reason",
                    {"reason"})),
      commit_duration(r.histogram("hookline_normalizer_transaction_commit_seconds",
                                  "Time to send offsets and commit one transaction",
                                  seconds_buckets())
                          .with()),
      transaction_records(r.histogram("hookline_normalizer_transaction_records",
                                      "Input records per committed transaction", count_buckets())
                              .with()),
      transactions(r.counter("hookline_normalizer_transactions_total",
                             "Transactions by outcome (committed, aborted)", {"outcome"})),
      restore_duration(r.histogram("hookline_normalizer_restore_seconds",
                                   "Time to restore one partition's dedup window",
                                   seconds_buckets())
                           .with()),
      restore_records(r.counter("hookline_normalizer_restore_records_total",
                                "Changelog records read while restoring")
                          .with()),
      dedup_keys(r.gauge("hookline_normalizer_dedup_keys",
                         "Identities held in the dedup window, by input partition", {"partition"})),
      dedup_bytes(r.gauge("hookline_normalizer_dedup_bytes",
                          "Estimated heap bytes of the dedup window, by input partition",
                          {"partition"})),
      lag(r.gauge("hookline_normalizer_consumer_lag",
                  "Records between the position and the end of each assigned input partition",
                  {"partition"})) {}

}  // namespace hookline::normalizer
