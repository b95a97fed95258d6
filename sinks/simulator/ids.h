#pragma once
// The ids providers hand out for what they accept: random, and unique enough for tests.
#include <chrono>
#include <cstddef>
#include <string>

namespace hookline::simulator {

// A random version-4 UUID in lower case (Resend's email ids).
std::string uuid_v4();
// `n` random lower-case hex digits (Twilio's SM<32 hex>).
std::string random_hex(std::size_t n);
// `n` random characters of [A-Za-z0-9] (SendGrid's X-Message-Id, WhatsApp's wamid).
std::string random_alnum(std::size_t n);
// A Slack message ts, "<unix seconds>.<6 digits>", strictly increasing within the process.
std::string slack_ts(std::chrono::system_clock::time_point now);

}  // namespace hookline::simulator
