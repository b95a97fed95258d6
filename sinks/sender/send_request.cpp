#include "sinks/sender/send_request.h"

namespace hookline::sender {

const char* to_string(Channel c) noexcept {
  switch (c) {
    case Channel::email:
      return "email";
    case Channel::sms:
      return "sms";
    case Channel::whatsapp:
      return "whatsapp";
    case Channel::slack:
      return "slack";
    case Channel::webhook:
      return "webhook";
  }
  return "?";
}

const char* to_string(Purpose p) noexcept {
  return p == Purpose::marketing ? "marketing" : "transactional";
}

std::string SendRequest::provider() const {
  return connection.substr(0, connection.find('/'));
}

}  // namespace hookline::sender
