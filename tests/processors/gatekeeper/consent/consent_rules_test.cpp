// The consent decision as a table: rules, request, entries -> allowed or suppressed, with its
// reason code and deciding entry (processors/gatekeeper/consent/consent_rules.h).
#define BOOST_TEST_MODULE gatekeeper_consent_rules
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "processors/gatekeeper/consent/consent_rules.h"

using namespace hookline;
using namespace hookline::gatekeeper;
using namespace std::chrono_literals;
using sender::Channel;
using sender::Kind;
using sender::Purpose;
using Clock = std::chrono::system_clock;

namespace {

const Clock::time_point kNow = Clock::time_point(std::chrono::hours(24 * 20000));

using St = ConsentStatus;
using Sc = Scope;
using Src = ConsentSource;

// An entry that occurred `ago` before kNow.
ConsentEntry entry(std::int64_t id, std::string channel, St status, Sc scope, Src source,
                   Clock::duration ago, std::string group = "") {
  ConsentEntry e;
  e.id = id;
  e.tenant = "acme";
  e.contact_hash = std::string(64, 'a');
  e.channel = std::move(channel);
  e.status = status;
  e.scope = scope;
  e.source = source;
  e.group = std::move(group);
  e.occurred_at = kNow - ago;
  e.recorded_by = "test";
  return e;
}

sender::SendRequest request(Channel channel, Purpose purpose, std::string group = "",
                            Kind kind = Kind::message) {
  sender::SendRequest r;
  r.id = "req-1";
  r.tenant = "acme";
  r.channel = channel;
  r.purpose = purpose;
  r.subscription_group = std::move(group);
  r.kind = kind;
  r.address = "+14155550100";
  return r;
}

struct Case {
  const char* name;
  sender::SendRequest request;
  std::vector<ConsentEntry> entries;
  bool allowed;
  const char* reason;
  std::int64_t entry_id;
  std::function<void(ConsentRules&)> adjust = {};
};

const auto kMk = Purpose::marketing;
const auto kTx = Purpose::transactional;

std::vector<Case> cases() {
  const auto stop = [](std::int64_t id, Clock::duration ago, std::string channel = "sms") {
    return entry(id, std::move(channel), St::opted_out, Sc::all, Src::inbound_stop, ago);
  };
  const auto start = [](std::int64_t id, Clock::duration ago) {
    return entry(id, "sms", St::opted_in, Sc::all, Src::inbound_start, ago);
  };
  const auto opt_in = [](std::int64_t id, std::string channel, Clock::duration ago,
                         std::string group = "") {
    return entry(id, std::move(channel), St::opted_in, Sc::marketing, Src::api, ago,
                 std::move(group));
  };
  return {
      // Channels without consent.
      {"slack needs no consent",
       request(Channel::slack, kMk),
       {entry(1, "*", St::opted_out, Sc::all, Src::api, 1h)},
       true,
       "no_consent_required",
       0},
      {"webhook needs no consent",
       request(Channel::webhook, kTx),
       {},
       true,
       "no_consent_required",
       0},
      {"a channel removed from the rules needs no consent",
       request(Channel::email, kMk),
       {},
       true,
       "no_consent_required",
       0,
       [](ConsentRules& r) { r.channels.erase("email"); }},

      // Marketing needs an opt-in for its channel.
      {"marketing without entries", request(Channel::sms, kMk), {}, false, "no_opt_in", 0},
      {"marketing without entries, opt-in not required",
       request(Channel::sms, kMk),
       {},
       true,
       "no_consent_required",
       0,
       [](ConsentRules& r) { r.marketing_requires_opt_in = false; }},
      {"marketing opted in",
       request(Channel::sms, kMk),
       {opt_in(7, "sms", 1h)},
       true,
       "opted_in",
       7},
      {"opt-in for another channel",
       request(Channel::email, kMk),
       {opt_in(7, "sms", 1h)},
       false,
       "no_opt_in",
       0},
      {"opt-in for transactional only",
       request(Channel::sms, kMk),
       {entry(7, "sms", St::opted_in, Sc::transactional, Src::api, 1h)},
       false,
       "no_opt_in",
       0},
      {"opt-in of scope all",
       request(Channel::whatsapp, kMk),
       {entry(7, "whatsapp", St::opted_in, Sc::all, Src::import_, 1h)},
       true,
       "opted_in",
       7},
      {"global opt-in", request(Channel::email, kMk), {opt_in(7, "*", 1h)}, true, "opted_in", 7},

      // Global unsubscribe.
      {"global marketing opt-out suppresses marketing",
       request(Channel::email, kMk),
       {opt_in(1, "email", 2h), entry(2, "*", St::opted_out, Sc::marketing, Src::api, 1h)},
       false,
       "opted_out",
       2},
      {"global marketing opt-out lets transactional go",
       request(Channel::email, kTx),
       {opt_in(1, "email", 2h), entry(2, "*", St::opted_out, Sc::marketing, Src::api, 1h)},
       true,
       "transactional",
       0},
      {"global opt-out of everything suppresses transactional",
       request(Channel::sms, kTx),
       {entry(2, "*", St::opted_out, Sc::all, Src::import_, 1h)},
       false,
       "opted_out",
       2},
      {"channel opt-in after a global opt-out",
       request(Channel::email, kMk),
       {entry(1, "*", St::opted_out, Sc::marketing, Src::api, 2h), opt_in(2, "email", 1h)},
       true,
       "opted_in",
       2},

      // STOP and START.
      {"STOP suppresses marketing",
       request(Channel::sms, kMk),
       {opt_in(1, "sms", 2h), stop(2, 1h)},
       false,
       "stop_keyword",
       2},
      {"STOP suppresses transactional",
       request(Channel::sms, kTx),
       {opt_in(1, "sms", 2h), stop(2, 1h)},
       false,
       "stop_keyword",
       2},
      {"STOP on sms leaves whatsapp alone",
       request(Channel::whatsapp, kMk),
       {opt_in(1, "whatsapp", 2h), stop(2, 1h)},
       true,
       "opted_in",
       1},
      {"START after STOP allows marketing",
       request(Channel::sms, kMk),
       {stop(1, 2h), start(2, 1h)},
       true,
       "opted_in",
       2},
      {"START after STOP allows transactional",
       request(Channel::sms, kTx),
       {stop(1, 2h), start(2, 1h)},
       true,
       "transactional",
       2},
      {"STOP after START (whole history)",
       request(Channel::sms, kMk),
       {stop(1, 3h), start(2, 2h), stop(3, 1h)},
       false,
       "stop_keyword",
       3},

      // Email: bounces and complaints block everything, unsubscribes marketing only.
      {"bounce blocks transactional email",
       request(Channel::email, kTx),
       {entry(4, "email", St::opted_out, Sc::all, Src::bounce, 1h)},
       false,
       "hard_bounce",
       4},
      {"bounce blocks marketing email",
       request(Channel::email, kMk),
       {opt_in(3, "email", 2h), entry(4, "email", St::opted_out, Sc::all, Src::bounce, 1h)},
       false,
       "hard_bounce",
       4},
      {"complaint blocks transactional email",
       request(Channel::email, kTx),
       {entry(4, "email", St::opted_out, Sc::all, Src::complaint, 1h)},
       false,
       "complaint",
       4},
      {"unsubscribe blocks marketing email",
       request(Channel::email, kMk),
       {opt_in(3, "email", 2h),
        entry(4, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 1h)},
       false,
       "unsubscribed",
       4},
      {"unsubscribe does not block transactional email",
       request(Channel::email, kTx),
       {entry(4, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 1h)},
       true,
       "transactional",
       0},
      {"resubscribe after unsubscribe",
       request(Channel::email, kMk),
       {entry(4, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 2h),
        entry(5, "email", St::opted_in, Sc::marketing, Src::resubscribe, 1h)},
       true,
       "opted_in",
       5},
      {"transactional opt-out leaves marketing to its opt-in",
       request(Channel::email, kMk),
       {opt_in(3, "email", 2h), entry(4, "email", St::opted_out, Sc::transactional, Src::api, 1h)},
       true,
       "opted_in",
       3},
      {"erased contact stays suppressed (marketing)",
       request(Channel::email, kMk),
       {entry(9, "*", St::opted_out, Sc::all, Src::erasure, 1h)},
       false,
       "erased",
       9},
      {"erased contact stays suppressed (transactional)",
       request(Channel::sms, kTx),
       {entry(9, "*", St::opted_out, Sc::all, Src::erasure, 1h)},
       false,
       "erased",
       9},

      // Subscription groups.
      {"group unsubscribe applies to its group",
       request(Channel::email, kMk, "news"),
       {opt_in(1, "email", 2h),
        entry(2, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 1h, "news")},
       false,
       "unsubscribed",
       2},
      {"group unsubscribe leaves other groups",
       request(Channel::email, kMk, "promo"),
       {opt_in(1, "email", 2h),
        entry(2, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 1h, "news")},
       true,
       "opted_in",
       1},
      {"group unsubscribe leaves messages without a group",
       request(Channel::email, kMk),
       {opt_in(1, "email", 2h),
        entry(2, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 1h, "news")},
       true,
       "opted_in",
       1},
      {"group resubscribe after group unsubscribe",
       request(Channel::email, kMk, "news"),
       {opt_in(1, "email", 3h),
        entry(2, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 2h, "news"),
        entry(3, "email", St::opted_in, Sc::marketing, Src::resubscribe, 1h, "news")},
       true,
       "opted_in",
       3},
      {"opt-in of a group only",
       request(Channel::email, kMk),
       {opt_in(1, "email", 1h, "news")},
       false,
       "no_opt_in",
       0},
      {"opt-in of the request's group",
       request(Channel::email, kMk, "news"),
       {opt_in(1, "email", 1h, "news")},
       true,
       "opted_in",
       1},
      {"channel-wide unsubscribe covers every group",
       request(Channel::email, kMk, "news"),
       {opt_in(1, "email", 2h, "news"),
        entry(2, "email", St::opted_out, Sc::marketing, Src::unsubscribe_link, 1h)},
       false,
       "unsubscribed",
       2},

      // Ordering: occurred_at first, then id; the order of the vector does not matter.
      {"newest by occurred_at, not by id",
       request(Channel::sms, kMk),
       {opt_in(1, "sms", 1h), stop(2, 2h)},
       true,
       "opted_in",
       1},
      {"newest by occurred_at, listed first",
       request(Channel::sms, kMk),
       {stop(2, 1h), opt_in(1, "sms", 2h)},
       false,
       "stop_keyword",
       2},
      {"same time: the higher id",
       request(Channel::sms, kMk),
       {stop(5, 1h), opt_in(4, "sms", 1h)},
       false,
       "stop_keyword",
       5},
      {"same time: the higher id, listed last",
       request(Channel::sms, kMk),
       {stop(4, 1h), opt_in(5, "sms", 1h)},
       true,
       "opted_in",
       5},

      // The single STOP confirmation.
      {"STOP confirmation on sms",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 10min)},
       true,
       "stop_confirmation",
       3},
      {"STOP confirmation on whatsapp",
       request(Channel::whatsapp, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 23h, "whatsapp")},
       true,
       "stop_confirmation",
       3},
      {"STOP confirmation at the end of the window",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 24h)},
       true,
       "stop_confirmation",
       3},
      {"STOP confirmation after the window",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 24h + 1s)},
       false,
       "stop_keyword",
       3},
      {"STOP confirmation with a custom window",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 2h)},
       false,
       "stop_keyword",
       3,
       [](ConsentRules& r) { r.stop_confirmation_window = 1h; }},
      {"STOP confirmation disabled",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 1min)},
       false,
       "stop_keyword",
       3,
       [](ConsentRules& r) { r.stop_confirmation_window = 0s; }},
      {"STOP confirmation with a clock behind the STOP",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, -5s)},
       true,
       "stop_confirmation",
       3},
      {"an ordinary message after STOP is no confirmation",
       request(Channel::sms, kTx),
       {stop(3, 1min)},
       false,
       "stop_keyword",
       3},
      {"a marketing confirmation is refused",
       request(Channel::sms, kMk, "", Kind::opt_out_confirmation),
       {stop(3, 1min)},
       false,
       "stop_keyword",
       3},
      {"confirmation of an opt-out that is no STOP",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {entry(3, "sms", St::opted_out, Sc::all, Src::api, 1min)},
       false,
       "opted_out",
       3},
      {"confirmation when a newer global opt-out decides",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {stop(3, 2min), entry(4, "*", St::opted_out, Sc::all, Src::import_, 1min)},
       false,
       "opted_out",
       4},
      {"confirmation on email is no exception",
       request(Channel::email, kTx, "", Kind::opt_out_confirmation),
       {entry(3, "email", St::opted_out, Sc::all, Src::bounce, 1min)},
       false,
       "hard_bounce",
       3},
      {"confirmation without an opt-out is transactional",
       request(Channel::sms, kTx, "", Kind::opt_out_confirmation),
       {},
       true,
       "transactional",
       0},
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(decision_table) {
  for (const Case& c : cases()) {
    ConsentRules rules;
    if (c.adjust) c.adjust(rules);
    const ConsentDecision d = evaluate_consent(rules, c.request, c.entries, kNow);
    BOOST_TEST(d.allowed == c.allowed, c.name);
    BOOST_TEST(d.reason == c.reason, c.name << ": reason " << d.reason);
    BOOST_TEST(d.entry_id == c.entry_id, c.name << ": entry " << d.entry_id);
    BOOST_TEST(needs_confirmation_claim(d) == (d.reason == std::string("stop_confirmation")),
               c.name);
  }
}

BOOST_AUTO_TEST_CASE(opt_out_reason_codes) {
  BOOST_TEST(opt_out_reason(Src::inbound_stop) == std::string("stop_keyword"));
  BOOST_TEST(opt_out_reason(Src::bounce) == std::string("hard_bounce"));
  BOOST_TEST(opt_out_reason(Src::complaint) == std::string("complaint"));
  BOOST_TEST(opt_out_reason(Src::unsubscribe_link) == std::string("unsubscribed"));
  BOOST_TEST(opt_out_reason(Src::erasure) == std::string("erased"));
  BOOST_TEST(opt_out_reason(Src::api) == std::string("opted_out"));
  BOOST_TEST(opt_out_reason(Src::import_) == std::string("opted_out"));
}

BOOST_AUTO_TEST_CASE(consent_required_follows_the_rules_channels) {
  ConsentRules rules;
  BOOST_TEST(consent_required(rules, Channel::email));
  BOOST_TEST(consent_required(rules, Channel::sms));
  BOOST_TEST(consent_required(rules, Channel::whatsapp));
  BOOST_TEST(!consent_required(rules, Channel::slack));
  BOOST_TEST(!consent_required(rules, Channel::webhook));
  rules.channels.insert("slack");
  BOOST_TEST(consent_required(rules, Channel::slack));
}

BOOST_AUTO_TEST_CASE(a_refused_claim_is_not_a_confirmation) {
  BOOST_TEST(!needs_confirmation_claim(ConsentDecision{false, "stop_confirmation", 3}));
  BOOST_TEST(!needs_confirmation_claim(ConsentDecision{true, "transactional", 3}));
  BOOST_TEST(needs_confirmation_claim(ConsentDecision{true, "stop_confirmation", 3}));
}
