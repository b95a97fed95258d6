#pragma once
// `hookline status` as one screen of plain, aligned text.
#include <cstdint>
#include <string>
#include <vector>

#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

// `attention` is attention(snapshot), listed at the end.
std::string render_text(const Snapshot& s, const std::vector<std::string>& attention);

// "45s", "2m 5s", "3h 12m", "2d 4h".
std::string format_age(std::int64_t seconds);

}  // namespace hookline::ctl::status
