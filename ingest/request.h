#pragma once
// A received webhook as the signature schemes and id extractors see it: no HTTP library types,
// so the logic is testable (and fuzzable) without a server.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::ingest {

// Header names compare case-insensitively; repeats are kept in arrival order.
class HeaderMap {
 public:
  void add(std::string name, std::string value) {
    entries_.emplace_back(std::move(name), std::move(value));
  }
  // The first value of `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const noexcept;
  const std::vector<std::pair<std::string, std::string>>& entries() const noexcept {
    return entries_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

bool iequals(std::string_view a, std::string_view b) noexcept;

struct Request {
  std::string_view method;  // "POST"
  std::string_view path;    // "/webhooks/twilio/main"
  std::string_view query;   // raw query string without '?', "" when none
  std::string_view body;    // exactly the bytes received
  const HeaderMap* headers = nullptr;
  // The URL the provider called, as it sees it (scheme://host[:port]/path[?query]). Behind a
  // proxy the node's own URL differs, so it is built from the configured public base URL.
  std::string public_url;

  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return headers ? headers->get(name) : std::nullopt;
  }
  std::string_view content_type() const noexcept { return header("Content-Type").value_or(""); }
};

}  // namespace hookline::ingest
