#pragma once
// Structured logging: one JSON object per line on stderr, one named logger per module.
// Fields are explicit key/value pairs; log ids and reason codes, never addresses, phone
// numbers, message bodies or secrets (DESIGN.md decision 11).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace hookline::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// Parses "debug|info|warn|error"; false when the text is none of them.
bool parse_level(std::string_view text, Level& out) noexcept;
const char* to_string(Level level) noexcept;

// The process-wide threshold (default info; HOOKLINE_LOG_LEVEL or the config's log.level).
void set_level(Level level) noexcept;
Level level() noexcept;

struct Field {
  using Value = std::variant<std::string_view, std::int64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  template <class I>
  requires std::is_integral_v<I> Field(std::string_view k, I v)
      : key(k), value(static_cast<std::int64_t>(v)) {}
  std::string_view key;
  Value value;
};

class Logger {
 public:
  explicit Logger(std::string name) : name_(std::move(name)) {}
  void debug(std::string_view msg, std::initializer_list<Field> fields = {}) const noexcept {
    write(Level::debug, msg, fields);
  }
  void info(std::string_view msg, std::initializer_list<Field> fields = {}) const noexcept {
    write(Level::info, msg, fields);
  }
  void warn(std::string_view msg, std::initializer_list<Field> fields = {}) const noexcept {
    write(Level::warn, msg, fields);
  }
  void error(std::string_view msg, std::initializer_list<Field> fields = {}) const noexcept {
    write(Level::error, msg, fields);
  }
  void write(Level lvl, std::string_view msg, std::initializer_list<Field> fields) const noexcept;
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

// Renders one line (without the newline); exposed for tests.
std::string format_line(std::string_view logger, Level lvl, std::string_view msg,
                        std::initializer_list<Field> fields);

}  // namespace hookline::log
