#pragma once
// The three Prometheus metric types hookline uses. Every update is a handful of relaxed atomic
// operations: no locks, no allocation, never throws. Values are read by the exposition.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace hookline::metrics {

enum class MetricType { counter, gauge, histogram };

// "counter", "gauge" or "histogram", as written on a # TYPE line.
const char* to_string(MetricType type) noexcept;

// Monotonic. Whole-number increments use an integer atomic (exact); fractional ones (for
// example seconds) a separate double.
class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { whole_.fetch_add(n, std::memory_order_relaxed); }
  // Negative and NaN amounts are ignored: a counter never goes down.
  void add(double amount) noexcept;

  std::uint64_t whole() const noexcept { return whole_.load(std::memory_order_relaxed); }
  double fraction() const noexcept { return fraction_.load(std::memory_order_relaxed); }
  double value() const noexcept { return static_cast<double>(whole()) + fraction(); }

 private:
  std::atomic<std::uint64_t> whole_{0};
  std::atomic<double> fraction_{0.0};
};

class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  void sub(double amount) noexcept { value_.fetch_sub(amount, std::memory_order_relaxed); }
  void inc() noexcept { add(1.0); }
  void dec() noexcept { sub(1.0); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Fixed upper bounds, shared by every child of a family. An observation lands in the first
// bucket whose bound is >= the value (Prometheus "le"); values above the last bound land in
// the implicit +Inf bucket. NaN observations are ignored.
class Histogram {
 public:
  using Bounds = std::shared_ptr<const std::vector<double>>;

  // Checks and normalises declared bounds: finite, strictly increasing; a trailing +Inf is
  // dropped (it is implicit). Throws std::invalid_argument otherwise (at start-up).
  static Bounds make_bounds(std::vector<double> bounds);
  // Prometheus' defaults, in seconds: 0.005 ... 10.
  static std::vector<double> default_buckets();
  // start, start*factor, ... (count bounds). Throws std::invalid_argument unless start > 0,
  // factor > 1 and count >= 1.
  static std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

  explicit Histogram(Bounds bounds);

  void observe(double value) noexcept;

  const std::vector<double>& bounds() const noexcept { return *bounds_; }
  // Per-bucket (not cumulative) count; index bounds().size() is the +Inf bucket.
  std::uint64_t bucket_count(std::size_t index) const noexcept {
    return counts_[index].load(std::memory_order_relaxed);
  }
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  Bounds bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0.0};
};

}  // namespace hookline::metrics
