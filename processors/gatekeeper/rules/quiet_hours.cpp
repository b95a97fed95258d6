// Quiet-hours arithmetic at a fixed UTC offset.
#include "processors/gatekeeper/rules/quiet_hours.h"

namespace hookline::gatekeeper {

std::optional<std::chrono::system_clock::time_point> quiet_until(
    const QuietHours& quiet, const std::string& purpose,
    std::chrono::system_clock::time_point now) {
  using std::chrono::minutes;
  using Duration = std::chrono::system_clock::duration;
  if (quiet.start_minute == quiet.end_minute || !quiet.purposes.contains(purpose)) {
    return std::nullopt;
  }
  const Duration offset = minutes(quiet.utc_offset_minutes);
  // Local time as a duration since the epoch, split into the local day and the time of day.
  const Duration local = now.time_since_epoch() + offset;
  const Duration day = std::chrono::floor<std::chrono::days>(local);
  const Duration time_of_day = local - day;
  const Duration start = minutes(quiet.start_minute);
  const Duration end = minutes(quiet.end_minute);
  bool inside = false;
  Duration end_local{};
  if (start < end) {  // same day: [start, end)
    inside = time_of_day >= start && time_of_day < end;
    end_local = day + end;
  } else if (time_of_day >= start) {  // spans midnight, evening part: ends tomorrow
    inside = true;
    end_local = day + std::chrono::days(1) + end;
  } else if (time_of_day < end) {  // spans midnight, morning part: ends today
    inside = true;
    end_local = day + end;
  }
  if (!inside) return std::nullopt;
  return std::chrono::system_clock::time_point(end_local - offset);
}

}  // namespace hookline::gatekeeper
