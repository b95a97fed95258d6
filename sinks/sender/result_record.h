#pragma once
// The outbound.results records (schemas/outbound.results.v1.schema.json): one CloudEvent per
// request ending (and per retry), binary mode, key = request id. The CloudEvents id is
// "<request id>.<type>.<attempt>", so a result written again after a crash carries the same id.
// No personal data: ids, classes and provider message ids only.
//
// Written by the sender (make_result, for a Job) and by the gatekeeper (make_request_result, for
// requests it suppresses, or that a Deny or an expired approval ends); library
// hookline_sender_results.
#include <chrono>
#include <optional>
#include <string>

#include "core/kafka/message.h"
#include "sinks/sender/job.h"

namespace hookline::sender {

enum class ResultType {
  succeeded,      // the provider accepted it
  failed,         // it cannot be sent (reason expired: past its expires_at)
  retrying,       // a retryable failure; it waits in a retry tier
  dead_lettered,  // parked in outbound.dlq
  suppressed,     // consent does not allow it (reason: the consent check's code)
  denied,         // its campaign's approval was denied (reason approval_denied)
  expired,        // its campaign's approval expired undecided (reason approval_expired)
};

const char* to_string(ResultType t) noexcept;

struct ResultRecord {
  std::string key;
  std::string value;
  kafka::Headers headers;
};

struct ResultDetails {
  // Error class (failed, retrying, dead_lettered) or reason code (suppressed, denied,
  // expired); "" for succeeded. [a-z0-9][a-z0-9_-]*, at most 64 characters.
  std::string reason;
  int status = 0;  // the provider's HTTP status, 0 when none
  std::optional<std::chrono::system_clock::time_point> retry_due;  // retrying
  std::string retry_topic;                                         // retrying
};

ResultRecord make_result(ResultType type, const Job& job, const std::string& provider_message_id,
                         const ResultDetails& details, std::chrono::system_clock::time_point now);

// The same for a request that never became a Job (attempt 1, no provider message id): the
// gatekeeper's suppressed, denied and expired results.
ResultRecord make_request_result(ResultType type, const SendRequest& request,
                                 const ResultDetails& details,
                                 std::chrono::system_clock::time_point now);

}  // namespace hookline::sender
