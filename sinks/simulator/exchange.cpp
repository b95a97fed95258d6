#include "sinks/simulator/exchange.h"

#include <cctype>

namespace hookline::simulator {

std::string_view Incoming::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

Answer json_answer(int status, std::string body) {
  Answer a;
  a.status = status;
  a.body = std::move(body);
  return a;
}

const char* reason_phrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

std::string reason_code(int status) {
  std::string out;
  for (const char* p = reason_phrase(status); *p; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    out += c == ' ' ? '_' : static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace hookline::simulator
