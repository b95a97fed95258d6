#include "sinks/sender/send_defaults.h"

namespace hookline::sender {

std::optional<SendConnection> send_defaults(const std::string& provider) {
  SendConnection c;
  c.provider = provider;
  if (provider == "resend") {
    c.base_url = "https://api.resend.com";
    c.rate_per_s = 2;  // Resend's default: 2 requests per second per team
    c.burst = 2;
  } else if (provider == "sendgrid") {
    c.base_url = "https://api.sendgrid.com";
    c.rate_per_s = 10;
    c.burst = 10;
  } else if (provider == "twilio") {
    c.base_url = "https://api.twilio.com";
    c.rate_per_s = 1;  // one message segment per second on a long code
    c.burst = 1;
  } else if (provider == "whatsapp") {
    c.base_url = "https://graph.facebook.com";
    c.rate_per_s = 80;  // Cloud API default throughput
    c.burst = 80;
    c.recipient_interval = std::chrono::milliseconds(6000);  // one per 6 s per recipient
  } else if (provider == "slack") {
    c.base_url = "https://slack.com";
    c.rate_per_s = 1;  // chat.postMessage: about one message per second per channel
    c.burst = 5;
    c.recipient_interval = std::chrono::milliseconds(1000);
  } else if (provider == "webhook") {
    c.rate_per_s = 50;  // base_url and path come from the connection's settings
    c.burst = 50;
  } else {
    return std::nullopt;
  }
  return c;
}

}  // namespace hookline::sender
