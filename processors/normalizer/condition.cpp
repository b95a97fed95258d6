#include "processors/normalizer/condition.h"

#include <algorithm>
#include <stdexcept>

#include "processors/normalizer/json_access.h"
#include "processors/normalizer/routing.h"

namespace hookline::normalizer {

void require_kept(ObjectReader& r, std::string_view key, std::string_view name,
                  const std::vector<std::string>& keep_headers) {
  const std::string lower = lower_ascii(name);
  for (const auto& k : keep_headers) {
    if (lower_ascii(k) == lower) return;
  }
  r.fail(key, "header '" + std::string(name) +
                  "' is not in the manifest's keep_headers, so the normalizer never sees it");
}

std::vector<Template> read_templates(ObjectReader& r, const char* key,
                                     const std::vector<std::string>& keep_headers) {
  std::vector<Template> out;
  for (const auto& text : r.string_array(key)) {
    try {
      out.push_back(Template::parse(text));
    } catch (const std::invalid_argument& e) {
      r.fail(key, "'" + text + "': " + e.what());
    }
    for (const auto& h : out.back().headers()) require_kept(r, key, h, keep_headers);
  }
  return out;
}

Condition read_condition(ObjectReader& r, bool allow_type,
                         const std::vector<std::string>& keep_headers) {
  Condition c;
  int sources = 0;
  if (auto p = r.string("pointer")) {
    auto ptr = make_pointer(*p);
    if (!ptr) r.fail("pointer", "is not a JSON pointer (\"\" or \"/...\")");
    c.source = Condition::Source::pointer;
    c.pointer = *ptr;
    ++sources;
  }
  if (auto h = r.string("header")) {
    require_kept(r, "header", *h, keep_headers);
    c.source = Condition::Source::header;
    c.header = *h;
    ++sources;
  }
  if (auto t = r.string("type")) {
    if (!allow_type) r.fail("type", "the event type is not known yet here (only in signals)");
    if (t->empty()) r.fail("type", "must not be empty");
    c.source = Condition::Source::type;
    c.test = Condition::Test::glob;
    c.values.push_back(*t);
    ++sources;
  }
  if (sources != 1) r.fail("", "a condition needs exactly one of pointer, header, type");
  int tests = 0;
  if (auto e = r.boolean("exists")) {
    c.test = *e ? Condition::Test::exists : Condition::Test::absent;
    ++tests;
  }
  if (auto v = r.string("equals")) {
    c.test = Condition::Test::equals;
    c.values = {*v};
    ++tests;
  }
  if (r.has("one_of")) {
    c.test = Condition::Test::one_of;
    c.values = r.string_array("one_of");
    if (c.values.empty()) r.fail("one_of", "must not be empty");
    ++tests;
  }
  if (auto v = r.string("prefix")) {
    if (v->empty()) r.fail("prefix", "must not be empty");
    c.test = Condition::Test::prefix;
    c.values = {*v};
    ++tests;
  }
  if (c.source == Condition::Source::type) {
    if (tests != 0) r.fail("type", "is a pattern by itself; no exists/equals/one_of/prefix");
  } else if (tests != 1) {
    r.fail("", "a condition needs exactly one of exists, equals, one_of, prefix");
  }
  return c;
}

std::vector<Condition> read_conditions(ObjectReader& r, std::string_view key, bool allow_type,
                                       const std::vector<std::string>& keep_headers) {
  std::vector<Condition> out;
  r.array_of_objects(
      key, [&](ObjectReader& c) { out.push_back(read_condition(c, allow_type, keep_headers)); });
  return out;
}

bool Condition::holds(const Scope& scope, std::string_view event_type) const {
  std::optional<std::string> value;
  bool present = false;
  switch (source) {
    case Source::type:
      return glob_match(values.front(), event_type);
    case Source::pointer: {
      const rapidjson::Value* v = scope.event ? pointer.Get(*scope.event) : nullptr;
      present = v != nullptr && !v->IsNull();
      value = scalar_text(v);
      break;
    }
    case Source::header:
      if (scope.delivery) {
        if (auto h = kept_header(*scope.delivery, header)) {
          present = true;
          value = std::string(*h);
        }
      }
      break;
  }
  switch (test) {
    case Test::exists:
      return present;
    case Test::absent:
      return !present;
    case Test::equals:
      return value && *value == values.front();
    case Test::one_of:
      return value && std::find(values.begin(), values.end(), *value) != values.end();
    case Test::prefix:
      return value && value->starts_with(values.front());
    case Test::glob:
      return false;
  }
  return false;
}

bool all_hold(const std::vector<Condition>& conditions, const Scope& scope,
              std::string_view event_type) {
  return std::all_of(conditions.begin(), conditions.end(),
                     [&](const Condition& c) { return c.holds(scope, event_type); });
}

}  // namespace hookline::normalizer
