#include "sinks/simulator/sim_server.h"

#include <sys/socket.h>
#include <cctype>
#include <stdexcept>

#include <httplib.h>

#include "core/log.h"
#include "sinks/simulator/connection_cut.h"
#include "sinks/simulator/control_api.h"

namespace hookline::simulator {
namespace {

const log::Logger& server_log() {
  static const log::Logger logger("simulator.server");
  return logger;
}

constexpr std::size_t kMaxBody = 32 * 1024 * 1024;

Incoming incoming_of(const httplib::Request& req) {
  Incoming in;
  in.method = req.method;
  in.path = req.path;
  in.body = req.body;
  in.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    in.headers.emplace_back(std::move(lower), value);
  }
  return in;
}

}  // namespace

SimServer::SimServer(Engine& engine, ServerOptions options)
    : engine_(engine), options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {}

SimServer::~SimServer() {
  stop();
}

void SimServer::pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(pause_mu_);
  pause_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void SimServer::serve(const httplib::Request& req, httplib::Response& res) {
  Verdict v = engine_.handle(incoming_of(req));
  server_log().debug("answered", {{"provider", v.provider},
                                  {"seq", v.seq},
                                  {"status", v.close ? 0 : v.answer.status},
                                  {"delay_ms", static_cast<std::int64_t>(v.delay.count())}});
  if (v.delay.count() > 0) pause(v.delay);
  if (v.close) {
    if (!cut_connection(req.remote_addr, req.remote_port, req.local_port)) {
      server_log().warn("could not find the connection to close", {{"seq", v.seq}});
    }
    res.status = 500;  // never reaches the client: its socket is shut down
    return;
  }
  res.status = v.answer.status;
  for (const auto& [name, value] : v.answer.headers) res.set_header(name, value);
  if (!v.answer.body.empty() || !v.answer.content_type.empty()) {
    res.set_content(v.answer.body, v.answer.content_type.c_str());
  }
}

void SimServer::routes() {
  httplib::Server& s = *server_;
  add_control_routes(s, engine_);
  auto serve = [this](const httplib::Request& req, httplib::Response& res) {
    this->serve(req, res);
  };
  s.Post("/.*", serve);
  s.Get("/.*", serve);
  s.Put("/.*", serve);
  s.Patch("/.*", serve);
  s.Delete("/.*", serve);
  // cpp-httplib's own refusals (a POST without Content-Length, a body over the limit, ...).
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    res.set_content("{\"error\":\"" + reason_code(res.status) + "\"}", "application/json");
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
        res.set_content("{\"error\":\"internal\"}", "application/json");
      });
}

void SimServer::start() {
  httplib::Server& s = *server_;
  s.set_tcp_nodelay(true);
  // Only SO_REUSEADDR: httplib's default SO_REUSEPORT would let two servers share a port.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const auto threads = static_cast<size_t>(options_.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_keep_alive_max_count(1000000);
  s.set_keep_alive_timeout(5);
  s.set_read_timeout(10, 0);
  s.set_write_timeout(10, 0);
  s.set_payload_max_length(kMaxBody);
  routes();
  if (options_.port == 0) {
    port_ = s.bind_to_any_port(options_.host);
    if (port_ < 0) throw std::runtime_error("cannot listen on " + options_.host + ":0");
  } else {
    if (!s.bind_to_port(options_.host, options_.port)) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) +
                               " (address in use or not available)");
    }
    port_ = options_.port;
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

void SimServer::stop() noexcept {
  if (!started_.exchange(false)) return;
  {
    std::lock_guard lock(pause_mu_);
    stopping_ = true;
  }
  pause_cv_.notify_all();
  server_->stop();  // closes the listener; the pool finishes in-flight requests
  if (thread_.joinable()) thread_.join();
}

}  // namespace hookline::simulator
