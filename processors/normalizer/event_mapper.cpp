#include "processors/normalizer/event_mapper.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <set>
#include <utility>

#include "core/json_reader.h"
#include "processors/normalizer/provider_mapper.h"

namespace hookline::normalizer {
namespace {

class ManifestEventMapper final : public EventMapper {
 public:
  void add(std::string provider, NormalizeSpec spec) {
    providers_.emplace(std::move(provider), std::make_unique<ProviderMapper>(std::move(spec)));
  }

  MappingResult map(const RawDelivery& delivery) const override {
    const auto it = providers_.find(delivery.provider);
    if (it == providers_.end()) {
      return MappingError{"unknown-provider", "no provider manifest for the record's provider"};
    }
    try {
      return it->second->map(delivery);
    } catch (const std::exception& e) {
      // Not expected on any input; a DLQ'd record beats a stopped partition.
      return MappingError{"internal-error", e.what()};
    }
  }

  std::vector<std::string> topics() const override {
    std::set<std::string> all;
    for (const auto& [name, mapper] : providers_) {
      for (auto& t : mapper->spec().topics()) all.insert(std::move(t));
    }
    return {all.begin(), all.end()};
  }

 private:
  std::map<std::string, std::unique_ptr<const ProviderMapper>, std::less<>> providers_;
};

}  // namespace

std::shared_ptr<const EventMapper> EventMapper::load(const std::string& providers_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(providers_dir, ec)) {
    throw ConfigError(providers_dir + ": not a folder of provider manifests");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(providers_dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw ConfigError(providers_dir + ": no provider manifests (*.json)");
  auto mapper = std::make_shared<ManifestEventMapper>();
  for (const auto& file : files) {
    const std::string path = file.string();
    const auto doc = parse_json_file(path);
    ObjectReader root(doc, path, "");
    const std::string provider = root.required_string("provider");
    if (file.stem().string() != provider) {
      root.fail("provider", "is '" + provider + "' but the file is " + file.filename().string());
    }
    const auto keep_headers = root.string_array("keep_headers");
    if (!root.has("normalize")) {
      root.fail("normalize", "is required: the normalizer maps every provider it may receive");
    }
    root.object("normalize", [&](ObjectReader& section) {
      mapper->add(provider, read_normalize_spec(section, provider, keep_headers));
    });
    root.skip_rest();  // the ingest's keys: hookline-ingest validates them
  }
  return mapper;
}

}  // namespace hookline::normalizer
