#include "ctl/status/metrics_reading.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>

namespace hookline::ctl::status {
namespace {

// 0 closed, 1 half-open, 2 open; anything else is not a state.
int state_rank(double v) {
  if (v == 0) return 0;
  if (v == 1) return 1;
  if (v == 2) return 2;
  return -1;
}

const char* state_name(int rank) {
  switch (rank) {
    case 1:
      return "half-open";
    case 2:
      return "open";
    default:
      return "closed";
  }
}

}  // namespace

SenderHealth sender_health(const std::vector<MetricsText>& instances) {
  SenderHealth h;
  h.scraped = true;
  std::map<std::string, int> worst;
  std::set<std::string> throttled;
  for (const auto& m : instances) {
    h.skipped_lines += m.skipped;
    for (const Sample* s : m.find(kCircuitStateMetric)) {
      const std::string* connection = s->label("connection");
      const int rank = state_rank(s->value);
      if (connection == nullptr || rank < 0) continue;
      auto [it, inserted] = worst.emplace(*connection, rank);
      if (!inserted) it->second = std::max(it->second, rank);
    }
    for (const Sample* s : m.find(kConnectionPausedMetric)) {
      const std::string* connection = s->label("connection");
      if (connection != nullptr && s->value > 0) throttled.insert(*connection);
    }
  }
  for (const auto& [connection, rank] : worst) h.circuits.push_back({connection, state_name(rank)});
  h.throttled.assign(throttled.begin(), throttled.end());
  return h;
}

std::map<std::int32_t, double> normalizer_lag_gauges(const std::vector<MetricsText>& instances) {
  std::map<std::int32_t, double> out;
  for (const auto& m : instances) {
    for (const Sample* s : m.find(kNormalizerLagMetric)) {
      const std::string* label = s->label("partition");
      if (label == nullptr || std::isnan(s->value)) continue;
      std::int32_t p = 0;
      auto [end, ec] = std::from_chars(label->data(), label->data() + label->size(), p);
      if (ec != std::errc() || end != label->data() + label->size() || p < 0) continue;
      auto [it, inserted] = out.emplace(p, s->value);
      if (!inserted) it->second = std::max(it->second, s->value);
    }
  }
  return out;
}

}  // namespace hookline::ctl::status
