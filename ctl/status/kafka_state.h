#pragma once
// The broker's side of `hookline status`, read with core/kafka/topic_scan.h (no group joined,
// no consumer disturbed; every call bounded by the Kafka timeout of the config):
// - lag of a group that commits to Kafka (the sender);
// - lag of the normalizer, which commits inside its transactions (TxnOffsetCommit): the dev
//   broker (librdkafka's mock cluster) does not keep those, so when the group has no committed
//   offset its own gauge hookline_normalizer_consumer_lag is used, and the source says which;
// - lag of the gatekeeper from the offsets it keeps in Postgres (db_state.h);
// - a DLQ's size, growth in the last hour and records past its replay cursor.
// Failures are recorded in the result (`error`), never thrown.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/config.h"
#include "core/error.h"
#include "ctl/status/component_settings.h"
#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

// (topic, partition) -> next offset, as the gatekeeper stores them.
using StoredOffsets = std::map<std::pair<std::string, std::int32_t>, std::int64_t>;

GroupLag committed_group_lag(const KafkaConfig& kafka, const GroupSpec& group);

// `gauges`: merged hookline_normalizer_consumer_lag readings (metrics_reading.h), none when no
// normalizer endpoint answered.
GroupLag normalizer_group_lag(const KafkaConfig& kafka, const GroupSpec& group,
                              const std::optional<std::map<std::int32_t, double>>& gauges);

// `stored`: the gatekeeper's offsets, or why they could not be read (none: no database).
GroupLag stored_group_lag(const KafkaConfig& kafka, const GroupSpec& group,
                          const std::optional<Result<StoredOffsets>>& stored);

DlqState dlq_state(const KafkaConfig& kafka, const std::string& topic,
                   std::chrono::system_clock::time_point now);

}  // namespace hookline::ctl::status
