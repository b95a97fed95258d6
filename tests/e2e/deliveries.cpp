#include "tests/e2e/deliveries.h"

#include <stdexcept>

namespace hookline::e2e {

namespace {

std::string num(int n) {
  return std::to_string(n);
}

std::string form_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// Event ids of batch number n: three of its own, plus the previous batch's last every fifth.
std::vector<std::string> batch_ids(const std::string& prefix, int n) {
  std::vector<std::string> ids;
  if (n > 0 && n % 5 == 0) ids.push_back(prefix + num(n - 1) + "c");
  for (const char* s : {"a", "b", "c"}) ids.push_back(prefix + num(n) + s);
  return ids;
}

}  // namespace

std::string marker_email(int n) {
  return "e2e-pii-" + num(n) + "@marker.example";
}
std::string marker_phone(int n) {
  return "+1555777" + std::to_string(1000 + n % 9000);
}
const std::vector<std::string>& marker_needles() {
  static const std::vector<std::string> needles{"e2e-pii-", "marker.example", "1555777"};
  return needles;
}

const std::vector<std::string>& e2e_providers() {
  static const std::vector<std::string> providers{"stripe", "github",   "slack",
                                                  "twilio", "whatsapp", "shopify",
                                                  "resend", "sendgrid", "example-generic"};
  return providers;
}

Delivery make_delivery(const std::string& provider, int n, const std::string& tag) {
  Delivery d;
  d.provider = provider;
  const std::string email = marker_email(n);
  const std::string phone = marker_phone(n);
  const std::string id = tag + "-" + num(n);
  if (provider == "stripe") {
    d.event_ids = {"evt_" + tag + "_" + num(n)};
    d.topic = "events.payments";
    d.body =
        R"({"id":")" + d.event_ids[0] +
        R"(","object":"event","type":"payment_intent.succeeded","created":1763800000,"data":{"object":{"id":"pi_)" +
        id +
        R"(","object":"payment_intent","amount":2000,"currency":"usd","status":"succeeded","receipt_email":")" +
        email + R"("}}})";
  } else if (provider == "github") {
    d.event_ids = {"gh-" + id};
    d.topic = "events.scm";
    d.headers = {{"X-GitHub-Event", "push"}, {"X-GitHub-Delivery", d.event_ids[0]}};
    d.body =
        R"({"ref":"refs/heads/main","after":")" + id +
        R"(","repository":{"id":1296269,"full_name":"acme/app"},"pusher":{"name":"octocat","email":")" +
        email + R"("},"sender":{"login":"octocat"}})";
  } else if (provider == "slack") {
    d.event_ids = {"Ev" + tag + "x" + num(n)};
    d.topic = "events.chat";
    d.body =
        R"({"token":"x","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","event":{"type":"message","channel":"C0LAN2Q65","user":"U0E2E","text":"call me at )" +
        phone + " or " + email +
        R"(","ts":"1763800000.000100"},"type":"event_callback","event_id":")" + d.event_ids[0] +
        R"(","event_time":1763800000})";
  } else if (provider == "twilio") {
    d.event_ids = {"SM" + tag + "x" + num(n)};
    d.topic = "events.messaging";
    d.content_type = "application/x-www-form-urlencoded";
    const std::vector<std::pair<std::string, std::string>> params{
        {"MessageSid", d.event_ids[0]},
        {"AccountSid", "AC00000000000000000000000000000000"},
        {"From", phone},
        {"To", "+15005550006"},
        {"Body", "my address is " + email},
        {"NumMedia", "0"},
        {"SmsStatus", "received"}};
    for (const auto& [k, v] : params) {
      if (!d.body.empty()) d.body.push_back('&');
      d.body += form_encode(k) + "=" + form_encode(v);
    }
  } else if (provider == "whatsapp") {
    d.event_ids = batch_ids("wamid.e2e" + tag + "x", n);
    d.topic = "events.messaging";
    std::string messages;
    for (const auto& e : d.event_ids) {
      if (!messages.empty()) messages += ",";
      messages += R"({"from":")" + phone.substr(1) + R"(","id":")" + e +
                  R"(","timestamp":"1763800000","type":"text","text":{"body":"write to )" + email +
                  R"("}})";
    }
    d.body =
        R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"E2E"},"wa_id":")" +
        phone.substr(1) + R"("}],"messages":[)" + messages + R"(]},"field":"messages"}]}]})";
  } else if (provider == "shopify") {
    d.event_ids = {"ev-" + id};
    d.topic = "events.commerce";
    d.headers = {{"X-Shopify-Topic", "orders/create"},
                 {"X-Shopify-Event-Id", d.event_ids[0]},
                 {"X-Shopify-Webhook-Id", "wh-" + id},
                 {"X-Shopify-Shop-Domain", "acme.myshopify.com"}};
    d.body = R"({"id":)" + num(820000000 + n) +
             R"(,"total_price":"19.99","currency":"USD","financial_status":"paid","email":")" +
             email + R"(","phone":")" + phone + R"("})";
  } else if (provider == "resend") {
    d.event_ids = {"msg_" + tag + "_" + num(n)};
    d.topic = "events.email";
    d.headers = {{"svix-id", d.event_ids[0]}};
    d.body =
        R"({"type":"email.delivered","created_at":"2026-11-22T01:00:00.000Z","data":{"email_id":")" +
        id + R"(","from":"Acme <news@example.com>","to":[")" + email +
        R"("],"subject":"Welcome"}})";
  } else if (provider == "sendgrid") {
    d.event_ids = batch_ids("sg-" + tag + "-", n);
    d.topic = "events.email";
    d.body = "[";
    for (const auto& e : d.event_ids) {
      if (d.body.size() > 1) d.body += ",";
      d.body += R"({"email":")" + email +
                R"(","timestamp":1763800000,"event":"delivered","sg_event_id":")" + e +
                R"(","sg_message_id":"m-)" + e + R"("})";
    }
    d.body += "]";
  } else if (provider == "example-generic") {
    d.event_ids = {"gen-" + id};
    d.topic = "events.other";
    d.headers = {{"X-Delivery-Id", d.event_ids[0]}};
    d.body = R"({"id":")" + d.event_ids[0] + R"(","type":"thing.happened","contact":")" + email +
             R"("})";
  } else {
    throw std::runtime_error("no e2e delivery shape for provider " + provider);
  }
  return d;
}

}  // namespace hookline::e2e
