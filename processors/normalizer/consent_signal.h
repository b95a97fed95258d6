#pragma once
// Consent signals (consent.changes, schemas/consent.changes.v1.schema.json): opt-outs and
// opt-ins found in provider events, as a manifest's signal rule describes them.
//
//   "consent": {
//     "keywords": {"pointer": "/Body", "opt_out": ["STOP", ...], "opt_in": ["START", ...]},
//     "contact": "{/From}", "channel": "sms", "channel_prefixes": {"whatsapp:": "whatsapp"}
//   }
//   "consent": {"action": "opt_out", "reason": "hard_bounce", "contacts": "/data/to",
//               "channel": "email", "group": "{/asm_group_id}"}
//
// Keywords match the whole text, trimmed of whitespace, in any letter case; the reason is then
// "keyword:<KEYWORD>". `contact` is a template; `contacts` points at an array of strings (one
// signal each) or one string. A contact starting with a `channel_prefixes` key loses that prefix
// and takes that channel. `contact_format` makes one person one ledger key across providers:
//   "phone"  spaces, '-', '.', '(' and ')' removed, and a '+' put before a number of digits only
//            (WhatsApp Cloud sends 16505551234, Twilio +16505551234);
//   "email"  the address of "Name <addr>", lower-cased;
//   "text"   (default) trimmed only.
// Key: "<tenant>/<contact>/<channel>".
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/pointer.h>

#include "core/json_reader.h"
#include "processors/normalizer/signal_origin.h"
#include "processors/normalizer/template.h"

namespace hookline::normalizer {

inline constexpr std::size_t kMaxContactLength = 320;

struct ConsentRule {
  enum class ContactFormat { text, phone, email };
  std::optional<Template> contact;
  std::optional<rapidjson::Pointer> contacts;
  std::string channel;
  std::vector<std::pair<std::string, std::string>> channel_prefixes;  // prefix -> channel
  ContactFormat contact_format = ContactFormat::text;
  std::optional<rapidjson::Pointer> keyword_pointer;
  std::vector<std::string> opt_out_keywords, opt_in_keywords;  // upper case
  std::string action;  // fixed action ("opt_out" / "opt_in") when there are no keywords
  std::string reason;  // fixed reason
  std::optional<Template> group;
};

// Throws ConfigError naming file and key.
ConsentRule read_consent_rule(ObjectReader& r, const std::vector<std::string>& keep_headers);

// A contact as the ledger keys it (see contact_format), or nullopt when it is empty, longer than
// kMaxContactLength or not text.
std::optional<std::string> format_contact(ConsentRule::ContactFormat format, std::string_view raw);

struct KeywordMatch {
  std::string action;   // "opt_out" or "opt_in"
  std::string keyword;  // upper case
};
// The rule's keyword that `text` is (trimmed, any case), or nullopt.
std::optional<KeywordMatch> match_keyword(const ConsentRule& rule, std::string_view text);

// Appends this rule's signals for one event; an error ("bad-signal") when the rule applies but
// what the signal needs (a valid contact, tenant) is missing.
std::optional<MappingError> append_consent_signals(const ConsentRule& rule, const Scope& scope,
                                                   const SignalOrigin& origin,
                                                   std::vector<Signal>& out);

}  // namespace hookline::normalizer
