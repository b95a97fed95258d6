// approval_message(): an approvals.requests record as the Slack message that asks for the
// decision (Block Kit: https://api.slack.com/reference/block-kit/blocks). Text limits of Block
// Kit that apply here: a header's plain text 150 characters, a section's text 3000, a field's
// 2000; longer names and previews are shortened with "…".
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"
#include "sinks/sender/approval_request.h"

namespace hookline::sender {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::size_t kFieldChars = 2000;
constexpr std::size_t kSectionChars = 3000;
constexpr std::size_t kNameChars = 300;  // a name in a field or the fallback text
constexpr const char* kEllipsis = "\xE2\x80\xA6";

// `text` for Slack mrkdwn: &, < and > escaped (Slack's control characters), every line quoted
// with ">" when `quote`; at most `max_chars` characters (code points), else cut after a whole
// character or escape and ended with "…".
std::string mrkdwn(std::string_view text, std::size_t max_chars, bool quote = false) {
  std::string out = quote ? ">" : "";
  std::size_t chars = out.size();
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // (bytes, chars) after each unit
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    len = std::min(len, text.size() - i);
    const char c = text[i];
    if (c == '&') {
      out += "&amp;";
      chars += 5;
    } else if (c == '<') {
      out += "&lt;";
      chars += 4;
    } else if (c == '>') {
      out += "&gt;";
      chars += 4;
    } else if (c == '\n' && quote) {
      out += "\n>";
      chars += 2;
    } else {
      out.append(text.substr(i, len));
      chars += 1;
    }
    cuts.emplace_back(out.size(), chars);
    i += len;
  }
  if (chars <= max_chars) return out;
  std::size_t keep = quote ? 1 : 0;
  for (const auto& [bytes, n] : cuts) {
    if (n + 1 > max_chars) break;
    keep = bytes;
  }
  out.resize(keep);
  return out + kEllipsis;
}

// 5000 -> "5,000".
std::string with_thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string reason_in_words(const std::string& code) {
  if (code == "recipients_over") return "recipient count over the limit";
  if (code == "risk_score_over") return "risk score over the limit";
  if (code == "sensitive") return "flagged sensitive";
  if (code == "ai_drafted") return "drafted by AI";
  if (code == "first_send") return "first send of this campaign";
  return code;
}

std::string reasons_in_words(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += "; ";
    out += reason_in_words(c);
  }
  return out.empty() ? "-" : out;
}

// Slack shows the time in the reader's time zone; the text after | is the fallback.
std::string slack_date(std::chrono::system_clock::time_point t) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return "<!date^" + std::to_string(s) + "^{date_short_pretty} at {time}|" + rfc3339_ms(t) + ">";
}

void text_object(Writer& w, const char* type, const std::string& text) {
  w.StartObject();
  w.Key("type");
  w.String(type);
  w.Key("text");
  w.String(text);
  if (std::string_view(type) == "plain_text") {
    w.Key("emoji");
    w.Bool(true);
  }
  w.EndObject();
}

void field(Writer& w, const std::string& label, const std::string& value_mrkdwn) {
  text_object(w, "mrkdwn", "*" + label + "*\n" + value_mrkdwn);
}

void button(Writer& w, const char* action_id, const char* text, const char* style,
            const std::string& value) {
  w.StartObject();
  w.Key("type");
  w.String("button");
  w.Key("action_id");
  w.String(action_id);
  w.Key("text");
  text_object(w, "plain_text", text);
  w.Key("style");
  w.String(style);
  w.Key("value");
  w.String(value);
  w.EndObject();
}

std::string blocks(const ApprovalRequest& a) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartArray();

  w.StartObject();
  w.Key("type");
  w.String("header");
  w.Key("text");
  text_object(w, "plain_text", "Campaign waiting for approval");
  w.EndObject();

  char risk[32];
  std::snprintf(risk, sizeof risk, "%.2f", a.risk_score);
  const std::string campaign =
      (a.campaign_name.empty() ? std::string() : mrkdwn(a.campaign_name, kNameChars) + "\n") + "`" +
      a.campaign_id + "`";
  w.StartObject();
  w.Key("type");
  w.String("section");
  w.Key("fields");
  w.StartArray();
  field(w, "Campaign", campaign);
  field(w, "Recipients", with_thousands(a.recipients));
  field(w, "Risk score", risk);
  field(w, "Sensitive", a.sensitive ? "yes" : "no");
  field(w, "AI-drafted", a.ai_drafted ? "yes" : "no");
  field(w, "Why", mrkdwn(reasons_in_words(a.reasons), kFieldChars - 8));
  field(w, "Expires", slack_date(a.expires_at));
  w.EndArray();
  w.EndObject();

  const std::string preview_label = "*Preview*\n";
  w.StartObject();
  w.Key("type");
  w.String("section");
  w.Key("text");
  text_object(
      w, "mrkdwn",
      preview_label + (a.preview.empty() ? std::string("_none_")
                                         : mrkdwn(a.preview, kSectionChars - preview_label.size(),
                                                  /*quote=*/true)));
  w.EndObject();

  w.StartObject();
  w.Key("type");
  w.String("actions");
  w.Key("block_id");
  w.String("hookline.approval");
  w.Key("elements");
  w.StartArray();
  button(w, "hookline.approve", "Approve", "primary", a.campaign_id);
  button(w, "hookline.deny", "Deny", "danger", a.campaign_id);
  w.EndArray();
  w.EndObject();

  w.StartObject();
  w.Key("type");
  w.String("context");
  w.Key("elements");
  w.StartArray();
  text_object(w, "mrkdwn",
              "Approval `" + a.approval_id + "` · tenant " + mrkdwn(a.tenant, kNameChars) +
                  " · requested " + slack_date(a.requested_at));
  w.EndArray();
  w.EndObject();

  w.EndArray();
  return {sb.GetString(), sb.GetSize()};
}

}  // namespace

SendRequest approval_message(const ApprovalRequest& a) {
  SendRequest r;
  r.id = "approval." + a.approval_id;
  r.tenant = a.tenant;
  r.connection = a.slack_connection;
  r.channel = Channel::slack;
  r.purpose = Purpose::transactional;
  r.contact_id = "approvals";
  r.address = a.slack_channel;
  r.content.text = "Campaign " +
                   (a.campaign_name.empty() ? a.campaign_id : mrkdwn(a.campaign_name, kNameChars)) +
                   " is waiting for approval";
  r.content.blocks_json = blocks(a);
  r.expires_at = a.expires_at;
  return r;
}

}  // namespace hookline::sender
