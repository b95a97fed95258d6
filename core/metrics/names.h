#pragma once
// Prometheus naming rules, checked when a metric is declared.
#include <string_view>

namespace hookline::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name) noexcept;
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool is_valid_label_name(std::string_view name) noexcept;

}  // namespace hookline::metrics
