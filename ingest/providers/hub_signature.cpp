#include "ingest/providers/hub_signature.h"

#include "ingest/providers/generic_hmac.h"

namespace hookline::ingest {

using crypto::HashAlgorithm;

std::optional<std::string> parse_hub_signature(std::string_view value, std::string_view prefix,
                                               HashAlgorithm algorithm) {
  return parse_hmac_signature(value, prefix, SignatureEncoding::hex,
                              crypto::digest_size(algorithm));
}

std::unique_ptr<SignatureScheme> make_hub_signature_scheme(ObjectReader& params) {
  GenericHmacConfig config;
  config.scheme_name = "hub-signature";
  config.algorithm = read_hash_algorithm(params, "algorithm", HashAlgorithm::sha256);
  if (config.algorithm == HashAlgorithm::sha512) params.fail("algorithm", "must be sha256 or sha1");
  const bool sha1 = config.algorithm == HashAlgorithm::sha1;
  config.header =
      params.string("header", std::string(sha1 ? kHubSignatureSha1Header : kHubSignature256Header));
  if (config.header.empty()) params.fail("header", "must not be empty");
  config.prefix = params.string("prefix", std::string(to_string(config.algorithm)) + "=");
  config.encoding = SignatureEncoding::hex;
  return make_generic_hmac_scheme(std::move(config));
}

}  // namespace hookline::ingest
