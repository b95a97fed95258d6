#include "sinks/simulator/fault_plan.h"

namespace hookline::simulator {

std::int64_t FaultPlan::add(Fault fault) {
  fault.id = next_id_++;
  faults_.push_back(std::move(fault));
  return faults_.back().id;
}

std::optional<Fault> FaultPlan::take(const RequestKey& key) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->match.matches(key)) continue;
    Fault taken = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    return taken;
  }
  return std::nullopt;
}

bool FaultPlan::remove(std::int64_t id) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->id == id) {
      faults_.erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace hookline::simulator
