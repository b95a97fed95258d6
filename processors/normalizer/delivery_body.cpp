#include "processors/normalizer/delivery_body.h"

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

#include "ingest/providers/form.h"
#include "processors/normalizer/json_access.h"

namespace hookline::normalizer {
namespace {

MappingError unparseable(std::string message) {
  return MappingError{"unparseable-body", std::move(message)};
}

rapidjson::Value text_value(const std::string& s, rapidjson::Document::AllocatorType& alloc) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

// Form fields as an object: name -> value, or name -> [values] when the name repeats.
rapidjson::Document form_object(const ingest::FormFields& fields) {
  std::vector<std::pair<const std::string*, std::vector<const std::string*>>> grouped;
  std::map<std::string_view, std::size_t> index;
  for (const auto& [name, value] : fields) {
    auto [it, fresh] = index.emplace(name, grouped.size());
    if (fresh) grouped.emplace_back(&name, std::vector<const std::string*>{});
    grouped[it->second].second.push_back(&value);
  }
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  for (const auto& [name, values] : grouped) {
    if (values.size() == 1) {
      doc.AddMember(text_value(*name, alloc), text_value(*values.front(), alloc), alloc);
      continue;
    }
    rapidjson::Value array(rapidjson::kArrayType);
    for (const auto* v : values) array.PushBack(text_value(*v, alloc), alloc);
    doc.AddMember(text_value(*name, alloc), array, alloc);
  }
  return doc;
}

}  // namespace

std::variant<DeliveryBody, MappingError> read_body(const BodySpec& spec, std::string_view body,
                                                   std::string_view content_type) {
  bool form = spec.format == BodySpec::Format::form;
  if (spec.format == BodySpec::Format::auto_detect)
    form = ingest::is_form_content_type(content_type);
  DeliveryBody out;
  if (!form) {
    auto doc = parse_untrusted_json(body);
    if (!doc) return unparseable("the body is not valid JSON (UTF-8, nesting at most 64)");
    out.doc = std::move(*doc);
    out.data = std::string(body);
    out.content_type = kJsonContentType;
    return out;
  }
  if (body.size() > 0xFFFFFFF0U) return unparseable("the form body is too large");
  const auto fields = ingest::parse_form(body);
  if (!fields) return unparseable("the body is not a valid form (bad % escape)");
  if (!spec.form_json_field.empty()) {
    for (const auto& [name, value] : *fields) {
      if (name != spec.form_json_field) continue;
      auto doc = parse_untrusted_json(value);
      if (!doc) {
        return unparseable("form field '" + spec.form_json_field + "' is not valid JSON");
      }
      out.doc = std::move(*doc);
      out.data = value;
      out.content_type = kJsonContentType;
      return out;
    }
  }
  out.doc = form_object(*fields);
  out.data = std::string(body);
  out.content_type = kFormContentType;
  return out;
}

}  // namespace hookline::normalizer
