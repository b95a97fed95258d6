// WhatsApp Cloud API, POST https://graph.facebook.com/{Version}/{Phone-Number-ID}/messages
// (upstream-specs/providers/whatsapp.json): Bearer access token, JSON, 200 with the contact and
// a wamid. The credential check GET /{Version}/{Phone-Number-ID} answers the phone number
// node. Errors are Graph API errors: {"error":{"message":..,"type":..,"code":N,...}}.
#include <cctype>

#include "sinks/simulator/credentials.h"
#include "sinks/simulator/ids.h"
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

Answer graph_error(int status, int code, const std::string& message,
                   const std::string& extra = "") {
  return json_answer(status, "{\"error\":{\"message\":" + json_quote(message) +
                                 ",\"type\":\"OAuthException\",\"code\":" + std::to_string(code) +
                                 extra + ",\"fbtrace_id\":\"A" + random_alnum(22) + "\"}}");
}

std::string digits_of(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

class WhatsApp final : public Provider {
 public:
  const char* name() const noexcept override { return "whatsapp"; }
  const char* path_pattern() const noexcept override {
    return "/(v[0-9]+\\.[0-9]+)/([A-Za-z0-9_-]+)/messages";
  }

  std::optional<std::string> target(const Incoming& in) const override {
    std::string token = bearer_token(in);
    if (token.empty()) return std::nullopt;
    return token;
  }

  std::optional<Answer> validate(const Incoming& in) const override {
    auto doc = parse_object(in.body);
    if (!doc) return graph_error(400, 100, "(#100) The request body is not valid JSON.");
    if (string_member(*doc, "to").empty()) {
      return graph_error(400, 100, "(#100) The parameter to is required.");
    }
    return std::nullopt;
  }

  Answer accept(const Incoming& in) const override {
    // A 2xx fault answers before validation: the body may not be JSON.
    const auto doc = parse_object(in.body);
    const std::string to = doc ? string_member(*doc, "to") : std::string();
    Answer a = json_answer(200, "");
    a.message_id = "wamid." + random_alnum(48);
    a.body = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":" + json_quote(to) +
             ",\"wa_id\":" + json_quote(digits_of(to)) + "}],\"messages\":[{\"id\":\"" +
             a.message_id + "\"}]}";
    return a;
  }

  Answer error(int status) const override {
    switch (status) {
      case 400:
        return graph_error(400, 100, "(#100) Invalid parameter");
      case 401:
        return graph_error(401, 190, "Invalid OAuth access token - Cannot parse access token");
      case 429:
        return graph_error(429, 130429, "(#130429) Rate limit hit",
                           ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":"
                           "\"Cloud API message throughput has been reached.\"}");
      case 503:
        return graph_error(503, 131016, "(#131016) Service unavailable");
      default:
        if (status >= 500) return graph_error(status, 131000, "(#131000) Something went wrong");
        return graph_error(status, 1, reason_phrase(status));
    }
  }

  const char* check_pattern() const noexcept override {
    return "/(v[0-9]+\\.[0-9]+)/([A-Za-z0-9_-]+)";
  }
  Answer check(const Incoming& in) const override {
    return json_answer(200, R"({"verified_name":"Hookline Simulator",)"
                            R"("code_verification_status":"VERIFIED",)"
                            R"("display_phone_number":"15550000000","quality_rating":"GREEN",)"
                            R"("platform_type":"CLOUD_API","throughput":{"level":"STANDARD"},)"
                            R"("id":)" +
                                json_quote(in.params.at(1)) + "}");
  }
};

}  // namespace

std::unique_ptr<Provider> make_whatsapp() {
  return std::make_unique<WhatsApp>();
}

}  // namespace hookline::simulator
