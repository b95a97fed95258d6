#include "sinks/simulator/credentials.h"

#include <optional>
#include <string_view>
#include <utility>

namespace hookline::simulator {
namespace {

// The credentials after "<scheme> " (scheme compared without case); nullopt for another scheme.
std::optional<std::string_view> after_scheme(std::string_view value, std::string_view scheme) {
  if (value.size() <= scheme.size() || value[scheme.size()] != ' ') return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != scheme[i]) return std::nullopt;
  }
  std::string_view rest = value.substr(scheme.size() + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  return rest;
}

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> base64_decode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : in) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFFu);
    }
  }
  return out;
}

// user and password of a Basic authorization, both non-empty; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> basic_pair(const Incoming& in) {
  auto encoded = after_scheme(in.header("authorization"), "basic");
  if (!encoded) return std::nullopt;
  auto decoded = base64_decode(*encoded);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == decoded->size()) {
    return std::nullopt;
  }
  return std::pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

}  // namespace

std::string bearer_token(const Incoming& in) {
  auto token = after_scheme(in.header("authorization"), "bearer");
  return token ? std::string(*token) : std::string();
}

std::string basic_user(const Incoming& in) {
  auto pair = basic_pair(in);
  return pair ? pair->first : std::string();
}

std::string basic_password(const Incoming& in) {
  auto pair = basic_pair(in);
  return pair ? pair->second : std::string();
}

}  // namespace hookline::simulator
