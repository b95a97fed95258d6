#define BOOST_TEST_MODULE ingest_extract
#include <boost/test/unit_test.hpp>

#include "core/json_reader.h"
#include "ingest/extract.h"

using namespace hookline;
using namespace hookline::ingest;

namespace {

Extractor ex(const std::string& json) {
  auto doc = parse_json_text(json, "test");
  ObjectReader r(doc, "test", "x");
  Extractor e = read_extractor(r);
  r.finish();
  return e;
}

std::optional<std::string> run(const std::string& extractor, std::string_view body,
                               const HeaderMap& headers = {}) {
  Request req;
  req.body = body;
  req.headers = &headers;
  ParsedBody parsed(body);
  return extract(ex(extractor), req, parsed);
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_kind_finds_its_value) {
  HeaderMap h;
  h.add("X-GitHub-Delivery", "72d3162e");
  BOOST_CHECK_EQUAL(*run(R"({"header": "x-github-delivery"})", "", h), "72d3162e");
  BOOST_CHECK_EQUAL(*run(R"({"json_pointer": "/id"})", R"({"id":"evt_1"})"), "evt_1");
  BOOST_CHECK_EQUAL(*run(R"({"json_pointer": "/event/type"})", R"({"event":{"type":"message"}})"),
                    "message");
  BOOST_CHECK_EQUAL(*run(R"({"json_pointer": "/id"})", R"({"id":820982911946154508})"),
                    "820982911946154508");
  BOOST_CHECK_EQUAL(*run(R"({"json_pointer": "/0/sg_event_id"})", R"([{"sg_event_id":"s1"}])"),
                    "s1");
  BOOST_CHECK_EQUAL(*run(R"({"form_field": "MessageSid"})", "To=%2B1&MessageSid=SM1&Body=a+b"),
                    "SM1");
  BOOST_CHECK_EQUAL(*run(R"({"form_json": "payload", "json_pointer": "/type"})",
                         "payload=%7B%22type%22%3A%22block_actions%22%7D"),
                    "block_actions");
  BOOST_CHECK_EQUAL(*run(R"({"value": "message"})", ""), "message");
  BOOST_CHECK_EQUAL(*run(R"({"body_hash": "sha256"})", "abc"),
                    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(absent_wrong_typed_or_malformed_gives_nothing) {
  BOOST_CHECK(!run(R"({"header": "X-None"})", ""));
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", R"({"id":{"nested":1}})"));
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", R"({"id":true})"));
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", R"({"id":""})"));
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", R"({"id": "x")"));
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", "not json"));
  BOOST_CHECK(!run(R"({"form_field": "a"})", "a=%zz"));
  BOOST_CHECK(!run(R"({"form_json": "payload", "json_pointer": "/t"})", "payload=notjson"));
  // Values longer than kMaxExtractedLength are not ids.
  std::string long_id(kMaxExtractedLength + 1, 'x');
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", R"({"id":")" + long_id + R"("})"));
}

BOOST_AUTO_TEST_CASE(first_match_wins) {
  auto doc = parse_json_text(R"([{"json_pointer": "/missing"}, {"json_pointer": "/id"},
                                  {"value": "fallback"}])",
                             "t");
  std::vector<Extractor> list;
  for (auto& v : doc.GetArray()) {
    ObjectReader r(v, "t", "x");
    list.push_back(read_extractor(r));
  }
  HeaderMap h;
  Request req;
  req.headers = &h;
  std::string body = R"({"id":"e2"})";
  req.body = body;
  ParsedBody parsed(body);
  BOOST_CHECK_EQUAL(*extract_first(list, req, parsed), "e2");
}

BOOST_AUTO_TEST_CASE(deeply_nested_bodies_do_not_exhaust_the_stack) {
  // A 1 MiB body of '[' (or of nested objects) is an attacker's easiest stack overflow for a
  // recursive parser: it is refused or read without recursion, never a crash.
  const std::string deep(1 << 20, '[');
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", deep));
  std::string nested;
  for (int i = 0; i < 200000; ++i) nested += R"({"a":)";
  nested += "1";
  nested.append(200000, '}');
  BOOST_CHECK(!run(R"({"json_pointer": "/id"})", nested));
  BOOST_CHECK(!run(R"({"form_json": "payload", "json_pointer": "/t"})",
                   "payload=" + std::string(200000, '[')));
}
