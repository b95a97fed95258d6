#pragma once
// Per partition, the first offset whose record time is at or after a time, for `hookline
// status`'s "arrived in the last hour". The broker's time index (TopicScan::offsets_for_time)
// answers it; librdkafka's mock cluster (the dev broker) has none and answers every lookup with
// "no offset", which reads as "nothing that recent". Such a broker is recognised (a lookup at
// time 0 finds nothing in a partition that holds records), and those partitions are searched by
// reading records instead: a binary search on record times, each step one record read, exact
// for records written in time order (a DLQ's records carry their produce time).
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/kafka/topic_scan.h"
#include "ctl/status/lag.h"

namespace hookline::ctl::status {

struct TimeLookup {
  Offsets offsets;
  bool searched = false;  // some partition was searched by reading records
};

Result<TimeLookup> offsets_at_time(kafka::TopicScan& scan, const std::vector<Watermark>& marks,
                                   std::int64_t ms);

}  // namespace hookline::ctl::status
