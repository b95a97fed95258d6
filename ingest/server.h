#pragma once
// The ingest's HTTP side (routing only; the logic is WebhookHandler):
//   POST /webhooks/{provider}/{connection}, POST /webhooks/{provider}   deliveries
//   GET  /webhooks/{provider}[/{connection}]                           subscription handshakes
//   GET  /healthz  process alive;  GET /readyz  Kafka reachable and registry loaded
//   GET  /metrics  Prometheus text exposition
// TCP_NODELAY on, one thread per keep-alive connection (pool sized by ingest.threads), read
// and write timeouts cut off slow or stalled clients, and stop() finishes in-flight requests.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "ingest/ingest_config.h"
#include "ingest/ingest_metrics.h"
#include "ingest/webhook_handler.h"

namespace httplib {
class Server;
}

namespace hookline::ingest {

class IngestServer {
 public:
  IngestServer(const IngestConfig& config, WebhookHandler& handler, IngestMetrics& metrics,
               std::function<bool()> ready);
  ~IngestServer();
  IngestServer(const IngestServer&) = delete;
  IngestServer& operator=(const IngestServer&) = delete;

  // Binds (port 0 picks a free port) and serves on a thread. Throws std::runtime_error.
  void start();
  // Stops accepting, lets in-flight requests finish, joins. Idempotent, noexcept.
  void stop() noexcept;
  int port() const noexcept { return port_; }
  // The public base URL used for URL-signing schemes.
  const std::string& public_url() const noexcept { return public_url_; }

 private:
  void routes();

  IngestConfig config_;
  WebhookHandler& handler_;
  IngestMetrics& metrics_;
  std::function<bool()> ready_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string public_url_;
  std::atomic<bool> started_{false};
};

}  // namespace hookline::ingest
