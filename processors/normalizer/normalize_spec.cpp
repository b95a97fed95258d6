#include "processors/normalizer/normalize_spec.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace hookline::normalizer {
namespace {

TimeSource read_time_source(ObjectReader& r, const std::vector<std::string>& keep_headers) {
  TimeSource t;
  auto pointer = r.string("pointer");
  auto header = r.string("header");
  if (pointer.has_value() == header.has_value()) r.fail("", "give exactly one of pointer, header");
  if (pointer) {
    t.pointer = make_pointer(*pointer);
    if (!t.pointer) r.fail("pointer", "is not a JSON pointer (\"/...\")");
  } else {
    require_kept(r, "header", *header, keep_headers);
    t.header = *header;
  }
  const std::string format = r.required_string("format");
  auto f = time_format_named(format);
  if (!f) r.fail("format", "must be unix_s, unix_ms or rfc3339");
  t.format = *f;
  return t;
}

EventKind read_event_kind(ObjectReader& r, const std::vector<std::string>& keep_headers) {
  EventKind k;
  k.name = r.string("name", "");
  (void)r.string("description");
  k.split = r.string_array("split");
  if (k.split.size() > kMaxSplitDepth) r.fail("split", "at most 8 levels");
  for (const auto& p : k.split) {
    if (!make_pointer(p)) r.fail("split", "'" + p + "' is not a JSON pointer (\"\" or \"/...\")");
  }
  k.when = read_conditions(r, "when", false, keep_headers);
  k.type = read_templates(r, "type", keep_headers);
  if (k.type.empty()) r.fail("type", "is required (a list of templates tried in order)");
  k.id = read_templates(r, "id", keep_headers);
  k.subject = read_templates(r, "subject", keep_headers);
  r.array_of_objects("time",
                     [&](ObjectReader& t) { k.time.push_back(read_time_source(t, keep_headers)); });
  k.partition_key = read_templates(r, "partition_key", keep_headers);
  const std::string data = r.string("data", "event");
  if (data == "event") {
    k.data = EventKind::Data::event;
  } else if (data == "narrowed") {
    if (k.split.empty()) r.fail("data", "narrowed needs a split");
    k.data = EventKind::Data::narrowed;
  } else {
    r.fail("data", "must be event or narrowed");
  }
  return k;
}

SignalRule read_signal_rule(ObjectReader& r, const std::vector<std::string>& keep_headers) {
  SignalRule s;
  s.description = r.string("description", "");
  s.when = read_conditions(r, "when", true, keep_headers);
  r.object("consent", [&](ObjectReader& c) { s.consent = read_consent_rule(c, keep_headers); });
  r.object("approval", [&](ObjectReader& a) { s.approval = read_approval_rule(a, keep_headers); });
  if (s.consent.has_value() == s.approval.has_value()) {
    r.fail("consent", "a signal rule needs exactly one of consent, approval");
  }
  return s;
}

}  // namespace

std::vector<std::string> NormalizeSpec::topics() const {
  std::set<std::string> out;
  out.insert(routing.default_topic);
  for (const auto& r : routing.routes) out.insert(r.topic);
  for (const auto& s : signals) out.insert(s.consent ? kConsentTopic : kApprovalTopic);
  return {out.begin(), out.end()};
}

NormalizeSpec read_normalize_spec(ObjectReader& section, const std::string& provider,
                                  const std::vector<std::string>& keep_headers) {
  NormalizeSpec spec;
  spec.provider = provider;
  spec.description = section.string("description", "");
  section.object("body", [&](ObjectReader& b) {
    const std::string format = b.string("format", "json");
    if (format == "json") {
      spec.body.format = BodySpec::Format::json;
    } else if (format == "form") {
      spec.body.format = BodySpec::Format::form;
    } else if (format == "auto") {
      spec.body.format = BodySpec::Format::auto_detect;
    } else {
      b.fail("format", "must be json, form or auto");
    }
    spec.body.form_json_field = b.string("form_json_field", "");
    if (!spec.body.form_json_field.empty() && spec.body.format == BodySpec::Format::json) {
      b.fail("form_json_field", "needs format form or auto");
    }
  });
  section.array_of_objects(
      "events", [&](ObjectReader& e) { spec.events.push_back(read_event_kind(e, keep_headers)); });
  if (spec.events.empty()) section.fail("events", "is required (at least one kind of event)");
  section.array_of_objects("routes", [&](ObjectReader& r) {
    Route route;
    route.type_pattern = r.required_string("type");
    route.topic = r.required_string("topic");
    if (!valid_topic_name(route.topic)) r.fail("topic", "is not a valid Kafka topic name");
    spec.routing.routes.push_back(std::move(route));
  });
  spec.routing.default_topic = section.string("default_topic", kDefaultTopic);
  if (!valid_topic_name(spec.routing.default_topic)) {
    section.fail("default_topic", "is not a valid Kafka topic name");
  }
  section.array_of_objects("signals", [&](ObjectReader& s) {
    spec.signals.push_back(read_signal_rule(s, keep_headers));
  });
  return spec;
}

}  // namespace hookline::normalizer
