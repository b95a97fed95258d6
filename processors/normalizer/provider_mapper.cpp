#include "processors/normalizer/provider_mapper.h"

#include <utility>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "processors/normalizer/canonical_json.h"
#include "processors/normalizer/event_time.h"
#include "processors/normalizer/signal_origin.h"

namespace hookline::normalizer {
namespace {

std::string serialize(const rapidjson::Value& value) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  value.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

std::optional<std::int64_t> event_time(const EventKind& kind, const Scope& scope) {
  for (const auto& source : kind.time) {
    if (source.pointer) {
      const rapidjson::Value* v = source.pointer->Get(*scope.event);
      if (v == nullptr) continue;
      if (auto ms = parse_time(*v, source.format)) return ms;
    } else if (auto h = kept_header(*scope.delivery, source.header)) {
      if (auto ms = parse_time_text(*h, source.format)) return ms;
    }
  }
  return std::nullopt;
}

std::string label(const EventKind& kind, std::size_t index) {
  return "event " + std::to_string(index) + (kind.name.empty() ? "" : " (" + kind.name + ")");
}

}  // namespace

ProviderMapper::ProviderMapper(NormalizeSpec spec) : spec_(std::move(spec)), tree_(spec_.events) {}

MappingResult ProviderMapper::map(const RawDelivery& delivery) const {
  if (!acceptable(delivery.connection, ValuePolicy::token) ||
      delivery.connection.find('/') != std::string::npos) {
    return MappingError{"bad-record", "the record's connection is missing or not a plain id"};
  }
  const auto received = parse_time_text(delivery.received_at, TimeFormat::rfc3339);
  auto body_or = read_body(spec_.body, delivery.body, delivery.content_type);
  if (auto* err = std::get_if<MappingError>(&body_or)) return std::move(*err);
  const DeliveryBody& body = std::get<DeliveryBody>(body_or);
  auto leaves_or = tree_.walk(body.doc, delivery, spec_.events);
  if (auto* err = std::get_if<MappingError>(&leaves_or)) return std::move(*err);
  const auto& leaves = std::get<std::vector<SplitTree::Leaf>>(leaves_or);
  if (leaves.empty()) {
    return MappingError{"no-events",
                        "no event in the delivery (no split array, an empty batch, "
                        "or no event kind's conditions hold)"};
  }

  const std::string source = "/" + spec_.provider + "/" + delivery.connection;
  const std::string prefix = spec_.provider + "/" + delivery.connection + "/";
  std::vector<MappedEvent> out;
  out.reserve(leaves.size());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const SplitTree::Leaf& leaf = leaves[i];
    const EventKind& kind = spec_.events[leaf.kind];
    const Scope scope{leaf.element, &delivery};
    MappedEvent mapped;
    NormalizedEvent& e = mapped.event;
    auto type = resolve_first(kind.type, scope);
    if (!type) return MappingError{"bad-event", label(kind, i) + ": no type template resolves"};
    e.type = std::move(*type);

    std::optional<rapidjson::Document> narrowed;
    const rapidjson::Value* data = leaf.element;
    if (leaf.path.empty()) {
      e.data = body.data;
      e.content_type = body.content_type;
    } else {
      if (kind.data == EventKind::Data::narrowed) {
        narrowed.emplace(tree_.narrowed(body.doc, leaf.path));
        data = &*narrowed;
      }
      e.data = serialize(*data);
      e.content_type = kJsonContentType;
    }

    auto id = resolve_first(kind.id, scope);
    e.id = id ? std::move(*id) : canonical_id(*data);
    e.identity = prefix + e.id;
    e.source = source;
    e.subject = resolve_first(kind.subject, scope);
    auto ms = event_time(kind, scope);
    if (!ms) ms = received;
    if (!ms) {
      return MappingError{"bad-record",
                          label(kind, i) + ": no event time and no valid received-at header"};
    }
    e.time = format_rfc3339_ms(*ms);
    e.topic = spec_.routing.topic_for(e.type);
    auto key = resolve_first(kind.partition_key, scope);
    e.partition_key = prefix + (key ? *key : e.subject ? *e.subject : e.id);

    const SignalOrigin origin{&delivery, e.id, e.type, e.time};
    for (const auto& rule : spec_.signals) {
      if (!all_hold(rule.when, scope, e.type)) continue;
      std::optional<MappingError> err;
      if (rule.consent) err = append_consent_signals(*rule.consent, scope, origin, mapped.signals);
      if (rule.approval) {
        err = append_approval_signals(*rule.approval, scope, origin, mapped.signals);
      }
      if (err) {
        err->message = label(kind, i) + ": " + err->message;
        return std::move(*err);
      }
    }
    out.push_back(std::move(mapped));
  }
  return out;
}

}  // namespace hookline::normalizer
