#include "sinks/simulator/credential_list.h"

namespace hookline::simulator {

void CredentialList::set(const std::string& provider, const std::vector<std::string>& valid) {
  std::lock_guard lock(mu_);
  if (valid.empty()) {
    valid_.erase(provider);
    return;
  }
  valid_[provider] = std::set<std::string, std::less<>>(valid.begin(), valid.end());
}

bool CredentialList::accepts(std::string_view provider, std::string_view credential) const {
  std::lock_guard lock(mu_);
  const auto it = valid_.find(provider);
  if (it == valid_.end()) return true;
  return it->second.contains(credential);
}

std::map<std::string, std::size_t> CredentialList::counts() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::size_t> out;
  for (const auto& [provider, valid] : valid_) out[provider] = valid.size();
  return out;
}

void CredentialList::clear() {
  std::lock_guard lock(mu_);
  valid_.clear();
}

}  // namespace hookline::simulator
