#include "core/topology.h"

#include <set>

#include "core/json_reader.h"

namespace hookline {
namespace {

constexpr int kMaxPartitions = 1000;
constexpr int kMaxReplication = 16;

bool valid_topic_name(const std::string& name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const TopicSpec* Topology::find(const std::string& name) const {
  for (const auto& t : topics) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Topology load_topology(const std::string& path) {
  auto doc = parse_json_file(path);
  ObjectReader root(doc, path, "");
  Topology topo;
  topo.source = path;
  int default_partitions = 6;
  int default_rf = 3;
  std::map<std::string, std::string> default_config;
  root.object("defaults", [&](ObjectReader& d) {
    default_partitions = static_cast<int>(d.integer("partitions", 6, 1, kMaxPartitions));
    default_rf = static_cast<int>(d.integer("replication_factor", 3, 1, kMaxReplication));
    default_config = d.string_map("config");
  });
  std::set<std::string> names;
  auto add = [&](TopicSpec spec, ObjectReader& where) {
    if (!valid_topic_name(spec.name))
      where.fail("name", "'" + spec.name + "' is not a valid Kafka topic name");
    if (!names.insert(spec.name).second)
      where.fail("name", "topic '" + spec.name + "' is declared twice");
    topo.topics.push_back(std::move(spec));
  };
  auto read_common = [&](ObjectReader& t, TopicSpec& spec) {
    spec.partitions =
        static_cast<int>(t.integer("partitions", default_partitions, 1, kMaxPartitions));
    spec.replication_factor =
        static_cast<int>(t.integer("replication_factor", default_rf, 1, kMaxReplication));
    spec.config = default_config;
    for (auto& [k, v] : t.string_map("config")) spec.config[k] = v;
    spec.description = t.string("description", "");
  };
  root.array_of_objects("topics", [&](ObjectReader& t) {
    TopicSpec spec;
    spec.name = t.required_string("name");
    read_common(t, spec);
    add(std::move(spec), t);
  });
  root.object("retry", [&](ObjectReader& r) {
    std::string prefix = r.required_string("topic_prefix");
    TopicSpec base;
    read_common(r, base);
    r.array_of_objects("tiers", [&](ObjectReader& tier) {
      RetryTier rt;
      rt.name = tier.required_string("name");
      rt.delay = std::chrono::milliseconds(tier.integer("delay_ms", 0, 1, 7LL * 24 * 3600 * 1000));
      if (rt.delay.count() == 0) tier.fail("delay_ms", "is required");
      rt.topic = prefix + rt.name;
      if (!topo.retry_tiers.empty() && topo.retry_tiers.back().delay >= rt.delay) {
        tier.fail("delay_ms", "tiers must be declared in increasing delay");
      }
      TopicSpec spec = base;
      spec.name = rt.topic;
      spec.description = "outbound retry tier " + rt.name;
      add(std::move(spec), tier);
      topo.retry_tiers.push_back(std::move(rt));
    });
  });
  root.finish();
  if (topo.topics.empty()) throw ConfigError(path + ": declares no topics");
  return topo;
}

}  // namespace hookline
