#pragma once
// application/x-www-form-urlencoded bodies (Twilio, Slack slash commands): the signature
// schemes and the delivery-id extraction parse them the same way.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::ingest {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Decodes one form component: '+' is a space, %XX is a byte (either hex case). nullopt for a
// '%' not followed by two hex digits.
std::optional<std::string> form_decode(std::string_view text);

// Splits on '&' into name=value pairs in order, repeats kept. Empty segments ("a=1&&b=2",
// a trailing '&') are skipped; a segment without '=' is a name with an empty value. Strict:
// any bad % escape makes the whole body nullopt. "" gives an empty list.
std::optional<FormFields> parse_form(std::string_view body);

// True for "application/x-www-form-urlencoded", with any parameters ("; charset=utf-8") and
// in any letter case.
bool is_form_content_type(std::string_view content_type) noexcept;

}  // namespace hookline::ingest
