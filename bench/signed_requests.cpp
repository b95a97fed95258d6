// Writes a wrk Lua script that sends N pre-signed deliveries for one provider's connection
// "main", round robin, optionally paced (delay per request per connection, for a target rate).
//   hookline-bench-requests PROVIDER SECRET BASE_URL COUNT [DELAY_MS [BODY_BYTES]] > requests.lua
// BODY_BYTES pads each delivery's JSON body (a "metadata" field) to about that size.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "tests/support/webhook_signer.h"

namespace {

std::string lua_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 32 || c > 126) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03u", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: hookline-bench-requests PROVIDER SECRET BASE_URL COUNT [DELAY_MS]\n");
    return 2;
  }
  const std::string provider = argv[1], secret = argv[2], base = argv[3];
  const int count = std::stoi(argv[4]);
  const std::string delay = argc > 5 ? argv[5] : "";
  const size_t body_bytes = argc > 6 ? std::stoul(argv[6]) : 0;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::cout << "local reqs = {}\n";
  for (int i = 0; i < count; ++i) {
    auto r = hookline::test::sign_delivery(provider, "main", {secret, nullptr},
                                           "bench-" + std::to_string(now) + "-" + std::to_string(i),
                                           base, now, body_bytes);
    std::cout << "reqs[" << i + 1 << "] = wrk.format(\"POST\", " << lua_string(r.path) << ", {";
    for (const auto& [k, v] : r.headers)
      std::cout << "[" << lua_string(k) << "] = " << lua_string(v) << ", ";
    std::cout << "}, " << lua_string(r.body) << ")\n";
  }
  std::cout << "local i = 0\n"
               "request = function()\n  i = i + 1\n  return reqs[(i % #reqs) + 1]\nend\n";
  if (!delay.empty() && delay != "0") {
    std::cout << "delay = function() return " << delay << " end\n";
  }
  std::cout << "done = function(summary, latency, requests)\n"
               "  io.write(string.format(\"RESULT requests=%d duration_us=%d errors_status=%d "
               "errors_other=%d p50_us=%d p99_us=%d\\n\", summary.requests, summary.duration, "
               "summary.errors.status, summary.errors.connect + summary.errors.read + "
               "summary.errors.write + summary.errors.timeout, latency:percentile(50), "
               "latency:percentile(99)))\nend\n";
  return 0;
}
