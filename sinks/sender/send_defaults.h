#pragma once
// What a provider's connections use unless their settings say otherwise: the API's base URL
// and a pace within the provider's documented limits. Explicit list of the built-in clients.
#include <optional>
#include <string>

#include "sinks/sender/send_connection.h"

namespace hookline::sender {

// nullopt for a provider the sender has no client for.
std::optional<SendConnection> send_defaults(const std::string& provider);

}  // namespace hookline::sender
