// Names of scopes and consent sources (as written in rules.json, the ledger and the CLI), and
// the per-tenant lookups of Rules. Reading the file is in rules_loader.cpp.
#include "processors/gatekeeper/rules/rules.h"

#include <array>
#include <utility>

namespace hookline::gatekeeper {
namespace {

constexpr std::array<std::pair<Scope, const char*>, 3> kScopes{{
    {Scope::all, "all"},
    {Scope::marketing, "marketing"},
    {Scope::transactional, "transactional"},
}};

constexpr std::array<std::pair<ConsentSource, const char*>, 9> kSources{{
    {ConsentSource::inbound_stop, "inbound_stop"},
    {ConsentSource::inbound_start, "inbound_start"},
    {ConsentSource::unsubscribe_link, "unsubscribe_link"},
    {ConsentSource::resubscribe, "resubscribe"},
    {ConsentSource::bounce, "bounce"},
    {ConsentSource::complaint, "complaint"},
    {ConsentSource::api, "api"},
    {ConsentSource::import_, "import"},
    {ConsentSource::erasure, "erasure"},
}};

}  // namespace

const char* to_string(Scope s) noexcept {
  for (const auto& [value, name] : kScopes) {
    if (value == s) return name;
  }
  return "?";
}

const char* to_string(ConsentSource s) noexcept {
  for (const auto& [value, name] : kSources) {
    if (value == s) return name;
  }
  return "?";
}

std::optional<Scope> scope_named(const std::string& name) {
  for (const auto& [value, text] : kScopes) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<ConsentSource> consent_source_named(const std::string& name) {
  for (const auto& [value, text] : kSources) {
    if (name == text) return value;
  }
  return std::nullopt;
}

const ApprovalRules& Rules::approval_for(const std::string& tenant) const {
  const auto it = tenants.find(tenant);
  return it != tenants.end() ? it->second.approval : approval;
}

const QuietHours* Rules::quiet_hours_for(const std::string& tenant) const {
  const auto it = tenants.find(tenant);
  const std::optional<QuietHours>& q = it != tenants.end() ? it->second.quiet_hours : quiet_hours;
  return q ? &*q : nullptr;
}

}  // namespace hookline::gatekeeper
