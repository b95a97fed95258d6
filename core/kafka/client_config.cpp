#include "core/kafka/client_config.h"

#include "core/kafka/error.h"
#include "core/log.h"

namespace hookline::kafka {
namespace {

const log::Logger& kafka_log() {
  static const log::Logger logger("kafka");
  return logger;
}

void log_cb(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  // syslog levels: 0-3 error, 4 warning, 5-6 info/notice, 7 debug.
  log::Level lvl = level <= 3   ? log::Level::error
                   : level == 4 ? log::Level::warn
                   : level <= 6 ? log::Level::info
                                : log::Level::debug;
  kafka_log().write(lvl, buf, {{"client", rd_kafka_name(rk)}, {"facility", fac}});
}

void error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* state = static_cast<ClientState*>(opaque);
  if (state) state->last_error.store(err);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    if (state) state->fatal.store(true);
    char buf[512];
    rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
    kafka_log().error(
        "fatal client error",
        {{"client", rd_kafka_name(rk)}, {"code", rd_kafka_err2name(orig)}, {"reason", buf}});
    return;
  }
  // Transport errors are routine while a broker restarts; librdkafka retries by itself.
  kafka_log().warn("client error",
                   {{"client", rd_kafka_name(rk)},
                    {"code", rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))},
                    {"reason", reason}});
}

void set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value,
         const std::string& origin) {
  char err[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    throw KafkaError(origin + ": librdkafka property '" + name + "': " + err);
  }
}

}  // namespace

Properties quiet_client_defaults() {
  return {{"log_level", "2"}};
}

ConfPtr make_conf(const KafkaConfig& cfg, const ClientSettings& settings, ClientState* state) {
  ConfPtr conf(rd_kafka_conf_new());
  set(conf.get(), "bootstrap.servers", cfg.bootstrap, "kafka.bootstrap");
  if (!settings.client_id.empty()) set(conf.get(), "client.id", settings.client_id, "client id");
  for (const auto& [k, v] : settings.defaults) set(conf.get(), k, v, "hookline default");
  for (const auto& [k, v] : cfg.properties) {
    auto origin = cfg.property_origin.find(k);
    std::string where = origin != cfg.property_origin.end() ? origin->second : "kafka.properties";
    auto req = settings.required.find(k);
    if (req != settings.required.end() && req->second != v) {
      throw KafkaError(where + ": librdkafka property '" + k + "' must be '" + req->second +
                       "' for " + settings.client_id + " (hookline relies on it), not '" + v + "'");
    }
    set(conf.get(), k, v, where);
  }
  for (const auto& [k, v] : settings.required) set(conf.get(), k, v, "hookline requirement");
  rd_kafka_conf_set_log_cb(conf.get(), &log_cb);
  rd_kafka_conf_set_error_cb(conf.get(), &error_cb);
  rd_kafka_conf_set_opaque(conf.get(), state);
  return conf;
}

HandlePtr make_handle(rd_kafka_type_t type, ConfPtr conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (!rk) throw KafkaError(std::string("cannot create Kafka client: ") + err);
  (void)conf.release();  // rd_kafka_new took ownership
  return HandlePtr(rk);
}

Status wait_for_cluster(rd_kafka_t* rk, const std::string& bootstrap,
                        std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk, 0, nullptr, &md, static_cast<int>(timeout.count()));
  MetadataPtr holder(md);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Error e = to_error(err, "Kafka at " + bootstrap + " did not answer within " +
                                std::to_string(timeout.count()) + " ms");
    e.kind = ErrorKind::fatal;
    return e;
  }
  return {};
}

}  // namespace hookline::kafka
