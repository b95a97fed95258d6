#include "tests/support/provider_sim.h"

#include <fstream>
#include <stdexcept>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/files.h"

namespace hookline::test {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_match(JsonWriter& w, const SimMatch& m) {
  w.Key("match");
  w.StartObject();
  if (!m.provider.empty()) {
    w.Key("provider");
    w.String(m.provider);
  }
  if (!m.target.empty()) {
    w.Key("target");
    w.String(m.target);
  }
  if (!m.path_prefix.empty()) {
    w.Key("path_prefix");
    w.String(m.path_prefix);
  }
  w.EndObject();
}

std::string str(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::int64_t int64(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsInt64()) return 0;
  return it->value.GetInt64();
}

std::int64_t id_of(const std::string& answer) {
  rapidjson::Document doc;
  doc.Parse(answer.c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    throw std::runtime_error("provider sim: unexpected answer " + answer);
  }
  return int64(doc, "id");
}

}  // namespace

ProviderSim::ProviderSim(const std::vector<std::string>& extra_args) {
  const std::string port_file = dir_.file("port");
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--port-file", port_file};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  proc_ = std::make_unique<ChildProcess>(
      bin("hookline-provider-sim"), args,
      std::map<std::string, std::string>{{"HOOKLINE_LOG_LEVEL", "warn"}});
  const bool ready = eventually([&] {
    if (!proc_->running()) return true;
    return std::ifstream(port_file).good();
  });
  if (!ready || !proc_->running()) {
    throw std::runtime_error("hookline-provider-sim did not start: " + proc_->err());
  }
  port_ = std::stoi(read_file(port_file));
  url_ = "http://127.0.0.1:" + std::to_string(port_);
}

ProviderSim::~ProviderSim() {
  proc_->stop();
}

std::string ProviderSim::call(const std::string& method, const std::string& path,
                              const std::string& body) {
  httplib::Client cli(url_);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(10, 0);
  auto res = method == "GET"      ? cli.Get(path)
             : method == "DELETE" ? cli.Delete(path)
                                  : cli.Post(path, body, "application/json");
  if (!res) {
    throw std::runtime_error("provider sim: " + method + " " + path + ": " +
                             httplib::to_string(res.error()));
  }
  if (res->status != 200) {
    throw std::runtime_error("provider sim: " + method + " " + path + ": " +
                             std::to_string(res->status) + " " + res->body);
  }
  return res->body;
}

std::int64_t ProviderSim::add_rate_limit(const SimRateLimit& rule) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_match(w, rule.match);
  w.Key("rate_per_s");
  w.Double(rule.rate_per_s);
  w.Key("burst");
  w.Double(rule.burst);
  w.Key("per_target");
  w.Bool(rule.per_target);
  w.EndObject();
  return id_of(call("POST", "/_sim/rate-limits", buf.GetString()));
}

std::int64_t ProviderSim::add_fault(const SimFault& fault) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_match(w, fault.match);
  if (fault.status) {
    w.Key("status");
    w.Int(*fault.status);
  }
  w.Key("count");
  w.Int(fault.count);
  w.Key("retry_after_s");
  w.Int(fault.retry_after_s);
  w.Key("delay_ms");
  w.Int(fault.delay_ms);
  if (fault.body) {
    w.Key("body");
    w.String(*fault.body);
  }
  w.EndObject();
  return id_of(call("POST", "/_sim/faults", buf.GetString()));
}

void ProviderSim::set_valid_credentials(const std::string& provider,
                                        const std::vector<std::string>& valid) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("provider");
  w.String(provider);
  w.Key("valid");
  w.StartArray();
  for (const auto& v : valid) w.String(v);
  w.EndArray();
  w.EndObject();
  call("POST", "/_sim/credentials", buf.GetString());
}

std::vector<SimRequest> ProviderSim::requests(const SimQuery& q) {
  httplib::Params params;
  if (!q.provider.empty()) params.emplace("provider", q.provider);
  if (!q.target.empty()) params.emplace("target", q.target);
  if (!q.path_prefix.empty()) params.emplace("path_prefix", q.path_prefix);
  if (q.status) params.emplace("status", std::to_string(*q.status));
  params.emplace("since_seq", std::to_string(q.since_seq));
  params.emplace("limit", "200000");
  const std::string answer = call("GET", httplib::append_query_params("/_sim/requests", params));
  rapidjson::Document doc;
  doc.Parse(answer.c_str(), answer.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("requests") ||
      !doc["requests"].IsArray()) {
    throw std::runtime_error("provider sim: unexpected /_sim/requests answer");
  }
  std::vector<SimRequest> out;
  for (const auto& r : doc["requests"].GetArray()) {
    SimRequest s;
    s.seq = int64(r, "seq");
    s.time_ms = int64(r, "time_ms");
    s.provider = str(r, "provider");
    s.method = str(r, "method");
    s.path = str(r, "path");
    s.target = str(r, "target");
    if (auto h = r.FindMember("headers"); h != r.MemberEnd() && h->value.IsObject()) {
      for (auto it = h->value.MemberBegin(); it != h->value.MemberEnd(); ++it) {
        if (it->value.IsString()) s.headers[it->name.GetString()] = it->value.GetString();
      }
    }
    s.body = str(r, "body");
    s.status = static_cast<int>(int64(r, "status"));
    if (auto it = r.FindMember("idempotent_replay"); it != r.MemberEnd() && it->value.IsBool()) {
      s.idempotent_replay = it->value.GetBool();
    }
    s.message_id = str(r, "message_id");
    out.push_back(std::move(s));
  }
  return out;
}

std::string ProviderSim::stats_json() {
  return call("GET", "/_sim/stats");
}

void ProviderSim::remove_fault(std::int64_t id) {
  call("DELETE", "/_sim/faults/" + std::to_string(id));
}

void ProviderSim::reset() {
  call("POST", "/_sim/reset", "{}");
}

}  // namespace hookline::test
