#include "core/kafka/admin.h"

#include "core/kafka/error.h"
#include "core/kafka/handles.h"

namespace hookline::kafka {
namespace {

struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* p) const noexcept { rd_kafka_AdminOptions_destroy(p); }
};
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;

AdminOptionsPtr admin_options(rd_kafka_t* rk, rd_kafka_admin_op_t op,
                              std::chrono::milliseconds timeout) {
  AdminOptionsPtr opts(rd_kafka_AdminOptions_new(rk, op));
  char err[256];
  rd_kafka_AdminOptions_set_request_timeout(opts.get(), static_cast<int>(timeout.count()), err,
                                            sizeof err);
  rd_kafka_AdminOptions_set_operation_timeout(opts.get(), static_cast<int>(timeout.count()), err,
                                              sizeof err);
  return opts;
}

// Waits for the admin result event of type `type` on `queue`.
Result<EventPtr> wait_event(rd_kafka_queue_t* queue, rd_kafka_event_type_t type,
                            std::chrono::milliseconds timeout, const std::string& what) {
  // The call's own timeouts bound it; the extra second covers event delivery.
  EventPtr ev(rd_kafka_queue_poll(queue, static_cast<int>(timeout.count()) + 1000));
  if (!ev) return to_error(RD_KAFKA_RESP_ERR__TIMED_OUT, what);
  if (rd_kafka_event_type(ev.get()) != type) {
    return Error{ErrorKind::permanent, make_error_code(RD_KAFKA_RESP_ERR__FAIL),
                 what + ": unexpected event " + rd_kafka_event_name(ev.get())};
  }
  if (auto err = rd_kafka_event_error(ev.get())) {
    Error e = to_error(err, what);
    e.message = what + ": " + rd_kafka_event_error_string(ev.get());
    return e;
  }
  return ev;
}

}  // namespace

std::unique_ptr<AdminClient> AdminClient::create(const KafkaConfig& cfg,
                                                 const std::string& client_id) {
  std::unique_ptr<AdminClient> c(new AdminClient());
  c->state_ = std::make_unique<ClientState>();
  c->state_->client_id = client_id;
  c->state_->owner = c.get();
  c->bootstrap_ = cfg.bootstrap;
  ClientSettings settings;
  settings.client_id = client_id;
  settings.defaults = quiet_client_defaults();
  c->rk_ = make_handle(RD_KAFKA_PRODUCER, make_conf(cfg, settings, c->state_.get()));
  return c;
}

Error no_admin_api(const std::string& what) {
  return Error{ErrorKind::permanent, make_error_code(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE),
               what +
                   ": the cluster names no controller among its brokers, so it takes no admin "
                   "requests (the dev broker has no admin API)"};
}

bool is_unsupported(const Error& error) noexcept {
  return error.code == make_error_code(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE) ||
         error.code == make_error_code(RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION);
}

Result<ClusterMetadata> describe_cluster(rd_kafka_t* rk, const std::string& bootstrap,
                                         std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  auto err = rd_kafka_metadata(rk, 1, nullptr, &raw, static_cast<int>(timeout.count()));
  MetadataPtr md(raw);
  if (err) {
    Error e = to_error(err, "Kafka at " + bootstrap + " did not answer within " +
                                std::to_string(timeout.count()) + " ms");
    return e;
  }
  ClusterMetadata out;
  const int32_t controller = rd_kafka_controllerid(rk, 0);  // cached by the call above
  for (int i = 0; i < md->broker_cnt; ++i) {
    out.brokers.push_back(std::string(md->brokers[i].host) + ":" +
                          std::to_string(md->brokers[i].port));
    if (md->brokers[i].id == controller) out.has_controller = true;
  }
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    TopicMetadata tm;
    tm.name = t.topic;
    tm.partitions = t.partition_cnt;
    tm.replication_factor = t.partition_cnt > 0 ? t.partitions[0].replica_cnt : 0;
    if (t.err) tm.error = rd_kafka_err2str(t.err);
    out.topics.emplace(tm.name, std::move(tm));
  }
  return out;
}

Status create_topics(rd_kafka_t* rk, const std::vector<NewTopic>& topics,
                     std::chrono::milliseconds timeout) {
  if (topics.empty()) return {};
  std::vector<rd_kafka_NewTopic_t*> specs;
  auto destroy_specs = [&] { rd_kafka_NewTopic_destroy_array(specs.data(), specs.size()); };
  char err[512];
  for (const auto& t : topics) {
    rd_kafka_NewTopic_t* nt =
        rd_kafka_NewTopic_new(t.name.c_str(), t.partitions, t.replication_factor, err, sizeof err);
    if (!nt) {
      destroy_specs();
      return Error{ErrorKind::permanent, make_error_code(RD_KAFKA_RESP_ERR__INVALID_ARG),
                   "topic " + t.name + ": " + err};
    }
    for (const auto& [k, v] : t.config) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
    specs.push_back(nt);
  }
  QueuePtr queue(rd_kafka_queue_new(rk));
  auto opts = admin_options(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout);
  rd_kafka_CreateTopics(rk, specs.data(), specs.size(), opts.get(), queue.get());
  destroy_specs();
  auto ev = wait_event(queue.get(), RD_KAFKA_EVENT_CREATETOPICS_RESULT, timeout, "create topics");
  if (!ev) return ev.error();
  const auto* res = rd_kafka_event_CreateTopics_result(ev->get());
  size_t n = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    auto e = rd_kafka_topic_result_error(results[i]);
    if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      Error out =
          to_error(e, std::string("create topic ") + rd_kafka_topic_result_name(results[i]));
      if (const char* s = rd_kafka_topic_result_error_string(results[i]))
        out.message += std::string(" (") + s + ")";
      return out;
    }
  }
  return {};
}

Result<std::map<std::string, std::map<std::string, std::string>>> describe_topic_configs(
    rd_kafka_t* rk, const std::vector<std::string>& topics, std::chrono::milliseconds timeout) {
  std::map<std::string, std::map<std::string, std::string>> out;
  if (topics.empty()) return out;
  std::vector<rd_kafka_ConfigResource_t*> resources;
  for (const auto& t : topics) {
    resources.push_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, t.c_str()));
  }
  QueuePtr queue(rd_kafka_queue_new(rk));
  auto opts = admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout);
  rd_kafka_DescribeConfigs(rk, resources.data(), resources.size(), opts.get(), queue.get());
  rd_kafka_ConfigResource_destroy_array(resources.data(), resources.size());
  auto ev = wait_event(queue.get(), RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, timeout,
                       "describe topic configs");
  if (!ev) return ev.error();
  const auto* res = rd_kafka_event_DescribeConfigs_result(ev->get());
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs = rd_kafka_DescribeConfigs_result_resources(res, &n);
  for (size_t i = 0; i < n; ++i) {
    std::string name = rd_kafka_ConfigResource_name(rs[i]);
    if (auto e = rd_kafka_ConfigResource_error(rs[i])) {
      return to_error(e, "describe configs of " + name);
    }
    size_t cnt = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[i], &cnt);
    auto& cfg = out[name];
    for (size_t j = 0; j < cnt; ++j) {
      const char* v = rd_kafka_ConfigEntry_value(entries[j]);
      cfg[rd_kafka_ConfigEntry_name(entries[j])] = v ? v : "";
    }
  }
  return out;
}

}  // namespace hookline::kafka
