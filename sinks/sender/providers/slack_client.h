#pragma once
// Slack Web API chat.postMessage (slackapi/slack-api-specs): POST /api/chat.postMessage with a
// Bearer bot token and a JSON body {channel: address, text, blocks} (blocks as a JSON array, as
// a JSON body takes them; text is the fallback and the notification text). Slack answers 200
// even for failures: {"ok": false, "error": "<name>"}. "ratelimited" (and the older
// "rate_limited") is throttled; Slack's own failures ("internal_error", "fatal_error",
// "service_unavailable", "request_timeout") are retryable; every other error name is permanent.
// 429 carries Retry-After. The message id is "<channel>:<ts>" of the answer, since a ts is
// unique only within its channel. Slack only.
#include <memory>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

std::unique_ptr<ProviderClient> make_slack_client();

}  // namespace hookline::sender
