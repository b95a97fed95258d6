#include "sinks/sender/providers/http_caller.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>
#include <utility>

namespace hookline::sender {
namespace {

struct ParsedUrl {
  std::string scheme_host_port;  // "https://api.resend.com:443"
  std::string prefix;            // "" or "/sim/resend" (no trailing '/')
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool clean(std::string_view s) noexcept {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F) return false;
  }
  return true;
}

std::optional<ParsedUrl> parse_base_url(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos || !clean(url)) return std::nullopt;
  const std::string scheme = lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return ParsedUrl{scheme + "://" + std::string(authority), std::string(path)};
}

bool header_safe(std::string_view s) noexcept {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

std::string describe(httplib::Error error, bool timed_out) {
  switch (error) {
    case httplib::Error::ConnectionTimeout:
      return "timeout";
    case httplib::Error::Connection:
      return timed_out ? "timeout" : "connection failed";
    case httplib::Error::Read:
      return timed_out ? "timeout" : "read failed";
    case httplib::Error::Write:
      return timed_out ? "timeout" : "write failed";
    case httplib::Error::SSLConnection:
      return "tls failed";
    case httplib::Error::SSLLoadingCerts:
      return "tls ca file not loaded";
    case httplib::Error::SSLServerVerification:
      return "tls certificate rejected";
    case httplib::Error::Canceled:
      return "answer too large";
    case httplib::Error::Compression:
      return "bad compressed answer";
    case httplib::Error::BindIPAddress:
      return "bind failed";
    default:
      return "transport error";
  }
}

HttpAnswer failed(std::string why) {
  HttpAnswer answer;
  answer.status = 0;
  answer.transport_error = std::move(why);
  return answer;
}

}  // namespace

struct HttpCaller::Impl {
  std::optional<ParsedUrl> url;
  std::unique_ptr<httplib::Client> client;
};

HttpCaller::HttpCaller(std::string base_url, std::chrono::milliseconds timeout,
                       std::optional<std::string> ca_file)
    : base_url_(std::move(base_url)), timeout_(timeout), impl_(std::make_unique<Impl>()) {
  impl_->url = parse_base_url(base_url_);
  if (!impl_->url) return;
  try {
    auto client = std::make_unique<httplib::Client>(impl_->url->scheme_host_port);
    if (!client->is_valid()) {
      impl_->url.reset();
      return;
    }
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    client->set_follow_location(false);
    client->set_url_encode(false);  // paths are built encoded
    client->set_connection_timeout(timeout);
    client->set_read_timeout(timeout);
    client->set_write_timeout(timeout);
    if (ca_file) client->set_ca_cert_path(*ca_file);
    client->enable_server_certificate_verification(true);
    impl_->client = std::move(client);
  } catch (...) {
    impl_->url.reset();
    impl_->client.reset();
  }
}

HttpCaller::~HttpCaller() = default;

bool HttpCaller::valid() const noexcept {
  return impl_->url.has_value() && impl_->client != nullptr;
}

HttpAnswer HttpCaller::call(const HttpCall& call) noexcept {
  try {
    if (!valid()) return failed("invalid base_url");
    httplib::Request req;
    req.method = call.method;
    req.path = impl_->url->prefix + (call.path.empty() ? "/" : call.path);
    if (!header_safe(req.path)) return failed("invalid path");
    for (const auto& [name, value] : call.headers) {
      if (!header_safe(name) || !header_safe(value)) return failed("invalid header");
      req.headers.emplace(name, value);
    }
    req.body = call.body;

    std::string body;
    bool truncated = false;
    req.content_receiver = [&body, &truncated](const char* data, std::size_t n, std::uint64_t,
                                               std::uint64_t) {
      const std::size_t room = kMaxAnswerBytes - body.size();
      body.append(data, std::min(n, room));
      if (n > room) {
        truncated = true;
        return false;  // stop reading: the connection is dropped
      }
      return true;
    };

    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    const auto start = std::chrono::steady_clock::now();
    const bool ok = impl_->client->send(req, res, error);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (!ok && !(truncated && res.status > 0)) {
      // A timeout shows as a failed read, write or connect that lasted the whole timeout.
      const bool timed_out = elapsed >= timeout_ - timeout_ / 10;
      impl_->client->stop();  // never reuse a connection in an unknown state
      return failed(describe(error, timed_out));
    }
    HttpAnswer answer;
    answer.status = res.status;
    answer.body = std::move(body);
    answer.headers.reserve(res.headers.size());
    for (const auto& [name, value] : res.headers) {
      std::string key = name;
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      answer.headers.emplace_back(std::move(key), value);
    }
    if (truncated) impl_->client->stop();
    return answer;
  } catch (const std::exception& e) {
    return failed(std::string("transport error: ") + e.what());
  } catch (...) {
    return failed("transport error");
  }
}

}  // namespace hookline::sender
