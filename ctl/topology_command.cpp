#include "ctl/topology_command.h"

#include <iostream>

#include "core/cli_args.h"
#include "core/kafka/admin.h"
#include "core/topology.h"

namespace hookline::ctl {
namespace {

constexpr int kExitDrift = 3;

constexpr const char* kUsage = R"(usage: hookline topology <apply|check> [--topology FILE]

  apply   create the declared topics that are missing, then check
  check   compare the cluster with the declaration; exit 3 on drift

Checks: every declared topic exists, with the declared partition count and replication
factor, and with the declared configuration (retention.ms, cleanup.policy, ...). Against a
broker without an admin API (the dev broker) the configuration checks are skipped and said so.
apply never changes partition counts or configs of existing topics: it reports them as drift.
)";

std::vector<std::string> compare(const Topology& topo, const kafka::ClusterMetadata& md) {
  std::vector<std::string> d;
  for (const auto& t : topo.topics) {
    auto it = md.topics.find(t.name);
    if (it == md.topics.end() || !it->second.error.empty()) {
      d.push_back("missing topic " + t.name);
      continue;
    }
    if (it->second.partitions != t.partitions) {
      d.push_back("topic " + t.name + " has " + std::to_string(it->second.partitions) +
                  " partitions, declared " + std::to_string(t.partitions));
    }
    if (it->second.replication_factor != t.replication_factor) {
      d.push_back("topic " + t.name + " has replication factor " +
                  std::to_string(it->second.replication_factor) + ", declared " +
                  std::to_string(t.replication_factor));
    }
  }
  return d;
}

// Adds config drift lines; returns false when the broker cannot describe configs.
bool compare_configs(const Topology& topo, const kafka::ClusterMetadata& md,
                     const kafka::AdminClient& admin, const Config& cfg,
                     std::vector<std::string>& d, std::string& skipped_reason) {
  std::vector<std::string> names;
  for (const auto& t : topo.topics) {
    if (md.topics.contains(t.name) && !t.config.empty()) names.push_back(t.name);
  }
  if (!md.has_controller) {
    skipped_reason = "the cluster takes no admin requests (no controller); the dev broker has none";
    return false;
  }
  auto configs = kafka::describe_topic_configs(admin.handle(), names, cfg.kafka.timeout);
  if (!configs) {
    if (kafka::is_unsupported(configs.error())) {
      skipped_reason = "the broker does not support DescribeConfigs";
      return false;
    }
    throw std::runtime_error(configs.error().message);
  }
  for (const auto& name : names) {
    const TopicSpec* t = topo.find(name);
    const auto& actual = (*configs)[name];
    for (const auto& [k, v] : t->config) {
      auto a = actual.find(k);
      if (a == actual.end() || a->second != v) {
        d.push_back("topic " + name + " config " + k + " is '" +
                    (a == actual.end() ? std::string("(unset)") : a->second) + "', declared '" + v +
                    "'");
      }
    }
  }
  return true;
}

int check(const Topology& topo, const kafka::AdminClient& admin, const Config& cfg) {
  const TopologyCheck c = check_topology(topo, admin, cfg);
  std::cout << "checked " << c.declared << " declared topics against " << admin.bootstrap() << " ("
            << c.brokers << " brokers)\n";
  std::cout << "checked: existence, partition counts, replication factors"
            << (c.configs_checked ? ", topic configs" : "") << "\n";
  if (!c.configs_checked) std::cout << "skipped: topic configs (" << c.configs_skipped << ")\n";
  for (const auto& line : c.drift) std::cout << "drift: " << line << "\n";
  if (!c.drift.empty()) {
    std::cerr << "hookline topology check: " << c.drift.size() << " difference(s) from "
              << topo.source << "; first: " << c.drift.front() << "\n";
    return kExitDrift;
  }
  std::cout << "topology in step with " << topo.source << "\n";
  return 0;
}

int apply(const Topology& topo, const kafka::AdminClient& admin, const Config& cfg) {
  auto md = admin.describe(cfg.kafka.timeout);
  if (!md) throw std::runtime_error(md.error().message);
  std::vector<kafka::NewTopic> missing;
  for (const auto& t : topo.topics) {
    auto it = md->topics.find(t.name);
    if (it == md->topics.end() || !it->second.error.empty()) {
      missing.push_back({t.name, t.partitions, t.replication_factor, t.config});
    }
  }
  if (missing.empty()) {
    std::cout << "no topic to create: all " << topo.topics.size() << " declared topics exist\n";
  } else {
    Status st = md->has_controller
                    ? kafka::create_topics(admin.handle(), missing, cfg.kafka.timeout)
                    : Status(kafka::no_admin_api("create topics"));
    if (!st) {
      if (kafka::is_unsupported(st.error())) {
        throw std::runtime_error(
            "cannot create " + std::to_string(missing.size()) +
            " missing topic(s) (first: " + missing.front().name +
            "): the broker takes no CreateTopics (no admin API). The dev broker creates the "
            "declared topics when it starts: restart it after changing " +
            topo.source);
      }
      throw std::runtime_error(st.error().message);
    }
    for (const auto& t : missing) std::cout << "created topic " << t.name << "\n";
  }
  return check(topo, admin, cfg);
}

}  // namespace

TopologyCheck check_topology(const Topology& topo, const kafka::AdminClient& admin,
                             const Config& cfg) {
  auto md = admin.describe(cfg.kafka.timeout);
  if (!md) throw std::runtime_error(md.error().message);
  TopologyCheck c;
  c.declared = topo.topics.size();
  c.brokers = md->brokers.size();
  c.drift = compare(topo, *md);
  c.configs_checked = compare_configs(topo, *md, admin, cfg, c.drift, c.configs_skipped);
  return c;
}

int run_topology_command(const std::vector<std::string>& args, const Config& cfg) {
  try {
    ParsedArgs a = parse_args(args, FlagSpec{{"topology"}, {"help"}}, "hookline topology");
    if (a.has("help") || a.positional.empty()) {
      (a.has("help") ? std::cout : std::cerr) << kUsage;
      return a.has("help") ? 0 : 2;
    }
    if (a.positional.size() > 1) {
      throw UsageError("hookline topology: unexpected argument '" + a.positional[1] + "'");
    }
    const std::string& cmd = a.positional[0];
    if (cmd != "apply" && cmd != "check") {
      throw UsageError("hookline topology: unknown command '" + cmd + "' (apply or check)");
    }
    Topology topo = load_topology(a.get("topology", cfg.topology.topics_file()));
    auto admin = kafka::AdminClient::create(cfg.kafka, "hookline-ctl");
    return cmd == "apply" ? apply(topo, *admin, cfg) : check(topo, *admin, cfg);
  } catch (const UsageError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "hookline topology: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace hookline::ctl
