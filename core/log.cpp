#include "core/log.h"

#include "core/time_format.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hookline::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::mutex g_write_mutex;

}  // namespace

bool parse_level(std::string_view text, Level& out) noexcept {
  if (text == "debug")
    out = Level::debug;
  else if (text == "info")
    out = Level::info;
  else if (text == "warn")
    out = Level::warn;
  else if (text == "error")
    out = Level::error;
  else
    return false;
  return true;
}

const char* to_string(Level level) noexcept {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

void set_level(Level lvl) noexcept {
  g_level.store(static_cast<int>(lvl));
}
Level level() noexcept {
  return static_cast<Level>(g_level.load());
}

std::string format_line(std::string_view logger, Level lvl, std::string_view msg,
                        std::initializer_list<Field> fields) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  str("ts");
  str(rfc3339_ms(std::chrono::system_clock::now()));
  str("level");
  str(to_string(lvl));
  str("logger");
  str(logger);
  str("msg");
  str(msg);
  for (const Field& f : fields) {
    str(f.key);
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string_view>)
            str(v);
          else if constexpr (std::is_same_v<V, std::int64_t>)
            w.Int64(v);
          else if constexpr (std::is_same_v<V, double>)
            w.Double(v);
          else
            w.Bool(v);
        },
        f.value);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

void Logger::write(Level lvl, std::string_view msg,
                   std::initializer_list<Field> fields) const noexcept {
  if (static_cast<int>(lvl) < g_level.load(std::memory_order_relaxed)) return;
  try {
    std::string line = format_line(name_, lvl, msg, fields);
    line.push_back('\n');
    std::lock_guard lock(g_write_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  } catch (...) {
    // Logging never throws into the caller.
  }
}

}  // namespace hookline::log
