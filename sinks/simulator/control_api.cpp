#include "sinks/simulator/control_api.h"

#include <map>
#include <string>

#include <httplib.h>

#include "core/json_reader.h"
#include "core/log.h"
#include "sinks/simulator/engine.h"
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/records_json.h"
#include "sinks/simulator/rules_json.h"

namespace hookline::simulator {
namespace {

const log::Logger& control_log() {
  static const log::Logger logger("simulator.control");
  return logger;
}

constexpr const char* kJson = "application/json";

void bad_request(httplib::Response& res, const std::string& why) {
  res.status = 400;
  res.set_content("{\"error\":" + json_quote(why) + "}", kJson);
}

void created(httplib::Response& res, std::int64_t id) {
  res.set_content("{\"id\":" + std::to_string(id) + "}", kJson);
}

// A rule's provider for logs; targets are credentials and never logged.
const char* provider_or_any(const Match& m) {
  return m.provider.empty() ? "*" : m.provider.c_str();
}

}  // namespace

void add_control_routes(httplib::Server& s, Engine& engine) {
  s.Post("/_sim/rate-limits", [&engine](const httplib::Request& req, httplib::Response& res) {
    try {
      RateRule rule = parse_rate_rule(req.body);
      const std::int64_t id = engine.add_rate_rule(rule);
      control_log().info("rate limit added", {{"id", id},
                                              {"provider", provider_or_any(rule.match)},
                                              {"rate_per_s", rule.rate_per_s},
                                              {"burst", rule.burst}});
      created(res, id);
    } catch (const ConfigError& e) {
      bad_request(res, e.what());
    }
  });
  s.Get("/_sim/rate-limits", [&engine](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_rate_rules(engine.rate_rules()), kJson);
  });
  s.Post("/_sim/faults", [&engine](const httplib::Request& req, httplib::Response& res) {
    try {
      Fault fault = parse_fault(req.body);
      const std::int64_t id = engine.add_fault(fault);
      control_log().info("fault added", {{"id", id},
                                         {"provider", provider_or_any(fault.match)},
                                         {"status", fault.status.value_or(-1)},
                                         {"count", fault.count},
                                         {"delay_ms", fault.delay_ms}});
      created(res, id);
    } catch (const ConfigError& e) {
      bad_request(res, e.what());
    }
  });
  s.Delete(R"(/_sim/faults/(\d+))", [&engine](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    std::int64_t n = 0;
    try {
      n = std::stoll(id);
    } catch (const std::exception&) {
      n = -1;  // too long a number: no such fault
    }
    if (n < 0 || !engine.remove_fault(n)) {
      res.status = 404;
      res.set_content(R"({"error":"no pending fault )" + id + R"("})", kJson);
      return;
    }
    control_log().info("fault removed", {{"id", n}});
    res.set_content(R"({"ok":true})", kJson);
  });
  s.Get("/_sim/faults", [&engine](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_faults(engine.faults()), kJson);
  });
  s.Post("/_sim/credentials", [&engine](const httplib::Request& req, httplib::Response& res) {
    try {
      const CredentialRule rule = parse_credential_rule(req.body);
      engine.set_credentials(rule.provider, rule.valid);
      control_log().info("credentials set",
                         {{"provider", rule.provider}, {"valid", rule.valid.size()}});
      res.set_content("{\"provider\":" + json_quote(rule.provider) +
                          ",\"valid\":" + std::to_string(rule.valid.size()) + "}",
                      kJson);
    } catch (const ConfigError& e) {
      bad_request(res, e.what());
    }
  });
  s.Get("/_sim/credentials", [&engine](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_credential_counts(engine.credential_counts()), kJson);
  });
  s.Get("/_sim/requests", [&engine](const httplib::Request& req, httplib::Response& res) {
    try {
      const std::multimap<std::string, std::string> query(req.params.begin(), req.params.end());
      const RecordFilter filter = parse_record_filter(query);
      res.set_content(render_requests(engine.requests(filter), filter.since_seq), kJson);
    } catch (const ConfigError& e) {
      bad_request(res, e.what());
    }
  });
  s.Get("/_sim/stats", [&engine](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_stats(engine.stats()), kJson);
  });
  s.Post("/_sim/reset", [&engine](const httplib::Request&, httplib::Response& res) {
    engine.reset();
    control_log().info("reset");
    res.set_content("{\"ok\":true}", kJson);
  });
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  auto not_found = [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("{\"error\":\"not_found\"}", kJson);
  };
  s.Get("/_sim/.*", not_found);
  s.Post("/_sim/.*", not_found);
}

}  // namespace hookline::simulator
