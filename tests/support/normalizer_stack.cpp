#include "tests/support/normalizer_stack.h"

#include <atomic>
#include <cstdio>
#include <regex>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "core/files.h"
#include "core/time_format.h"

namespace hookline::test {

kafka::Headers raw_record_headers(const RawDeliveryRecord& r, const std::string& received_at) {
  kafka::Headers h{{"hookline-provider", r.provider},
                   {"hookline-connection", r.connection},
                   {"hookline-tenant", "acme"},
                   {"hookline-environment", "dev"},
                   {"hookline-delivery-id", r.delivery_id},
                   {"hookline-event-type", ""},
                   {"hookline-received-at", received_at},
                   {"hookline-content-type", r.content_type},
                   {"hookline-scheme", r.provider},
                   {"hookline-key-source", "delivery-id"}};
  for (const auto& [name, value] : r.kept_headers) {
    std::string lower;
    for (char c : name) {
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    h.emplace_back("http-" + lower, value);
  }
  return h;
}

RawDeliveryRecord stripe_delivery(const std::string& id, std::int64_t created) {
  RawDeliveryRecord r;
  r.key = "stripe/main/" + id;
  r.delivery_id = id;
  r.body = R"({"id":")" + id +
           R"(","object":"event","type":"payment_intent.succeeded","created":)" +
           std::to_string(created) + R"(,"data":{"object":{"id":"pi_)" + id +
           R"(","object":"payment_intent","amount":2000,"currency":"usd"}}})";
  r.kept_headers = {{"Stripe-Signature", "t=" + std::to_string(created) + ",v1=00"}};
  return r;
}

NormalizerStack::NormalizerStack(const std::string& normalizer_config, DevBroker* broker) {
  if (broker) {
    broker_ptr_ = broker;
  } else {
    broker_ = std::make_unique<DevBroker>();
    broker_ptr_ = broker_.get();
  }
  config_path_ = dir_.file("hookline.json");
  write_file_atomic(config_path_,
                    R"({"kafka": {"timeout_ms": 10000}, "normalizer": )" + normalizer_config + "}");
  kafka::Producer::Options opts;
  opts.client_id = "hookline-test-raw-producer";
  producer_ = kafka::Producer::create(broker_ptr_->kafka_config(), opts);
}

NormalizerStack::~NormalizerStack() {
  for (auto& [id, p] : instances_) p->stop();
  if (producer_) producer_->close();
}

std::map<std::string, std::string> NormalizerStack::env(const std::string& instance_id) const {
  return {{"HOOKLINE_KAFKA_BOOTSTRAP", broker_ptr_->bootstrap()},
          {"HOOKLINE_TOPOLOGY_DIR", topology_dir_},
          {"HOOKLINE_CONFIG", config_path_},
          {"HOOKLINE_LOG_LEVEL", "info"},
          {"HOOKLINE_NORMALIZER_INSTANCE_ID", instance_id},
          {"HOOKLINE_NORMALIZER_METRICS_LISTEN", "127.0.0.1:0"},
          // A killed instance's partitions move to the others after this long.
          {"HOOKLINE_KAFKA_SESSION_TIMEOUT_MS", "6000"}};
}

ChildProcess& NormalizerStack::start(const std::string& instance_id) {
  if (auto it = instances_.find(instance_id); it != instances_.end()) it->second->stop();
  auto proc = std::make_unique<ChildProcess>(bin("hookline-normalizer"), std::vector<std::string>{},
                                             env(instance_id));
  std::smatch m;
  std::string out;
  const std::regex serving(R"(metrics on [^:]+:(\d+))");
  if (!eventually([&] {
        out = proc->out();
        return std::regex_search(out, m, serving) || !proc->running();
      }) ||
      !proc->running()) {
    throw std::runtime_error("hookline-normalizer did not start: " + proc->err());
  }
  metrics_ports_[instance_id] = std::stoi(m[1]);
  ChildProcess& ref = *proc;
  instances_[instance_id] = std::move(proc);
  return ref;
}

int NormalizerStack::stop(const std::string& instance_id) {
  const int code = instance(instance_id).stop(std::chrono::seconds(30));
  if (code != 0) {
    std::fprintf(stderr, "hookline-normalizer %s exited %d; its log ends:\n%s\n",
                 instance_id.c_str(), code, log_tail(instance_id).c_str());
  }
  return code;
}

std::string NormalizerStack::log_tail(const std::string& instance_id, std::size_t bytes) {
  const std::string err = instance(instance_id).err();
  return err.size() > bytes ? err.substr(err.size() - bytes) : err;
}

std::string NormalizerStack::metrics(const std::string& instance_id) {
  httplib::Client c("127.0.0.1", metrics_ports_.at(instance_id));
  c.set_connection_timeout(std::chrono::seconds(2));
  auto res = c.Get("/metrics");
  return res && res->status == 200 ? res->body : "";
}

void NormalizerStack::publish(const std::vector<RawDeliveryRecord>& records) {
  // Shared with the delivery callbacks, which may outlive this call if a flush times out.
  auto acked = std::make_shared<std::atomic<int>>(0);
  auto failed = std::make_shared<std::atomic<int>>(0);
  const std::string received_at = rfc3339_ms(std::chrono::system_clock::now());
  for (const auto& r : records) {
    const kafka::Headers h = raw_record_headers(r, received_at);
    kafka::OutRecord out{"webhooks.raw", std::string_view(r.key), r.body, &h};
    for (;;) {
      Status st = producer_->produce(out, [acked, failed](const kafka::DeliveryReport& rep) {
        (rep.error ? *failed : *acked).fetch_add(1);
      });
      if (st) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // queue full: let it drain
    }
  }
  if (!producer_->flush(std::chrono::seconds(60)) || failed->load() != 0 ||
      acked->load() != static_cast<int>(records.size())) {
    throw std::runtime_error("raw records were not all acknowledged");
  }
}

}  // namespace hookline::test
