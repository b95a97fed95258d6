#pragma once
// Prometheus text exposition format 0.0.4: escaping, number formatting and sample lines.
#include <span>
#include <string>
#include <string_view>

#include "core/metrics/metric_types.h"

namespace hookline::metrics::exposition {

inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Shortest text that reads back as the same double; "+Inf", "-Inf", "NaN" for the specials.
std::string format_value(double value);

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
void append_escaped_label_value(std::string& out, std::string_view value);
void append_escaped_help(std::string& out, std::string_view help);

// "# HELP name help\n# TYPE name type\n"
void append_header(std::string& out, std::string_view name, std::string_view help, MetricType type);

// The sample lines of one child. `names` and `values` are the family's label names and this
// child's values, in declaration order (same length).
void append_samples(std::string& out, std::string_view name, std::span<const std::string> names,
                    std::span<const std::string> values, const Counter& counter);
void append_samples(std::string& out, std::string_view name, std::span<const std::string> names,
                    std::span<const std::string> values, const Gauge& gauge);
void append_samples(std::string& out, std::string_view name, std::span<const std::string> names,
                    std::span<const std::string> values, const Histogram& histogram);

}  // namespace hookline::metrics::exposition
