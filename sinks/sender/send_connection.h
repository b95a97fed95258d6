#pragma once
// What the sender knows about one outbound connection: where and how to call the provider, and
// at what pace. Built from the connection registry (a connection's decrypted send credential
// and the "send" object of its settings) over the provider manifest's defaults.
// `credential` is a secret: never log it.
#include <chrono>
#include <cstdint>
#include <string>

namespace hookline::sender {

struct SendConnection {
  std::string key;       // "resend/main": provider/connection id
  std::string provider;  // resend, sendgrid, twilio, whatsapp, slack, webhook
  std::string tenant;
  std::string base_url;  // "https://api.resend.com" (tests: the local simulator)
  // API key (Resend, SendGrid), auth token (Twilio), access token (WhatsApp), bot token
  // (Slack), or the Standard Webhooks signing secret "whsec_<base64>" (webhook).
  std::string credential;
  std::string account_sid;      // Twilio: the account (basic-auth user, path segment)
  std::string from;             // email From, Twilio From number or MessagingServiceSid (MG...)
  std::string phone_number_id;  // WhatsApp Cloud: the sending phone number id
  std::string api_version = "v21.0";                    // WhatsApp Graph API version segment
  std::string path = "/";                               // webhook: the destination path on base_url
  std::string opt_out_text = "Reply STOP to opt out.";  // appended to marketing SMS
  std::string unsubscribe_url;     // marketing email default List-Unsubscribe target; "" none
  std::string unsubscribe_mailto;  // optional mailto: for List-Unsubscribe
  double rate_per_s = 10;          // token bucket refill
  double burst = 10;               // token bucket capacity
  std::chrono::milliseconds recipient_interval{0};  // per-recipient pacing (WhatsApp 6 s)
  int max_attempts = 0;                             // 0: the sender's max_attempts[_by_provider]
  std::chrono::milliseconds timeout{10000};         // one HTTP call
};

}  // namespace hookline::sender
