#pragma once
// The dev broker's control API, for fault tests and scripts (loopback only):
//   GET  /healthz                    200 "ok"
//   GET  /bootstrap                  the bootstrap servers
//   POST /brokers/{id|all}/down      take a broker (or every broker) down
//   POST /brokers/{id|all}/up        bring it back
//   POST /brokers/{id|all}/rtt?ms=N  add N ms of round-trip time
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace hookline::devbroker {

class MockCluster;

class ControlServer {
 public:
  ControlServer(MockCluster& cluster, std::string host, int port);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds and starts serving; throws std::runtime_error when it cannot bind.
  void start();
  void stop() noexcept;
  int port() const noexcept { return port_; }
  std::string url() const { return "http://" + host_ + ":" + std::to_string(port_); }

 private:
  MockCluster& cluster_;
  std::string host_;
  int port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace hookline::devbroker
