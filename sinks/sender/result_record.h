#pragma once
// The outbound.results records (schemas/outbound.results.v1.schema.json): one CloudEvent per
// request ending (and per retry), binary mode, key = request id. The CloudEvents id is
// "<request id>.<type>.<attempt>", so a result written again after a crash carries the same id.
// No personal data: ids, classes and provider message ids only.
#include <chrono>
#include <optional>
#include <string>

#include "core/kafka/message.h"
#include "sinks/sender/job.h"

namespace hookline::sender {

enum class ResultType { succeeded, failed, retrying, dead_lettered };

const char* to_string(ResultType t) noexcept;

struct ResultRecord {
  std::string key;
  std::string value;
  kafka::Headers headers;
};

struct ResultDetails {
  std::string reason;  // error class (failed, retrying, dead_lettered); "" for succeeded
  int status = 0;      // the provider's HTTP status, 0 when none
  std::optional<std::chrono::system_clock::time_point> retry_due;  // retrying
  std::string retry_topic;                                         // retrying
};

ResultRecord make_result(ResultType type, const Job& job, const std::string& provider_message_id,
                         const ResultDetails& details, std::chrono::system_clock::time_point now);

}  // namespace hookline::sender
