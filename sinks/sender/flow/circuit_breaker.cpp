#include "sinks/sender/flow/circuit_breaker.h"

#include <algorithm>

namespace hookline::sender {

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config) : config_(config) {
  config_.failure_threshold = std::max(config_.failure_threshold, 1);
  config_.open_for = std::max(config_.open_for, std::chrono::milliseconds::zero());
}

void CircuitBreaker::open(TimePoint now) {
  state_ = State::open;
  open_until_ = now + config_.open_for;
  probing_ = false;
}

CircuitBreaker::State CircuitBreaker::state(TimePoint now) const {
  if (state_ == State::open && now >= open_until_) return State::half_open;
  return state_;
}

bool CircuitBreaker::allow(TimePoint now) {
  switch (state(now)) {
    case State::closed:
      return true;
    case State::open:
      return false;
    case State::half_open:
      state_ = State::half_open;
      if (probing_ && now - probe_started_ < config_.open_for) return false;
      probing_ = true;
      probe_started_ = now;
      return true;
  }
  return false;
}

void CircuitBreaker::on_success() {
  switch (state_) {
    case State::closed:
      failures_ = 0;
      return;
    case State::open:
      return;
    case State::half_open:
      state_ = State::closed;
      failures_ = 0;
      probing_ = false;
      return;
  }
}

void CircuitBreaker::on_failure(TimePoint now) {
  switch (state_) {
    case State::closed:
      if (++failures_ >= config_.failure_threshold) open(now);
      return;
    case State::open:
      return;
    case State::half_open:
      ++failures_;
      open(now);
      return;
  }
}

void CircuitBreaker::on_neutral() {
  if (state_ == State::half_open) probing_ = false;
}

const char* to_string(CircuitBreaker::State state) noexcept {
  switch (state) {
    case CircuitBreaker::State::closed:
      return "closed";
    case CircuitBreaker::State::open:
      return "open";
    case CircuitBreaker::State::half_open:
      return "half_open";
  }
  return "unknown";
}

}  // namespace hookline::sender
