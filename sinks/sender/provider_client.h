#pragma once
// One provider's send API: how a request becomes an HTTP call, and what the answer means.
// Implementations (providers/<name>_client.cpp) are pure: no I/O, no clock of their own, so
// they are tested on bytes. http_caller.h performs the calls.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "sinks/sender/send_connection.h"
#include "sinks/sender/send_request.h"

namespace hookline::sender {

struct HttpCall {
  std::string method = "POST";
  std::string path;  // absolute path on the connection's base_url, with query if any
  std::vector<std::pair<std::string, std::string>> headers;  // content-type included
  std::string body;
};

struct HttpAnswer {
  int status = 0;  // 0: no answer (network error or timeout; see `transport_error`)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string transport_error;  // "timeout", "connection refused", ... when status == 0
};

enum class Outcome {
  sent,       // the provider accepted it
  retryable,  // try again later (5xx, 408, 429, timeout, network)
  permanent,  // never retry (4xx but 408/429, or an error the provider calls permanent)
  gone,       // the destination is gone for good (webhook 410): disable it
};

const char* to_string(Outcome o) noexcept;

struct SendResult {
  Outcome outcome = Outcome::permanent;
  int status = 0;
  std::string provider_message_id;  // when sent
  // The provider asked us to slow down (429, Slack ratelimited, WhatsApp 130429, webhook
  // 429/502/503/504): the connection pauses for `retry_after` (or a default).
  bool throttled = false;
  std::optional<std::chrono::milliseconds> retry_after;
  // Counts toward the circuit breaker (5xx, network, timeout).
  bool server_failure = false;
  std::string error_class;  // short, stable: "http-500", "timeout", "invalid-recipient", ...
  std::string excerpt;      // <= 200 bytes of the answer, with no personal data
};

class ProviderClient {
 public:
  virtual ~ProviderClient() = default;
  // Builds the call for `request` on `connection` (attempt counts from 1; `now` for signed
  // timestamps). An Error (kind permanent) when the request cannot be sent on this provider
  // (wrong channel, missing content): it goes to the DLQ without a call.
  virtual Result<HttpCall> build(const SendRequest& request, const SendConnection& connection,
                                 int attempt, std::chrono::system_clock::time_point now) const = 0;
  // Reads the provider's answer.
  virtual SendResult interpret(const HttpAnswer& answer) const = 0;
};

// The client of a provider name ("resend", ...); nullptr when there is none.
std::unique_ptr<ProviderClient> make_provider_client(const std::string& provider);

// Retry-After (delta seconds or an HTTP-date) relative to `now`; nullopt if absent or invalid.
// A wait longer than a day is taken as a day.
std::optional<std::chrono::milliseconds> parse_retry_after(
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::system_clock::time_point now);

}  // namespace hookline::sender
