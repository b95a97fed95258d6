#pragma once
// How rate limits and faults select requests: by provider, by target, by path prefix. The
// target is provider-specific: the bearer token (resend, sendgrid, slack, whatsapp), the
// AccountSid (twilio), the path (webhook). An empty selector matches everything.
#include <string>
#include <string_view>

namespace hookline::simulator {

struct RequestKey {
  std::string_view provider;
  std::string_view target;
  std::string_view path;
};

struct Match {
  std::string provider;     // "" any
  std::string target;       // "" any
  std::string path_prefix;  // "" any

  bool matches(const RequestKey& key) const noexcept {
    return (provider.empty() || key.provider == provider) &&
           (target.empty() || key.target == target) && key.path.starts_with(path_prefix);
  }
};

}  // namespace hookline::simulator
