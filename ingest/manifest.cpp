#include "ingest/manifest.h"

#include <algorithm>
#include <filesystem>

#include "ingest/providers/registry.h"

namespace hookline::ingest {
namespace {

constexpr size_t kMaxBodyLimit = 64 * 1024 * 1024;

bool valid_provider_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::vector<Extractor> read_extractors(ObjectReader& root, const char* key) {
  std::vector<Extractor> out;
  root.array_of_objects(key, [&](ObjectReader& r) { out.push_back(read_extractor(r)); });
  return out;
}

}  // namespace

Manifest load_manifest(const std::string& path) {
  auto doc = parse_json_file(path);
  ObjectReader root(doc, path, "");
  Manifest m;
  m.source = path;
  m.provider = root.required_string("provider");
  if (!valid_provider_name(m.provider)) {
    root.fail("provider", "must be 1-64 characters of a-z, 0-9, '-' and '_'");
  }
  m.description = root.string("description", "");
  root.object("scheme", [&](ObjectReader& s) {
    m.scheme_name = s.string("name", "");
    m.scheme = make_scheme(s);
  });
  if (!m.scheme) root.fail("scheme", "is required");
  m.delivery_id = read_extractors(root, "delivery_id");
  m.event_type = read_extractors(root, "event_type");
  m.batch = root.boolean("batch").value_or(false);
  m.keep_headers = root.string_array("keep_headers");
  m.body_limit = static_cast<size_t>(root.integer("body_limit_bytes", kDefaultBodyLimit, 1,
                                                  static_cast<std::int64_t>(kMaxBodyLimit)));
  std::string hs = root.string("handshake", "none");
  if (hs == "none")
    m.handshake = Handshake::none;
  else if (hs == "meta-verify-token")
    m.handshake = Handshake::meta_verify_token;
  else if (hs == "slack-url-verification")
    m.handshake = Handshake::slack_url_verification;
  else
    root.fail("handshake", "must be none, meta-verify-token or slack-url-verification");
  // The normalizer's section shares the file; the ingest leaves it to the normalizer.
  if (root.has("normalize")) root.object("normalize", [](ObjectReader& n) { n.skip_rest(); });
  root.finish();
  // Whatever the manifest says, a delivery always gets an identity.
  m.delivery_id.push_back(Extractor{Extractor::Kind::body_hash, "", ""});
  return m;
}

std::map<std::string, Manifest, std::less<>> load_manifests(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ConfigError(dir + ": not a folder of provider manifests");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, Manifest, std::less<>> out;
  for (const auto& f : files) {
    Manifest m = load_manifest(f.string());
    if (f.stem().string() != m.provider) {
      throw ConfigError(f.string() + ": key 'provider': is '" + m.provider +
                        "' but the file is named " + f.filename().string() +
                        " (name it <provider>.json)");
    }
    out.emplace(m.provider, std::move(m));
  }
  if (out.empty()) throw ConfigError(dir + ": no provider manifests (*.json)");
  return out;
}

}  // namespace hookline::ingest
