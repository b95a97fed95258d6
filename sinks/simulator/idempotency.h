#pragma once
// Idempotency keys as Resend honours them: the first accepted answer is kept per (target, key);
// a repeat with the same body gets that answer again (a replay), a repeat with another body a
// conflict. Bounded: the oldest keys are forgotten first. Thread-safe.
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "sinks/simulator/exchange.h"

namespace hookline::simulator {

class IdempotencyStore {
 public:
  enum class Kind { fresh, replay, conflict };
  struct Outcome {
    Kind kind = Kind::fresh;
    Answer answer;  // fresh: make()'s; replay: the stored one; conflict: empty
  };

  explicit IdempotencyStore(std::size_t capacity);

  // Under one lock, so two concurrent requests with one key get one answer: the stored answer
  // of (target, key), or make()'s, stored when it is a success (2xx).
  Outcome answer(std::string_view target, std::string_view key, std::string_view body,
                 const std::function<Answer()>& make);
  void clear();

 private:
  struct Entry {
    std::size_t body_hash = 0;
    Answer answer;
  };
  using Key = std::pair<std::string, std::string>;
  const std::size_t capacity_;
  std::mutex mu_;
  std::map<Key, Entry> entries_;
  std::deque<Key> order_;
};

}  // namespace hookline::simulator
