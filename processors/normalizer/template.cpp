#include "processors/normalizer/template.h"

#include <stdexcept>

#include "processors/normalizer/json_access.h"

namespace hookline::normalizer {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if ((b0 & 0xE0U) == 0xC0U) {
    len = 2, min = 0x80, cp = b0 & 0x1FU;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    len = 3, min = 0x800, cp = b0 & 0x0FU;
  } else if ((b0 & 0xF8U) == 0xF0U) {
    len = 4, min = 0x10000, cp = b0 & 0x07U;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6) | (b & 0x3FU);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  if (cp >= 0x80 && cp < 0xA0) return 0;  // C1 controls
  return len;
}

}  // namespace

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::string_view> kept_header(const RawDelivery& delivery, std::string_view name) {
  const auto it = delivery.headers.find("http-" + lower_ascii(name));
  if (it == delivery.headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

bool acceptable(std::string_view value, ValuePolicy policy) {
  if (value.empty()) return false;
  if (policy == ValuePolicy::token) {
    if (value.size() > kMaxTokenLength) return false;
    for (char c : value) {
      if (c < '!' || c > '~') return false;
    }
    return true;
  }
  if (value.size() > kMaxTextLength) return false;
  for (std::size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7F) return false;
    const std::size_t n = utf8_sequence(value, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::optional<rapidjson::Pointer> make_pointer(std::string_view text) {
  if (!text.empty() && text.front() != '/') return std::nullopt;  // no URI fragments
  rapidjson::Pointer p(text.empty() ? "" : text.data(), text.size());
  if (!p.IsValid()) return std::nullopt;
  return p;
}

Template Template::parse(std::string_view text) {
  Template t;
  t.text_ = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (literal.empty()) return;
    Part p;
    p.text = std::move(literal);
    literal.clear();
    t.parts_.push_back(std::move(p));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      throw std::invalid_argument("a '}' without its '{' (write '}}' for a literal brace)");
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i);
    if (close == std::string_view::npos) throw std::invalid_argument("a '{' is never closed");
    std::string_view ref = text.substr(i + 1, close - i - 1);
    i = close;
    Part part;
    // Filters after '|'.
    const std::size_t bar = ref.find('|');
    std::string_view filters = bar == std::string_view::npos ? "" : ref.substr(bar + 1);
    ref = ref.substr(0, bar);
    while (bar != std::string_view::npos) {
      const std::size_t next = filters.find('|');
      const std::string_view f = filters.substr(0, next);
      if (f == "lower") {
        part.lower = true;
      } else if (f == "slash_to_dot") {
        part.slash_to_dot = true;
      } else {
        throw std::invalid_argument("unknown filter '" + std::string(f) +
                                    "' (known: lower, slash_to_dot)");
      }
      if (next == std::string_view::npos) break;
      filters = filters.substr(next + 1);
    }
    if (ref.starts_with("header:")) {
      part.kind = Part::Kind::header;
      part.text = std::string(ref.substr(7));
      if (part.text.empty()) throw std::invalid_argument("'{header:}' names no header");
    } else if (ref.starts_with("/")) {
      auto p = make_pointer(ref);
      if (!p) throw std::invalid_argument("'" + std::string(ref) + "' is not a JSON pointer");
      part.kind = Part::Kind::pointer;
      part.text = std::string(ref);
      part.pointer = std::move(*p);
    } else {
      throw std::invalid_argument("'{" + std::string(ref) +
                                  "}' must be a JSON pointer ({/a/b}) or {header:Name}");
    }
    flush();
    t.parts_.push_back(std::move(part));
  }
  flush();
  if (t.parts_.empty()) throw std::invalid_argument("is empty");
  return t;
}

std::optional<std::string> Template::resolve(const Scope& scope, ValuePolicy policy) const {
  std::string out;
  for (const auto& part : parts_) {
    if (part.kind == Part::Kind::literal) {
      out += part.text;
      continue;
    }
    std::optional<std::string> value;
    if (part.kind == Part::Kind::pointer) {
      if (scope.event != nullptr) value = scalar_text(part.pointer.Get(*scope.event));
    } else if (scope.delivery != nullptr) {
      if (auto h = kept_header(*scope.delivery, part.text)) value = std::string(*h);
    }
    if (!value) return std::nullopt;
    if (part.lower) *value = lower_ascii(*value);
    if (part.slash_to_dot) {
      for (char& c : *value) {
        if (c == '/') c = '.';
      }
    }
    if (!acceptable(*value, policy)) return std::nullopt;
    out += *value;
  }
  const std::size_t limit = policy == ValuePolicy::token ? 2 * kMaxTokenLength : kMaxTextLength;
  if (out.empty() || out.size() > limit) return std::nullopt;
  return out;
}

std::vector<std::string> Template::headers() const {
  std::vector<std::string> out;
  for (const auto& part : parts_) {
    if (part.kind == Part::Kind::header) out.push_back(part.text);
  }
  return out;
}

std::optional<std::string> resolve_first(const std::vector<Template>& templates, const Scope& scope,
                                         ValuePolicy policy) {
  for (const auto& t : templates) {
    if (auto v = t.resolve(scope, policy)) return v;
  }
  return std::nullopt;
}

}  // namespace hookline::normalizer
