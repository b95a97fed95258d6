#pragma once
// Drives outbound send requests into outbound.requests at a steady rate, as internal teams
// do: transactional email on resend/main, marketing email to contacts without consent (the
// gatekeeper must suppress it), transactional email on resend/failing (its provider answers
// 5xx for a while), and one bulk campaign that waits for an Approve in Slack.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/kafka/producer.h"
#include "tests/e2e/e2e_stack.h"

namespace hookline::e2e {

enum class RequestKind { transactional, marketing, failing, campaign };
const char* to_string(RequestKind k);

struct PlannedRequest {
  std::string id;
  RequestKind kind;
  std::int64_t produced_ms = 0;
  bool acknowledged = false;  // Kafka acknowledged it: it must end in a final result
};

class RequestLoad {
 public:
  RequestLoad(E2eStack& stack, double rate_per_s, std::string tag, unsigned seed);
  ~RequestLoad();

  void start();
  void stop();
  // The campaign's messages, `recipients` declared (over the approval threshold).
  void publish_campaign(int messages, int recipients);
  // The failing connection's provider answers 500 from break until mend.
  void break_failing_connection();
  void mend_failing_connection();

  const std::vector<PlannedRequest>& requests() const { return requests_; }
  double generating_seconds() const { return generating_s_; }
  std::int64_t failed_produces() const { return failed_produces_; }

  static constexpr const char* kCampaignId = "cmp_2026_spring_sale";  // the Slack fixture's

 private:
  void generator();
  void produce(RequestKind kind, const std::string& campaign_json = "");

  E2eStack& stack_;
  const double rate_;
  const std::string tag_;
  std::mt19937 rng_;
  std::unique_ptr<kafka::Producer> producer_;
  std::mutex mu_;
  std::vector<PlannedRequest> requests_;
  std::atomic<bool> generating_{false};
  std::atomic<std::int64_t> failed_produces_{0};
  double generating_s_ = 0;
  std::int64_t outage_ = 0;  // the simulator's fault id
  std::thread thread_;
};

}  // namespace hookline::e2e
