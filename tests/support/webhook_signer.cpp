#include "tests/support/webhook_signer.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"

namespace hookline::test {
namespace {

using crypto::HashAlgorithm;

std::string form_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(ch);
    } else if (ch == ' ') {
      out.push_back('+');
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

SignedRequest base(const std::string& provider, const std::string& connection, std::string body,
                   const char* content_type = "application/json") {
  SignedRequest r;
  r.path = "/webhooks/" + provider + "/" + connection;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", content_type);
  return r;
}

}  // namespace

EcdsaKeyPair::EcdsaKeyPair() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) throw std::runtime_error("EC key generation failed");
  pkey_ = key;
}

EcdsaKeyPair::~EcdsaKeyPair() {
  EVP_PKEY_free(static_cast<EVP_PKEY*>(pkey_));
}

std::string EcdsaKeyPair::public_key_base64() const {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(static_cast<EVP_PKEY*>(pkey_), &der);
  if (len <= 0) throw std::runtime_error("i2d_PUBKEY failed");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return crypto::base64_encode(out);
}

std::string EcdsaKeyPair::sign_der(const std::string& message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY*>(pkey_)) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) == 1) {
    sig.resize(len);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
      sig.clear();
    }
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (sig.empty()) throw std::runtime_error("ECDSA signing failed");
  return sig;
}

std::string test_whsec() {
  return "whsec_" + crypto::base64_encode("hookline-test-standard-webhooks!");
}

SignedRequest sign_delivery(const std::string& provider, const std::string& connection,
                            const TestSecrets& s, const std::string& id,
                            const std::string& public_base, std::int64_t now, size_t pad_to) {
  const std::string ts = std::to_string(now);
  if (provider == "stripe") {
    std::string body =
        R"({"id":"evt_)" + id +
        R"(","object":"event","type":"payment_intent.succeeded","created":)" + ts +
        R"(,"data":{"object":{"id":"pi_)" + id +
        R"(","object":"payment_intent","amount":2000,"currency":"usd","status":"succeeded"}})";
    if (body.size() + 16 < pad_to) {
      body.append(R"(,"metadata":")").append(pad_to - body.size() - 16, 'm').append("\"");
    }
    body.append("}");
    auto r = base(provider, connection, body);
    r.headers.emplace_back(
        "Stripe-Signature",
        "t=" + ts + ",v1=" +
            crypto::hex_encode(crypto::hmac(HashAlgorithm::sha256, s.secret, ts + "." + r.body)));
    return r;
  }
  if (provider == "github" || provider == "whatsapp") {
    std::string body =
        provider == "github"
            ? R"({"ref":"refs/heads/main","after":")" + id +
                  R"(","repository":{"id":1296269,"full_name":"acme/app"},"sender":{"login":"octocat"}})"
            : R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},"messages":[{"id":"wamid.)" +
                  id + R"(","timestamp":")" + ts +
                  R"(","type":"text","text":{"body":"hello"}}]},"field":"messages"}]}]})";
    auto r = base(provider, connection, body);
    if (provider == "github") {
      r.headers.emplace_back("X-GitHub-Event", "push");
      r.headers.emplace_back("X-GitHub-Delivery", "d-" + id);
    }
    r.headers.emplace_back(
        "X-Hub-Signature-256",
        "sha256=" + crypto::hex_encode(crypto::hmac(HashAlgorithm::sha256, s.secret, r.body)));
    return r;
  }
  if (provider == "slack") {
    auto r = base(
        provider, connection,
        R"({"token":"x","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","event":{"type":"app_mention","channel":"C0LAN2Q65","ts":")" +
            ts + R"(.000100"},"type":"event_callback","event_id":"Ev)" + id + R"(","event_time":)" +
            ts + "}");
    r.headers.emplace_back("X-Slack-Request-Timestamp", ts);
    r.headers.emplace_back("X-Slack-Signature",
                           "v0=" + crypto::hex_encode(crypto::hmac(HashAlgorithm::sha256, s.secret,
                                                                   "v0:" + ts + ":" + r.body)));
    return r;
  }
  if (provider == "twilio") {
    std::vector<std::pair<std::string, std::string>> params{
        {"MessageSid", "SM" + id}, {"AccountSid", "AC00000000000000000000000000000000"},
        {"From", "+15005550006"},  {"To", "+15005550001"},
        {"Body", "STOP please"},   {"NumMedia", "0"},
        {"SmsStatus", "received"}};
    std::string body;
    for (const auto& [k, v] : params) {
      if (!body.empty()) body.push_back('&');
      body.append(form_encode(k)).append("=").append(form_encode(v));
    }
    auto r = base(provider, connection, body, "application/x-www-form-urlencoded");
    std::sort(params.begin(), params.end());
    std::string data = public_base + r.path;
    for (const auto& [k, v] : params) data.append(k).append(v);
    r.headers.emplace_back("X-Twilio-Signature", crypto::base64_encode(crypto::hmac(
                                                     HashAlgorithm::sha1, s.secret, data)));
    return r;
  }
  if (provider == "shopify") {
    auto r = base(provider, connection,
                  R"({"id":)" + std::to_string(std::hash<std::string>{}(id) % 100000000) +
                      R"(,"total_price":"19.99","currency":"USD","financial_status":"paid"})");
    r.headers.emplace_back("X-Shopify-Topic", "orders/create");
    r.headers.emplace_back("X-Shopify-Event-Id", "ev-" + id);
    r.headers.emplace_back("X-Shopify-Webhook-Id", "wh-" + id);
    r.headers.emplace_back("X-Shopify-Shop-Domain", "acme.myshopify.com");
    r.headers.emplace_back("X-Shopify-Hmac-Sha256", crypto::base64_encode(crypto::hmac(
                                                        HashAlgorithm::sha256, s.secret, r.body)));
    return r;
  }
  if (provider == "resend") {
    auto r = base(
        provider, connection,
        R"({"type":"email.delivered","created_at":"2026-11-22T01:00:00.000Z","data":{"email_id":")" +
            id + R"(","subject":"Welcome"}})");
    const std::string msg_id = "msg_" + id;
    std::string key = s.secret.starts_with("whsec_") ? s.secret.substr(6) : s.secret;
    auto raw = crypto::base64_decode(key).value_or("");
    r.headers.emplace_back("svix-id", msg_id);
    r.headers.emplace_back("svix-timestamp", ts);
    r.headers.emplace_back("svix-signature", "v1," + crypto::base64_encode(crypto::hmac(
                                                         HashAlgorithm::sha256, raw,
                                                         msg_id + "." + ts + "." + r.body)));
    return r;
  }
  if (provider == "sendgrid") {
    if (!s.ecdsa) throw std::runtime_error("sendgrid needs an ECDSA key pair");
    auto r = base(provider, connection,
                  R"([{"timestamp":)" + ts + R"(,"event":"delivered","sg_event_id":")" + id +
                      R"(","sg_message_id":"m-)" + id + R"("},{"timestamp":)" + ts +
                      R"(,"event":"open","sg_event_id":"o-)" + id + R"("}])");
    r.headers.emplace_back("X-Twilio-Email-Event-Webhook-Timestamp", ts);
    r.headers.emplace_back("X-Twilio-Email-Event-Webhook-Signature",
                           crypto::base64_encode(s.ecdsa->sign_der(ts + r.body)));
    return r;
  }
  if (provider == "example-generic") {
    auto r = base(provider, connection, R"({"id":")" + id + R"(","type":"thing.happened"})");
    r.headers.emplace_back("X-Timestamp", ts);
    r.headers.emplace_back("X-Delivery-Id", "dl-" + id);
    r.headers.emplace_back(
        "X-Signature", "sha256=" + crypto::hex_encode(crypto::hmac(HashAlgorithm::sha256, s.secret,
                                                                   ts + "." + r.body)));
    return r;
  }
  throw std::runtime_error("no test signer for provider " + provider);
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string form_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

SignedRequest sign_body(const std::string& provider, const std::string& connection,
                        const TestSecrets& s, const std::string& body,
                        const std::string& content_type,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& public_base, std::int64_t now) {
  const std::string ts = std::to_string(now);
  SignedRequest r = base(provider, connection, body, content_type.c_str());
  for (const auto& h : headers) r.headers.push_back(h);
  auto header = [&](const std::string& name) -> std::string {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return v;
      }
    }
    return "";
  };
  auto hmac = [&](HashAlgorithm alg, const std::string& key, const std::string& data) {
    return crypto::hmac(alg, key, data);
  };
  if (provider == "stripe") {
    r.headers.emplace_back(
        "Stripe-Signature",
        "t=" + ts +
            ",v1=" + crypto::hex_encode(hmac(HashAlgorithm::sha256, s.secret, ts + "." + body)));
  } else if (provider == "github" || provider == "whatsapp") {
    r.headers.emplace_back(
        "X-Hub-Signature-256",
        "sha256=" + crypto::hex_encode(hmac(HashAlgorithm::sha256, s.secret, body)));
  } else if (provider == "slack") {
    r.headers.emplace_back("X-Slack-Request-Timestamp", ts);
    r.headers.emplace_back(
        "X-Slack-Signature",
        "v0=" + crypto::hex_encode(hmac(HashAlgorithm::sha256, s.secret, "v0:" + ts + ":" + body)));
  } else if (provider == "twilio") {
    std::vector<std::pair<std::string, std::string>> params;
    std::string_view rest = body;
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      auto eq = pair.find('=');
      params.emplace_back(form_decode(pair.substr(0, eq)),
                          eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1)));
    }
    std::stable_sort(params.begin(), params.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string data = public_base + r.path;
    for (const auto& [k, v] : params) data.append(k).append(v);
    r.headers.emplace_back("X-Twilio-Signature",
                           crypto::base64_encode(hmac(HashAlgorithm::sha1, s.secret, data)));
  } else if (provider == "shopify") {
    r.headers.emplace_back("X-Shopify-Hmac-Sha256",
                           crypto::base64_encode(hmac(HashAlgorithm::sha256, s.secret, body)));
  } else if (provider == "resend") {
    std::string msg_id = header("svix-id");
    if (msg_id.empty()) {
      msg_id = "msg_" + crypto::hex_encode(hmac(HashAlgorithm::sha256, "id", body)).substr(0, 24);
      r.headers.emplace_back("svix-id", msg_id);
    }
    std::string key = s.secret.starts_with("whsec_") ? s.secret.substr(6) : s.secret;
    auto raw = crypto::base64_decode(key).value_or("");
    r.headers.emplace_back("svix-timestamp", ts);
    r.headers.emplace_back("svix-signature",
                           "v1," + crypto::base64_encode(hmac(HashAlgorithm::sha256, raw,
                                                              msg_id + "." + ts + "." + body)));
  } else if (provider == "sendgrid") {
    if (!s.ecdsa) throw std::runtime_error("sendgrid needs an ECDSA key pair");
    r.headers.emplace_back("X-Twilio-Email-Event-Webhook-Timestamp", ts);
    r.headers.emplace_back("X-Twilio-Email-Event-Webhook-Signature",
                           crypto::base64_encode(s.ecdsa->sign_der(ts + body)));
  } else if (provider == "example-generic") {
    r.headers.emplace_back("X-Timestamp", ts);
    r.headers.emplace_back(
        "X-Signature",
        "sha256=" + crypto::hex_encode(hmac(HashAlgorithm::sha256, s.secret, ts + "." + body)));
  } else {
    throw std::runtime_error("no sample signer for provider " + provider);
  }
  return r;
}

}  // namespace hookline::test
