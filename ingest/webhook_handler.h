#pragma once
// The ingest's request logic, apart from the HTTP library: find the provider and connection,
// enforce the body limit, verify the signature, answer handshakes, publish to Kafka and answer
// 2xx only after the acknowledgement. Thread-safe; one instance serves every request.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ingest/ingest_metrics.h"
#include "ingest/manifest.h"
#include "ingest/publisher.h"
#include "ingest/registry/registry.h"

namespace hookline::ingest {

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HandlerOptions {
  int retry_after_s = 5;  // Retry-After on 503
};

using Manifests = std::map<std::string, Manifest, std::less<>>;

class WebhookHandler {
 public:
  WebhookHandler(const Manifests& manifests, const Registry& registry, Publisher& publisher,
                 IngestMetrics& metrics, HandlerOptions options,
                 std::function<Clock::time_point()> clock = &Clock::now);

  // POST /webhooks/{provider}[/{connection}]; `connection` empty for the default connection.
  Response post(const Request& request, std::string_view provider, std::string_view connection);
  // GET /webhooks/{provider}[/{connection}] with the query parameters (subscription handshakes).
  Response get(std::string_view provider, std::string_view connection,
               const std::multimap<std::string, std::string>& query);

  // The largest body limit of any manifest (the HTTP server's hard cap).
  size_t max_body_limit() const;
  // Sets the gauges that are read rather than counted (the producer's queue depth); called
  // before the metrics are exposed.
  void refresh_gauges();

 private:
  Response handle_post(const Request& request, std::string_view provider,
                       std::string_view connection, std::string& connection_label);
  std::shared_ptr<const Connection> find_connection(std::string_view provider,
                                                    std::string_view connection) const;

  const Manifests& manifests_;
  const Registry& registry_;
  Publisher& publisher_;
  IngestMetrics& metrics_;
  HandlerOptions options_;
  std::function<Clock::time_point()> clock_;
};

// {"error": <error>, "reason": <reason>, "detail": <detail>} with JSON escaping.
std::string error_body(std::string_view error, std::string_view reason, std::string_view detail);

}  // namespace hookline::ingest
