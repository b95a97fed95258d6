#include "processors/normalizer/signal_origin.h"

#include "processors/normalizer/template.h"

namespace hookline::normalizer {

void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_source(JsonWriter& w, const SignalOrigin& origin) {
  w.Key("source");
  w.StartObject();
  w.Key("provider");
  write_string(w, origin.delivery->provider);
  w.Key("connection");
  write_string(w, origin.delivery->connection);
  w.Key("event_id");
  write_string(w, origin.event_id);
  w.Key("event_type");
  write_string(w, origin.event_type);
  w.EndObject();
}

bool valid_tenant(std::string_view tenant) {
  return acceptable(tenant, ValuePolicy::token) && tenant.find('/') == std::string_view::npos;
}

}  // namespace hookline::normalizer
