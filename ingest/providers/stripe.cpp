#include "ingest/providers/stripe.h"

#include <chrono>

#include "core/crypto/encoding.h"
#include "ingest/providers/generic_hmac.h"
#include "ingest/providers/timestamp.h"

namespace hookline::ingest {
namespace {

constexpr std::size_t kV1Size = 32;

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

class StripeScheme final : public SignatureScheme {
 public:
  explicit StripeScheme(std::chrono::seconds tolerance) : tolerance_(tolerance) {}

  std::string_view name() const noexcept override { return "stripe"; }

  VerifyResult verify(const Request& request, const Credentials& credentials,
                      Clock::time_point now) const override {
    const auto value = request.header(kStripeSignatureHeader);
    if (!value) {
      return VerifyResult::fail(VerifyFailure::missing_header,
                                "header Stripe-Signature is missing");
    }
    const auto header = parse_stripe_signature(*value);
    if (!header) {
      return VerifyResult::fail(VerifyFailure::malformed_header,
                                "header Stripe-Signature is not t=...,v1=...");
    }
    const auto secrets = usable_secrets(credentials);
    if (secrets.empty()) {
      return VerifyResult::fail(VerifyFailure::no_credentials, "the connection has no secret");
    }
    auto fresh = check_freshness(header->timestamp, now, tolerance_, kStripeSignatureHeader);
    if (!fresh.ok) return fresh;
    if (header->v1.empty()) {
      return VerifyResult::fail(VerifyFailure::bad_signature,
                                "header Stripe-Signature has no v1 signature");
    }
    std::string message = header->timestamp_text;
    message.append(".").append(request.body);
    if (!hmac_matches_any(crypto::HashAlgorithm::sha256, secrets, message, header->v1)) {
      return VerifyResult::fail(VerifyFailure::bad_signature,
                                "no v1 signature of Stripe-Signature matches a secret");
    }
    return VerifyResult::success();
  }

 private:
  std::chrono::seconds tolerance_;
};

}  // namespace

std::optional<StripeSignatureHeader> parse_stripe_signature(std::string_view value) {
  StripeSignatureHeader out;
  bool have_timestamp = false;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = item.substr(0, eq);
    const std::string_view text = item.substr(eq + 1);
    if (key == "t") {
      const auto timestamp = parse_unix_seconds(text);
      if (have_timestamp || !timestamp) return std::nullopt;
      have_timestamp = true;
      out.timestamp = *timestamp;
      out.timestamp_text = std::string(text);
    } else if (key == "v1") {
      auto mac = crypto::hex_decode(text);
      if (!mac || mac->size() != kV1Size) return std::nullopt;
      out.v1.push_back(std::move(*mac));
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (!have_timestamp) return std::nullopt;
  return out;
}

std::unique_ptr<SignatureScheme> make_stripe_scheme(ObjectReader& params) {
  return std::make_unique<StripeScheme>(read_tolerance(params));
}

}  // namespace hookline::ingest
