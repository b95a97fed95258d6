#include "ingest/providers/twilio.h"

#include <map>
#include <set>

#include "core/crypto/constant_time.h"
#include "core/crypto/digest.h"
#include "core/crypto/encoding.h"
#include "ingest/providers/generic_hmac.h"

namespace hookline::ingest {
namespace {

constexpr std::size_t kSha1Size = 20;

VerifyResult bad(std::string detail) {
  return VerifyResult::fail(VerifyFailure::bad_signature, std::move(detail));
}

class TwilioScheme final : public SignatureScheme {
 public:
  std::string_view name() const noexcept override { return "twilio"; }

  VerifyResult verify(const Request& request, const Credentials& credentials,
                      Clock::time_point /*now*/) const override {
    const auto value = request.header(kTwilioSignatureHeader);
    if (!value) {
      return VerifyResult::fail(VerifyFailure::missing_header,
                                "header X-Twilio-Signature is missing");
    }
    auto signature = parse_twilio_signature(*value);
    if (!signature) {
      return VerifyResult::fail(VerifyFailure::malformed_header,
                                "header X-Twilio-Signature is not base64 of 20 bytes");
    }
    const auto secrets = usable_secrets(credentials);
    if (secrets.empty()) {
      return VerifyResult::fail(VerifyFailure::no_credentials, "the connection has no auth token");
    }
    if (request.public_url.empty()) return bad("the public URL of the request is unknown");

    std::string suffix;
    if (const auto body_sha256 = twilio_body_sha256(request.public_url)) {
      // JSON body: the signed URL commits to the body's hash.
      const auto expected = crypto::hex_decode(*body_sha256);
      const std::string actual = crypto::sha256(request.body);
      if (!expected || actual.empty() || !crypto::constant_time_equal(*expected, actual)) {
        return bad("the body does not match the URL's bodySHA256");
      }
    } else if (!request.body.empty()) {
      // Anything else must be a form, or the body would go unauthenticated.
      const auto content_type = request.content_type();
      const auto params = content_type.empty() || is_form_content_type(content_type)
                              ? parse_form(request.body)
                              : std::nullopt;
      if (!params) return bad("the body is neither a form nor covered by bodySHA256");
      suffix = twilio_params_suffix(*params);
    }
    const std::vector<std::string> signatures{std::move(*signature)};
    for (const auto& url : twilio_url_variants(request.public_url)) {
      if (hmac_matches_any(crypto::HashAlgorithm::sha1, secrets, url + suffix, signatures)) {
        return VerifyResult::success();
      }
    }
    return bad("header X-Twilio-Signature matches no auth token");
  }
};

}  // namespace

std::optional<std::string> parse_twilio_signature(std::string_view value) {
  return parse_hmac_signature(value, "", SignatureEncoding::base64, kSha1Size);
}

std::vector<std::string> twilio_url_variants(std::string_view url) {
  std::vector<std::string> out{std::string(url)};
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return out;
  const std::string_view scheme = url.substr(0, scheme_end);
  const std::string_view default_port = iequals(scheme, "https")  ? "443"
                                        : iequals(scheme, "http") ? "80"
                                                                  : "";
  if (default_port.empty()) return out;
  const std::size_t authority_start = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  const std::size_t at = authority.rfind('@');
  const std::size_t host_start = at == std::string_view::npos ? 0 : at + 1;
  // The port starts after the last ':' that is not inside an IPv6 literal "[...]".
  const std::size_t bracket = authority.rfind(']');
  const std::size_t colon = authority.rfind(':');
  const bool has_port = colon != std::string_view::npos && colon >= host_start &&
                        (bracket == std::string_view::npos || colon > bracket);
  if (!has_port) {
    std::string with(url.substr(0, authority_end));
    with.append(":").append(default_port).append(url.substr(authority_end));
    out.push_back(std::move(with));
  } else if (authority.substr(colon + 1) == default_port) {
    std::string without(url.substr(0, authority_start + colon));
    without.append(url.substr(authority_end));
    out.push_back(std::move(without));
  }
  return out;
}

std::string twilio_params_suffix(const FormFields& params) {
  std::map<std::string_view, std::set<std::string_view>> sorted;
  for (const auto& [name, value] : params) sorted[name].insert(value);
  std::string out;
  for (const auto& [name, values] : sorted) {
    for (const auto value : values) out.append(name).append(value);
  }
  return out;
}

std::optional<std::string> twilio_body_sha256(std::string_view url) {
  const std::size_t question = url.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = url.substr(question + 1);
  query = query.substr(0, query.find('#'));
  const auto fields = parse_form(query);
  if (!fields) return std::nullopt;
  for (const auto& [name, value] : *fields) {
    if (name == "bodySHA256") return value;
  }
  return std::nullopt;
}

std::unique_ptr<SignatureScheme> make_twilio_scheme(ObjectReader& /*params*/) {
  return std::make_unique<TwilioScheme>();
}

}  // namespace hookline::ingest
