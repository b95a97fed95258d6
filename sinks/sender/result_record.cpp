#include "sinks/sender/result_record.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"

namespace hookline::sender {

const char* to_string(ResultType t) noexcept {
  switch (t) {
    case ResultType::succeeded:
      return "succeeded";
    case ResultType::failed:
      return "failed";
    case ResultType::retrying:
      return "retrying";
    case ResultType::dead_lettered:
      return "dead_lettered";
    case ResultType::suppressed:
      return "suppressed";
    case ResultType::denied:
      return "denied";
    case ResultType::expired:
      return "expired";
  }
  return "?";
}

namespace {

ResultRecord write_result(ResultType type, const SendRequest& r, int attempt,
                          const std::string& provider_message_id, const ResultDetails& details,
                          std::chrono::system_clock::time_point now) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("schema_version");
  w.Int(1);
  w.Key("request_id");
  w.String(r.id);
  w.Key("tenant");
  w.String(r.tenant);
  w.Key("connection");
  w.String(r.connection);
  w.Key("channel");
  w.String(to_string(r.channel));
  w.Key("outcome");
  w.String(to_string(type));
  w.Key("attempt");
  w.Int(attempt);
  if (!provider_message_id.empty()) {
    w.Key("provider_message_id");
    w.String(provider_message_id);
  }
  if (!details.reason.empty()) {
    w.Key("reason");
    w.String(details.reason);
  }
  if (details.status != 0) {
    w.Key("provider_status");
    w.Int(details.status);
  }
  if (details.retry_due) {
    w.Key("retry_due");
    w.String(rfc3339_ms(*details.retry_due));
    w.Key("retry_topic");
    w.String(details.retry_topic);
  }
  if (r.campaign) {
    w.Key("campaign_id");
    w.String(r.campaign->id);
  }
  w.EndObject();

  ResultRecord out;
  out.key = r.id;
  out.value.assign(sb.GetString(), sb.GetSize());
  const std::string t = to_string(type);
  out.headers = {{"ce_specversion", "1.0"},
                 {"ce_id", r.id + "." + t + "." + std::to_string(attempt)},
                 {"ce_source", "/hookline/sender/" + r.connection},
                 {"ce_type", "com.hookline.send." + t},
                 {"ce_time", rfc3339_ms(now)},
                 {"ce_subject", r.id},
                 {"content-type", "application/json"}};
  return out;
}

}  // namespace

ResultRecord make_result(ResultType type, const Job& job, const std::string& provider_message_id,
                         const ResultDetails& details, std::chrono::system_clock::time_point now) {
  return write_result(type, job.request, job.attempt, provider_message_id, details, now);
}

ResultRecord make_request_result(ResultType type, const SendRequest& request,
                                 const ResultDetails& details,
                                 std::chrono::system_clock::time_point now) {
  return write_result(type, request, 1, "", details, now);
}

}  // namespace hookline::sender
