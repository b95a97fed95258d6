#include "ingest/providers/slack.h"

#include <chrono>

#include "ingest/providers/generic_hmac.h"
#include "ingest/providers/timestamp.h"

namespace hookline::ingest {
namespace {

class SlackScheme final : public SignatureScheme {
 public:
  explicit SlackScheme(std::chrono::seconds tolerance) : tolerance_(tolerance) {}

  std::string_view name() const noexcept override { return "slack"; }

  VerifyResult verify(const Request& request, const Credentials& credentials,
                      Clock::time_point now) const override {
    const auto header = request.header(kSlackSignatureHeader);
    const auto timestamp = request.header(kSlackTimestampHeader);
    if (!header || !timestamp) {
      return VerifyResult::fail(
          VerifyFailure::missing_header,
          std::string("header ") +
              std::string(header ? kSlackTimestampHeader : kSlackSignatureHeader) + " is missing");
    }
    auto signature = parse_slack_signature(*header);
    if (!signature) {
      return VerifyResult::fail(VerifyFailure::malformed_header,
                                "header X-Slack-Signature is not v0=<hex>");
    }
    const auto secrets = usable_secrets(credentials);
    if (secrets.empty()) {
      return VerifyResult::fail(VerifyFailure::no_credentials, "the connection has no secret");
    }
    auto fresh = check_timestamp(kSlackTimestampHeader, *timestamp, now, tolerance_);
    if (!fresh.ok) return fresh;
    std::string message = "v0:";
    message.append(*timestamp).append(":").append(request.body);
    if (!hmac_matches_any(crypto::HashAlgorithm::sha256, secrets, message,
                          {std::move(*signature)})) {
      return VerifyResult::fail(VerifyFailure::bad_signature,
                                "header X-Slack-Signature matches no secret");
    }
    return VerifyResult::success();
  }

 private:
  std::chrono::seconds tolerance_;
};

}  // namespace

std::optional<std::string> parse_slack_signature(std::string_view value) {
  return parse_hmac_signature(value, "v0=", SignatureEncoding::hex,
                              crypto::digest_size(crypto::HashAlgorithm::sha256));
}

std::unique_ptr<SignatureScheme> make_slack_scheme(ObjectReader& params) {
  return std::make_unique<SlackScheme>(read_tolerance(params));
}

}  // namespace hookline::ingest
