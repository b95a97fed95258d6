#include "ctl/status/endpoint_probe.h"

#include <future>

#include <httplib.h>

#include "ctl/status/endpoints.h"

namespace hookline::ctl::status {
namespace {

std::string describe(httplib::Error e, std::chrono::milliseconds timeout) {
  const std::string within = " within " + std::to_string(timeout.count()) + " ms";
  switch (e) {
    case httplib::Error::Connection:
      return "cannot connect";
    case httplib::Error::ConnectionTimeout:
      return "no connection" + within;
    case httplib::Error::Read:
      return "no answer" + within;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
    case httplib::Error::SSLLoadingCerts:
      return "TLS failed (" + httplib::to_string(e) + ")";
    default:
      return "request failed (" + httplib::to_string(e) + ")";
  }
}

Fetched fetch(const std::string& url, std::chrono::milliseconds timeout) {
  Fetched f;
  f.probe.url = url;
  auto parsed = parse_endpoint_url(url);
  if (!parsed) {
    f.probe.detail = parsed.error().message;
    return f;
  }
  try {
    httplib::Client client(parsed->scheme_host_port);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    // A trickling server could keep a read alive past every per-read timeout: the whole body
    // must come within twice the timeout.
    const auto deadline = std::chrono::steady_clock::now() + 2 * timeout;
    bool too_big = false, too_slow = false;
    auto res = client.Get(parsed->path, [&](const char* data, std::size_t n) {
      if (f.body.size() + n > kMaxMetricsBody) {
        too_big = true;
        return false;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        too_slow = true;
        return false;
      }
      f.body.append(data, n);
      return true;
    });
    if (too_big || too_slow) {
      f.probe.detail =
          too_big ? "the answer is larger than " + std::to_string(kMaxMetricsBody / (1024 * 1024)) +
                        " MiB"
                  : "the answer took longer than " + std::to_string(2 * timeout.count()) + " ms";
      f.body.clear();
      return f;
    }
    if (!res) {
      f.probe.detail = describe(res.error(), timeout);
      f.body.clear();
      return f;
    }
    f.probe.detail = "HTTP " + std::to_string(res->status);
    f.probe.up = res->status == 200;
    if (!f.probe.up) f.body.clear();
  } catch (const std::exception& e) {
    f.probe.detail = std::string("request failed: ") + e.what();
    f.body.clear();
  }
  return f;
}

}  // namespace

std::vector<Fetched> fetch_all(const std::vector<std::string>& urls,
                               std::chrono::milliseconds timeout) {
  std::vector<std::future<Fetched>> pending;
  pending.reserve(urls.size());
  for (const auto& url : urls) {
    pending.push_back(
        std::async(std::launch::async, [url, timeout] { return fetch(url, timeout); }));
  }
  std::vector<Fetched> out;
  out.reserve(urls.size());
  for (auto& p : pending) out.push_back(p.get());
  return out;
}

}  // namespace hookline::ctl::status
