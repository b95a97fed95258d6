#pragma once
// Every metric the normalizer exposes, declared in one place (STYLE.md convention 7). Labels
// are bounded: provider and type come from manifests, topic from topology, reason from a fixed
// set, partition from the topic's partition count.
#include "core/metrics/registry.h"

namespace hookline::normalizer {

struct NormalizerMetrics {
  explicit NormalizerMetrics(metrics::Registry& registry);

  metrics::Registry& registry;
  // hookline_normalizer_records_in_total{provider}: raw records read
  metrics::Family<metrics::Counter>& records_in;
  // hookline_normalizer_events_out_total{provider,type,topic}: events written (first copies)
  metrics::Family<metrics::Counter>& events_out;
  // hookline_normalizer_duplicates_dropped_total{provider}
  metrics::Family<metrics::Counter>& duplicates;
  // hookline_normalizer_replays_total{provider}: raw records an operator replayed
  // (hookline replay raw), re-emitted past the dedup window
  metrics::Family<metrics::Counter>& replays;
  // hookline_normalizer_signals_total{topic}
  metrics::Family<metrics::Counter>& signals;
  // hookline_normalizer_dlq_total{reason}
  metrics::Family<metrics::Counter>& dlq;
  // hookline_normalizer_transaction_commit_seconds
  metrics::Histogram& commit_duration;
  // hookline_normalizer_transaction_records: input records per committed transaction
  metrics::Histogram& transaction_records;
  // hookline_normalizer_transactions_total{outcome}: committed, aborted
  metrics::Family<metrics::Counter>& transactions;
  // hookline_normalizer_restore_seconds, hookline_normalizer_restore_records_total
  metrics::Histogram& restore_duration;
  metrics::Counter& restore_records;
  // hookline_normalizer_dedup_keys{partition}, hookline_normalizer_dedup_bytes{partition}
  metrics::Family<metrics::Gauge>& dedup_keys;
  metrics::Family<metrics::Gauge>& dedup_bytes;
  // hookline_normalizer_consumer_lag{partition}: records behind the partition's end
  metrics::Family<metrics::Gauge>& lag;
};

}  // namespace hookline::normalizer
