#pragma once
// A reader for the Prometheus text exposition format (0.0.4), for `hookline status`, which
// scrapes the components' /metrics endpoints. The text comes from the network, so nothing in
// it can make the reader fail: a line that is not a comment, a blank or a well-formed sample is
// skipped and counted. Linear in the input, no recursion, bounded output (kMaxSamples).
//
//   name{label="value",other="a \"quoted\" \\ and \n"} 1.5e3 1700000000000
//
// Comments (# HELP, # TYPE, anything after '#') are skipped without being counted.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::ctl::status {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the text's order, unescaped
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;

  // The value of label `key`, or nullptr.
  const std::string* label(std::string_view key) const noexcept;
};

struct MetricsText {
  std::vector<Sample> samples;
  std::size_t skipped = 0;  // malformed lines, and samples past the limit

  // The samples named `name`, in the text's order.
  std::vector<const Sample*> find(std::string_view name) const;
};

// At most this many samples are kept; later sample lines count as skipped.
inline constexpr std::size_t kMaxSamples = 100000;

MetricsText parse_prometheus_text(std::string_view text, std::size_t max_samples = kMaxSamples);

// One sample line (without the newline), or nullopt when it is not a well-formed sample.
std::optional<Sample> parse_sample_line(std::string_view line);

}  // namespace hookline::ctl::status
