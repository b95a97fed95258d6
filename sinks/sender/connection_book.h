#pragma once
// The sender's view of the connection registry: a connection key ("resend/main") to what the
// provider client needs (SendConnection), built from the registry's row (its decrypted send
// secret and the "send" object of its settings) over the provider's defaults
// (send_defaults.h). Rebuilt when the registry reloads the row. Used by the consumer's thread
// only.
#include <map>
#include <memory>
#include <string>
#include <variant>

#include "ingest/registry/registry.h"
#include "sinks/sender/send_connection.h"

namespace hookline::sender {

struct ConnectionProblem {
  std::string error_class;  // unknown-connection, connection-disabled, connection-misconfigured
  std::string message;      // one line, no secret
};

// Reads a connection's settings JSON (its "send" object) over `defaults`. Throws ConfigError
// with the offending key.
SendConnection read_send_settings(const std::string& settings_json, SendConnection defaults);

class ConnectionBook {
 public:
  explicit ConnectionBook(const ingest::Registry& registry) : registry_(registry) {}

  std::variant<std::shared_ptr<const SendConnection>, ConnectionProblem> find(
      const std::string& key);

 private:
  struct Entry {
    std::shared_ptr<const ingest::Connection> row;  // the registry row it was built from
    std::variant<std::shared_ptr<const SendConnection>, ConnectionProblem> built;
  };
  const ingest::Registry& registry_;
  std::map<std::string, Entry> cache_;
};

}  // namespace hookline::sender
