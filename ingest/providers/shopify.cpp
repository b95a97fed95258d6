#include "ingest/providers/shopify.h"

#include "ingest/providers/generic_hmac.h"

namespace hookline::ingest {

std::optional<std::string> parse_shopify_hmac(std::string_view value) {
  return parse_hmac_signature(value, "", SignatureEncoding::base64,
                              crypto::digest_size(crypto::HashAlgorithm::sha256));
}

std::unique_ptr<SignatureScheme> make_shopify_scheme(ObjectReader& /*params*/) {
  GenericHmacConfig config;
  config.scheme_name = "shopify";
  config.header = std::string(kShopifyHmacHeader);
  config.algorithm = crypto::HashAlgorithm::sha256;
  config.encoding = SignatureEncoding::base64;
  return make_generic_hmac_scheme(std::move(config));
}

}  // namespace hookline::ingest
