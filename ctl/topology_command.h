#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/kafka/admin.h"
#include "core/topology.h"

namespace hookline::ctl {

// What `hookline topology check` finds (also shown by `hookline status`).
struct TopologyCheck {
  std::size_t declared = 0;  // declared topics (retry tiers included)
  std::size_t brokers = 0;
  bool configs_checked = false;
  std::string configs_skipped;     // why topic configs were not compared
  std::vector<std::string> drift;  // one line per difference; empty: in step
};

// Compares the cluster with `topo`: existence, partition counts, replication factors and, when
// the broker can describe them, topic configs. Throws std::runtime_error when Kafka fails.
TopologyCheck check_topology(const Topology& topo, const kafka::AdminClient& admin,
                             const Config& cfg);

// `hookline topology apply|check [--topology FILE]`. Exit codes: 0 in step, 1 error,
// 2 usage, 3 drift found.
int run_topology_command(const std::vector<std::string>& args, const Config& cfg);

}  // namespace hookline::ctl
