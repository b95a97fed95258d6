#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

const char* to_string(LagSource source) noexcept {
  switch (source) {
    case LagSource::broker:
      return "broker";
    case LagSource::metrics:
      return "metrics";
    case LagSource::database:
      return "database";
    case LagSource::unknown:
      break;
  }
  return "unknown";
}

std::vector<std::string> attention(const Snapshot& s) {
  std::vector<std::string> out;
  if (!s.topology.error.empty()) {
    out.push_back("topology check failed: " + s.topology.error);
  } else if (!s.topology.drift.empty()) {
    out.push_back("topology drift: " + std::to_string(s.topology.drift.size()) +
                  " difference(s) from " + s.topology.source + " (hookline topology check)");
  }
  for (const auto& d : s.dlqs) {
    if (!d.error.empty()) {
      out.push_back(d.topic + ": " + d.error);
    } else if (d.last_hour > 0) {
      out.push_back(d.topic + ": " + std::to_string(d.last_hour) +
                    " record(s) arrived in the last hour (hookline dlq list --topic " + d.topic +
                    ")");
    }
  }
  for (const auto& c : s.sender.circuits) {
    if (c.state == "open") out.push_back("circuit open for connection " + c.connection);
  }
  for (const auto& e : s.endpoints) {
    for (const auto& p : e.probes) {
      if (!p.up) out.push_back(e.component + " endpoint " + p.url + " is down (" + p.detail + ")");
    }
  }
  for (const auto& g : s.groups) {
    for (const auto& t : g.topics) {
      if (!t.error.empty()) out.push_back(g.component + " lag on " + t.topic + ": " + t.error);
    }
  }
  if (!s.approvals.error.empty()) out.push_back("approvals: " + s.approvals.error);
  return out;
}

}  // namespace hookline::ctl::status
