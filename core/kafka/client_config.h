#pragma once
// Builds librdkafka configurations. Every Kafka setting is a librdkafka property, so a real
// cluster (SASL, TLS, ...) is configured the same way as the dev broker.
#include <atomic>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/handles.h"

namespace hookline::kafka {

// Thrown at start-up only (client creation); the data path returns Result.
class KafkaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Properties = std::map<std::string, std::string>;

struct ClientSettings {
  std::string client_id;
  Properties defaults;  // the role's defaults; the user's config may change them
  Properties required;  // hookline's guarantees; a user value that differs is refused
};

// State shared with librdkafka's callbacks (the handle's opaque). Lives as long as the handle.
struct ClientState {
  std::string client_id;
  std::atomic<bool> fatal{false};
  std::atomic<int> last_error{0};
  void* owner = nullptr;  // the wrapper object, for role-specific callbacks
};

// Layers defaults < user properties (config file and HOOKLINE_KAFKA_*) < required, sets the
// log and error callbacks. Throws KafkaError naming the property on a bad value.
ConfPtr make_conf(const KafkaConfig& cfg, const ClientSettings& settings, ClientState* state);

// The librdkafka properties that keep a tool's client quiet (log_level 2: librdkafka's own
// log lines off; the errors come back as results). The user's HOOKLINE_KAFKA_LOG_LEVEL wins.
Properties quiet_client_defaults();

// Creates the handle (type producer or consumer). Throws KafkaError.
HandlePtr make_handle(rd_kafka_type_t type, ConfPtr conf);

// Waits until the cluster answers a metadata request; the error names the bootstrap address.
Status wait_for_cluster(rd_kafka_t* rk, const std::string& bootstrap,
                        std::chrono::milliseconds timeout);

}  // namespace hookline::kafka
