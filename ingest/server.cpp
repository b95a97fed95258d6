#include "ingest/server.h"

#include <sys/socket.h>
#include <memory>
#include <stdexcept>

#include <httplib.h>

#include "core/log.h"

namespace hookline::ingest {
namespace {

const log::Logger& server_log() {
  static const log::Logger logger("ingest.server");
  return logger;
}

constexpr const char* kWebhookRoute =
    R"(/webhooks/([a-z0-9_-]{1,64})(?:/([A-Za-z0-9._-]{1,64}))?/?)";

void send(httplib::Response& res, const Response& r) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  res.set_content(r.body, r.content_type.c_str());
}

std::unique_ptr<httplib::Server> make_server(const IngestConfig& c) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!c.tls_cert_file.empty()) {
    auto s = std::make_unique<httplib::SSLServer>(c.tls_cert_file.c_str(), c.tls_key_file.c_str());
    if (!s->is_valid()) {
      throw std::runtime_error("cannot load TLS certificate " + c.tls_cert_file + " / key " +
                               c.tls_key_file);
    }
    return s;
  }
#endif
  return std::make_unique<httplib::Server>();
}

}  // namespace

IngestServer::IngestServer(const IngestConfig& config, WebhookHandler& handler,
                           IngestMetrics& metrics, std::function<bool()> ready)
    : config_(config),
      handler_(handler),
      metrics_(metrics),
      ready_(std::move(ready)),
      server_(make_server(config)) {}

IngestServer::~IngestServer() {
  stop();
}

void IngestServer::routes() {
  httplib::Server& s = *server_;
  s.Post(kWebhookRoute, [this](const httplib::Request& req, httplib::Response& res) {
    HeaderMap headers;
    for (const auto& [k, v] : req.headers) headers.add(k, v);
    Request r;
    r.method = req.method;
    r.path = req.path;
    auto q = req.target.find('?');
    r.query =
        q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
    r.body = req.body;
    r.headers = &headers;
    r.public_url = public_url_ + req.target;
    send(res, handler_.post(r, req.matches[1].str(), req.matches[2].str()));
  });
  s.Get(kWebhookRoute, [this](const httplib::Request& req, httplib::Response& res) {
    std::multimap<std::string, std::string> query(req.params.begin(), req.params.end());
    send(res, handler_.get(req.matches[1].str(), req.matches[2].str(), query));
  });
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    send(res,
         Response{405,
                  error_body("method_not_allowed", "method", "use POST (or GET for handshakes)"),
                  "application/json",
                  {{"Allow", "POST, GET"}}});
  };
  s.Put(kWebhookRoute, not_allowed);
  s.Delete(kWebhookRoute, not_allowed);
  s.Patch(kWebhookRoute, not_allowed);
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  s.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool ok = ready_ && ready_();
    res.status = ok ? 200 : 503;
    res.set_content(ok ? "ready\n" : "not ready: Kafka unreachable or registry not loaded\n",
                    "text/plain");
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    handler_.refresh_gauges();
    res.set_content(metrics_.registry.expose(), "text/plain; version=0.0.4; charset=utf-8");
  });
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 400) {
      // cpp-httplib could not read the request: a malformed head, or a body that did not
      // arrive within the read timeout. What follows on the connection is out of step, and a
      // stalled client must not keep its thread until the keep-alive timeout: the answer is
      // sent in full and the connection closed. A content provider that reports failure once
      // it has written everything is cpp-httplib's way to end a keep-alive connection.
      auto body = std::make_shared<const std::string>(error_body(
          "bad_request", "unreadable_request",
          "the request could not be read (malformed, or the body stalled past the read timeout)"));
      res.set_header("Connection", "close");
      res.set_content_provider(body->size(), "application/json",
                               [body](size_t offset, size_t length, httplib::DataSink& sink) {
                                 sink.write(body->data() + offset, length);
                                 return false;
                               });
      return;
    }
    if (res.status == 413) {
      res.set_content(error_body("payload_too_large", "body_limit", "the body is too large"),
                      "application/json");
    } else if (res.status == 404) {
      res.set_content(error_body("not_found", "route", "POST /webhooks/{provider}/{connection}"),
                      "application/json");
    } else {
      res.set_content(error_body("error", std::to_string(res.status), ""), "application/json");
    }
  });
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        server_log().error("handler failed", {{"what", what}});
        res.status = 500;
        res.set_content(error_body("internal", "exception", "the request could not be handled"),
                        "application/json");
      });
}

void IngestServer::start() {
  httplib::Server& s = *server_;
  s.set_tcp_nodelay(true);
  // Only SO_REUSEADDR: httplib's default SO_REUSEPORT would let two servers share a port.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const size_t threads = static_cast<size_t>(config_.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_read_timeout(config_.read_timeout.count() / 1000,
                     (config_.read_timeout.count() % 1000) * 1000);
  s.set_write_timeout(config_.write_timeout.count() / 1000,
                      (config_.write_timeout.count() % 1000) * 1000);
  s.set_keep_alive_timeout(config_.keep_alive_timeout.count());
  s.set_keep_alive_max_count(100000);
  s.set_payload_max_length(handler_.max_body_limit() + 1);
  routes();
  if (config_.port == 0) {
    port_ = s.bind_to_any_port(config_.host);
    if (port_ < 0) throw std::runtime_error("cannot listen on " + config_.host + ":0");
  } else {
    if (!s.bind_to_port(config_.host, config_.port)) {
      throw std::runtime_error("cannot listen on " + config_.host + ":" +
                               std::to_string(config_.port) + " (address in use or not available)");
    }
    port_ = config_.port;
  }
  public_url_ = config_.public_url;
  if (public_url_.empty()) {
    std::string host =
        config_.host == "0.0.0.0" || config_.host == "::" ? "127.0.0.1" : config_.host;
    public_url_ = std::string(config_.tls_cert_file.empty() ? "http" : "https") + "://" + host +
                  ":" + std::to_string(port_);
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // listen_after_bind sets is_running; a stop() before that would be lost.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  started_ = true;
  if (!server_->is_running()) {
    stop();
    throw std::runtime_error("the HTTP server did not start");
  }
}

void IngestServer::stop() noexcept {
  if (!started_.exchange(false)) return;
  server_->stop();  // closes the listener; the pool finishes in-flight requests
  if (thread_.joinable()) thread_.join();
}

}  // namespace hookline::ingest
