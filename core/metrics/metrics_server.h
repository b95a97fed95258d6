#pragma once
// Serves a registry over HTTP for Prometheus: GET /metrics (text format 0.0.4) and
// GET /healthz ("ok"). Runs cpp-httplib's accept loop on its own thread.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/metrics/registry.h"

namespace httplib {
class Server;
}

namespace hookline::metrics {

class MetricsServer {
 public:
  // Port 0 picks a free port; port() tells which after start().
  MetricsServer(Registry& registry, std::string host, std::uint16_t port);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  // Calls stop(); noexcept and bounded.
  ~MetricsServer();

  // Binds and starts serving; returns once the server accepts connections. Throws
  // std::runtime_error if the address cannot be bound (a start-up error). Call at most once.
  void start();
  // Stops accepting, lets in-flight requests finish and joins the thread: about a second at
  // worst with a silent client connected, 2 s per stalled read/write. Idempotent; safe if
  // start() was never called.
  void stop() noexcept;

  std::uint16_t port() const noexcept { return port_.load(); }
  bool running() const noexcept { return running_.load(); }

 private:
  void wait_until_listening() const noexcept;

  Registry& registry_;
  std::string host_;
  std::uint16_t requested_port_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> running_{false};
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace hookline::metrics
