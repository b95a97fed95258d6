#pragma once
// The simulator's HTTP side: the control API (control_api.h) and GET /healthz first, then
// every other request to the Engine. TCP_NODELAY on (without it keep-alive answers stall
// 40 ms), one thread per keep-alive connection from a pool of `threads`.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sinks/simulator/engine.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace hookline::simulator {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8090;  // 0: any free port
  int threads = 64;
};

class SimServer {
 public:
  SimServer(Engine& engine, ServerOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Binds and serves on a thread. Throws std::runtime_error.
  void start();
  // Cuts delayed answers short, stops accepting, lets in-flight requests finish, joins.
  // Idempotent.
  void stop() noexcept;
  int port() const noexcept { return port_; }

 private:
  void routes();
  void serve(const httplib::Request& req, httplib::Response& res);
  // Waits `delay` unless stop() comes first.
  void pause(std::chrono::milliseconds delay);

  Engine& engine_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> started_{false};
  std::mutex pause_mu_;
  std::condition_variable pause_cv_;
  bool stopping_ = false;
};

}  // namespace hookline::simulator
