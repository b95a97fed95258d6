#include "sinks/sender/providers/credential_check.h"

#include <string>
#include <utility>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "sinks/sender/providers/http_caller.h"
#include "sinks/sender/providers/webhook_client.h"

namespace hookline::sender {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kAuthorization = "authorization";

// Slack errors that mean the token is not (or no longer) good.
constexpr std::string_view kSlackAuthErrors[] = {
    "invalid_auth",  "not_authed",    "account_inactive",   "token_revoked",
    "token_expired", "no_permission", "org_login_required", "ekm_access_denied",
};
// Slack errors that say nothing about the token: try again.
constexpr std::string_view kSlackBusyErrors[] = {
    "ratelimited", "request_timeout", "service_unavailable", "internal_error", "fatal_error",
};

template <std::size_t N>
bool one_of(std::string_view s, const std::string_view (&set)[N]) noexcept {
  for (const auto e : set) {
    if (e == s) return true;
  }
  return false;
}

HttpCall new_check(std::string method, std::string path) {
  HttpCall call;
  call.method = std::move(method);
  call.path = std::move(path);
  call.headers.emplace_back("user-agent", std::string(kUserAgent));
  call.headers.emplace_back("accept", "application/json");
  return call;
}

Result<std::optional<HttpCall>> finished(std::string_view provider, HttpCall call) {
  auto done = finish(provider, std::move(call));
  if (!done) return done.error();
  return std::optional<HttpCall>(std::move(*done));
}

// The provider's error code or name in an answer body, for the report; "" when none.
std::string provider_code(std::string_view provider, const rapidjson::Document& doc) {
  if (provider == "resend") return json_string(doc, "name").value_or("");
  if (provider == "slack") return json_string(doc, "error").value_or("");
  if (provider == "twilio") {
    const auto code = json_integer(doc, "code");
    return code ? "twilio error " + std::to_string(*code) : std::string();
  }
  if (provider == "whatsapp") {
    const auto* error = json_member(doc, "error");
    const auto code = error ? json_integer(*error, "code") : std::nullopt;
    if (!code) return {};
    std::string out = "whatsapp error " + std::to_string(*code);
    if (const auto sub = json_integer(*error, "error_subcode")) {
      out.append("/").append(std::to_string(*sub));
    }
    if (const auto type = json_string(*error, "type")) out.append(" (").append(*type).append(")");
    return out;
  }
  if (provider == "sendgrid") {
    const auto* errors = json_member(doc, "errors");
    if (!errors || !errors->IsArray() || errors->Empty()) return {};
    return json_string((*errors)[0], "message").value_or("");
  }
  return {};
}

// base_url for a report: without user information (which HttpCaller refuses anyway, and which
// could be a secret) and control characters.
std::string printable_url(std::string_view url) {
  std::string out;
  const auto sep = url.find("://");
  const auto authority = sep == std::string_view::npos ? 0 : sep + 3;
  const auto at = url.find('@', authority);
  const auto slash = url.find('/', authority);
  if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
    out.append(url.substr(0, authority)).append("...");
    url.remove_prefix(at);
  }
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c < 0x20 || c == 0x7F ? '?' : ch);
  }
  return out;
}

CredentialReport verdict(CredentialVerdict v, std::string what, int status, std::string code) {
  CredentialReport r;
  r.verdict = v;
  r.what = std::move(what);
  r.status = status;
  r.code = safe_excerpt(code);
  return r;
}

// A 2xx answer: accepted, unless its body says the credentials cannot send.
CredentialReport read_success(std::string_view provider, const HttpAnswer& answer, bool json,
                              const rapidjson::Document& doc, std::string code) {
  const int status = answer.status;
  if (provider == "slack") {
    const auto* ok = json ? json_member(doc, "ok") : nullptr;
    if (!ok || !ok->IsBool()) {
      return verdict(CredentialVerdict::rejected,
                     "got an answer that is not Slack's (is base_url Slack's API?)", status, "");
    }
    if (!ok->GetBool()) {
      if (one_of(code, kSlackBusyErrors)) {
        return verdict(CredentialVerdict::unverified,
                       "could not be checked, the provider is busy or failing", status, code);
      }
      return verdict(CredentialVerdict::rejected,
                     one_of(code, kSlackAuthErrors) ? "credentials refused" : "call refused",
                     status, code);
    }
  }
  if (provider == "sendgrid" && json) {
    const auto* scopes = json_member(doc, "scopes");
    if (scopes && scopes->IsArray()) {
      bool can_send = false;
      for (const auto& s : scopes->GetArray()) {
        can_send = can_send || (s.IsString() && std::string_view(s.GetString()) == "mail.send");
      }
      if (!can_send) {
        return verdict(CredentialVerdict::rejected,
                       "credentials accepted, but the key lacks the mail.send scope", status, "");
      }
    }
  }
  if (provider == "twilio" && json) {
    const auto account_status = json_string(doc, "status");
    if (account_status && *account_status != "active") {
      return verdict(CredentialVerdict::rejected,
                     "credentials accepted, but the account is " + safe_excerpt(*account_status),
                     status, "");
    }
  }
  return verdict(CredentialVerdict::accepted, "credentials accepted", status, "");
}

}  // namespace

const char* to_string(CredentialVerdict v) noexcept {
  switch (v) {
    case CredentialVerdict::accepted:
      return "ok";
    case CredentialVerdict::rejected:
      return "rejected";
    case CredentialVerdict::unverified:
      return "unverified";
    case CredentialVerdict::unreachable:
      return "unreachable";
  }
  return "unreachable";
}

Result<std::optional<HttpCall>> build_credential_check(const SendConnection& c) {
  const std::string_view provider = c.provider;
  if (provider == "webhook") return std::optional<HttpCall>();
  if (provider != "resend" && provider != "sendgrid" && provider != "twilio" &&
      provider != "whatsapp" && provider != "slack") {
    return build_error(provider, "the sender has no client for this provider");
  }
  if (c.credential.empty()) return build_error(provider, "the connection has no send secret");
  if (provider == "resend" || provider == "sendgrid") {
    HttpCall call = new_check("GET", provider == "resend" ? "/domains" : "/v3/scopes");
    call.headers.emplace_back(kAuthorization, bearer(c.credential));
    return finished(provider, std::move(call));
  }
  if (provider == "twilio") {
    if (c.account_sid.empty()) return build_error(provider, "the connection has no account_sid");
    HttpCall call =
        new_check("GET", "/2010-04-01/Accounts/" + encode_path_segment(c.account_sid) + ".json");
    call.headers.emplace_back(kAuthorization, basic_auth(c.account_sid, c.credential));
    return finished(provider, std::move(call));
  }
  if (provider == "whatsapp") {
    if (c.phone_number_id.empty()) {
      return build_error(provider, "the connection has no phone_number_id");
    }
    if (c.api_version.empty()) return build_error(provider, "the connection has no api_version");
    std::string path = "/";  // appended piecewise: GCC 12 -Wrestrict misfires on "/" + s
    path.append(encode_path_segment(c.api_version));
    path.append("/");
    path.append(encode_path_segment(c.phone_number_id));
    HttpCall call = new_check("GET", std::move(path));
    call.headers.emplace_back(kAuthorization, bearer(c.credential));
    return finished(provider, std::move(call));
  }
  // Slack's Web API methods take POST; auth.test needs no argument but the token.
  HttpCall call = new_check("POST", "/api/auth.test");
  call.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  call.headers.emplace_back(kAuthorization, bearer(c.credential));
  return finished(provider, std::move(call));
}

CredentialReport read_credential_answer(std::string_view provider, const HttpAnswer& answer) {
  const int status = answer.status;
  if (status == 0) {
    return verdict(CredentialVerdict::unreachable, "got no answer", 0,
                   answer.transport_error.empty() ? "no answer" : answer.transport_error);
  }
  rapidjson::Document doc;
  const bool json = parse_json_object(answer.body, doc);
  std::string code = json ? provider_code(provider, doc) : std::string();
  if (status >= 200 && status < 300) return read_success(provider, answer, json, doc, code);
  if (status == 401 || status == 403) {
    // Resend's sending-only keys may send but not read domains: the key is good.
    if (provider == "resend" && code == "restricted_api_key") {
      return verdict(CredentialVerdict::accepted, "credentials accepted (a sending-only key)",
                     status, code);
    }
    return verdict(CredentialVerdict::rejected, "credentials refused", status, code);
  }
  if (status == 408 || status == 429 || status >= 500) {
    return verdict(CredentialVerdict::unverified,
                   "could not be checked, the provider is busy or failing", status, code);
  }
  return verdict(CredentialVerdict::rejected,
                 "call refused (check the connection's settings: account, phone number id, "
                 "base_url)",
                 status, code);
}

CredentialReport check_credentials(const SendConnection& c,
                                   const std::optional<std::string>& ca_file) {
  auto built = build_credential_check(c);
  if (!built) {
    std::string why = built.error().message;
    const std::string prefix = c.provider + ": ";
    if (why.starts_with(prefix)) why.erase(0, prefix.size());
    return verdict(CredentialVerdict::rejected, "cannot be checked: " + why, 0, "");
  }
  if (!*built) {
    if (!webhook_signing_key(c.credential)) {
      return verdict(CredentialVerdict::rejected,
                     "cannot sign: its send secret is not a whsec_<base64> signing secret", 0, "");
    }
    return verdict(CredentialVerdict::accepted,
                   "has nothing to call: a receiver holds no credential of ours (hookline signs, "
                   "the receiver verifies); the signing secret is a valid whsec_ key",
                   0, "");
  }
  const HttpCall& call = **built;
  HttpCaller caller(c.base_url, c.timeout, ca_file);
  const auto start = Clock::now();
  const HttpAnswer answer = caller.call(call);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  CredentialReport r = read_credential_answer(c.provider, answer);
  r.endpoint = call.method + " " + call.path;
  r.elapsed = elapsed;
  if (r.verdict == CredentialVerdict::unreachable) r.what += " from " + printable_url(c.base_url);
  return r;
}

std::string report_line(std::string_view key, const CredentialReport& r) {
  std::string line = to_string(r.verdict);
  line.append(": ").append(key).append(" ").append(r.what);
  if (r.endpoint.empty()) return line;
  line.append(" (").append(r.endpoint);
  if (r.status != 0) {
    line.append(", ").append(std::to_string(r.status));
    if (!r.code.empty()) line.append(" ").append(r.code);
  } else if (!r.code.empty()) {
    line.append(", ").append(r.code);
  }
  if (r.elapsed) line.append(", ").append(std::to_string(r.elapsed->count())).append(" ms");
  line.append(")");
  return line;
}

}  // namespace hookline::sender
