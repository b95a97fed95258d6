#include "sinks/simulator/providers.h"

#include <string_view>

#include "sinks/simulator/credentials.h"

namespace hookline::simulator {

std::string Provider::credential(const Incoming& in) const {
  return bearer_token(in);
}

Answer Provider::check(const Incoming&) const {
  return error(404);
}

std::vector<std::unique_ptr<Provider>> builtin_providers() {
  std::vector<std::unique_ptr<Provider>> out;
  out.push_back(make_resend());
  out.push_back(make_sendgrid());
  out.push_back(make_twilio());
  out.push_back(make_whatsapp());
  out.push_back(make_slack());
  out.push_back(make_webhook());
  return out;
}

bool is_provider_name(std::string_view name) noexcept {
  for (std::string_view n : {"resend", "sendgrid", "twilio", "whatsapp", "slack", "webhook"}) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace hookline::simulator
