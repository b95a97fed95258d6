#pragma once
// librdkafka errors as hookline::Error with a std::error_code and a route-deciding kind.
#include <string>
#include <system_error>

#include <librdkafka/rdkafka.h>

#include "core/error.h"

namespace hookline::kafka {

const std::error_category& kafka_category() noexcept;

inline std::error_code make_error_code(rd_kafka_resp_err_t err) noexcept {
  return {static_cast<int>(err), kafka_category()};
}

// `context` says what was being done ("produce to webhooks.raw").
Error to_error(rd_kafka_resp_err_t err, const std::string& context);
// Takes ownership of `err` (destroys it). Uses librdkafka's retriable/fatal/abort flags.
Error to_error(rd_kafka_error_t* err, const std::string& context);

}  // namespace hookline::kafka
