#include "sinks/sender/providers/call_builder.h"

#include "core/crypto/encoding.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kHexUpper = "0123456789ABCDEF";

bool unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void percent_encode(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHexUpper[c >> 4]);
  out.push_back(kHexUpper[c & 0x0F]);
}

bool control(unsigned char c) noexcept {
  return c < 0x20 || c == 0x7F;
}

bool has_control(std::string_view s) noexcept {
  for (const char c : s) {
    if (control(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// A target that can stand between < and > in List-Unsubscribe: no white space, no control
// characters, no angle brackets.
bool header_safe_uri(std::string_view uri) noexcept {
  for (const char ch : uri) {
    const auto c = static_cast<unsigned char>(ch);
    if (control(c) || c == ' ' || c == '<' || c == '>') return false;
  }
  return true;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Error build_error(std::string_view provider, std::string_view why) {
  Error e;
  e.kind = ErrorKind::permanent;
  e.message.append(provider).append(": ").append(why);
  return e;
}

HttpCall new_call(std::string path, const SendRequest& request, std::string_view content_type) {
  HttpCall call;
  call.method = "POST";
  call.path = std::move(path);
  call.headers.emplace_back("content-type", std::string(content_type));
  call.headers.emplace_back("user-agent", std::string(kUserAgent));
  call.headers.emplace_back(std::string(kRequestIdHeader), request.id);
  return call;
}

Status check_channel(std::string_view provider, const SendRequest& request, Channel served) {
  if (request.channel == served) return {};
  return build_error(provider, std::string("channel ") + to_string(request.channel) +
                                   " is not served (" + to_string(served) + " only)");
}

Result<HttpCall> finish(std::string_view provider, HttpCall call) {
  for (const auto& [name, value] : call.headers) {
    if (name.empty() || has_control(name) || has_control(value)) {
      return build_error(provider, "header " + (has_control(name) ? std::string("name") : name) +
                                       " would contain a control character");
    }
  }
  if (call.path.empty() || call.path.front() != '/' || has_control(call.path) ||
      call.path.find(' ') != std::string::npos) {
    return build_error(provider, "the call path is not an absolute path");
  }
  return call;
}

std::string bearer(std::string_view token) {
  return "Bearer " + std::string(token);
}

std::string basic_auth(std::string_view user, std::string_view password) {
  std::string pair(user);
  pair.append(":").append(password);
  return "Basic " + crypto::base64_encode(pair);
}

std::string encode_path_segment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (const char ch : segment) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out.push_back(ch);
    } else {
      percent_encode(out, c);
    }
  }
  return out;
}

std::string form_encode(const HeaderList& fields) {
  std::string out;
  const auto encode = [&out](std::string_view text) {
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (unreserved(c)) {
        out.push_back(ch);
      } else if (c == ' ') {
        out.push_back('+');
      } else {
        percent_encode(out, c);
      }
    }
  };
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    encode(name);
    out.push_back('=');
    encode(value);
  }
  return out;
}

Result<HeaderList> email_headers(std::string_view provider, const SendRequest& request,
                                 const SendConnection& connection) {
  HeaderList headers;
  if (request.purpose != Purpose::marketing) return headers;
  const std::string& url = !request.content.unsubscribe_url.empty()
                               ? request.content.unsubscribe_url
                               : connection.unsubscribe_url;
  if (url.empty()) {
    return build_error(provider,
                       "marketing email needs an unsubscribe URL (content.unsubscribe_url or "
                       "the connection's unsubscribe_url)");
  }
  if (!starts_with_nocase(url, "https://") || url.size() == 8 || !header_safe_uri(url)) {
    return build_error(provider, "the unsubscribe URL must be an https URL (RFC 8058)");
  }
  std::string value = "<" + url + ">";
  if (!connection.unsubscribe_mailto.empty()) {
    std::string mailto = connection.unsubscribe_mailto;
    if (!starts_with_nocase(mailto, "mailto:")) mailto.insert(0, "mailto:");
    if (!header_safe_uri(mailto) || mailto.size() == 7) {
      return build_error(provider, "the connection's unsubscribe_mailto is not a mailto: URI");
    }
    value.append(", <").append(mailto).append(">");
  }
  headers.emplace_back("List-Unsubscribe", std::move(value));
  headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  return headers;
}

Result<std::string> message_text(std::string_view provider, const SendRequest& request,
                                 const SendConnection& connection) {
  std::string text = request.content.text;
  if (text.empty()) return build_error(provider, "content.text is empty");
  if (request.purpose != Purpose::marketing) return text;
  const std::string_view opt_out = trim_right(connection.opt_out_text);
  if (opt_out.empty()) {
    return build_error(provider, "marketing messages need the connection's opt_out_text");
  }
  const std::string_view body = trim_right(text);
  if (body.ends_with(opt_out)) return text;
  text.resize(body.size());
  text.append("\n").append(opt_out);
  return text;
}

}  // namespace hookline::sender
