#include "core/metrics/registry.h"

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>

#include "core/metrics/names.h"

namespace hookline::metrics {
namespace {

constexpr std::array<std::string_view, 3> kHistogramSuffixes = {"_bucket", "_sum", "_count"};

[[noreturn]] void reject(std::string_view name, const std::string& why) {
  throw std::invalid_argument("metrics: " + std::string(name) + ": " + why);
}

void validate(std::string_view name, const std::vector<std::string>& label_names, MetricType type) {
  if (!is_valid_metric_name(name)) reject(name, "invalid metric name");
  std::set<std::string_view> seen;
  for (const auto& label : label_names) {
    if (!is_valid_label_name(label)) reject(name, "invalid label name '" + label + "'");
    if (!seen.insert(label).second) reject(name, "duplicate label name '" + label + "'");
    if (type == MetricType::histogram && label == "le") {
      reject(name, "a histogram cannot have a label named 'le'");
    }
  }
}

}  // namespace

template <class T>
Family<T>& Registry::declare(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names, Histogram::Bounds bounds) {
  validate(name, label_names, Family<T>::kType);
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) {
    FamilyBase& existing = *it->second;
    if (existing.type() != Family<T>::kType) {
      reject(name, std::string("already declared as a ") + to_string(existing.type()));
    }
    if (existing.label_names() != label_names) {
      reject(name, "already declared with other label names");
    }
    auto& family = static_cast<Family<T>&>(existing);
    if constexpr (std::is_same_v<T, Histogram>) {
      if (*family.bounds() != *bounds) reject(name, "already declared with other buckets");
    }
    return family;
  }
  check_series_clash(name, Family<T>::kType);
  auto family = std::make_unique<Family<T>>(std::string(name), std::string(help),
                                            std::move(label_names), std::move(bounds));
  Family<T>& ref = *family;
  families_.emplace(std::string(name), std::move(family));
  return ref;
}

void Registry::check_series_clash(std::string_view name, MetricType type) const {
  for (std::string_view suffix : kHistogramSuffixes) {
    // A new histogram's series must not collide with an existing family...
    if (type == MetricType::histogram &&
        families_.contains(std::string(name) + std::string(suffix))) {
      reject(name, "its histogram series clash with an existing metric");
    }
    // ...and a new family must not be one of an existing histogram's series.
    if (name.ends_with(suffix)) {
      const auto base = name.substr(0, name.size() - suffix.size());
      if (auto it = families_.find(base);
          it != families_.end() && it->second->type() == MetricType::histogram) {
        reject(name, "clashes with the series of histogram " + std::string(base));
      }
    }
  }
}

Family<Counter>& Registry::counter(std::string_view name, std::string_view help,
                                   std::vector<std::string> label_names) {
  return declare<Counter>(name, help, std::move(label_names), nullptr);
}

Family<Gauge>& Registry::gauge(std::string_view name, std::string_view help,
                               std::vector<std::string> label_names) {
  return declare<Gauge>(name, help, std::move(label_names), nullptr);
}

Family<Histogram>& Registry::histogram(std::string_view name, std::string_view help,
                                       std::vector<double> buckets,
                                       std::vector<std::string> label_names) {
  Histogram::Bounds bounds;
  try {
    bounds = Histogram::make_bounds(std::move(buckets));
  } catch (const std::invalid_argument& e) {
    reject(name, e.what());
  }
  return declare<Histogram>(name, help, std::move(label_names), std::move(bounds));
}

std::string Registry::expose() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) family->expose(out);
  return out;
}

Registry& default_registry() {
  static Registry registry;
  return registry;
}

}  // namespace hookline::metrics
