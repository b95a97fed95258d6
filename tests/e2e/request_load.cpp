#include "tests/e2e/request_load.h"

#include <chrono>
#include <stdexcept>

#include "core/kafka/client_config.h"
#include "tests/e2e/deliveries.h"
#include "tests/e2e/webhook_load.h"

namespace hookline::e2e {

using namespace std::chrono_literals;

const char* to_string(RequestKind k) {
  switch (k) {
    case RequestKind::transactional:
      return "transactional";
    case RequestKind::marketing:
      return "marketing";
    case RequestKind::failing:
      return "failing";
    case RequestKind::campaign:
      return "campaign";
  }
  return "?";
}

RequestLoad::RequestLoad(E2eStack& stack, double rate_per_s, std::string tag, unsigned seed)
    : stack_(stack), rate_(rate_per_s), tag_(std::move(tag)), rng_(seed) {
  kafka::Producer::Options opts;
  opts.client_id = "hookline-e2e-requests";
  opts.defaults = kafka::quiet_client_defaults();
  producer_ = kafka::Producer::create(stack_.broker().kafka_config(), opts);
}

RequestLoad::~RequestLoad() {
  stop();
  if (producer_) producer_->close(30s);
}

void RequestLoad::start() {
  generating_ = true;
  thread_ = std::thread([this] { generator(); });
}

void RequestLoad::stop() {
  generating_ = false;
  if (thread_.joinable()) thread_.join();
  if (producer_) (void)producer_->flush(60s);
}

void RequestLoad::produce(RequestKind kind, const std::string& campaign_json) {
  std::size_t index;
  std::string id;
  {
    std::lock_guard lock(mu_);
    index = requests_.size();
    id = "req-" + tag_ + "-" + std::to_string(index);
    requests_.push_back({id, kind, now_ms(), false});
  }
  const int n = static_cast<int>(index);
  const std::string connection = kind == RequestKind::failing ? "resend/failing" : "resend/main";
  // Marketing goes to contacts that never opted in; the others are transactional.
  const std::string purpose = kind == RequestKind::marketing ? "marketing" : "transactional";
  const std::string value =
      R"({"schema_version":1,"id":")" + id + R"(","tenant":"acme","connection":")" + connection +
      R"(","channel":"email","purpose":")" + purpose + R"(","contact":{"id":"c-)" + id +
      R"(","address":")" + marker_email(n) +
      R"("},"content":{"subject":"Your order","text":"Call )" + marker_phone(n) +
      R"( with questions"})" + (campaign_json.empty() ? "" : "," + campaign_json) + "}";
  kafka::OutRecord r;
  r.topic = "outbound.requests";
  r.key = std::string_view(connection);
  r.value = std::string_view(value);
  Status st = producer_->produce(r, [this, index](const kafka::DeliveryReport& rep) {
    if (rep.error) {
      ++failed_produces_;
      return;
    }
    std::lock_guard lock(mu_);
    requests_[index].acknowledged = true;
  });
  if (!st) ++failed_produces_;
}

void RequestLoad::publish_campaign(int messages, int recipients) {
  const std::string campaign = R"("campaign":{"id":")" + std::string(kCampaignId) +
                               R"(","name":"Spring sale","recipients":)" +
                               std::to_string(recipients) + "}";
  for (int i = 0; i < messages; ++i) produce(RequestKind::campaign, campaign);
}

void RequestLoad::break_failing_connection() {
  test::SimFault f;
  f.match.target = "re_key_failing";
  f.status = 500;
  f.count = -1;
  outage_ = stack_.sim().add_fault(f);
}

void RequestLoad::mend_failing_connection() {
  if (outage_) stack_.sim().remove_fault(outage_);
  outage_ = 0;
}

void RequestLoad::generator() {
  const auto start = std::chrono::steady_clock::now();
  const auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / rate_));
  std::uniform_real_distribution<double> u(0, 1);
  for (std::int64_t i = 0; generating_; ++i) {
    std::this_thread::sleep_until(start + step * i);
    const double roll = u(rng_);
    produce(roll < 0.6   ? RequestKind::transactional
            : roll < 0.8 ? RequestKind::marketing
                         : RequestKind::failing);
  }
  generating_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace hookline::e2e
