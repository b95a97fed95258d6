#pragma once
// The webhooks the end-to-end run sends: one delivery shape per shipped provider manifest,
// each with the CloudEvents ids and topic the normalizer must produce for it, and marker
// addresses and phone numbers planted in the payload (they must never reach a log or metric).
#include <string>
#include <utility>
#include <vector>

namespace hookline::e2e {

struct Delivery {
  std::string provider;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // besides the signature ones
  std::vector<std::string> event_ids;                        // the CloudEvents ids it yields
  std::string topic;                                         // the normalized topic they go to
  bool forged = false;  // signed with a wrong secret: must get 401
};

// The providers with a delivery shape (every manifest in topology/providers).
const std::vector<std::string>& e2e_providers();

// Delivery number `n` of `provider`. `tag` makes ids unique to the run. Batch providers
// (sendgrid, whatsapp) carry three events; every fifth batch repeats the last event of the
// batch before it, as overlapping batches do.
Delivery make_delivery(const std::string& provider, int n, const std::string& tag);

// The planted personal data: must not appear in any component's log or metrics.
std::string marker_email(int n);
std::string marker_phone(int n);  // E.164
// What the PII scan looks for (covers every marker in its plain and form-encoded forms).
const std::vector<std::string>& marker_needles();

}  // namespace hookline::e2e
