#include "core/metrics/metrics_server.h"

#include <chrono>
#include <stdexcept>

#include <httplib.h>
#include <sys/socket.h>

#include "core/metrics/exposition.h"

namespace hookline::metrics {
namespace {

constexpr std::size_t kWorkerThreads = 2;
// These bound stop(): a worker notices the stop only between requests, and waits up to the
// keep-alive timeout for a connection's first request. One request per connection (scrapes
// are seconds apart) means no idle keep-alive connection holds a worker.
constexpr time_t kIoTimeoutSeconds = 2;
constexpr time_t kFirstRequestTimeoutSeconds = 1;
constexpr std::size_t kRequestsPerConnection = 1;
constexpr auto kStartPoll = std::chrono::milliseconds(1);

// httplib's default sets SO_REUSEPORT, which lets a second process bind the same port and
// silently take half of the scrapes. SO_REUSEADDR alone still allows a quick restart.
void reuse_address_only(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace

MetricsServer::MetricsServer(Registry& registry, std::string host, std::uint16_t port)
    : registry_(registry), host_(std::move(host)), requested_port_(port) {}

MetricsServer::~MetricsServer() {
  stop();
}

void MetricsServer::start() {
  if (server_) throw std::logic_error("metrics: MetricsServer::start called twice");
  server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *server_;
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server.set_tcp_nodelay(true);
  server.set_socket_options(reuse_address_only);
  server.set_read_timeout(kIoTimeoutSeconds);
  server.set_write_timeout(kIoTimeoutSeconds);
  server.set_keep_alive_timeout(kFirstRequestTimeoutSeconds);
  server.set_keep_alive_max_count(kRequestsPerConnection);
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    try {
      res.set_content(registry_.expose(), std::string(exposition::kContentType));
    } catch (const std::exception&) {
      res.status = 500;
    }
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain; charset=utf-8");
  });

  int bound = 0;
  if (requested_port_ == 0) {
    bound = server.bind_to_any_port(host_);
  } else if (server.bind_to_port(host_, requested_port_)) {
    bound = requested_port_;
  } else {
    bound = -1;
  }
  if (bound <= 0) {
    server_.reset();
    throw std::runtime_error("metrics: cannot bind " + host_ + ":" +
                             std::to_string(requested_port_));
  }
  port_ = static_cast<std::uint16_t>(bound);

  running_ = true;
  thread_ = std::thread([this, &server] {
    server.listen_after_bind();
    running_ = false;
  });
  wait_until_listening();
  if (!running_) {
    thread_.join();
    throw std::runtime_error("metrics: server on " + host_ + " stopped at once");
  }
}

void MetricsServer::wait_until_listening() const noexcept {
  // httplib's stop() does nothing until the accept loop has started, so a stop() issued
  // earlier would be lost and the join would hang. The loop starts (or the thread exits)
  // right after the thread is scheduled, so this wait is short.
  while (!server_->is_running() && running_) std::this_thread::sleep_for(kStartPoll);
}

void MetricsServer::stop() noexcept {
  if (!thread_.joinable()) return;
  wait_until_listening();
  server_->stop();  // closes the listening socket; the loop exits, workers finish and join
  thread_.join();
  running_ = false;
}

}  // namespace hookline::metrics
