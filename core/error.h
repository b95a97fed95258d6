#pragma once
// Errors on the data path are values, not exceptions. Every error carries the kind that
// decides its route (STYLE.md convention 3): retriable -> retry, permanent -> DLQ,
// fatal -> log and exit non-zero. `abortable` is Kafka's "transaction must be aborted".
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace hookline {

enum class ErrorKind { retriable, permanent, fatal, abortable };

const char* to_string(ErrorKind kind) noexcept;

struct Error {
  ErrorKind kind = ErrorKind::permanent;
  std::error_code code;
  std::string message;

  bool retriable() const noexcept { return kind == ErrorKind::retriable; }
  bool fatal() const noexcept { return kind == ErrorKind::fatal; }
};

// A value or an Error. Deliberately tiny: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const& { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace hookline
