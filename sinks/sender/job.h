#pragma once
// One send request on its way through the sender: the request, where it came from (for
// offsets, the retry tiers and the DLQ), and what happened to it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/kafka/message.h"
#include "sinks/sender/provider_client.h"
#include "sinks/sender/send_connection.h"
#include "sinks/sender/send_request.h"

namespace hookline::sender {

struct Job {
  SendRequest request;
  std::string value;       // the record value as read (re-produced unchanged to retry/DLQ)
  kafka::Headers headers;  // the record's headers
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  int attempt = 1;              // this attempt, from 1
  std::string first_failed_at;  // RFC 3339 of the first failure; "" before one
  int throttled_requeues = 0;   // times a 429 put it back in its queue
  std::shared_ptr<const SendConnection> connection;
};

enum class JobEnd {
  sent,         // the provider accepted it (now, or before: `already_sent`)
  retry,        // retryable failure: to a retry tier (or the DLQ once attempts run out)
  dead_letter,  // permanent failure, or the destination is gone
  dropped,      // its partition was revoked before it was sent: the new owner sends it
  suppressed,   // the consent recheck refused it (result.error_class: the reason code)
};

struct Completion {
  Job job;
  JobEnd end = JobEnd::dropped;
  SendResult result;
  bool already_sent = false;  // the sent-ledger knew it: no call was made
  std::chrono::steady_clock::duration latency{0};
};

}  // namespace hookline::sender
