#include "devbroker/control_server.h"

#include <charconv>
#include <stdexcept>

#include <httplib.h>

#include "core/log.h"
#include "devbroker/mock_cluster.h"

namespace hookline::devbroker {
namespace {

const log::Logger& control_log() {
  static const log::Logger logger("devbroker.control");
  return logger;
}

bool parse_int(const std::string& s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

ControlServer::ControlServer(MockCluster& cluster, std::string host, int port)
    : cluster_(cluster),
      host_(std::move(host)),
      port_(port),
      server_(std::make_unique<httplib::Server>()) {}

ControlServer::~ControlServer() {
  stop();
}

void ControlServer::start() {
  server_->set_tcp_nodelay(true);
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get("/bootstrap", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(cluster_.bootstrap() + "\n", "text/plain");
  });
  server_->Post(R"(/brokers/(all|\d+)/(down|up|rtt))", [this](const httplib::Request& req,
                                                              httplib::Response& res) {
    const std::string which = req.matches[1];
    const std::string action = req.matches[2];
    int first = 1, last = cluster_.brokers();
    if (which != "all") {
      if (!parse_int(which, first) || first < 1 || first > cluster_.brokers()) {
        res.status = 404;
        res.set_content(
            "no broker " + which + " (ids are 1.." + std::to_string(cluster_.brokers()) + ")\n",
            "text/plain");
        return;
      }
      last = first;
    }
    int rtt = 0;
    if (action == "rtt" &&
        (!req.has_param("ms") || !parse_int(req.get_param_value("ms"), rtt) || rtt < 0)) {
      res.status = 400;
      res.set_content("rtt needs ?ms=<non-negative integer>\n", "text/plain");
      return;
    }
    bool ok = true;
    for (int id = first; id <= last; ++id) {
      if (action == "down")
        ok = cluster_.set_broker_down(id) && ok;
      else if (action == "up")
        ok = cluster_.set_broker_up(id) && ok;
      else
        ok = cluster_.set_broker_rtt(id, rtt) && ok;
    }
    control_log().info("broker control", {{"brokers", which}, {"action", action}});
    res.status = ok ? 200 : 500;
    res.set_content(ok ? "ok\n" : "mock cluster refused\n", "text/plain");
  });
  if (port_ == 0) {
    port_ = server_->bind_to_any_port(host_);
    if (port_ < 0) throw std::runtime_error("cannot bind the control server on " + host_);
  } else if (!server_->bind_to_port(host_, port_)) {
    throw std::runtime_error("cannot bind the control server on " + host_ + ":" +
                             std::to_string(port_));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void ControlServer::stop() noexcept {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hookline::devbroker
