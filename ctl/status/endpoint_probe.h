#pragma once
// GETs the components' metrics endpoints for `hookline status`, all at once, each bounded by
// `timeout` to connect and `timeout` per read, the body capped at kMaxMetricsBody. Up means
// an HTTP 200 answer.
#include <chrono>
#include <string>
#include <vector>

#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

inline constexpr std::chrono::milliseconds kHttpTimeout{2000};
inline constexpr std::size_t kMaxMetricsBody = 16 * 1024 * 1024;

struct Fetched {
  EndpointProbe probe;
  std::string body;  // the answer's body when up
};

// One result per URL, in order. URLs are endpoints.h's normalized form.
std::vector<Fetched> fetch_all(const std::vector<std::string>& urls,
                               std::chrono::milliseconds timeout = kHttpTimeout);

}  // namespace hookline::ctl::status
