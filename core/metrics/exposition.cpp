#include "core/metrics/exposition.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace hookline::metrics::exposition {
namespace {

void append_uint(std::string& out, std::uint64_t value) {
  std::array<char, 24> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), res.ptr);
}

// name{a="x",b="y",le="0.5"} — the optional `le` comes last; no braces without labels.
void append_series(std::string& out, std::string_view name, std::string_view suffix,
                   std::span<const std::string> names, std::span<const std::string> values,
                   std::string_view le = {}) {
  out += name;
  out += suffix;
  if (names.empty() && le.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped_label_value(out, values[i]);
    out += '"';
  }
  if (!le.empty()) {
    if (!names.empty()) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

}  // namespace

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), res.ptr);
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void append_escaped_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   MetricType type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped_help(out, help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += to_string(type);
  out += '\n';
}

void append_samples(std::string& out, std::string_view name, std::span<const std::string> names,
                    std::span<const std::string> values, const Counter& counter) {
  append_series(out, name, "", names, values);
  out += ' ';
  const double fraction = counter.fraction();
  if (fraction == 0.0) {
    append_uint(out, counter.whole());  // exact, even past 2^53
  } else {
    out += format_value(static_cast<double>(counter.whole()) + fraction);
  }
  out += '\n';
}

void append_samples(std::string& out, std::string_view name, std::span<const std::string> names,
                    std::span<const std::string> values, const Gauge& gauge) {
  append_series(out, name, "", names, values);
  out += ' ';
  out += format_value(gauge.value());
  out += '\n';
}

void append_samples(std::string& out, std::string_view name, std::span<const std::string> names,
                    std::span<const std::string> values, const Histogram& histogram) {
  // _count is the sum of the buckets read here, so +Inf and _count always agree even while
  // other threads observe.
  const auto& bounds = histogram.bounds();
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += histogram.bucket_count(i);
    const std::string le = i < bounds.size() ? format_value(bounds[i]) : "+Inf";
    append_series(out, name, "_bucket", names, values, le);
    out += ' ';
    append_uint(out, cumulative);
    out += '\n';
  }
  append_series(out, name, "_sum", names, values);
  out += ' ';
  out += format_value(histogram.sum());
  out += '\n';
  append_series(out, name, "_count", names, values);
  out += ' ';
  append_uint(out, cumulative);
  out += '\n';
}

}  // namespace hookline::metrics::exposition
