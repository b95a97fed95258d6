#pragma once
// What `hookline status` looks at, taken from the same configuration the components read:
// their consumer groups and input topics (each component's own config loader, so defaults and
// overrides agree), the DLQ topics, and the endpoint sources (endpoints.h) in priority order.
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/topology.h"
#include "ctl/status/endpoints.h"

namespace hookline::ctl::status {

struct GroupSpec {
  std::string component;
  std::string group_id;
  std::vector<std::string> topics;
};

struct StatusSettings {
  GroupSpec normalizer;  // webhooks.raw; transactional commits (see kafka_state.h)
  GroupSpec gatekeeper;  // offsets in Postgres (gatekeeper_offsets)
  GroupSpec sender;      // outbound.approved, the retry tiers, approvals.requests
  std::vector<std::string> dlq_topics;
  // Highest priority first: --endpoints, HOOKLINE_STATUS_ENDPOINTS, config "status" section,
  // the components' configured listen addresses.
  std::vector<EndpointLayer> endpoint_layers;
};

// `endpoints_flag`: the --endpoints value, if given. Throws ConfigError (a component's section
// or a list that does not parse) and UsageError (a bad --endpoints).
StatusSettings load_status_settings(const Config& cfg, const Environment& env,
                                    const Topology& topology,
                                    const std::optional<std::string>& endpoints_flag);

// The DLQ replay cursor of `topic` (the consumer group `hookline dlq replay` commits).
std::string replay_group(const std::string& topic);

}  // namespace hookline::ctl::status
