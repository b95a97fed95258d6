#pragma once
// A metric family: one name, help text, type and label names, and one child per distinct set
// of label values. Children are created on first use and live as long as the registry, so the
// reference `with()` returns may be cached and used from any thread.
#include <algorithm>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/metrics/exposition.h"
#include "core/metrics/metric_types.h"

namespace hookline::metrics {

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type, std::vector<std::string> labels)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(labels)) {}
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  MetricType type() const noexcept { return type_; }
  const std::vector<std::string>& label_names() const noexcept { return label_names_; }

  // Appends the # HELP / # TYPE lines and every child's samples, children ordered by label
  // values. A family with labels but no children yet appends nothing.
  virtual void expose(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
};

template <class T>
class Family final : public FamilyBase {
  static_assert(std::is_same_v<T, Counter> || std::is_same_v<T, Gauge> ||
                std::is_same_v<T, Histogram>);

 public:
  static constexpr MetricType kType = std::is_same_v<T, Counter> ? MetricType::counter
                                      : std::is_same_v<T, Gauge> ? MetricType::gauge
                                                                 : MetricType::histogram;

  // `bounds` is used by histogram families only.
  Family(std::string name, std::string help, std::vector<std::string> labels,
         Histogram::Bounds bounds = nullptr)
      : FamilyBase(std::move(name), std::move(help), kType, std::move(labels)),
        bounds_(std::move(bounds)) {
    if (label_names().empty()) with();  // an unlabelled metric is exposed from the start
  }

  // The child for these label values (one per declared label name, in order), created on
  // first use. Throws std::invalid_argument if the number of values is wrong: that is a
  // programming error at the call site, not a data condition.
  T& with(std::initializer_list<std::string_view> values = {}) { return child(values); }
  T& with(std::span<const std::string> values) { return child(values); }

  const Histogram::Bounds& bounds() const noexcept { return bounds_; }

  void expose(std::string& out) const override {
    std::shared_lock lock(mutex_);
    if (children_.empty()) return;
    exposition::append_header(out, name(), help(), type());
    for (const auto& [values, metric] : children_) {
      exposition::append_samples(out, name(), label_names(), values, *metric);
    }
  }

 private:
  struct ValuesLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
  };
  using Children = std::map<std::vector<std::string>, std::unique_ptr<T>, ValuesLess>;

  // Lookups compare in place (no allocation); only a new child copies the values.
  template <class Values>
  T& child(const Values& values) {
    if (values.size() != label_names().size()) {
      throw std::invalid_argument("metrics: " + name() + " takes " +
                                  std::to_string(label_names().size()) + " label values, got " +
                                  std::to_string(values.size()));
    }
    {
      std::shared_lock lock(mutex_);
      if (auto it = children_.find(values); it != children_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    if (auto it = children_.find(values); it != children_.end()) return *it->second;
    auto metric = make_child();
    T& ref = *metric;
    children_.emplace(std::vector<std::string>(values.begin(), values.end()), std::move(metric));
    return ref;
  }

  std::unique_ptr<T> make_child() const {
    if constexpr (std::is_same_v<T, Histogram>) {
      return std::make_unique<Histogram>(bounds_);
    } else {
      return std::make_unique<T>();
    }
  }

  Histogram::Bounds bounds_;
  mutable std::shared_mutex mutex_;
  Children children_;
};

}  // namespace hookline::metrics
