#pragma once
// What `hookline status` reads from the components' /metrics text: the sender's circuit
// breakers and Retry-After pauses, and the normalizer's per-partition consumer lag. With
// several instances of a component, their readings are merged (worst state, highest lag).
#include <cstdint>
#include <map>
#include <vector>

#include "ctl/status/prometheus_text.h"
#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

// sinks/sender/sender_metrics.cpp: 0 closed, 1 half-open, 2 open, per connection.
inline constexpr const char* kCircuitStateMetric = "hookline_sender_circuit_state";
// 1 while a connection is paused by a provider's Retry-After.
inline constexpr const char* kConnectionPausedMetric = "hookline_sender_connection_paused";
// processors/normalizer/normalizer_metrics.cpp: records behind the partition's end.
inline constexpr const char* kNormalizerLagMetric = "hookline_normalizer_consumer_lag";

// Circuits and throttled connections from the sender instances' metrics (scraped = true).
SenderHealth sender_health(const std::vector<MetricsText>& instances);

// partition -> lag from the normalizer instances' metrics (highest per partition: a partition
// that moved to another instance reads 0 on the one that lost it).
std::map<std::int32_t, double> normalizer_lag_gauges(const std::vector<MetricsText>& instances);

}  // namespace hookline::ctl::status
