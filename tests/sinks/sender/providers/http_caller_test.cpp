// HttpCaller against an in-process cpp-httplib server on port 0: what the server receives,
// lower-case answer headers, keep-alive, the base URL's path prefix, timeouts, refused
// connections, capped answer bodies, and https with a CA file.
#define BOOST_TEST_MODULE sender_http_caller
#include <boost/test/unit_test.hpp>

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "sinks/sender/providers/http_caller.h"
#include "tests/sinks/sender/providers/client_testing.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::sender;
using namespace std::chrono_literals;
namespace support = hookline::test;

namespace {

// A server on 127.0.0.1, port 0, stopped and joined on destruction.
class TestServer {
 public:
  explicit TestServer(std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>())
      : server_(std::move(server)) {}
  ~TestServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Server& operator*() { return *server_; }
  httplib::Server* operator->() { return server_.get(); }

  void start() {
    port_ = server_->bind_to_any_port("127.0.0.1");
    BOOST_REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    BOOST_REQUIRE(support::eventually([this] { return server_->is_running(); }, 10s));
  }
  int port() const { return port_; }
  std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

HttpCall post(std::string path, std::string body = R"({"hello":"world"})") {
  HttpCall call;
  call.path = std::move(path);
  call.headers = {{"content-type", "application/json"},
                  {"user-agent", "hookline-sender/0.1"},
                  {"x-hookline-request-id", "req_1"},
                  {"authorization", "Bearer secret"}};
  call.body = std::move(body);
  return call;
}

std::optional<std::string> answer_header(const HttpAnswer& a, const std::string& name) {
  for (const auto& [k, v] : a.headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

// A handler that holds its answer until released (or 10 s pass).
class Gate {
 public:
  void wait() {
    std::unique_lock lock(m_);
    cv_.wait_for(lock, 10s, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(m_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A bare HTTP/1.1 server that answers each connection's first request with a keep-alive
// answer and then closes the connection, as servers do with idle keep-alive connections.
class ClosingServer {
 public:
  ClosingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    BOOST_REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    BOOST_REQUIRE(::listen(fd_, 8) == 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~ClosingServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Waits until `n` connections were answered and closed.
  bool closed(int n) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, 10s, [&] { return closed_ >= n; });
  }

 private:
  void serve() {
    for (;;) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string in;
      char buf[4096];
      // Headers, then the body the Content-Length announces (the calls here send 17 bytes).
      while (in.find("\r\n\r\n") == std::string::npos || in.size() < in.find("\r\n\r\n") + 4 + 17) {
        const auto n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<std::size_t>(n));
      }
      const std::string out =
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok";
      (void)!::send(c, out.data(), out.size(), MSG_NOSIGNAL);
      ::close(c);
      {
        std::lock_guard lock(m_);
        ++closed_;
      }
      cv_.notify_all();
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  int closed_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_server_receives_the_call_as_built) {
  TestServer server;
  std::mutex m;
  httplib::Request seen;
  server->Post("/emails", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(m);
      seen = req;
    }
    res.status = 201;
    res.set_header("X-Message-Id", "abc123");
    res.set_content(R"({"id":"m_1"})", "application/json");
  });
  server.start();

  HttpCaller caller(server.url(), 5s);
  BOOST_TEST(caller.valid());
  const auto a = caller.call(post("/emails"));
  BOOST_TEST(a.status == 201);
  BOOST_TEST(a.transport_error.empty());
  BOOST_TEST(a.body == R"({"id":"m_1"})");
  BOOST_TEST(answer_header(a, "x-message-id").value_or("") == "abc123");
  BOOST_TEST(answer_header(a, "content-type").value_or("") == "application/json");
  for (const auto& [k, v] : a.headers) {
    BOOST_TEST_CONTEXT(k) {
      BOOST_TEST(std::none_of(k.begin(), k.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    }
  }

  std::lock_guard lock(m);
  BOOST_TEST(seen.method == "POST");
  BOOST_TEST(seen.path == "/emails");
  BOOST_TEST(seen.body == R"({"hello":"world"})");
  BOOST_TEST(seen.get_header_value("Content-Type") == "application/json");
  BOOST_TEST(seen.get_header_value("User-Agent") == "hookline-sender/0.1");
  BOOST_TEST(seen.get_header_value("x-hookline-request-id") == "req_1");
  BOOST_TEST(seen.get_header_value("Authorization") == "Bearer secret");
  BOOST_TEST(seen.get_header_value_count("Content-Type") == 1u);
  BOOST_TEST(seen.get_header_value_count("User-Agent") == 1u);
}

BOOST_AUTO_TEST_CASE(calls_reuse_one_connection) {
  TestServer server;
  std::mutex m;
  std::vector<int> ports;
  server->Post("/x", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m);
    ports.push_back(req.remote_port);
    res.status = 204;
  });
  server.start();
  HttpCaller caller(server.url(), 5s);
  for (int i = 0; i < 3; ++i) BOOST_TEST(caller.call(post("/x")).status == 204);
  std::lock_guard lock(m);
  BOOST_REQUIRE_EQUAL(ports.size(), 3u);
  BOOST_TEST(ports[0] == ports[1]);
  BOOST_TEST(ports[1] == ports[2]);
}

BOOST_AUTO_TEST_CASE(a_connection_the_server_closed_is_replaced) {
  ClosingServer server;
  HttpCaller caller(server.url(), 5s);
  for (int i = 1; i <= 3; ++i) {
    BOOST_TEST_CONTEXT("call " << i) {
      const auto a = caller.call(post("/x"));
      BOOST_TEST(a.status == 200);
      BOOST_TEST(a.transport_error.empty());
      BOOST_TEST(a.body == "ok");
      BOOST_REQUIRE(server.closed(i));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_base_url_path_prefixes_every_call) {
  TestServer server;
  server->Post("/sim/resend/emails",
               [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  server.start();
  HttpCaller caller(server.url() + "/sim/resend/", 5s);
  BOOST_TEST(caller.call(post("/emails")).status == 200);
}

BOOST_AUTO_TEST_CASE(error_statuses_are_answers) {
  TestServer server;
  server->Post("/busy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "7");
    res.set_content("busy", "text/plain");
  });
  server.start();
  HttpCaller caller(server.url(), 5s);
  const auto a = caller.call(post("/busy"));
  BOOST_TEST(a.status == 503);
  BOOST_TEST(answer_header(a, "retry-after").value_or("") == "7");
  BOOST_TEST(a.body == "busy");
  // Not found is an answer too.
  BOOST_TEST(caller.call(post("/nowhere")).status == 404);
}

BOOST_AUTO_TEST_CASE(a_slow_server_times_out) {
  TestServer server;
  Gate gate;
  server->Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.status = 200;
  });
  server->Post("/fast", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  server.start();
  HttpCaller caller(server.url(), 300ms);
  const auto start = std::chrono::steady_clock::now();
  const auto a = caller.call(post("/slow"));
  const auto took = std::chrono::steady_clock::now() - start;
  gate.open();
  BOOST_TEST(a.status == 0);
  BOOST_TEST(a.transport_error == "timeout");
  BOOST_TEST(took < 5s);
  // The caller goes on with a fresh connection.
  BOOST_TEST(caller.call(post("/fast")).status == 200);
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_status_zero) {
  HttpCaller caller("http://127.0.0.1:" + std::to_string(support::closed_port()), 2s);
  const auto a = caller.call(post("/x"));
  BOOST_TEST(a.status == 0);
  BOOST_TEST(a.transport_error == "connection failed");
}

BOOST_AUTO_TEST_CASE(invalid_base_urls_fail_every_call) {
  for (const char* url : {"", "api.resend.com", "ftp://example.org", "http://", "https:///x",
                          "http://host/a?b=c", "http://user@host", "http://ho st"}) {
    BOOST_TEST_CONTEXT(url) {
      HttpCaller caller(url, 1s);
      BOOST_TEST(!caller.valid());
      const auto a = caller.call(post("/x"));
      BOOST_TEST(a.status == 0);
      BOOST_TEST(a.transport_error == "invalid base_url");
    }
  }
}

BOOST_AUTO_TEST_CASE(header_injection_never_leaves) {
  TestServer server;
  server->Post("/x", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  server.start();
  HttpCaller caller(server.url(), 5s);
  auto call = post("/x");
  call.headers.emplace_back("x-bad", "a\r\nInjected: 1");
  const auto a = caller.call(call);
  BOOST_TEST(a.status == 0);
  BOOST_TEST(a.transport_error == "invalid header");
}

BOOST_AUTO_TEST_CASE(answer_bodies_are_capped) {
  TestServer server;
  server->Post("/big", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(std::string(1 << 20, 'x'), "text/plain");
  });
  server->Post("/small", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.start();
  HttpCaller caller(server.url(), 5s);
  const auto a = caller.call(post("/big"));
  BOOST_TEST(a.status == 200);
  BOOST_TEST(a.body.size() == HttpCaller::kMaxAnswerBytes);
  BOOST_TEST(caller.call(post("/small")).body == "ok");
}

BOOST_AUTO_TEST_CASE(https_with_a_ca_file) {
  support::TempDir dir;
  const std::string key = dir.file("key.pem"), cert = dir.file("cert.pem");
  const auto gen =
      support::run("/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                        key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  BOOST_REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);
  TestServer server(std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str()));
  BOOST_REQUIRE(server->is_valid());
  server->Post("/v3/mail/send", [](const httplib::Request&, httplib::Response& res) {
    res.status = 202;
    res.set_header("X-Message-Id", "tls-ok");
  });
  server.start();

  HttpCaller trusted(server.url("https"), 5s, cert);
  const auto a = trusted.call(post("/v3/mail/send"));
  BOOST_CHECK_MESSAGE(a.status == 202, a.transport_error);
  BOOST_TEST(answer_header(a, "x-message-id").value_or("") == "tls-ok");

  // The system store does not know a self-signed certificate.
  HttpCaller untrusted(server.url("https"), 5s);
  const auto refused = untrusted.call(post("/v3/mail/send"));
  BOOST_TEST(refused.status == 0);
  BOOST_CHECK_MESSAGE(refused.transport_error.starts_with("tls"), refused.transport_error);
}

BOOST_AUTO_TEST_CASE(build_call_interpret) {
  // The pieces together: a webhook built, sent, and its answer read.
  TestServer server;
  std::mutex m;
  std::string signature;
  server->Post("/hooks/orders", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m);
    signature = req.get_header_value("webhook-signature");
    res.status = 410;
  });
  server.start();
  SendConnection c;
  c.provider = "webhook";
  c.base_url = server.url();
  c.credential = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  c.path = "/hooks/orders";
  SendRequest r = hookline::sender::test::request_on(Channel::webhook, "webhook/orders", "");
  r.content.event_type = "order.shipped";
  const auto client = make_provider_client("webhook");
  const auto call = client->build(r, c, 1, std::chrono::system_clock::now());
  BOOST_REQUIRE(call.ok());
  HttpCaller caller(c.base_url, c.timeout);
  const auto result = client->interpret(caller.call(call.value()));
  BOOST_TEST(result.outcome == Outcome::gone);
  std::lock_guard lock(m);
  BOOST_TEST(signature.starts_with("v1,"));
}
