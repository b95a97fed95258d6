#pragma once
// Shared by the event mapper's tests: manifests written to a temporary folder, deliveries built
// as the partition task builds them from a webhooks.raw record, and the signal schemas.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <boost/test/unit_test.hpp>

#include "core/json_reader.h"
#include "processors/normalizer/event_mapper.h"

namespace hookline::normalizer::test {

inline std::string source_path(const std::string& relative) {
  return std::string(HOOKLINE_SOURCE_DIR) + "/" + relative;
}

// A folder of manifests that disappears with the object.
class ManifestDir {
 public:
  ManifestDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mapper-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ManifestDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ManifestDir(const ManifestDir&) = delete;
  ManifestDir& operator=(const ManifestDir&) = delete;

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ + "/" + name) << text;
  }
  // A manifest for `provider` with this `normalize` section and kept headers.
  void manifest(const std::string& provider, const std::string& normalize,
                const std::string& keep_headers = "[]") const {
    write(provider + ".json", R"({"provider": ")" + provider +
                                  R"(", "scheme": {"name": "shopify"}, "keep_headers": )" +
                                  keep_headers + R"(, "normalize": )" + normalize + "}");
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::shared_ptr<const EventMapper> mapper_for(const std::string& provider,
                                                     const std::string& normalize,
                                                     const std::string& keep_headers = "[]") {
  ManifestDir dir;
  dir.manifest(provider, normalize, keep_headers);
  return EventMapper::load(dir.path());
}

inline const std::shared_ptr<const EventMapper>& shipped_mapper() {
  static const auto mapper = EventMapper::load(source_path("topology/providers"));
  return mapper;
}

// A delivery as the partition task builds it; `http_headers` by their HTTP names.
struct TestDelivery {
  std::string body;
  RawDelivery raw;
  TestDelivery(const std::string& provider, std::string body_text,
               const std::string& content_type = "application/json",
               const std::map<std::string, std::string>& http_headers = {})
      : body(std::move(body_text)) {
    raw.key = "";
    raw.body = body;
    raw.provider = provider;
    raw.connection = "main";
    raw.tenant = "acme";
    raw.environment = "dev";
    raw.delivery_id = "d-1";
    raw.received_at = "2026-11-22T01:00:00.123Z";
    raw.content_type = content_type;
    raw.headers["hookline-provider"] = provider;
    raw.headers["hookline-connection"] = raw.connection;
    raw.headers["hookline-tenant"] = raw.tenant;
    raw.headers["hookline-environment"] = raw.environment;
    raw.headers["hookline-received-at"] = raw.received_at;
    raw.headers["hookline-content-type"] = content_type;
    for (const auto& [name, value] : http_headers) {
      std::string lower;
      for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      raw.headers["http-" + lower] = value;
    }
  }
  TestDelivery(const TestDelivery&) = delete;
  TestDelivery& operator=(const TestDelivery&) = delete;
};

inline std::vector<MappedEvent> expect_events(const MappingResult& result) {
  if (const auto* err = std::get_if<MappingError>(&result)) {
    BOOST_FAIL("mapping failed: " << err->reason << ": " << err->message);
  }
  return std::get<std::vector<MappedEvent>>(result);
}

inline std::string expect_error(const MappingResult& result) {
  if (const auto* err = std::get_if<MappingError>(&result)) return err->reason;
  BOOST_ERROR("expected a mapping error, got events");
  return "";
}

// Validates a signal's value against its schema; `why` says what failed.
inline bool signal_matches_schema(const Signal& signal, std::string& why) {
  static const auto consent_doc =
      parse_json_file(source_path("schemas/consent.changes.v1.schema.json"));
  static const auto approval_doc =
      parse_json_file(source_path("schemas/approvals.decisions.v1.schema.json"));
  static const rapidjson::SchemaDocument consent(consent_doc);
  static const rapidjson::SchemaDocument approval(approval_doc);
  rapidjson::Document value;
  value.Parse(signal.value.data(), signal.value.size());
  if (value.HasParseError()) {
    why = "not JSON";
    return false;
  }
  rapidjson::SchemaValidator validator(signal.kind == Signal::Kind::consent ? consent : approval);
  if (value.Accept(validator)) return true;
  rapidjson::StringBuffer sb;
  validator.GetInvalidSchemaPointer().StringifyUriFragment(sb);
  rapidjson::StringBuffer doc_sb;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(doc_sb);
  why = std::string(sb.GetString()) + " " + validator.GetInvalidSchemaKeyword() + " at " +
        doc_sb.GetString() + " in " + signal.value;
  return false;
}

}  // namespace hookline::normalizer::test
