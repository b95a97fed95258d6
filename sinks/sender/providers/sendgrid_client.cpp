#include "sinks/sender/providers/sendgrid_client.h"

#include <string>
#include <string_view>
#include <utility>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "sinks/sender/providers/json_writer.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kProvider = "sendgrid";

struct Mailbox {
  std::string email;
  std::string name;  // "" when none
};

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Acme <news@acme.example>" (or a bare address) as SendGrid's {email, name}.
Mailbox mailbox(std::string_view from) {
  from = trim(from);
  const auto lt = from.rfind('<');
  if (lt == std::string_view::npos || !from.ends_with('>')) return {std::string(from), ""};
  std::string_view name = trim(from.substr(0, lt));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  return {std::string(trim(from.substr(lt + 1, from.size() - lt - 2))), std::string(name)};
}

// The error's field names the part of the request at fault: the recipient, or something else.
std::string error_class_for_field(std::string_view field) {
  if (field.starts_with("personalizations") && field.find(".to") != std::string_view::npos) {
    return "invalid-recipient";
  }
  if (field.starts_with("from")) return "invalid-sender";
  return "invalid-request";
}

class SendGridClient final : public ProviderClient {
 public:
  Result<HttpCall> build(const SendRequest& request, const SendConnection& connection, int,
                         std::chrono::system_clock::time_point) const override {
    if (auto s = check_channel(kProvider, request, Channel::email); !s) return s.error();
    const Content& c = request.content;
    if (request.address.empty()) return build_error(kProvider, "the request has no address");
    const Mailbox from = mailbox(connection.from);
    if (from.email.empty()) return build_error(kProvider, "the connection has no from");
    if (connection.credential.empty()) {
      return build_error(kProvider, "the connection has no API key");
    }
    const bool templated = c.template_.has_value();
    if (templated && c.template_->name.empty()) {
      return build_error(kProvider, "content.template has no name (the template id)");
    }
    if (!templated) {
      if (c.subject.empty()) return build_error(kProvider, "content.subject is empty");
      if (c.html.empty() && c.text.empty()) {
        return build_error(kProvider, "content.html and content.text are both empty");
      }
    }
    auto headers = email_headers(kProvider, request, connection);
    if (!headers) return headers.error();

    JsonWriter w;
    w.begin_object();
    w.key("personalizations").begin_array().begin_object();
    w.key("to").begin_array().begin_object().member("email", request.address).end_object();
    w.end_array();
    if (templated && !c.template_->parameters.empty()) {
      w.key("dynamic_template_data").begin_object();
      for (std::size_t i = 0; i < c.template_->parameters.size(); ++i) {
        w.member(std::to_string(i + 1), c.template_->parameters[i]);
      }
      w.end_object();
    }
    w.key("custom_args").begin_object().member("hookline_request_id", request.id).end_object();
    w.end_object().end_array();
    w.key("from").begin_object().member("email", from.email);
    if (!from.name.empty()) w.member("name", from.name);
    w.end_object();
    if (!c.subject.empty()) w.member("subject", c.subject);
    if (templated) {
      w.member("template_id", c.template_->name);
    } else {
      // text/plain first, then text/html: the order the API requires.
      w.key("content").begin_array();
      if (!c.text.empty()) {
        w.begin_object().member("type", "text/plain").member("value", c.text).end_object();
      }
      if (!c.html.empty()) {
        w.begin_object().member("type", "text/html").member("value", c.html).end_object();
      }
      w.end_array();
    }
    if (!headers->empty()) {
      w.key("headers").begin_object();
      for (const auto& [name, value] : *headers) w.member(name, value);
      w.end_object();
    }
    w.end_object();
    if (!w.ok()) return build_error(kProvider, "the content is not valid UTF-8");

    HttpCall call = new_call("/v3/mail/send", request, "application/json");
    call.headers.emplace_back("authorization", bearer(connection.credential));
    call.body = w.text();
    return finish(kProvider, std::move(call));
  }

  SendResult interpret(const HttpAnswer& answer) const override {
    SendResult r = classify_status(answer);
    if (r.outcome == Outcome::sent) {
      r.provider_message_id = std::string(answer_header(answer, "x-message-id").value_or(""));
      return r;
    }
    if (answer.status == 0) return r;
    rapidjson::Document doc;
    if (!parse_json_object(answer.body, doc)) return r;
    const auto* errors = json_member(doc, "errors");
    if (!errors || !errors->IsArray() || errors->Empty()) return r;
    const auto& first = (*errors)[0];
    const std::string field = json_string(first, "field").value_or("");
    const std::string message = json_string(first, "message").value_or("");
    // SendGrid errors have no code: the field and message (which name fields, not values)
    // are all there is, and safe_excerpt removes any address a message might quote.
    r.excerpt = safe_excerpt(field.empty() || field == "null" ? message : field + ": " + message);
    if (answer.status == 400 || answer.status == 413) {
      r.error_class = error_class_for_field(field);
    } else if (answer.status == 401) {
      r.error_class = "unauthorized";
    } else if (answer.status == 403) {
      r.error_class =
          message.find("Sender Identity") != std::string::npos ? "invalid-sender" : "forbidden";
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<ProviderClient> make_sendgrid_client() {
  return std::make_unique<SendGridClient>();
}

}  // namespace hookline::sender
