#pragma once
// The set of metric families a process exposes. Declare every metric at start-up (one list
// per component, STYLE.md convention 7); declaration validates names and throws
// std::invalid_argument on any mistake. Updating a metric never touches the registry.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics/family.h"

namespace hookline::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Declares (or finds) a family. Declaring a name again with the same type and label names
  // (and, for a histogram, the same buckets) returns the existing family, whose help text is
  // kept; any other difference throws. Names that would clash with a histogram's _bucket,
  // _sum or _count series throw too.
  Family<Counter>& counter(std::string_view name, std::string_view help,
                           std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(std::string_view name, std::string_view help,
                       std::vector<std::string> label_names = {});
  Family<Histogram>& histogram(std::string_view name, std::string_view help,
                               std::vector<double> buckets,
                               std::vector<std::string> label_names = {});

  // Text exposition format 0.0.4: families sorted by name, children by label values.
  std::string expose() const;

 private:
  template <class T>
  Family<T>& declare(std::string_view name, std::string_view help,
                     std::vector<std::string> label_names, Histogram::Bounds bounds);
  void check_series_clash(std::string_view name, MetricType type) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
};

// The process-wide registry that components declare their metrics in.
Registry& default_registry();

}  // namespace hookline::metrics
