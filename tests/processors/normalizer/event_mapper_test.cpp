// The event mapper's parts and its behaviour on hand-written manifests: templates, event
// times, canonical hashes, batch splitting, routing, body formats, errors on bad input, and
// the strict reading of `normalize` sections.
#define BOOST_TEST_MODULE normalizer_event_mapper
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "processors/normalizer/canonical_json.h"
#include "processors/normalizer/event_time.h"
#include "processors/normalizer/routing.h"
#include "processors/normalizer/template.h"
#include "tests/processors/normalizer/mapper_test_support.h"

using namespace hookline;
using namespace hookline::normalizer;
using namespace hookline::normalizer::test;

namespace {

rapidjson::Document json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  BOOST_REQUIRE(!d.HasParseError());
  return d;
}

std::optional<std::string> render(const std::string& tmpl, const std::string& event,
                                  const std::map<std::string, std::string>& headers = {},
                                  ValuePolicy policy = ValuePolicy::token) {
  TestDelivery d("acme", "{}", "application/json", headers);
  const auto doc = json(event);
  return Template::parse(tmpl).resolve(Scope{&doc, &d.raw}, policy);
}

std::optional<std::int64_t> time_of(const std::string& value_json, TimeFormat f) {
  const auto doc = json(R"({"v": )" + value_json + "}");
  return parse_time(doc["v"], f);
}

void expect_config_error(const std::string& normalize, const std::string& fragment,
                         const std::string& keep_headers = "[]") {
  try {
    (void)mapper_for("acme", normalize, keep_headers);
    BOOST_ERROR("expected a ConfigError mentioning " << fragment);
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    BOOST_CHECK_MESSAGE(what.find(fragment) != std::string::npos, what);
    BOOST_CHECK_MESSAGE(what.find("acme.json") != std::string::npos, what);
  }
}

const char* kSimple = R"({
  "events": [{"type": ["com.acme.{/type}"], "id": ["{/id}"], "subject": ["{/obj}"],
              "time": [{"pointer": "/at", "format": "unix_s"}]}],
  "routes": [{"type": "com.acme.pay.*", "topic": "events.payments"}],
  "default_topic": "events.other"})";

const char* kBatch = R"({
  "events": [
    {"name": "msg", "split": ["/entry", "/changes", "/value/messages"],
     "type": ["com.acme.message"], "id": ["{/id}"], "data": "narrowed"},
    {"name": "status", "split": ["/entry", "/changes", "/value/statuses"],
     "type": ["com.acme.status.{/status}"], "id": ["{/id}:{/status}"], "data": "narrowed"},
    {"name": "change", "split": ["/entry", "/changes"], "type": ["com.acme.{/field}"]}
  ]})";

}  // namespace

// ---- templates

BOOST_AUTO_TEST_CASE(templates_resolve_pointers_headers_and_filters) {
  BOOST_CHECK_EQUAL(*render("com.stripe.{/type}", R"({"type": "charge.succeeded"})"),
                    "com.stripe.charge.succeeded");
  BOOST_CHECK_EQUAL(*render("{/a/b}:{/n}", R"({"a": {"b": "x"}, "n": 42})"), "x:42");
  BOOST_CHECK_EQUAL(*render("{/list/1}", R"({"list": ["a", "b"]})"), "b");
  BOOST_CHECK_EQUAL(*render("com.gh.{header:X-GitHub-Event}", "{}", {{"X-GitHub-Event", "push"}}),
                    "com.gh.push");
  BOOST_CHECK_EQUAL(*render("{header:x-github-event}", "{}", {{"X-GitHub-Event", "push"}}), "push");
  BOOST_CHECK_EQUAL(
      *render("s.{header:X-Topic|slash_to_dot}", "{}", {{"X-Topic", "orders/create"}}),
      "s.orders.create");
  BOOST_CHECK_EQUAL(*render("{/s|lower}", R"({"s": "DeLiVeReD"})"), "delivered");
  BOOST_CHECK_EQUAL(*render("{{literal}}-{/a}", R"({"a": "x"})"), "{literal}-x");
  BOOST_CHECK_EQUAL(*render("fixed", "{}"), "fixed");
}

BOOST_AUTO_TEST_CASE(templates_do_not_resolve_on_missing_or_unfit_values) {
  BOOST_CHECK(!render("{/missing}", "{}"));
  BOOST_CHECK(!render("{/a}", R"({"a": ""})"));
  BOOST_CHECK(!render("{/a}", R"({"a": null})"));
  BOOST_CHECK(!render("{/a}", R"({"a": {"b": 1}})"));
  BOOST_CHECK(!render("{/a}", R"({"a": 1.5})"));
  BOOST_CHECK(!render("{/a}", R"({"a": true})"));
  BOOST_CHECK(!render("{header:X-None}", "{}"));
  BOOST_CHECK(!render("{/a}", R"({"a": "has space"})"));  // not a token
  BOOST_CHECK(!render("{/a}", R"({"a": "line\nbreak"})"));
  BOOST_CHECK(!render("{/a}", R"({"a": "caf\u00e9"})"));  // not ASCII
  BOOST_CHECK(!render("{/a}", "{\"a\": \"" + std::string(300, 'x') + "\"}"));
  // The text policy takes spaces and UTF-8, not control characters.
  BOOST_CHECK_EQUAL(*render("{/a}", R"({"a": "Zoë Smith"})", {}, ValuePolicy::text), "Zoë Smith");
  BOOST_CHECK(!render("{/a}", R"({"a": "tab\there"})", {}, ValuePolicy::text));
  BOOST_CHECK(!acceptable("\xC3\x28", ValuePolicy::text));      // invalid UTF-8
  BOOST_CHECK(!acceptable("\xED\xA0\x80", ValuePolicy::text));  // a surrogate
  // A list: the first that resolves wins.
  TestDelivery d("acme", "{}");
  const auto doc = json(R"({"b": "B", "c": "C"})");
  const std::vector<Template> list{Template::parse("{/a}"), Template::parse("x-{/b}"),
                                   Template::parse("{/c}")};
  BOOST_CHECK_EQUAL(*resolve_first(list, Scope{&doc, &d.raw}), "x-B");
}

BOOST_AUTO_TEST_CASE(template_syntax_errors_are_refused) {
  for (const char* bad : {"", "{/a", "a}", "{a}", "{}", "{header:}", "{/a|upper}", "{#/a}"}) {
    BOOST_CHECK_THROW(Template::parse(bad), std::invalid_argument);
  }
  BOOST_CHECK_EQUAL(Template::parse("{header:A}{header:B}").headers().size(), 2U);
}

// ---- event times

BOOST_AUTO_TEST_CASE(time_formats) {
  using F = TimeFormat;
  BOOST_CHECK_EQUAL(*time_of("1695077040", F::unix_s), 1695077040000);
  BOOST_CHECK_EQUAL(*time_of(R"("1749416383")", F::unix_s), 1749416383000);
  BOOST_CHECK_EQUAL(*time_of(R"("1548426417.840180")", F::unix_s), 1548426417840);
  BOOST_CHECK_EQUAL(*time_of("1548426417.840180", F::unix_s), 1548426417840);
  BOOST_CHECK_EQUAL(*time_of("0.29", F::unix_s), 290);
  BOOST_CHECK_EQUAL(*time_of("1591861777000", F::unix_ms), 1591861777000);
  BOOST_CHECK_EQUAL(*time_of(R"("1591861777000")", F::unix_ms), 1591861777000);
  BOOST_CHECK_EQUAL(*time_of(R"("2024-11-22T23:41:12.126Z")", F::rfc3339), 1732318872126);
  BOOST_CHECK_EQUAL(*time_of(R"("2024-11-22T23:41:11.894719+00:00")", F::rfc3339), 1732318871894);
  BOOST_CHECK_EQUAL(*time_of(R"("2023-03-29T18:00:27.877041743Z")", F::rfc3339), 1680112827877);
  BOOST_CHECK_EQUAL(*time_of(R"("2021-12-31T19:00:00-05:00")", F::rfc3339), 1640995200000);
  BOOST_CHECK_EQUAL(*time_of(R"("2000-02-29 05:30:00+05:30")", F::rfc3339), 951782400000);
  BOOST_CHECK_EQUAL(*time_of(R"("2016-12-31T23:59:60Z")", F::rfc3339), 1483228799000);
  for (const char* bad : {R"("")", R"("abc")", R"("-5")", R"("1e9")", R"("12.")", "-1", "true",
                          "null", "1e300", R"("99999999999999999")"}) {
    BOOST_CHECK_MESSAGE(!time_of(bad, F::unix_s), bad);
  }
  for (const char* bad :
       {R"("2024-11-22T23:41:12")", R"("2024-11-22")", R"("2023-02-29T00:00:00Z")",
        R"("2024-13-01T00:00:00Z")", R"("2024-11-22T24:00:00Z")", R"("2024-11-22T23:41:12.Z")",
        R"("2024-11-22T23:41:12Z ")", R"("1969-12-31T23:59:59Z")", R"("2024-11-22T23:41:12+0100")",
        "1732318872"}) {
    BOOST_CHECK_MESSAGE(!time_of(bad, F::rfc3339), bad);
  }
  BOOST_CHECK_EQUAL(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  BOOST_CHECK_EQUAL(format_rfc3339_ms(951782400000), "2000-02-29T00:00:00.000Z");
  BOOST_CHECK_EQUAL(format_rfc3339_ms(1732318872126), "2024-11-22T23:41:12.126Z");
  BOOST_CHECK_EQUAL(format_rfc3339_ms(253402300799999), "9999-12-31T23:59:59.999Z");
  // Round trip over many days, leap years included.
  for (std::int64_t day = 0; day < 2932896; day += 997) {
    const std::int64_t ms = day * 86400000 + 12345;
    BOOST_REQUIRE_EQUAL(*parse_time_text(format_rfc3339_ms(ms), F::rfc3339), ms);
  }
}

BOOST_AUTO_TEST_CASE(event_time_falls_back_to_received_at) {
  const auto mapper = mapper_for("acme", kSimple);
  TestDelivery with(R"(acme)", R"({"type": "x", "id": "1", "at": 1695077040})");
  BOOST_CHECK_EQUAL(expect_events(mapper->map(with.raw))[0].event.time, "2023-09-18T22:44:00.000Z");
  TestDelivery without("acme", R"({"type": "x", "id": "1", "at": "yesterday"})");
  BOOST_CHECK_EQUAL(expect_events(mapper->map(without.raw))[0].event.time,
                    "2026-11-22T01:00:00.123Z");
  TestDelivery no_received("acme", R"({"type": "x", "id": "1"})");
  no_received.raw.received_at = "";
  BOOST_CHECK_EQUAL(expect_error(mapper->map(no_received.raw)), "bad-record");
}

// ---- canonical bytes and ids

BOOST_AUTO_TEST_CASE(canonical_json_sorts_keys_and_drops_whitespace) {
  BOOST_CHECK_EQUAL(canonical_json(json(R"( { "b" : [ 1 , {"z":null,"a":true} ], "a":"x\ny" } )")),
                    R"({"a":"x\ny","b":[1,{"a":true,"z":null}]})");
  BOOST_CHECK_EQUAL(
      canonical_json(json(R"({"q":"\"\\\u0001/é","n":-5,"u":18446744073709551615,"d":1.5})")),
      "{\"d\":1.5,\"n\":-5,\"q\":\"\\\"\\\\\\u0001/é\",\"u\":18446744073709551615}");
  BOOST_CHECK_EQUAL(canonical_json(json(R"({"k":2,"k":1})")),
                    canonical_json(json(R"({"k":1,"k":2})")));
  BOOST_CHECK_EQUAL(canonical_id(json(R"({"b":1,"a":2})")),
                    canonical_id(json("{\n\"a\": 2,\t\"b\": 1}")));
  BOOST_CHECK_NE(canonical_id(json(R"({"a":1})")), canonical_id(json(R"({"a":"1"})")));
  // sha256 of the canonical bytes {"a":1}
  BOOST_CHECK_EQUAL(canonical_id(json(R"({ "a" : 1 })")),
                    "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
}

BOOST_AUTO_TEST_CASE(ids_are_deterministic_and_hashes_ignore_order_and_whitespace) {
  const auto mapper =
      mapper_for("acme", R"({"events": [{"type": ["com.acme.x"], "id": ["{/id}"]}]})");
  TestDelivery a("acme", R"({"x": 1, "y": [true, "s"]})");
  TestDelivery b("acme", "{ \"y\" : [ true , \"s\" ] ,\n \"x\" : 1 }");
  TestDelivery c("acme", R"({"x": 2, "y": [true, "s"]})");
  TestDelivery with_id("acme", R"({"id": "evt_1", "x": 1})");
  const auto ea = expect_events(mapper->map(a.raw));
  const auto ea2 = expect_events(mapper->map(a.raw));
  const auto eb = expect_events(mapper->map(b.raw));
  const auto ec = expect_events(mapper->map(c.raw));
  BOOST_CHECK(ea[0].event.id.starts_with("sha256:"));
  BOOST_CHECK_EQUAL(ea[0].event.id.size(), 7U + 64U);
  BOOST_CHECK_EQUAL(ea[0].event.id, ea2[0].event.id);
  BOOST_CHECK_EQUAL(ea[0].event.id, eb[0].event.id);
  BOOST_CHECK_NE(ea[0].event.id, ec[0].event.id);
  BOOST_CHECK_EQUAL(ea[0].event.identity, "acme/main/" + ea[0].event.id);
  BOOST_CHECK_EQUAL(ea[0].event.data, a.body);  // the provider's bytes, untouched
  const auto ei = expect_events(mapper->map(with_id.raw));
  BOOST_CHECK_EQUAL(ei[0].event.id, "evt_1");
  BOOST_CHECK_EQUAL(ei[0].event.identity, "acme/main/evt_1");
  BOOST_CHECK_EQUAL(ei[0].event.source, "/acme/main");
  BOOST_CHECK_EQUAL(ei[0].event.partition_key, "acme/main/evt_1");
  BOOST_CHECK(!ei[0].event.subject);
}

// ---- splitting

BOOST_AUTO_TEST_CASE(batches_split_in_document_order_with_narrowed_data) {
  const auto mapper = mapper_for("acme", kBatch);
  TestDelivery d("acme", R"({"object": "o", "entry": [
    {"id": "E1", "changes": [
      {"field": "messages", "value": {"meta": 1, "statuses": [{"id": "w1", "status": "sent"}],
                                      "messages": [{"id": "m1"}, {"id": "m2"}]}},
      {"field": "account_update", "value": {"x": 1}}]},
    {"id": "E2", "changes": [{"field": "messages", "value": {"statuses": [{"id": "w1", "status": "read"}]}}]}]})");
  const auto events = expect_events(mapper->map(d.raw));
  std::vector<std::string> ids;
  for (const auto& e : events) ids.push_back(e.event.id);
  const std::vector<std::string> want{"m1", "m2", "w1:sent", events[3].event.id, "w1:read"};
  BOOST_CHECK_EQUAL_COLLECTIONS(ids.begin(), ids.end(), want.begin(), want.end());
  BOOST_CHECK_EQUAL(events[3].event.type, "com.acme.account_update");
  BOOST_CHECK(events[3].event.id.starts_with("sha256:"));
  BOOST_CHECK_EQUAL(events[2].event.type, "com.acme.status.sent");
  // Narrowed: the envelope with only this message; the sibling statuses array removed.
  BOOST_CHECK_EQUAL(
      events[1].event.data,
      R"({"object":"o","entry":[{"id":"E1","changes":[{"field":"messages","value":{"meta":1,"messages":[{"id":"m2"}]}}]}]})");
  BOOST_CHECK_EQUAL(
      events[2].event.data,
      R"({"object":"o","entry":[{"id":"E1","changes":[{"field":"messages","value":{"meta":1,"statuses":[{"id":"w1","status":"sent"}]}}]}]})");
  // Not narrowed: the element alone.
  BOOST_CHECK_EQUAL(events[3].event.data, R"({"field":"account_update","value":{"x":1}})");
  for (const auto& e : events) BOOST_CHECK_EQUAL(e.event.content_type, "application/json");
}

BOOST_AUTO_TEST_CASE(narrowing_copies_the_envelope_not_the_batch) {
  const auto mapper = mapper_for("acme", kBatch);
  std::string body = R"({"entry": [{"id": "E", "changes": [{"field": "f", "value": {"messages": [)";
  for (int i = 0; i < 2000; ++i)
    body += (i ? "," : "") + std::string(R"({"id": "m)") + std::to_string(i) + "\"}";
  body += "]}}]}]}";
  TestDelivery d("acme", body);
  const auto events = expect_events(mapper->map(d.raw));
  BOOST_REQUIRE_EQUAL(events.size(), 2000U);
  BOOST_CHECK_EQUAL(
      events[1999].event.data,
      R"({"entry":[{"id":"E","changes":[{"field":"f","value":{"messages":[{"id":"m1999"}]}}]}]})");
  const auto root =
      mapper_for("acme", R"({"events": [{"split": [""], "type": ["t"], "data": "narrowed"}]})");
  TestDelivery arr("acme", R"([{"a": 1}, {"b": 2}])");
  BOOST_CHECK_EQUAL(expect_events(root->map(arr.raw))[1].event.data, R"([{"b":2}])");
}

BOOST_AUTO_TEST_CASE(root_arrays_split_and_bad_batches_are_refused) {
  const auto mapper = mapper_for("acme", R"({"events": [
    {"split": [""], "type": ["com.acme.{/event}"], "id": ["{/sg_event_id}"]}]})");
  TestDelivery ok(
      "acme", R"([{"event": "open", "sg_event_id": "a"}, {"event": "click", "sg_event_id": "b"}])");
  const auto events = expect_events(mapper->map(ok.raw));
  BOOST_REQUIRE_EQUAL(events.size(), 2U);
  BOOST_CHECK_EQUAL(events[1].event.type, "com.acme.click");
  BOOST_CHECK_EQUAL(events[1].event.data, R"({"event":"click","sg_event_id":"b"})");
  TestDelivery empty("acme", "[]");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(empty.raw)), "no-events");
  TestDelivery not_array("acme", R"({"event": "open"})");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(not_array.raw)), "no-events");
  TestDelivery scalar("acme", R"([{"event": "open"}, 7])");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(scalar.raw)), "bad-event");
  TestDelivery nested_array("acme", R"([[{"event": "open"}]])");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(nested_array.raw)), "bad-event");

  const auto batch = mapper_for("acme", kBatch);
  TestDelivery no_entry("acme", R"({"object": "o"})");
  BOOST_CHECK_EQUAL(expect_error(batch->map(no_entry.raw)), "no-events");
  TestDelivery bad_entry("acme", R"({"entry": ["x"]})");
  BOOST_CHECK_EQUAL(expect_error(batch->map(bad_entry.raw)), "bad-event");
  TestDelivery bad_message("acme", R"({"entry": [{"changes": [{"value": {"messages": [1]}}]}]})");
  BOOST_CHECK_EQUAL(expect_error(batch->map(bad_message.raw)), "bad-event");
  TestDelivery no_type("acme", R"({"entry": [{"changes": [{"value": {}}]}]})");
  BOOST_CHECK_EQUAL(expect_error(batch->map(no_type.raw)), "bad-event");  // no /field
}

BOOST_AUTO_TEST_CASE(kinds_are_chosen_by_their_conditions) {
  const auto mapper = mapper_for("acme", R"({"events": [
    {"when": [{"pointer": "/Body", "exists": true}, {"pointer": "/From", "prefix": "wa:"}], "type": ["wa.in"]},
    {"when": [{"pointer": "/Body", "exists": true}], "type": ["sms.in"]},
    {"when": [{"pointer": "/Status", "one_of": ["sent", "delivered"]}], "type": ["ok.{/Status}"]},
    {"when": [{"header": "X-Kind", "equals": "ping"}], "type": ["ping"]},
    {"when": [{"pointer": "/Other", "exists": false}, {"pointer": "/n", "equals": "5"}], "type": ["five"]}
  ]})",
                                 R"(["X-Kind"])");
  auto type_of = [&](const std::string& body, const std::map<std::string, std::string>& h = {}) {
    TestDelivery d("acme", body, "application/json", h);
    const auto r = mapper->map(d.raw);
    if (const auto* e = std::get_if<MappingError>(&r)) return "error:" + e->reason;
    return std::get<std::vector<MappedEvent>>(r).at(0).event.type;
  };
  BOOST_CHECK_EQUAL(type_of(R"({"Body": "", "From": "wa:+1"})"), "wa.in");
  BOOST_CHECK_EQUAL(type_of(R"({"Body": "hi", "From": "+1"})"), "sms.in");
  BOOST_CHECK_EQUAL(type_of(R"({"Status": "delivered"})"), "ok.delivered");
  BOOST_CHECK_EQUAL(type_of(R"({"Status": "failed"})"), "error:no-events");
  BOOST_CHECK_EQUAL(type_of("{}", {{"X-Kind", "ping"}}), "ping");
  BOOST_CHECK_EQUAL(type_of(R"({"n": 5})"), "five");
  BOOST_CHECK_EQUAL(type_of(R"({"n": 5, "Other": 1})"), "error:no-events");
  BOOST_CHECK_EQUAL(type_of(R"({"Body": null})"), "error:no-events");
}

// ---- routing

BOOST_AUTO_TEST_CASE(routing_globs_first_match_and_default) {
  BOOST_CHECK(glob_match("com.stripe.*", "com.stripe.charge.succeeded"));
  BOOST_CHECK(glob_match("com.twilio.*.received", "com.twilio.whatsapp.received"));
  BOOST_CHECK(!glob_match("com.twilio.*.received", "com.twilio.sms.status.received.x"));
  BOOST_CHECK(glob_match("*", ""));
  BOOST_CHECK(glob_match("exact", "exact"));
  BOOST_CHECK(!glob_match("exact", "exactly"));
  BOOST_CHECK(glob_match("a*b*c", "aXXbYYbc"));
  BOOST_CHECK(!glob_match("a*b*c", "aXXbYYb"));
  const auto mapper = mapper_for("acme", kSimple);
  TestDelivery pay("acme", R"({"type": "pay.done", "id": "1"})");
  TestDelivery other("acme", R"({"type": "payroll", "id": "2"})");
  BOOST_CHECK_EQUAL(expect_events(mapper->map(pay.raw))[0].event.topic, "events.payments");
  BOOST_CHECK_EQUAL(expect_events(mapper->map(other.raw))[0].event.topic, "events.other");
  const auto topics = mapper->topics();
  BOOST_CHECK((topics == std::vector<std::string>{"events.other", "events.payments"}));
  BOOST_CHECK(valid_topic_name("events.payments"));
  BOOST_CHECK(!valid_topic_name("events/payments"));
  BOOST_CHECK(!valid_topic_name(""));
}

BOOST_AUTO_TEST_CASE(subject_and_partition_key) {
  const auto mapper = mapper_for("acme", kSimple);
  TestDelivery d("acme", R"({"type": "pay.done", "id": "evt_9", "obj": "pi_1"})");
  const auto e = expect_events(mapper->map(d.raw))[0].event;
  BOOST_CHECK_EQUAL(*e.subject, "pi_1");
  BOOST_CHECK_EQUAL(e.partition_key, "acme/main/pi_1");
  const auto keyed = mapper_for("acme", R"({"events": [{"type": ["t"], "id": ["{/id}"],
      "subject": ["{/s}"], "partition_key": ["{/customer}"]}]})");
  TestDelivery k("acme", R"({"id": "1", "s": "S", "customer": "cus_1"})");
  BOOST_CHECK_EQUAL(expect_events(keyed->map(k.raw))[0].event.partition_key, "acme/main/cus_1");
}

// ---- body formats

BOOST_AUTO_TEST_CASE(form_bodies_are_addressable_and_kept_as_bytes) {
  const auto mapper = mapper_for("acme", R"({"body": {"format": "form"}, "events": [
    {"type": ["sms.{/Status}"], "id": ["{/Sid}"], "subject": ["{/Tag/1}"]}]})");
  TestDelivery d("acme", "Sid=SM1&Status=sent&Body=Hello+w%C3%B6rld&Tag=a&Tag=b",
                 "application/x-www-form-urlencoded");
  const auto e = expect_events(mapper->map(d.raw))[0].event;
  BOOST_CHECK_EQUAL(e.type, "sms.sent");
  BOOST_CHECK_EQUAL(e.id, "SM1");
  BOOST_CHECK_EQUAL(*e.subject, "b");  // a repeated field is an array
  BOOST_CHECK_EQUAL(e.data, d.body);
  BOOST_CHECK_EQUAL(e.content_type, "application/x-www-form-urlencoded");
  TestDelivery bad("acme", "Sid=%zz", "application/x-www-form-urlencoded");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(bad.raw)), "unparseable-body");
  // Field order does not change a hashed id.
  const auto hashed =
      mapper_for("acme", R"({"body": {"format": "form"}, "events": [{"type": ["t"]}]})");
  TestDelivery f1("acme", "a=1&b=2", "application/x-www-form-urlencoded");
  TestDelivery f2("acme", "b=2&a=1", "application/x-www-form-urlencoded");
  BOOST_CHECK_EQUAL(expect_events(hashed->map(f1.raw))[0].event.id,
                    expect_events(hashed->map(f2.raw))[0].event.id);
}

BOOST_AUTO_TEST_CASE(json_inside_a_form_field_and_auto_detection) {
  const auto mapper =
      mapper_for("acme", R"({"body": {"format": "auto", "form_json_field": "payload"},
    "events": [{"when": [{"pointer": "/type", "exists": true}], "type": ["x.{/type}"], "id": ["{/id}"]},
               {"when": [{"pointer": "/command", "exists": true}], "type": ["x.command"]}]})");
  TestDelivery form_json("acme",
                         "payload=%7B%22type%22%3A%22block_actions%22%2C%22id%22%3A%22T1%22%7D",
                         "application/x-www-form-urlencoded; charset=utf-8");
  const auto e = expect_events(mapper->map(form_json.raw))[0].event;
  BOOST_CHECK_EQUAL(e.type, "x.block_actions");
  BOOST_CHECK_EQUAL(e.data, R"({"type":"block_actions","id":"T1"})");
  BOOST_CHECK_EQUAL(e.content_type, "application/json");
  TestDelivery plain_json("acme", R"({"type": "event_callback", "id": "E1"})");
  BOOST_CHECK_EQUAL(expect_events(mapper->map(plain_json.raw))[0].event.type, "x.event_callback");
  TestDelivery command("acme", "command=%2Fweather&text=94070",
                       "application/x-www-form-urlencoded");
  const auto c = expect_events(mapper->map(command.raw))[0].event;
  BOOST_CHECK_EQUAL(c.type, "x.command");
  BOOST_CHECK_EQUAL(c.content_type, "application/x-www-form-urlencoded");
  TestDelivery bad_payload("acme", "payload=%7Bnot+json", "application/x-www-form-urlencoded");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(bad_payload.raw)), "unparseable-body");
}

// ---- errors on input

BOOST_AUTO_TEST_CASE(unusable_input_gives_a_reason_never_an_exception) {
  const auto mapper = mapper_for("acme", kSimple);
  for (const std::string& bad :
       {std::string(""), std::string("{"), std::string("{} x"), std::string("\"\xff\""),
        std::string("{\"a\":\"\xc3\"}"), std::string(100, '['), std::string("nul")}) {
    TestDelivery d("acme", bad);
    BOOST_CHECK_EQUAL(expect_error(mapper->map(d.raw)), "unparseable-body");
  }
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "[";
  TestDelivery very_deep("acme", deep);
  BOOST_CHECK_EQUAL(expect_error(mapper->map(very_deep.raw)), "unparseable-body");
  TestDelivery array_body("acme", "[1, 2]");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(array_body.raw)), "bad-event");
  TestDelivery scalar_body("acme", "42");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(scalar_body.raw)), "bad-event");
  TestDelivery no_type("acme", R"({"id": "1"})");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(no_type.raw)), "bad-event");
  TestDelivery unknown("nobody", "{}");
  BOOST_CHECK_EQUAL(expect_error(mapper->map(unknown.raw)), "unknown-provider");
  TestDelivery no_connection("acme", R"({"type": "a"})");
  no_connection.raw.connection = "";
  BOOST_CHECK_EQUAL(expect_error(mapper->map(no_connection.raw)), "bad-record");
  // Messages never echo the body.
  TestDelivery secret("acme", R"({"id": "1", "token": "s3cr3t-value")");
  const auto r = mapper->map(secret.raw);
  BOOST_CHECK(std::get<MappingError>(r).message.find("s3cr3t") == std::string::npos);
}

// ---- strict manifests

BOOST_AUTO_TEST_CASE(normalize_sections_are_read_strictly) {
  expect_config_error(R"({"events": [{"type": ["a"]}], "rutes": []})",
                      "'normalize.rutes': unknown key");
  expect_config_error(R"({"events": [{"type": ["a"], "idd": ["x"]}]})",
                      "'normalize.events[0].idd'");
  expect_config_error(R"({"events": [{"type": "a"}]})", "'normalize.events[0].type'");
  expect_config_error(R"({"events": [{"id": ["{/id}"]}]})",
                      "'normalize.events[0].type': is required");
  expect_config_error(R"({"events": []})", "'normalize.events'");
  expect_config_error(R"({"events": [{"type": ["com.{/type"]}]})", "never closed");
  expect_config_error(R"({"events": [{"type": ["{header:X-Nope}"]}]})", "keep_headers");
  expect_config_error(R"({"events": [{"type": ["a"], "split": ["entry"]}]})", "split");
  expect_config_error(R"({"events": [{"type": ["a"], "data": "narrowed"}]})",
                      "narrowed needs a split");
  expect_config_error(R"({"events": [{"type": ["a"], "when": [{"type": "x"}]}]})",
                      "only in signals");
  expect_config_error(R"({"events": [{"type": ["a"], "when": [{"pointer": "/a"}]}]})",
                      "exactly one of exists, equals");
  expect_config_error(
      R"({"events": [{"type": ["a"], "time": [{"pointer": "/t", "format": "iso"}]}]})",
      "'normalize.events[0].time[0].format'");
  expect_config_error(
      R"({"events": [{"type": ["a"]}], "routes": [{"type": "a", "topic": "bad/topic"}]})",
      "'normalize.routes[0].topic'");
  expect_config_error(R"({"body": {"format": "xml"}, "events": [{"type": ["a"]}]})",
                      "'normalize.body.format'");
  expect_config_error(
      R"({"body": {"format": "json", "form_json_field": "payload"}, "events": [{"type": ["a"]}]})",
      "form_json_field");
  expect_config_error(R"({"events": [{"type": ["a"]}], "signals": [{"when": []}]})",
                      "exactly one of consent, approval");
  expect_config_error(R"({"events": [{"type": ["a"]}], "signals": [{"consent": {"contact": "{/a}",
      "channel": "sms", "action": "opt_out", "reason": "Bad Reason"}}]})",
                      "'normalize.signals[0].consent.reason'");
  expect_config_error(R"({"events": [{"type": ["a"]}], "signals": [{"consent": {"contact": "{/a}",
      "channel": "SMS", "action": "opt_out", "reason": "x"}}]})",
                      "'normalize.signals[0].consent.channel'");
  expect_config_error(R"({"events": [{"type": ["a"]}], "signals": [{"consent": {"contact": "{/a}",
      "channel": "sms", "keywords": {"pointer": "/b", "opt_out": ["STOP!"]}}}]})",
                      "keywords must be");
  expect_config_error(R"({"events": [{"type": ["a"]}], "signals": [{"approval": {"actions": "/a",
      "action_id": "/i", "campaign_id": "/v", "decisions": {"x": "maybe"}, "user_id": ["{/u}"]}}]})",
                      "approve or deny");
  // A header that is kept may be named in any case.
  BOOST_CHECK_NO_THROW(
      mapper_for("acme", R"({"events": [{"type": ["{header:x-event}"]}]})", R"(["X-Event"])"));
}

BOOST_AUTO_TEST_CASE(manifests_need_a_normalize_section_and_a_matching_name) {
  {
    ManifestDir dir;
    dir.write("acme.json", R"({"provider": "acme", "scheme": {"name": "shopify"}})");
    BOOST_CHECK_EXCEPTION(EventMapper::load(dir.path()), ConfigError, [](const ConfigError& e) {
      return std::string(e.what()).find("'normalize': is required") != std::string::npos;
    });
  }
  {
    ManifestDir dir;
    dir.write("other.json", R"({"provider": "acme", "normalize": {"events": [{"type": ["a"]}]}})");
    BOOST_CHECK_THROW(EventMapper::load(dir.path()), ConfigError);
  }
  {
    ManifestDir empty;
    BOOST_CHECK_THROW(EventMapper::load(empty.path()), ConfigError);
  }
  BOOST_CHECK_THROW(EventMapper::load("/nonexistent/providers"), ConfigError);
}
