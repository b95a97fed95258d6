#include "ingest/providers/generic_hmac.h"

#include <utility>

#include "core/crypto/constant_time.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"
#include "ingest/providers/timestamp.h"

namespace hookline::ingest {
namespace {

using crypto::HashAlgorithm;

class GenericHmacScheme final : public SignatureScheme {
 public:
  explicit GenericHmacScheme(GenericHmacConfig config) : config_(std::move(config)) {}

  std::string_view name() const noexcept override { return config_.scheme_name; }

  VerifyResult verify(const Request& request, const Credentials& credentials,
                      Clock::time_point now) const override {
    const auto header = request.header(config_.header);
    if (!header) {
      return VerifyResult::fail(VerifyFailure::missing_header,
                                "header " + config_.header + " is missing");
    }
    auto signature = parse_hmac_signature(*header, config_.prefix, config_.encoding,
                                          crypto::digest_size(config_.algorithm));
    if (!signature) {
      return VerifyResult::fail(VerifyFailure::malformed_header,
                                "header " + config_.header + " is not a valid signature");
    }
    std::string_view timestamp;
    if (!config_.timestamp_header.empty()) {
      const auto ts = request.header(config_.timestamp_header);
      if (!ts) {
        return VerifyResult::fail(VerifyFailure::missing_header,
                                  "header " + config_.timestamp_header + " is missing");
      }
      timestamp = *ts;
    }
    const auto secrets = usable_secrets(credentials);
    if (secrets.empty()) {
      return VerifyResult::fail(VerifyFailure::no_credentials, "the connection has no secret");
    }
    if (!config_.timestamp_header.empty()) {
      auto fresh = check_timestamp(config_.timestamp_header, timestamp, now, config_.tolerance);
      if (!fresh.ok) return fresh;
    }
    std::string message;
    if (config_.signed_content != SignedContent::body) {
      message.append(timestamp);
      if (config_.signed_content == SignedContent::timestamp_dot_body) message.append(".");
      message.append(request.body);
    }
    const std::string_view signed_bytes =
        config_.signed_content == SignedContent::body ? request.body : std::string_view(message);
    if (!hmac_matches_any(config_.algorithm, secrets, signed_bytes, {std::move(*signature)})) {
      return VerifyResult::fail(VerifyFailure::bad_signature,
                                "header " + config_.header + " matches no secret");
    }
    return VerifyResult::success();
  }

 private:
  GenericHmacConfig config_;
};

}  // namespace

std::optional<std::string> parse_hmac_signature(std::string_view value, std::string_view prefix,
                                                SignatureEncoding encoding, std::size_t mac_size) {
  if (value.size() < prefix.size() || !iequals(value.substr(0, prefix.size()), prefix)) {
    return std::nullopt;
  }
  value.remove_prefix(prefix.size());
  auto mac =
      encoding == SignatureEncoding::hex ? crypto::hex_decode(value) : crypto::base64_decode(value);
  if (!mac || mac->size() != mac_size) return std::nullopt;
  return mac;
}

std::vector<std::string_view> usable_secrets(const Credentials& credentials) {
  std::vector<std::string_view> out;
  for (const auto& secret : credentials.secrets) {
    if (!secret.empty()) out.emplace_back(secret);
  }
  return out;
}

bool hmac_matches_any(HashAlgorithm alg, const std::vector<std::string_view>& secrets,
                      std::string_view message, const std::vector<std::string>& signatures) {
  for (const auto secret : secrets) {
    const std::string mac = crypto::hmac(alg, secret, message);
    if (mac.empty()) continue;  // OpenSSL failed: fail closed
    for (const auto& signature : signatures) {
      if (crypto::constant_time_equal(mac, signature)) return true;
    }
  }
  return false;
}

const char* to_string(HashAlgorithm alg) noexcept {
  switch (alg) {
    case HashAlgorithm::sha1:
      return "sha1";
    case HashAlgorithm::sha256:
      return "sha256";
    case HashAlgorithm::sha512:
      return "sha512";
  }
  return "";
}

HashAlgorithm read_hash_algorithm(ObjectReader& params, std::string_view key,
                                  HashAlgorithm fallback) {
  const auto text = params.string(key);
  if (!text) return fallback;
  for (const auto alg : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha512}) {
    if (*text == to_string(alg)) return alg;
  }
  params.fail(key, "must be one of sha1, sha256, sha512");
}

std::unique_ptr<SignatureScheme> make_generic_hmac_scheme(GenericHmacConfig config) {
  return std::make_unique<GenericHmacScheme>(std::move(config));
}

std::unique_ptr<SignatureScheme> make_generic_hmac_scheme(ObjectReader& params) {
  GenericHmacConfig config;
  config.header = params.required_string("header");
  config.algorithm = read_hash_algorithm(params, "algorithm", HashAlgorithm::sha256);
  const std::string encoding = params.string("encoding", "hex");
  if (encoding == "hex") {
    config.encoding = SignatureEncoding::hex;
  } else if (encoding == "base64") {
    config.encoding = SignatureEncoding::base64;
  } else {
    params.fail("encoding", "must be hex or base64");
  }
  config.prefix = params.string("prefix", "");
  config.timestamp_header = params.string("timestamp_header", "");
  const std::string signed_content = params.string("signed", "body");
  if (signed_content == "body") {
    config.signed_content = SignedContent::body;
  } else if (signed_content == "timestamp.body") {
    config.signed_content = SignedContent::timestamp_dot_body;
  } else if (signed_content == "timestamp+body") {
    config.signed_content = SignedContent::timestamp_body;
  } else {
    params.fail("signed", "must be body, timestamp.body or timestamp+body");
  }
  if (config.signed_content != SignedContent::body && config.timestamp_header.empty()) {
    params.fail("signed", "needs timestamp_header");
  }
  if (params.has("tolerance_s") && config.timestamp_header.empty()) {
    params.fail("tolerance_s", "applies only with timestamp_header");
  }
  config.tolerance = read_tolerance(params);
  return make_generic_hmac_scheme(std::move(config));
}

}  // namespace hookline::ingest
