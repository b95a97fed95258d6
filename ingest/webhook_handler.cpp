#include "ingest/webhook_handler.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/crypto/constant_time.h"
#include "core/log.h"

namespace hookline::ingest {
namespace {

const log::Logger& handler_log() {
  static const log::Logger logger("ingest.handler");
  return logger;
}

std::string json_object(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& [k, v] : kv) {
    w.String(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

Response error(int status, std::string_view err, std::string_view reason, std::string_view detail) {
  return Response{status, error_body(err, reason, detail), "application/json", {}};
}

// Slack's url_verification: {"type": "url_verification", "challenge": "..."}.
std::optional<std::string> slack_challenge(ParsedBody& body) {
  const auto* doc = body.json();
  if (!doc || !doc->IsObject()) return std::nullopt;
  auto type = doc->FindMember("type");
  auto challenge = doc->FindMember("challenge");
  if (type == doc->MemberEnd() || !type->value.IsString() ||
      std::string_view(type->value.GetString()) != "url_verification" ||
      challenge == doc->MemberEnd() || !challenge->value.IsString()) {
    return std::nullopt;
  }
  return std::string(challenge->value.GetString(), challenge->value.GetStringLength());
}

}  // namespace

std::string error_body(std::string_view err, std::string_view reason, std::string_view detail) {
  return json_object({{"error", err}, {"reason", reason}, {"detail", detail}});
}

WebhookHandler::WebhookHandler(const Manifests& manifests, const Registry& registry,
                               Publisher& publisher, IngestMetrics& metrics, HandlerOptions options,
                               std::function<Clock::time_point()> clock)
    : manifests_(manifests),
      registry_(registry),
      publisher_(publisher),
      metrics_(metrics),
      options_(options),
      clock_(std::move(clock)) {}

size_t WebhookHandler::max_body_limit() const {
  size_t max = 0;
  for (const auto& [name, m] : manifests_) max = std::max(max, m.body_limit);
  return max;
}

std::shared_ptr<const Connection> WebhookHandler::find_connection(
    std::string_view provider, std::string_view connection) const {
  return connection.empty() ? registry_.find_default(provider)
                            : registry_.find(provider, connection);
}

Response WebhookHandler::post(const Request& request, std::string_view provider,
                              std::string_view connection) {
  const auto started = std::chrono::steady_clock::now();
  metrics_.in_flight.inc();
  std::string connection_label = "unknown";
  Response res = handle_post(request, provider, connection, connection_label);
  metrics_.in_flight.dec();
  const std::string provider_label =
      manifests_.contains(provider) ? std::string(provider) : std::string("unknown");
  metrics_.requests.with({provider_label, connection_label, std::to_string(res.status)}).inc();
  metrics_.request_duration.with({provider_label})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return res;
}

void WebhookHandler::refresh_gauges() {
  // Read at scrape time: the producer's queue length takes locks its threads use for every
  // record, so reading it on every request would slow them all.
  metrics_.producer_queue.set(static_cast<double>(publisher_.queue_depth()));
}

Response WebhookHandler::handle_post(const Request& request, std::string_view provider,
                                     std::string_view connection, std::string& connection_label) {
  auto mit = manifests_.find(provider);
  if (mit == manifests_.end()) {
    return error(404, "not_found", "unknown_provider",
                 "no provider named in the URL is configured");
  }
  const Manifest& manifest = mit->second;
  if (!registry_.loaded()) {
    Response r = error(503, "unavailable", "registry_unavailable",
                       "the connection registry is not loaded yet");
    r.headers.emplace_back("Retry-After", std::to_string(options_.retry_after_s));
    return r;
  }
  auto conn = find_connection(provider, connection);
  if (!conn) {
    return error(404, "not_found", "unknown_connection",
                 connection.empty() ? "the provider has no default connection"
                                    : "no such connection for this provider");
  }
  connection_label = conn->id;
  if (!conn->enabled)
    return error(404, "not_found", "connection_disabled", "the connection is disabled");
  if (request.body.size() > manifest.body_limit) {
    return error(413, "payload_too_large", "body_limit",
                 "the body exceeds " + std::to_string(manifest.body_limit) + " bytes");
  }
  const Clock::time_point now = clock_();
  VerifyResult v = manifest.scheme->verify(request, conn->credentials, now);
  if (!v.ok) {
    metrics_.verification_failures.with({manifest.provider, to_string(v.failure)}).inc();
    handler_log().info("signature refused", {{"provider", manifest.provider},
                                             {"connection", conn->id},
                                             {"reason", to_string(v.failure)}});
    return error(401, "unauthorized", to_string(v.failure), v.detail);
  }
  ParsedBody body(request.body);
  if (manifest.handshake == Handshake::slack_url_verification) {
    if (auto challenge = slack_challenge(body)) {
      return Response{200, json_object({{"challenge", *challenge}}), "application/json", {}};
    }
  }
  RawRecord record = build_raw_record(manifest, *conn, request, body, now);
  const auto produce_started = std::chrono::steady_clock::now();
  PublishResult p = publisher_.publish(record);
  if (p.outcome != PublishResult::Outcome::acked) {
    handler_log().warn("kafka did not acknowledge; answering 503",
                       {{"provider", manifest.provider},
                        {"connection", conn->id},
                        {"delivery_id", record.delivery_id},
                        {"error", p.error}});
    Response r = error(503, "unavailable", "kafka_unavailable",
                       "the event could not be stored; retry later");
    r.headers.emplace_back("Retry-After", std::to_string(options_.retry_after_s));
    return r;
  }
  metrics_.ack_duration.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - produce_started).count());
  metrics_.published.with({manifest.provider}).inc();
  return Response{200,
                  json_object({{"status", "accepted"}, {"delivery_id", record.delivery_id}}),
                  "application/json",
                  {}};
}

Response WebhookHandler::get(std::string_view provider, std::string_view connection,
                             const std::multimap<std::string, std::string>& query) {
  auto mit = manifests_.find(provider);
  if (mit == manifests_.end()) {
    return error(404, "not_found", "unknown_provider",
                 "no provider named in the URL is configured");
  }
  if (mit->second.handshake != Handshake::meta_verify_token) {
    Response r = error(405, "method_not_allowed", "method", "this provider's webhooks are POSTed");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  auto conn = find_connection(provider, connection);
  if (!conn || !conn->enabled) {
    return error(404, "not_found", "unknown_connection", "no such enabled connection");
  }
  auto param = [&](const char* name) -> std::optional<std::string> {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  };
  auto mode = param("hub.mode"), token = param("hub.verify_token"),
       challenge = param("hub.challenge");
  if (!mode || !token || !challenge || *mode != "subscribe" || challenge->empty()) {
    return error(400, "bad_request", "malformed_handshake",
                 "expected hub.mode=subscribe, hub.verify_token and hub.challenge");
  }
  if (conn->verify_token.empty() || !crypto::constant_time_equal(*token, conn->verify_token)) {
    handler_log().info("verify token refused",
                       {{"provider", mit->second.provider}, {"connection", conn->id}});
    return error(403, "forbidden", "verify_token", "the verify token does not match");
  }
  return Response{200, *challenge, "text/plain", {}};
}

}  // namespace hookline::ingest
