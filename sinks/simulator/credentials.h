#pragma once
// The credentials providers read from the Authorization header. Never logged.
#include <string>

#include "sinks/simulator/exchange.h"

namespace hookline::simulator {

// The token of "Authorization: Bearer <token>"; "" when absent, empty or another scheme.
std::string bearer_token(const Incoming& in);

// The user of "Authorization: Basic base64(user:password)"; "" when absent, malformed, or
// when the user or the password is empty.
std::string basic_user(const Incoming& in);

// The password of "Authorization: Basic base64(user:password)" (Twilio's auth token or API
// key secret); "" under the same conditions as basic_user.
std::string basic_password(const Incoming& in);

}  // namespace hookline::simulator
