#include "ingest/providers/registry.h"

#include "ingest/providers/generic_hmac.h"
#include "ingest/providers/hub_signature.h"
#include "ingest/providers/sendgrid_ecdsa.h"
#include "ingest/providers/shopify.h"
#include "ingest/providers/slack.h"
#include "ingest/providers/standard_webhooks.h"
#include "ingest/providers/stripe.h"
#include "ingest/providers/twilio.h"

namespace hookline::ingest {
namespace {

std::unique_ptr<SignatureScheme> make_hmac(ObjectReader& params) {
  return make_generic_hmac_scheme(params);  // picks the ObjectReader overload
}

}  // namespace

const std::map<std::string, SchemeFactory, std::less<>>& scheme_factories() {
  static const std::map<std::string, SchemeFactory, std::less<>> factories{
      {"hmac", &make_hmac},
      {"hub-signature", &make_hub_signature_scheme},
      {"sendgrid-ecdsa", &make_sendgrid_ecdsa_scheme},
      {"shopify", &make_shopify_scheme},
      {"slack", &make_slack_scheme},
      {"standard-webhooks", &make_standard_webhooks_scheme},
      {"stripe", &make_stripe_scheme},
      {"twilio", &make_twilio_scheme},
  };
  return factories;
}

std::unique_ptr<SignatureScheme> make_scheme(ObjectReader& scheme_object) {
  const std::string name = scheme_object.required_string("name");
  const auto& factories = scheme_factories();
  const auto it = factories.find(name);
  if (it == factories.end()) {
    std::string known;
    for (const auto& [n, factory] : factories) known.append(known.empty() ? "" : ", ").append(n);
    scheme_object.fail("name", "unknown scheme '" + name + "' (known: " + known + ")");
  }
  return it->second(scheme_object);
}

}  // namespace hookline::ingest
