#define BOOST_TEST_MODULE log
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "core/cli_args.h"
#include "core/log.h"

using namespace hookline;

BOOST_AUTO_TEST_CASE(lines_are_json_objects_with_escaped_fields) {
  std::string line =
      log::format_line("ingest", log::Level::warn, "rejected \"x\"\n",
                       {{"provider", "stripe"}, {"status", 401}, {"ok", false}, {"ratio", 0.5}});
  BOOST_CHECK(line.find('\n') == std::string::npos);
  rapidjson::Document d;
  d.Parse(line.c_str());
  BOOST_REQUIRE(!d.HasParseError());
  BOOST_CHECK_EQUAL(d["level"].GetString(), "warn");
  BOOST_CHECK_EQUAL(d["logger"].GetString(), "ingest");
  BOOST_CHECK_EQUAL(d["msg"].GetString(), "rejected \"x\"\n");
  BOOST_CHECK_EQUAL(d["provider"].GetString(), "stripe");
  BOOST_CHECK_EQUAL(d["status"].GetInt(), 401);
  BOOST_CHECK_EQUAL(d["ok"].GetBool(), false);
  BOOST_CHECK(std::string(d["ts"].GetString()).ends_with("Z"));
}

BOOST_AUTO_TEST_CASE(levels_parse) {
  log::Level l;
  BOOST_CHECK(log::parse_level("error", l) && l == log::Level::error);
  BOOST_CHECK(!log::parse_level("ERROR", l));
}

BOOST_AUTO_TEST_CASE(flags_parse_and_reject_unknown) {
  FlagSpec spec{{"port", "name"}, {"verbose"}};
  auto a = parse_args({"run", "--port", "80", "--name=x", "--verbose", "--", "--raw"}, spec, "p");
  BOOST_CHECK_EQUAL(a.get_int("port", 0, 1, 65535), 80);
  BOOST_CHECK_EQUAL(*a.get("name"), "x");
  BOOST_CHECK(a.has("verbose"));
  BOOST_CHECK((a.positional == std::vector<std::string>{"run", "--raw"}));
  BOOST_CHECK_THROW(parse_args({"--nope"}, spec, "p"), UsageError);
  BOOST_CHECK_THROW(parse_args({"--port"}, spec, "p"), UsageError);
  BOOST_CHECK_THROW(parse_args({"--verbose=1"}, spec, "p"), UsageError);
  auto bad = parse_args({"--port", "http"}, spec, "p");
  BOOST_CHECK_THROW((void)bad.get_int("port", 0, 1, 65535), UsageError);
}
