#include "ingest/providers/sendgrid_ecdsa.h"

#include <chrono>
#include <memory>
#include <mutex>

#include "core/crypto/ecdsa.h"
#include "core/crypto/encoding.h"
#include "ingest/providers/timestamp.h"

namespace hookline::ingest {
namespace {

// A DER ECDSA-Sig-Value over P-256 is at most 72 bytes; allow some slack for odd encodings.
constexpr std::size_t kMaxSignatureSize = 80;

class SendgridEcdsaScheme final : public SignatureScheme {
 public:
  explicit SendgridEcdsaScheme(std::chrono::seconds tolerance) : tolerance_(tolerance) {}

  std::string_view name() const noexcept override { return "sendgrid-ecdsa"; }

  VerifyResult verify(const Request& request, const Credentials& credentials,
                      Clock::time_point now) const override {
    const auto value = request.header(kSendgridSignatureHeader);
    const auto timestamp = request.header(kSendgridTimestampHeader);
    if (!value || !timestamp) {
      return VerifyResult::fail(
          VerifyFailure::missing_header,
          "header " + std::string(value ? kSendgridTimestampHeader : kSendgridSignatureHeader) +
              " is missing");
    }
    const auto signature = parse_sendgrid_signature(*value);
    if (!signature) {
      return VerifyResult::fail(
          VerifyFailure::malformed_header,
          "header " + std::string(kSendgridSignatureHeader) + " is not a base64 signature");
    }
    const auto key = public_key(credentials.public_key);
    if (!key) {
      return VerifyResult::fail(VerifyFailure::no_credentials,
                                "the connection has no P-256 public key");
    }
    auto fresh = check_timestamp(kSendgridTimestampHeader, *timestamp, now, tolerance_);
    if (!fresh.ok) return fresh;
    std::string message(*timestamp);
    message.append(request.body);
    if (!key->verify(message, *signature)) {
      return VerifyResult::fail(VerifyFailure::bad_signature,
                                "the signature does not verify with the public key");
    }
    return VerifyResult::success();
  }

 private:
  // The parsed key, cached for the last key text seen (a connection's key rarely changes).
  std::shared_ptr<const crypto::EcdsaP256PublicKey> public_key(std::string_view text) const {
    if (text.empty()) return nullptr;
    {
      const std::lock_guard lock(mutex_);
      if (cached_key_ && text == cached_text_) return cached_key_;
    }
    const auto der_or_pem = decode_sendgrid_public_key(text);
    if (!der_or_pem) return nullptr;
    auto parsed = crypto::EcdsaP256PublicKey::parse(*der_or_pem);
    if (!parsed) return nullptr;
    auto key = std::make_shared<const crypto::EcdsaP256PublicKey>(std::move(*parsed));
    const std::lock_guard lock(mutex_);
    cached_text_ = std::string(text);
    cached_key_ = key;
    return key;
  }

  std::chrono::seconds tolerance_;
  mutable std::mutex mutex_;
  mutable std::string cached_text_;
  mutable std::shared_ptr<const crypto::EcdsaP256PublicKey> cached_key_;
};

}  // namespace

std::optional<std::string> parse_sendgrid_signature(std::string_view value) {
  auto der = crypto::base64_decode(value);
  if (!der || der->empty() || der->size() > kMaxSignatureSize) return std::nullopt;
  return der;
}

std::optional<std::string> decode_sendgrid_public_key(std::string_view key) {
  const std::size_t start = key.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return std::nullopt;
  if (key.substr(start).starts_with("-----BEGIN")) return std::string(key.substr(start));
  std::string compact;
  for (const char c : key) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
  }
  return crypto::base64_decode(compact);
}

std::unique_ptr<SignatureScheme> make_sendgrid_ecdsa_scheme(ObjectReader& params) {
  return std::make_unique<SendgridEcdsaScheme>(read_tolerance(params, 0));
}

}  // namespace hookline::ingest
