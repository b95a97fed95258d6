#include "ctl/dlq/selection.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/crypto/digest.h"
#include "core/crypto/encoding.h"
#include "core/time_format.h"

namespace hookline::ctl {
namespace {

Error usage(std::string message) {
  return Error{ErrorKind::permanent, {}, std::move(message)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<std::int64_t> parse_time_arg(std::string_view text, std::int64_t now_ms) {
  const std::string shown(text.substr(0, 64));
  if (text == "now") return now_ms;
  if (auto t = parse_rfc3339_ms(text)) return *t;
  if (text.size() >= 2) {
    const char unit = text.back();
    const std::int64_t scale = unit == 's'   ? 1000
                               : unit == 'm' ? 60'000
                               : unit == 'h' ? 3'600'000
                               : unit == 'd' ? 86'400'000
                                             : 0;
    std::int64_t n = 0;
    const std::string_view digits = text.substr(0, text.size() - 1);
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (scale != 0 && ec == std::errc() && p == digits.data() + digits.size() && n >= 0 &&
        n <= 36'500LL * 86'400'000 / scale) {
      return now_ms - n * scale;
    }
  }
  return usage("'" + shown +
               "' is not a time: give RFC 3339 (2026-11-22T10:00:00Z), now, or an age such as "
               "90s, 30m, 6h, 7d");
}

Result<double> parse_rate_arg(std::string_view text) {
  std::string t(text.substr(0, 32));
  if (t.ends_with("/s")) t.resize(t.size() - 2);
  char* end = nullptr;
  const double rate = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !(rate > 0) || rate > 1e6) {
    return usage("--rate must be a positive number of records per second (e.g. 50 or 50/s)");
  }
  return rate;
}

Result<std::string> operator_name(const std::string& by_flag) {
  std::string by = by_flag;
  if (by.empty()) {
    if (const char* user = std::getenv("USER"); user && *user) by = user;
  }
  if (by.empty()) return usage("--by NAME is required ($USER is not set)");
  if (by.size() > 64) return usage("--by: at most 64 characters");
  return by;
}

Result<std::pair<std::int32_t, std::int64_t>> parse_coordinate(std::string_view text) {
  const auto colon = text.find(':');
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  if (colon != std::string_view::npos) {
    const std::string_view p = text.substr(0, colon), o = text.substr(colon + 1);
    const auto rp = std::from_chars(p.data(), p.data() + p.size(), partition);
    const auto ro = std::from_chars(o.data(), o.data() + o.size(), offset);
    if (!p.empty() && !o.empty() && rp.ec == std::errc() && rp.ptr == p.data() + p.size() &&
        ro.ec == std::errc() && ro.ptr == o.data() + o.size() && partition >= 0 && offset >= 0) {
      return std::make_pair(partition, offset);
    }
  }
  return usage("'" + std::string(text.substr(0, 64)) +
               "' is not PARTITION:OFFSET (two decimal numbers, e.g. 2:1534)");
}

Result<IdList> read_id_list(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return usage(path + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  IdList out;
  std::istringstream lines(text);
  std::string raw;
  int n = 0;
  while (std::getline(lines, raw)) {
    ++n;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.find(':') != std::string_view::npos && !line.empty() && line.front() >= '0' &&
        line.front() <= '9') {
      if (auto c = parse_coordinate(line)) {
        out.coordinates.insert(*c);
        continue;
      }
    }
    if (line.size() > 256) return usage(path + ":" + std::to_string(n) + ": entry too long");
    out.ids.emplace(line);
  }
  if (out.coordinates.empty() && out.ids.empty()) {
    return usage(path + ": no ids (one PARTITION:OFFSET or id per line)");
  }
  out.digest = crypto::hex_encode(crypto::sha256(text)).substr(0, 16);
  return out;
}

bool Selection::matches(const DlqEntry& e) const {
  if (since_ms && e.time_ms < *since_ms) return false;
  if (until_ms && e.time_ms > *until_ms) return false;
  if (!provider.empty() && e.provider != provider) return false;
  if (!connection.empty() && e.connection != connection) return false;
  if (!error_class.empty() && e.error_class != error_class) return false;
  if (ids && !ids->coordinates.contains({e.partition, e.offset}) &&
      (e.id.empty() || !ids->ids.contains(e.id))) {
    return false;
  }
  return true;
}

Status set_connection(Selection& s, std::string_view arg) {
  const auto slash = arg.find('/');
  if (slash == std::string_view::npos) {
    s.connection = std::string(arg);
    return {};
  }
  const std::string provider(arg.substr(0, slash));
  if (!s.provider.empty() && s.provider != provider) {
    return usage("--connection " + std::string(arg) + " names provider " + provider +
                 ", --provider says " + s.provider);
  }
  s.provider = provider;
  s.connection = std::string(arg.substr(slash + 1));
  return {};
}

}  // namespace hookline::ctl
