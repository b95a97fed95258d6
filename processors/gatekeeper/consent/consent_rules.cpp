// The consent decision (consent_rules.h): which entry decides, and what it decides.
#include "processors/gatekeeper/consent/consent_rules.h"

#include <string>

namespace hookline::gatekeeper {
namespace {

bool covers(Scope scope, sender::Purpose purpose) {
  switch (scope) {
    case Scope::all:
      return true;
    case Scope::marketing:
      return purpose == sender::Purpose::marketing;
    case Scope::transactional:
      return purpose == sender::Purpose::transactional;
  }
  return false;
}

bool relevant(const ConsentEntry& e, const sender::SendRequest& request,
              const std::string& channel) {
  return (e.channel == channel || e.channel == kAllChannels) &&
         (e.group.empty() || e.group == request.subscription_group) &&
         covers(e.scope, request.purpose);
}

// Newer: later occurred_at, then the higher id.
bool newer(const ConsentEntry& a, const ConsentEntry& b) {
  if (a.occurred_at != b.occurred_at) return a.occurred_at > b.occurred_at;
  return a.id > b.id;
}

const ConsentEntry* deciding_entry(const sender::SendRequest& request,
                                   const std::vector<ConsentEntry>& entries) {
  const std::string channel = sender::to_string(request.channel);
  const ConsentEntry* best = nullptr;
  for (const ConsentEntry& e : entries) {
    if (!relevant(e, request, channel)) continue;
    if (best == nullptr || newer(e, *best)) best = &e;
  }
  return best;
}

ConsentDecision allow(const char* reason, std::int64_t entry_id) {
  return ConsentDecision{true, reason, entry_id};
}

ConsentDecision suppress(const char* reason, std::int64_t entry_id) {
  return ConsentDecision{false, reason, entry_id};
}

bool is_stop_confirmation(const ConsentRules& rules, const sender::SendRequest& request,
                          const ConsentEntry& stop, std::chrono::system_clock::time_point now) {
  if (request.kind != sender::Kind::opt_out_confirmation) return false;
  if (request.channel != sender::Channel::sms && request.channel != sender::Channel::whatsapp) {
    return false;
  }
  if (stop.source != ConsentSource::inbound_stop) return false;
  if (rules.stop_confirmation_window <= std::chrono::seconds::zero()) return false;
  return now - stop.occurred_at <= rules.stop_confirmation_window;
}

}  // namespace

bool consent_required(const ConsentRules& rules, sender::Channel channel) {
  return rules.channels.contains(sender::to_string(channel));
}

const char* opt_out_reason(ConsentSource source) noexcept {
  switch (source) {
    case ConsentSource::inbound_stop:
      return consent_reason::kStopKeyword;
    case ConsentSource::bounce:
      return consent_reason::kHardBounce;
    case ConsentSource::complaint:
      return consent_reason::kComplaint;
    case ConsentSource::unsubscribe_link:
      return consent_reason::kUnsubscribed;
    case ConsentSource::erasure:
      return consent_reason::kErased;
    case ConsentSource::inbound_start:
    case ConsentSource::resubscribe:
    case ConsentSource::api:
    case ConsentSource::import_:
      break;
  }
  return consent_reason::kOptedOut;
}

ConsentDecision evaluate_consent(const ConsentRules& rules, const sender::SendRequest& request,
                                 const std::vector<ConsentEntry>& current,
                                 std::chrono::system_clock::time_point now) {
  if (!consent_required(rules, request.channel)) {
    return allow(consent_reason::kNoConsentRequired, 0);
  }
  const ConsentEntry* decider = deciding_entry(request, current);
  if (request.purpose == sender::Purpose::marketing) {
    if (decider == nullptr) {
      return rules.marketing_requires_opt_in ? suppress(consent_reason::kNoOptIn, 0)
                                             : allow(consent_reason::kNoConsentRequired, 0);
    }
    if (decider->status == ConsentStatus::opted_in) {
      return allow(consent_reason::kOptedIn, decider->id);
    }
    return suppress(opt_out_reason(decider->source), decider->id);
  }
  if (decider == nullptr) return allow(consent_reason::kTransactional, 0);
  if (decider->status == ConsentStatus::opted_in) {
    return allow(consent_reason::kTransactional, decider->id);
  }
  if (is_stop_confirmation(rules, request, *decider, now)) {
    return allow(consent_reason::kStopConfirmation, decider->id);
  }
  return suppress(opt_out_reason(decider->source), decider->id);
}

bool needs_confirmation_claim(const ConsentDecision& decision) {
  return decision.allowed && decision.reason == consent_reason::kStopConfirmation;
}

}  // namespace hookline::gatekeeper
