#include "core/db/connection.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::db {
namespace {

constexpr const char* kNoDatabase =
    "no database configured: set HOOKLINE_DATABASE_URL or database.url in the config file";
constexpr const char* kMask = "***";

bool is_uri(std::string_view url) {
  // libpq's rule: these two prefixes make a URI, anything else is key=value.
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) --end;
  return std::string(text.substr(begin, end - begin));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// A span [begin, end) of the URL holding a password, as written (maybe percent-encoded).
struct Span {
  std::size_t begin;
  std::size_t end;
};

// Where passwords are written in a URI: the userinfo after ':' and any password= parameter.
std::vector<Span> uri_password_spans(std::string_view url) {
  std::vector<Span> spans;
  const std::size_t start = url.find("://") + 3;
  std::size_t authority_end = url.find_first_of("/?", start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::size_t at = url.rfind('@', authority_end - 1);  // the last '@' ends userinfo
  if (at != std::string_view::npos && at >= start && at < authority_end) {
    const std::size_t colon = url.find(':', start);
    if (colon != std::string_view::npos && colon < at) spans.push_back({colon + 1, at});
  }
  const std::size_t query = url.find('?', start);
  if (query != std::string_view::npos) {
    std::size_t pos = query + 1;
    while (pos <= url.size()) {
      std::size_t amp = url.find('&', pos);
      if (amp == std::string_view::npos) amp = url.size();
      const std::string_view param = url.substr(pos, amp - pos);
      const std::size_t eq = param.find('=');
      if (eq != std::string_view::npos && percent_decode(param.substr(0, eq)) == "password") {
        spans.push_back({pos + eq + 1, amp});
      }
      pos = amp + 1;
    }
  }
  return spans;
}

// Where passwords are written in a key=value string: password=value or password='quoted'.
std::vector<Span> keyword_password_spans(std::string_view text) {
  std::vector<Span> spans;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
  };
  while (i < text.size()) {
    skip_space();
    const std::size_t key_begin = i;
    while (i < text.size() && text[i] != '=' &&
           std::isspace(static_cast<unsigned char>(text[i])) == 0) {
      ++i;
    }
    const std::string_view key = text.substr(key_begin, i - key_begin);
    skip_space();
    if (i >= text.size() || text[i] != '=') {
      if (i == key_begin) ++i;  // stray character: step over it
      continue;
    }
    ++i;  // '='
    skip_space();
    std::size_t value_begin = i;
    std::size_t value_end = i;
    if (i < text.size() && text[i] == '\'') {
      value_begin = ++i;
      while (i < text.size() && text[i] != '\'') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        ++i;
      }
      value_end = i;
      if (i < text.size()) ++i;  // closing quote
    } else {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        ++i;
      }
      value_end = i;
    }
    if (key == "password" && value_end > value_begin) spans.push_back({value_begin, value_end});
  }
  return spans;
}

std::vector<Span> password_spans(std::string_view url) {
  return is_uri(url) ? uri_password_spans(url) : keyword_password_spans(url);
}

using ConninfoPtr = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

// libpq's own reading of a connection string: option name -> value (set options only).
struct Conninfo {
  std::optional<std::map<std::string, std::string>> options;
  std::string error;  // when options is empty
};

Conninfo parse_conninfo(const std::string& url) {
  char* raw_error = nullptr;
  ConninfoPtr parsed(PQconninfoParse(url.c_str(), &raw_error), &PQconninfoFree);
  Conninfo out;
  if (!parsed) {
    out.error = raw_error != nullptr ? raw_error : "out of memory";
    if (raw_error != nullptr) PQfreemem(raw_error);
    return out;
  }
  out.options.emplace();
  for (const PQconninfoOption* opt = parsed.get(); opt->keyword != nullptr; ++opt) {
    if (opt->val != nullptr) (*out.options)[opt->keyword] = opt->val;
  }
  return out;
}

// Every form in which `url`'s password could show up in a message.
std::vector<std::string> password_candidates(const std::string& url) {
  std::vector<std::string> out;
  const auto add = [&out](std::string value) {
    if (!value.empty()) out.push_back(std::move(value));
  };
  for (const Span& span : password_spans(url)) {
    const std::string raw = url.substr(span.begin, span.end - span.begin);
    add(percent_decode(raw));
    add(raw);
  }
  const Conninfo parsed = parse_conninfo(url);
  if (parsed.options) {
    auto it = parsed.options->find("password");
    if (it != parsed.options->end()) add(it->second);
  }
  return out;
}

}  // namespace

std::string first_line(const std::string& text) {
  const std::size_t end = text.find_first_of("\r\n");
  return trim(std::string_view(text).substr(0, end == std::string::npos ? text.size() : end));
}

std::string scrub_password(std::string text, const std::string& url) {
  for (const std::string& secret : password_candidates(url)) {
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), kMask);
      pos += std::char_traits<char>::length(kMask);
    }
  }
  return text;
}

std::string printable_url(const std::string& url) {
  std::string out = url;
  std::vector<Span> spans = password_spans(url);
  // Replace from the back so that earlier offsets stay valid.
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    out.replace(it->begin, it->end - it->begin, kMask);
  }
  return out;
}

std::string with_connect_timeout(const std::string& url, std::chrono::seconds timeout) {
  if (timeout.count() <= 0) return url;
  const Conninfo parsed = parse_conninfo(url);
  if (parsed.options ? parsed.options->contains("connect_timeout")
                     : url.find("connect_timeout") != std::string::npos) {
    return url;
  }
  const std::string value = std::to_string(timeout.count());
  if (!is_uri(url)) return url + " connect_timeout=" + value;
  if (url.ends_with('?') || url.ends_with('&')) return url + "connect_timeout=" + value;
  const char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + "connect_timeout=" + value;
}

std::unique_ptr<pqxx::connection> connect(const DatabaseConfig& cfg) {
  if (trim(cfg.url).empty()) throw DbError(kNoDatabase);
  const std::string shown = printable_url(cfg.url);
  const std::string conninfo = with_connect_timeout(cfg.url, cfg.connect_timeout);

  const Conninfo parsed = parse_conninfo(conninfo);
  if (!parsed.options) {
    throw DbError("invalid database url " + shown + ": " +
                  scrub_password(first_line(parsed.error), cfg.url));
  }
  std::string within;
  if (auto it = parsed.options->find("connect_timeout");
      it != parsed.options->end() && !it->second.empty() && it->second != "0") {
    within = " within " + it->second + " s";
  }

  try {
    return std::make_unique<pqxx::connection>(conninfo);
  } catch (const std::exception& e) {
    throw DbError("cannot connect to Postgres at " + shown + within + ": " +
                  scrub_password(first_line(e.what()), cfg.url));
  }
}

}  // namespace hookline::db
