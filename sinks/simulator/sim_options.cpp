#include "sinks/simulator/sim_options.h"

#include <charconv>

#include "core/cli_args.h"

namespace hookline::simulator {
namespace {

constexpr const char* kProgram = "hookline-provider-sim";

long long whole_number(const std::string& flag, const std::string& text, long long min,
                       long long max) {
  long long out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size() || out < min || out > max) {
    throw UsageError(std::string(kProgram) + ": --" + flag + " must be a whole number from " +
                     std::to_string(min) + " to " + std::to_string(max) + ", not '" + text + "'");
  }
  return out;
}

// "host:port", "[v6]:port".
void parse_listen(const std::string& text, SimOptions& out) {
  const auto colon = text.rfind(':');
  std::string host = colon == std::string::npos ? std::string() : text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    throw UsageError(std::string(kProgram) + ": --listen must be HOST:PORT, not '" + text + "'");
  }
  out.host = host;
  out.port = static_cast<int>(whole_number("listen port", text.substr(colon + 1), 0, 65535));
}

}  // namespace

SimOptions parse_options(const std::vector<std::string>& args) {
  const ParsedArgs a = parse_args(
      args, FlagSpec{{"listen", "port-file", "threads", "config", "max-records"}, {"help"}},
      kProgram);
  SimOptions o;
  if (!a.positional.empty()) {
    throw UsageError(std::string(kProgram) + ": unexpected argument '" + a.positional[0] + "'");
  }
  o.help = a.has("help");
  parse_listen(a.get("listen", kDefaultListen), o);
  o.port_file = a.get("port-file");
  if (auto t = a.get("threads")) o.threads = static_cast<int>(whole_number("threads", *t, 1, 4096));
  o.config = a.get("config");
  if (auto m = a.get("max-records")) {
    o.max_records = static_cast<std::size_t>(whole_number("max-records", *m, 1, 100000000));
  }
  return o;
}

}  // namespace hookline::simulator
