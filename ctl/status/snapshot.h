#pragma once
// What `hookline status` found, as plain values: consumer lag per component group, the DLQs,
// open approvals, the components' endpoints, the sender's circuits and the topology check.
// Collectors fill it (kafka_state, db_state, endpoint_probe, metrics_reading); renderers print
// it (render_text, render_json); attention() says what needs an operator's eye (exit code 3).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hookline::ctl::status {

// Where a group's committed offsets came from.
enum class LagSource {
  broker,    // the group's committed offsets in Kafka
  metrics,   // the component's own lag gauge (its /metrics endpoint)
  database,  // offsets the component stores in Postgres (the gatekeeper)
  unknown,   // none of them could be read
};
const char* to_string(LagSource source) noexcept;

struct PartitionLag {
  std::int32_t partition = 0;
  std::int64_t end = 0;                   // last stable offset
  std::optional<std::int64_t> committed;  // next offset to read; none: no commit
  std::int64_t lag = 0;
};

struct TopicLag {
  std::string topic;
  LagSource source = LagSource::unknown;
  int partition_count = 0;               // partitions of the topic
  std::vector<PartitionLag> partitions;  // the partitions whose lag is known
  std::optional<std::int64_t> total;     // sum over `partitions`; none when nothing is known
  std::string note;                      // why this source, or what is missing
  std::string error;                     // reading failed (one line)
};

struct GroupLag {
  std::string component;  // normalizer, gatekeeper, sender
  std::string group_id;
  std::vector<TopicLag> topics;
};

struct DlqState {
  std::string topic;
  std::string replay_group;       // the replay cursor: hookline-dlq-replay.<topic>
  std::int64_t held = 0;          // records in the topic (end - low watermark)
  std::int64_t last_hour = 0;     // records that arrived in the last hour
  std::int64_t not_replayed = 0;  // records past the replay cursor
  bool has_cursor = false;        // the replay group has committed offsets
  std::string note;               // how the last hour was found, when not by the time index
  std::string error;
};

struct ApprovalsState {
  bool configured = false;  // a database URL is configured
  std::int64_t pending = 0;
  std::optional<std::int64_t> oldest_age_s;  // age of the oldest pending approval
  std::string error;
};

struct EndpointProbe {
  std::string url;
  bool up = false;
  std::string detail;  // "HTTP 200", "connection refused", ...
};

struct ComponentEndpoints {
  std::string component;  // ingest, normalizer, gatekeeper, sender
  std::string origin;     // where the URLs came from ("--endpoints", ...); empty: none given
  std::vector<EndpointProbe> probes;
};

struct CircuitState {
  std::string connection;
  std::string state;  // closed, half-open, open
};

struct SenderHealth {
  bool scraped = false;                // at least one sender endpoint answered
  std::string note;                    // why nothing is known
  std::vector<CircuitState> circuits;  // every connection the sender reports, by name
  std::vector<std::string> throttled;  // connections paused by a provider's Retry-After
  std::size_t skipped_lines = 0;       // metric lines that could not be read
};

struct TopologyState {
  bool checked = false;
  std::size_t declared = 0;
  std::string source;           // the topology file
  std::string configs_skipped;  // why topic configs were not compared ("" when they were)
  std::vector<std::string> drift;
  std::string error;
};

struct Snapshot {
  std::string bootstrap;
  std::string taken_at;  // RFC 3339
  std::vector<GroupLag> groups;
  std::vector<DlqState> dlqs;
  ApprovalsState approvals;
  std::vector<ComponentEndpoints> endpoints;
  SenderHealth sender;
  TopologyState topology;
};

// One line per thing that needs attention: drift, a DLQ that grew in the last hour, an open
// circuit, an endpoint down, a part that could not be read. Empty: all well.
std::vector<std::string> attention(const Snapshot& s);

}  // namespace hookline::ctl::status
