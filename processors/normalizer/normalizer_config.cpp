#include "processors/normalizer/normalizer_config.h"

#include <unistd.h>

#include <charconv>

#include "core/json_reader.h"

namespace hookline::normalizer {
namespace {

void parse_listen(const std::string& text, NormalizerConfig& out, const std::string& origin) {
  ListenAddress a = parse_listen_address(text, origin, "metrics address", "0.0.0.0:9102");
  out.metrics_host = std::move(a.host);
  out.metrics_port = static_cast<std::uint16_t>(a.port);
}

std::string hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "local";
  return buf;
}

void check_instance_id(const std::string& id, const std::string& origin) {
  if (id.empty() || id.size() > 200) {
    throw ConfigError(origin + ": instance id must be 1 to 200 characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      throw ConfigError(origin + ": instance id may hold letters, digits, '-', '_' and '.' only");
    }
  }
}

}  // namespace

NormalizerConfig load_normalizer_config(const Config& cfg, const Environment& env,
                                        const ParsedArgs& args) {
  NormalizerConfig out;
  out.providers_dir = cfg.topology.dir + "/providers";
  out.instance_id = hostname();
  std::string instance_origin = "the host name";
  auto doc = component_section(cfg, "normalizer");
  ObjectReader r(doc, cfg.source, "normalizer");
  out.input_topic = r.string("input_topic", out.input_topic);
  out.dlq_topic = r.string("dlq_topic", out.dlq_topic);
  out.group_id = r.string("group_id", out.group_id);
  if (auto id = r.string("instance_id")) {
    out.instance_id = *id;
    instance_origin = r.where("instance_id");
  }
  constexpr std::int64_t kMaxWindowS = 366LL * 24 * 3600;
  out.dedup_window = std::chrono::seconds(r.integer("dedup_window_s", 86400, 1, kMaxWindowS));
  for (const auto& [provider, text] : r.string_map("dedup_window_s_by_provider")) {
    std::int64_t s = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), s);
    if (ec != std::errc() || p != text.data() + text.size() || s < 1 || s > kMaxWindowS) {
      r.fail("dedup_window_s_by_provider", "values must be whole seconds from 1 to " +
                                               std::to_string(kMaxWindowS) + " ('" + provider +
                                               "' has '" + text + "')");
    }
    out.provider_windows[provider] = std::chrono::seconds(s);
  }
  out.batch_records = static_cast<std::size_t>(r.integer("batch_records", 5000, 1, 100000));
  out.batch_interval = std::chrono::milliseconds(r.integer("batch_interval_ms", 100, 1, 60000));
  out.commit_timeout =
      std::chrono::milliseconds(r.integer("commit_timeout_ms", 30000, 1000, 600000));
  out.restore_timeout =
      std::chrono::milliseconds(r.integer("restore_timeout_ms", 300000, 1000, 3600000));
  if (auto listen = r.string("metrics_listen"))
    parse_listen(*listen, out, r.where("metrics_listen"));
  out.providers_dir = r.string("providers_dir", out.providers_dir);
  r.finish();

  if (auto it = env.find("HOOKLINE_NORMALIZER_INSTANCE_ID"); it != env.end()) {
    out.instance_id = it->second;
    instance_origin = "environment variable HOOKLINE_NORMALIZER_INSTANCE_ID";
  }
  if (auto it = env.find("HOOKLINE_NORMALIZER_METRICS_LISTEN"); it != env.end()) {
    parse_listen(it->second, out, "environment variable HOOKLINE_NORMALIZER_METRICS_LISTEN");
  }
  if (auto id = args.get("instance-id")) {
    out.instance_id = *id;
    instance_origin = "--instance-id";
  }
  if (auto listen = args.get("metrics-listen")) parse_listen(*listen, out, "--metrics-listen");
  if (auto dir = args.get("providers")) out.providers_dir = *dir;
  check_instance_id(out.instance_id, instance_origin);
  out.changelog_topic = out.group_id + ".dedup-changelog";
  return out;
}

}  // namespace hookline::normalizer
