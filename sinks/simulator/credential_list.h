#pragma once
// The credentials declared valid per provider through the control API (POST /_sim/credentials)
// or --config. A provider with none declared accepts any non-empty credential, as the
// simulator always did; once some are declared, only those authenticate, on the send and the
// check endpoints alike. Thread-safe. The values are secrets of a test: never logged, never
// rendered (only their counts are).
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::simulator {

class CredentialList {
 public:
  // Replaces the provider's valid credentials; an empty list accepts any again.
  void set(const std::string& provider, const std::vector<std::string>& valid);
  // Whether `credential` authenticates with `provider`.
  bool accepts(std::string_view provider, std::string_view credential) const;
  // Providers with declared credentials, and how many each.
  std::map<std::string, std::size_t> counts() const;
  void clear();

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> valid_;
};

}  // namespace hookline::simulator
