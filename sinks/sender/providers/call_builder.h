#pragma once
// What every provider call shares: the common headers, authorization, path and form encoding,
// build errors, and what marketing sends must carry (List-Unsubscribe for email, the opt-out
// text for SMS and WhatsApp text). Pure functions; no I/O.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "sinks/sender/provider_client.h"

namespace hookline::sender {

inline constexpr std::string_view kUserAgent = "hookline-sender/0.1";
inline constexpr std::string_view kRequestIdHeader = "x-hookline-request-id";

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// An Error of kind permanent, "<provider>: <why>". `why` names fields, never their values:
// build errors are logged and the values are personal data or secrets.
Error build_error(std::string_view provider, std::string_view why);

// A POST to `path` carrying the headers every call has, names in lower case: content-type,
// user-agent and x-hookline-request-id.
HttpCall new_call(std::string path, const SendRequest& request, std::string_view content_type);

// An error unless the request is on `served`, the one channel the provider sends on.
Status check_channel(std::string_view provider, const SendRequest& request, Channel served);

// The last step of every build: refuses a header name or value with a control character
// (CR/LF injection from configuration or a request id), so what is sent is what was built.
Result<HttpCall> finish(std::string_view provider, HttpCall call);

std::string bearer(std::string_view token);
std::string basic_auth(std::string_view user, std::string_view password);

// RFC 3986 percent-encoding of one path segment: unreserved characters are kept.
std::string encode_path_segment(std::string_view segment);

// application/x-www-form-urlencoded: unreserved characters kept, space as '+', the rest %XX.
std::string form_encode(const HeaderList& fields);

// The email headers a send carries: for marketing, List-Unsubscribe ("<https://...>", plus
// ", <mailto:...>" when the connection has unsubscribe_mailto) and List-Unsubscribe-Post
// ("List-Unsubscribe=One-Click", RFC 8058); none for transactional email. The URL is the
// request's content.unsubscribe_url, else the connection's, and must be https (RFC 8058). An
// error when a marketing email has no such URL.
Result<HeaderList> email_headers(std::string_view provider, const SendRequest& request,
                                 const SendConnection& connection);

// The text of an SMS or WhatsApp text message: content.text, and for marketing the
// connection's opt_out_text on a line of its own, unless the text already ends with it
// (trailing white space ignored). An error when the text is empty, or when a marketing send's
// connection has no opt-out text.
Result<std::string> message_text(std::string_view provider, const SendRequest& request,
                                 const SendConnection& connection);

}  // namespace hookline::sender
