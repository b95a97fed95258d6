#pragma once
// Conditions (`when`) of a `normalize` section: every condition of a list must hold.
//
//   {"pointer": "/MessageStatus", "exists": true}     present and not null
//   {"pointer": "/From", "prefix": "whatsapp:"}
//   {"pointer": "/type", "equals": "block_actions"}
//   {"header": "X-GitHub-Event", "one_of": ["push", "pull_request"]}
//   {"type": "com.twilio.*.received"}                 the event's CloudEvents type (signals only)
//
// Pointer and header values compare as text (strings as they are, integers in decimal).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/pointer.h>

#include "core/json_reader.h"
#include "processors/normalizer/template.h"

namespace hookline::normalizer {

struct Condition {
  enum class Source { pointer, header, type };
  enum class Test { exists, absent, equals, one_of, prefix, glob };
  Source source = Source::pointer;
  rapidjson::Pointer pointer;
  std::string header;
  Test test = Test::exists;
  std::vector<std::string> values;

  bool holds(const Scope& scope, std::string_view event_type) const;
};

// Reads one condition object; `allow_type` where the event's type is known (signals).
// `keep_headers` are the manifest's kept headers: a condition on another header could never
// hold and is refused. Throws ConfigError.
Condition read_condition(ObjectReader& r, bool allow_type,
                         const std::vector<std::string>& keep_headers);
std::vector<Condition> read_conditions(ObjectReader& r, std::string_view key, bool allow_type,
                                       const std::vector<std::string>& keep_headers);

bool all_hold(const std::vector<Condition>& conditions, const Scope& scope,
              std::string_view event_type);

// Throws ConfigError (via r) unless `name` is one of `keep_headers` (any case).
void require_kept(ObjectReader& r, std::string_view key, std::string_view name,
                  const std::vector<std::string>& keep_headers);

// Reads the array of templates at `key` (each tried in order when mapping); every header a
// template names must be kept. Throws ConfigError (via r) naming the template.
std::vector<Template> read_templates(ObjectReader& r, const char* key,
                                     const std::vector<std::string>& keep_headers);

}  // namespace hookline::normalizer
