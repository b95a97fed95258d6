#include "ctl/status/prometheus_text.h"

#include <charconv>
#include <limits>

namespace hookline::ctl::status {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A cursor over one line; every read checks the bounds.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void next() { ++i_; }
  bool eat(char c) {
    if (done() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  std::size_t skip_blanks() {
    const std::size_t from = i_;
    while (!done() && is_blank(s_[i_])) ++i_;
    return i_ - from;
  }
  // A run of characters up to the next blank (or the end).
  std::string_view word() {
    const std::size_t from = i_;
    while (!done() && !is_blank(s_[i_])) ++i_;
    return s_.substr(from, i_ - from);
  }
  // [first][rest]* where `first` and `rest` are predicates on one character.
  template <class First, class Rest>
  std::string_view identifier(First first, Rest rest) {
    const std::size_t from = i_;
    if (done() || !first(s_[i_])) return {};
    ++i_;
    while (!done() && rest(s_[i_])) ++i_;
    return s_.substr(from, i_ - from);
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool metric_first(char c) {
  return is_alpha(c) || c == '_' || c == ':';
}
bool metric_rest(char c) {
  return metric_first(c) || is_digit(c);
}
bool label_first(char c) {
  return is_alpha(c) || c == '_';
}
bool label_rest(char c) {
  return label_first(c) || is_digit(c);
}

// A quoted label value after its opening quote; false on a bad escape or no closing quote.
bool read_label_value(Cursor& c, std::string& out) {
  while (!c.done()) {
    const char ch = c.peek();
    c.next();
    if (ch == '"') return true;
    if (ch != '\\') {
      out.push_back(ch);
      continue;
    }
    if (c.done()) return false;
    const char esc = c.peek();
    c.next();
    if (esc == '\\' || esc == '"') {
      out.push_back(esc);
    } else if (esc == 'n') {
      out.push_back('\n');
    } else {
      return false;
    }
  }
  return false;
}

bool read_labels(Cursor& c, Sample& s) {
  // After '{': (name="value" (, name="value")* ,?)? }
  for (;;) {
    c.skip_blanks();
    if (c.eat('}')) return true;
    std::string_view name = c.identifier(label_first, label_rest);
    if (name.empty()) return false;
    c.skip_blanks();
    if (!c.eat('=')) return false;
    c.skip_blanks();
    if (!c.eat('"')) return false;
    std::string value;
    if (!read_label_value(c, value)) return false;
    if (s.label(name) != nullptr) return false;  // a label named twice
    s.labels.emplace_back(std::string(name), std::move(value));
    c.skip_blanks();
    if (c.eat(',')) continue;
    if (c.eat('}')) return true;
    return false;
  }
}

std::optional<double> parse_value(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text == "Inf" || text == "inf") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (text == "NaN" || text == "nan") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // Only digits, '.', and an exponent from here ("infinity", "0x1p3" and a second sign are
  // not the format's).
  if (text.empty() || (!is_digit(text.front()) && text.front() != '.')) return std::nullopt;
  double v = 0;
  auto [p, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  // Out of a double's range counts as malformed (no component writes such a value).
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return negative ? -v : v;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  std::int64_t t = 0;
  const char* begin = text.data();
  if (!text.empty() && text.front() == '+') ++begin;
  auto [p, ec] = std::from_chars(begin, text.data() + text.size(), t);
  if (ec != std::errc() || p != text.data() + text.size() || begin == p) return std::nullopt;
  return t;
}

}  // namespace

const std::string* Sample::label(std::string_view key) const noexcept {
  for (const auto& [k, v] : labels) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<const Sample*> MetricsText::find(std::string_view name) const {
  std::vector<const Sample*> out;
  for (const auto& s : samples) {
    if (s.name == name) out.push_back(&s);
  }
  return out;
}

std::optional<Sample> parse_sample_line(std::string_view line) {
  Cursor c(line);
  c.skip_blanks();
  Sample s;
  std::string_view name = c.identifier(metric_first, metric_rest);
  if (name.empty()) return std::nullopt;
  s.name = std::string(name);
  const bool blank = c.skip_blanks() > 0;
  if (c.eat('{')) {
    if (!read_labels(c, s)) return std::nullopt;
    c.skip_blanks();
  } else if (!blank) {
    return std::nullopt;  // the value must be apart from the name
  }
  auto value = parse_value(c.word());
  if (!value) return std::nullopt;
  s.value = *value;
  if (c.skip_blanks() > 0 && !c.done()) {
    auto ts = parse_timestamp(c.word());
    if (!ts) return std::nullopt;
    s.timestamp_ms = ts;
    c.skip_blanks();
  }
  if (!c.done()) return std::nullopt;
  return s;
}

MetricsText parse_prometheus_text(std::string_view text, std::size_t max_samples) {
  MetricsText out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t first = 0;
    while (first < line.size() && is_blank(line[first])) ++first;
    if (first == line.size() || line[first] == '#') continue;
    if (out.samples.size() >= max_samples) {
      ++out.skipped;
      continue;
    }
    if (auto s = parse_sample_line(line)) {
      out.samples.push_back(std::move(*s));
    } else {
      ++out.skipped;
    }
  }
  return out;
}

}  // namespace hookline::ctl::status
