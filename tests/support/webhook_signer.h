#pragma once
// Signs test deliveries the way each shipped provider does, so tests and benchmarks can send
// requests the ingest must accept (and tamper with them to see it refuse).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hookline::test {

struct SignedRequest {
  std::string path;  // /webhooks/<provider>/<connection>[?query]
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included
};

// An ECDSA P-256 key pair, as SendGrid uses (public key: base64 DER SubjectPublicKeyInfo).
class EcdsaKeyPair {
 public:
  EcdsaKeyPair();
  ~EcdsaKeyPair();
  EcdsaKeyPair(const EcdsaKeyPair&) = delete;
  EcdsaKeyPair& operator=(const EcdsaKeyPair&) = delete;
  std::string public_key_base64() const;
  std::string sign_der(const std::string& message) const;  // raw DER signature bytes

 private:
  void* pkey_;  // EVP_PKEY*
};

// The secret material a test connection holds.
struct TestSecrets {
  std::string secret;  // HMAC secret (for standard webhooks: whsec_<base64>)
  const EcdsaKeyPair* ecdsa = nullptr;
};

// A valid delivery for `provider` (the shipped manifest's name) to `connection`, signed at
// `now` with `secrets`. `public_base` is the ingest's public URL (Twilio signs the URL).
// `event_id` makes each delivery distinct. `pad_to` > 0 grows a JSON object body to about that
// many bytes (a "metadata" field) for benchmarks with realistic sizes (Stripe only).
SignedRequest sign_delivery(const std::string& provider, const std::string& connection,
                            const TestSecrets& secrets, const std::string& event_id,
                            const std::string& public_base, std::int64_t now_unix,
                            size_t pad_to = 0);

// Signs a given body (a sample delivery) as `provider` signs it. `headers` are the provider's
// non-signature headers (X-GitHub-Delivery, svix-id, X-Shopify-Topic, ...); they are kept and
// the signature headers added. Standard Webhooks without an id header gets msg_<body hash>.
SignedRequest sign_body(const std::string& provider, const std::string& connection,
                        const TestSecrets& secrets, const std::string& body,
                        const std::string& content_type,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& public_base, std::int64_t now_unix);

// A Standard Webhooks secret for tests: whsec_ + base64 of fixed bytes.
std::string test_whsec();

}  // namespace hookline::test
