#define BOOST_TEST_MODULE sinks_simulator_sim_options
#include <boost/test/unit_test.hpp>

#include "core/cli_args.h"
#include "sinks/simulator/sim_options.h"

using namespace hookline;
using namespace hookline::simulator;

BOOST_AUTO_TEST_CASE(defaults) {
  SimOptions o = parse_options({});
  BOOST_CHECK_EQUAL(o.host, "127.0.0.1");
  BOOST_CHECK_EQUAL(o.port, 8090);
  BOOST_CHECK_EQUAL(o.threads, 64);
  BOOST_CHECK_EQUAL(o.max_records, 200000u);
  BOOST_CHECK(!o.port_file && !o.config && !o.help);
}

BOOST_AUTO_TEST_CASE(every_flag_is_read) {
  SimOptions o = parse_options({"--listen", "0.0.0.0:0", "--port-file=/tmp/p", "--threads", "8",
                                "--config", "sim.json", "--max-records", "10", "--help"});
  BOOST_CHECK_EQUAL(o.host, "0.0.0.0");
  BOOST_CHECK_EQUAL(o.port, 0);
  BOOST_CHECK_EQUAL(*o.port_file, "/tmp/p");
  BOOST_CHECK_EQUAL(o.threads, 8);
  BOOST_CHECK_EQUAL(*o.config, "sim.json");
  BOOST_CHECK_EQUAL(o.max_records, 10u);
  BOOST_CHECK(o.help);
  SimOptions v6 = parse_options({"--listen", "[::1]:9000"});
  BOOST_CHECK_EQUAL(v6.host, "::1");
  BOOST_CHECK_EQUAL(v6.port, 9000);
}

BOOST_AUTO_TEST_CASE(bad_flags_are_usage_errors) {
  using Args = std::vector<std::string>;
  for (const Args& bad :
       {Args{"--listen", "8090"}, Args{"--listen", "host:"}, Args{"--listen", "h:70000"},
        Args{"--threads", "0"}, Args{"--threads", "x"}, Args{"--max-records", "0"}, Args{"--port"},
        Args{"--port-file"}, Args{"extra"}}) {
    BOOST_CHECK_THROW(parse_options(bad), UsageError);
  }
  try {
    parse_options({"--threads", "-1"});
  } catch (const UsageError& e) {
    BOOST_CHECK(std::string(e.what()).starts_with("hookline-provider-sim: --threads"));
  }
}
