#include "ingest/providers/standard_webhooks.h"

#include <chrono>

#include "core/crypto/constant_time.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"
#include "ingest/providers/timestamp.h"

namespace hookline::ingest {
namespace {

constexpr std::size_t kV1Size = 32;
// Senders list one or two signatures (two while a key rolls); a long list only costs us
// Ed25519 verifications, so it is refused.
constexpr std::size_t kMaxSignatures = 16;
constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::string_view kPublicKeyPrefix = "whpk_";

struct HeaderNames {
  std::string_view standard;
  std::string_view svix;
};
constexpr HeaderNames kIdHeader{"webhook-id", "svix-id"};
constexpr HeaderNames kTimestampHeader{"webhook-timestamp", "svix-timestamp"};
constexpr HeaderNames kSignatureHeader{"webhook-signature", "svix-signature"};

std::optional<std::string_view> header(const Request& request, HeaderNames names) noexcept {
  if (auto v = request.header(names.standard)) return v;
  return request.header(names.svix);
}

std::string_view strip_prefix(std::string_view text, std::string_view prefix) noexcept {
  if (text.starts_with(prefix)) text.remove_prefix(prefix.size());
  return text;
}

class StandardWebhooksScheme final : public SignatureScheme {
 public:
  explicit StandardWebhooksScheme(std::chrono::seconds tolerance) : tolerance_(tolerance) {}

  std::string_view name() const noexcept override { return "standard-webhooks"; }

  VerifyResult verify(const Request& request, const Credentials& credentials,
                      Clock::time_point now) const override {
    const auto id = header(request, kIdHeader);
    const auto timestamp = header(request, kTimestampHeader);
    const auto list = header(request, kSignatureHeader);
    if (!id || !timestamp || !list) {
      const auto missing = !id ? kIdHeader : !timestamp ? kTimestampHeader : kSignatureHeader;
      return VerifyResult::fail(VerifyFailure::missing_header,
                                "header " + std::string(missing.standard) + " is missing");
    }
    const auto entries = parse_signature_list(*list);
    if (!entries) {
      return VerifyResult::fail(VerifyFailure::malformed_header,
                                "header webhook-signature is not a list of version,base64");
    }
    std::vector<std::string> keys;
    for (const auto& secret : credentials.secrets) {
      if (auto key = decode_standard_webhooks_secret(secret); key && !key->empty()) {
        keys.push_back(std::move(*key));
      }
    }
    const auto public_key = decode_standard_webhooks_public_key(credentials.public_key);
    if (keys.empty() && !public_key) {
      return VerifyResult::fail(VerifyFailure::no_credentials,
                                "the connection has no whsec_ secret or whpk_ public key");
    }
    auto fresh = check_timestamp(kTimestampHeader.standard, *timestamp, now, tolerance_);
    if (!fresh.ok) return fresh;

    std::string message(*id);
    message.append(".").append(*timestamp).append(".").append(request.body);
    std::vector<std::string> macs;
    for (const auto& key : keys) {
      macs.push_back(crypto::hmac(crypto::HashAlgorithm::sha256, key, message));
    }
    for (const auto& entry : *entries) {
      if (entry.version == SignatureListEntry::Version::v1) {
        for (const auto& mac : macs) {
          if (!mac.empty() && crypto::constant_time_equal(mac, entry.signature)) {
            return VerifyResult::success();
          }
        }
      } else if (public_key && crypto::ed25519_verify(*public_key, message, entry.signature)) {
        return VerifyResult::success();
      }
    }
    return VerifyResult::fail(VerifyFailure::bad_signature,
                              "no signature of webhook-signature matches the connection's keys");
  }

 private:
  std::chrono::seconds tolerance_;
};

}  // namespace

std::optional<std::vector<SignatureListEntry>> parse_signature_list(std::string_view value) {
  std::vector<SignatureListEntry> out;
  bool any = false;
  while (!value.empty()) {
    const std::size_t space = value.find(' ');
    const std::string_view item = value.substr(0, space);
    value = space == std::string_view::npos ? std::string_view{} : value.substr(space + 1);
    if (item.empty()) continue;
    any = true;
    const std::size_t comma = item.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    const std::string_view version = item.substr(0, comma);
    SignatureListEntry entry;
    std::size_t size = 0;
    if (version == "v1") {
      entry.version = SignatureListEntry::Version::v1;
      size = kV1Size;
    } else if (version == "v1a") {
      entry.version = SignatureListEntry::Version::v1a;
      size = crypto::kEd25519SignatureSize;
    } else {
      continue;
    }
    auto signature = crypto::base64_decode(item.substr(comma + 1));
    if (!signature || signature->size() != size) return std::nullopt;
    entry.signature = std::move(*signature);
    out.push_back(std::move(entry));
    if (out.size() > kMaxSignatures) return std::nullopt;
  }
  if (!any) return std::nullopt;
  return out;
}

std::optional<std::string> decode_standard_webhooks_secret(std::string_view secret) {
  if (secret.empty()) return std::nullopt;
  return crypto::base64_decode(strip_prefix(secret, kSecretPrefix));
}

std::optional<std::string> decode_standard_webhooks_public_key(std::string_view key) {
  if (key.empty()) return std::nullopt;
  auto raw = crypto::base64_decode(strip_prefix(key, kPublicKeyPrefix));
  if (!raw || raw->size() != crypto::kEd25519PublicKeySize) return std::nullopt;
  return raw;
}

std::unique_ptr<SignatureScheme> make_standard_webhooks_scheme(ObjectReader& params) {
  return std::make_unique<StandardWebhooksScheme>(read_tolerance(params));
}

}  // namespace hookline::ingest
