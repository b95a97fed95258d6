#include "core/kafka/error.h"

#include "core/kafka/handles.h"

namespace hookline::kafka {
namespace {

class KafkaCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kafka"; }
  std::string message(int code) const override {
    return rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(code));
  }
};

ErrorKind classify(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
      return ErrorKind::retriable;
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR__FENCED:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
      return ErrorKind::fatal;
    default:
      return ErrorKind::permanent;
  }
}

}  // namespace

const std::error_category& kafka_category() noexcept {
  static const KafkaCategory category;
  return category;
}

Error to_error(rd_kafka_resp_err_t err, const std::string& context) {
  return Error{classify(err), make_error_code(err), context + ": " + rd_kafka_err2str(err)};
}

Error to_error(rd_kafka_error_t* raw, const std::string& context) {
  ErrorPtr err(raw);
  ErrorKind kind = ErrorKind::permanent;
  if (rd_kafka_error_is_fatal(raw))
    kind = ErrorKind::fatal;
  else if (rd_kafka_error_txn_requires_abort(raw))
    kind = ErrorKind::abortable;
  else if (rd_kafka_error_is_retriable(raw))
    kind = ErrorKind::retriable;
  return Error{kind, make_error_code(rd_kafka_error_code(raw)),
               context + ": " + rd_kafka_error_string(raw)};
}

}  // namespace hookline::kafka
