// Fuzzes the Prometheus text reader of `hookline status` (ctl/status/prometheus_text.h), which
// reads the components' /metrics answers from the network. Besides not crashing: every line is
// either a sample, skipped, or a blank or comment; every sample has a well-formed name and
// distinct well-formed label names; and every sample written back with core/metrics'
// exposition (the components' own writer) reads back the same.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/metrics/exposition.h"
#include "ctl/status/prometheus_text.h"

namespace st = hookline::ctl::status;
namespace ex = hookline::metrics::exposition;

namespace {

bool name_char(char c, bool first, bool colon_ok) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const bool digit = c >= '0' && c <= '9';
  return alpha || (colon_ok && c == ':') || (!first && digit);
}

bool well_formed(std::string_view name, bool colon_ok) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, colon_ok)) return false;
  }
  return true;
}

bool same_value(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b;
}

std::string write_back(const st::Sample& s) {
  std::string line = s.name;
  if (!s.labels.empty()) {
    line += "{";
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
      if (i > 0) line += ",";
      line += s.labels[i].first + "=\"";
      ex::append_escaped_label_value(line, s.labels[i].second);
      line += "\"";
    }
    line += "}";
  }
  line += " " + ex::format_value(s.value);
  if (s.timestamp_ms) line += " " + std::to_string(*s.timestamp_ms);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const st::MetricsText m = st::parse_prometheus_text(input);
  std::size_t lines = 0;
  for (std::size_t at = 0; at < input.size(); ++lines) {
    const std::size_t nl = input.find('\n', at);
    at = nl == std::string_view::npos ? input.size() : nl + 1;
  }
  if (m.samples.size() + m.skipped > lines) __builtin_trap();
  for (const st::Sample& s : m.samples) {
    if (!well_formed(s.name, true)) __builtin_trap();
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
      if (!well_formed(s.labels[i].first, false)) __builtin_trap();
      for (std::size_t k = 0; k < i; ++k) {
        if (s.labels[k].first == s.labels[i].first) __builtin_trap();
      }
    }
    auto again = st::parse_sample_line(write_back(s));
    if (!again || again->name != s.name || again->labels != s.labels ||
        !same_value(again->value, s.value) || again->timestamp_ms != s.timestamp_ms) {
      __builtin_trap();
    }
  }
  return 0;
}
