// Outgoing webhooks: POST /hooks/<anything>, any body (a JSON content type must carry valid
// JSON), no authentication (the Standard Webhooks signature is recorded, not checked).
// 200 {} by default; errors are {"error":"<reason>"}. The target is the path.
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

class Webhook final : public Provider {
 public:
  const char* name() const noexcept override { return "webhook"; }
  const char* path_pattern() const noexcept override { return "/hooks/.+"; }

  std::optional<std::string> target(const Incoming& in) const override { return in.path; }
  std::string credential(const Incoming&) const override { return {}; }

  std::optional<Answer> validate(const Incoming& in) const override {
    const auto type = in.header("content-type");
    if ((type.starts_with("application/json") || type.find("+json") != std::string_view::npos) &&
        !is_json(in.body)) {
      return error(400);
    }
    return std::nullopt;
  }

  Answer accept(const Incoming&) const override { return json_answer(200, "{}"); }

  Answer error(int status) const override {
    return json_answer(status, "{\"error\":\"" + reason_code(status) + "\"}");
  }
};

}  // namespace

std::unique_ptr<Provider> make_webhook() {
  return std::make_unique<Webhook>();
}

}  // namespace hookline::simulator
