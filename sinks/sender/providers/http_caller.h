#pragma once
// Performs the calls the provider clients build, over HTTP/1.1 with cpp-httplib, on one
// keep-alive connection to a connection's base_url (https when the URL says so).
//
// Contract:
// - `base_url` is "http://host[:port][/prefix]" or "https://host[:port][/prefix]"; a prefix is
//   put before every call's path (the local simulator serves several providers that way). A
//   URL of any other form makes every call fail with transport_error "invalid base_url".
// - `timeout` bounds connecting, and each read and each write of a call (cpp-httplib's
//   timeouts are per operation, so a server that trickles its answer can stretch a call).
// - https verifies the server's certificate and host name against the system's CA store, or
//   only against the PEM bundle `ca_file` when one is given.
// - call() never throws and never follows redirects. No answer (refused, reset, timeout, TLS
//   failure) gives status 0 with transport_error "timeout", "connection failed",
//   "read failed", "write failed", "tls failed", "tls certificate rejected", ... Answer header
//   names are lower case; an answer body is kept up to 64 KiB (the rest is not read).
// - Not thread-safe: one HttpCaller is used by one thread at a time (one per connection and
//   sending thread). Destruction closes the connection.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

class HttpCaller {
 public:
  static constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

  explicit HttpCaller(std::string base_url,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      std::optional<std::string> ca_file = std::nullopt);
  ~HttpCaller();
  HttpCaller(const HttpCaller&) = delete;
  HttpCaller& operator=(const HttpCaller&) = delete;

  HttpAnswer call(const HttpCall& call) noexcept;

  // Whether base_url was understood (else every call fails).
  bool valid() const noexcept;
  const std::string& base_url() const noexcept { return base_url_; }

 private:
  struct Impl;
  std::string base_url_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline::sender
