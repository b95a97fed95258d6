#pragma once
// The JSON of rate limits, faults and valid credentials, for the control API and --config.
// Strict (STYLE.md convention 2): unknown keys, wrong types and out-of-range values throw
// ConfigError naming the key (never a credential's value).
//   rate limit:  {"match":{...},"rate_per_s":5,"burst":5,"per_target":false}
//   fault:       {"match":{...},"status":503,"count":5,"retry_after_s":2,"delay_ms":0,
//                 "body":"...","content_type":"application/json"}
//   match:       {"provider":"resend","target":"re_key_a","path_prefix":"/emails"}
//   credentials: {"provider":"resend","valid":["re_good"]}   ([] accepts any again)
//   file:        {"rate_limits":[...],"faults":[...],"credentials":[...]}
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "sinks/simulator/fault_plan.h"
#include "sinks/simulator/rate_limiter.h"

namespace hookline::simulator {

// The credentials a provider accepts from now on; every provider but webhook (which takes
// none). At most kMaxCredentials values of 1 to kMaxCredentialLength bytes.
struct CredentialRule {
  std::string provider;
  std::vector<std::string> valid;
};
inline constexpr std::size_t kMaxCredentials = 100;
inline constexpr std::size_t kMaxCredentialLength = 4096;

// `where` names the value in messages ("request body", "sim.json: faults[1]").
RateRule read_rate_rule(const rapidjson::Value& value, const std::string& where);
Fault read_fault(const rapidjson::Value& value, const std::string& where);
CredentialRule read_credential_rule(const rapidjson::Value& value, const std::string& where);

// A request body of the control API.
RateRule parse_rate_rule(std::string_view json);
Fault parse_fault(std::string_view json);
CredentialRule parse_credential_rule(std::string_view json);

struct InitialRules {
  std::vector<RateRule> rate_limits;
  std::vector<Fault> faults;
  std::vector<CredentialRule> credentials;
};
InitialRules load_rules_file(const std::string& path);

std::string render_rate_rules(const std::vector<RateRule>& rules);  // {"rate_limits":[...]}
std::string render_faults(const std::vector<Fault>& faults);        // {"faults":[...]}
// {"credentials":{"resend":2,...}}: how many credentials each provider accepts, never which.
std::string render_credential_counts(const std::map<std::string, std::size_t>& counts);

}  // namespace hookline::simulator
