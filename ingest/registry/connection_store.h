#pragma once
// The connection registry in Postgres (table `connections`, migrations/0001 and 0003). Secret
// fields (inbound signing secrets, verify token, outbound send secret) are sealed with the
// SecretBox before they are written and opened only by load_all(); list() never reads them.
// `settings` is a non-secret JSON object; the sender's settings are its "send" object. Every
// change writes its audit_log row (ids and non-secret fields only) in the same transaction, and
// the table's trigger announces it on channel hookline_connections.
//
// Not thread-safe (one pqxx connection). Database failures propagate as pqxx exceptions.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "ingest/registry/connection.h"
#include "ingest/registry/secret_box.h"

namespace hookline::ingest {

// A request the store refuses: one line for an operator, never containing a secret.
class ConnectionStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// "connection stripe/main already exists"
class ConnectionExists : public ConnectionStoreError {
 public:
  using ConnectionStoreError::ConnectionStoreError;
};
// "connection stripe/main does not exist"
class ConnectionNotFound : public ConnectionStoreError {
 public:
  using ConnectionStoreError::ConnectionStoreError;
};

inline constexpr const char* kNotificationChannel = "hookline_connections";
inline constexpr const char* kDoesNotOpen = "secret does not open with this key";
inline constexpr std::size_t kMaxSettingsLength = 16384;  // bytes of the settings JSON text

struct NewConnection {
  std::string tenant = "default";
  std::string provider;
  std::string id;
  std::string environment = "prod";
  std::string alias;                          // empty: none
  std::optional<std::string> secret{};        // primary signing secret
  std::optional<std::string> secret2{};       // secondary (needs `secret`)
  std::optional<std::string> verify_token{};  // e.g. WhatsApp hub.verify_token
  std::string public_key;                     // PEM/base64, not secret; empty: none
  bool enabled = true;
  std::optional<std::string> send_secret{};  // outbound: what the sender authenticates with
  std::string settings = "{}";  // non-secret JSON object; the sender's under the key "send"
};

// What list() shows: everything but the secrets, which are reduced to flags.
struct ConnectionSummary {
  std::string tenant;
  std::string provider;
  std::string id;
  std::string environment;
  std::string alias;
  bool enabled = true;
  bool has_secret = false;
  bool has_secret2 = false;
  bool has_verify_token = false;
  bool has_public_key = false;
  bool has_send_secret = false;
  std::string settings;    // the JSON object as text (not secret)
  std::string created_at;  // UTC, "2024-05-01T12:00:00Z"
  std::string updated_at;
};

struct Rotation {
  // Becomes the primary; the old primary becomes the secondary (both verify meanwhile).
  std::optional<std::string> new_secret{};
  // Clears the secondary, finishing a rotation (applied after new_secret).
  bool drop_old = false;
  // Replaces the verify token.
  std::optional<std::string> verify_token{};
};

struct RotateResult {
  std::size_t secrets = 0;  // secrets the connection holds now (0, 1 or 2)
};

struct LoadResult {
  std::vector<Connection> connections;  // ordered by provider, id
  std::size_t skipped = 0;              // rows whose sealed fields do not open
};

// Throws ConnectionStoreError naming the first problem: invalid provider/id/tenant (see
// is_valid_name), environment, alias (<= 200 printable characters), an empty or oversized
// secret, verify token or send secret, a second secret without a first, a public key that is
// not text, or settings refused by validate_settings().
void validate(const NewConnection& connection);

// Throws ConnectionStoreError ("invalid settings: ...", one line, without the text) unless
// `settings` is a JSON object of at most kMaxSettingsLength bytes, valid UTF-8, whose strings
// hold no NUL (which Postgres's jsonb refuses).
void validate_settings(std::string_view settings);

class ConnectionStore {
 public:
  // `actor` names who makes the changes in audit_log ("alice", "hookline-cli"). The box is
  // kept by reference. Without one, only list(), set_enabled(), set_settings() and clearing the
  // send secret work (the others throw std::logic_error): operators can list and disable
  // connections, change their non-secret settings and revoke a send secret without the key.
  ConnectionStore(pqxx::connection_base& conn, const SecretBox& box, std::string actor);
  ConnectionStore(pqxx::connection_base& conn, std::string actor);

  // Throws ConnectionExists, or ConnectionStoreError for an invalid name/environment/alias or
  // a secondary secret without a primary, or invalid settings (see validate()).
  void add(const NewConnection& connection);

  // Ordered by provider, id; all providers when `provider` is empty.
  std::vector<ConnectionSummary> list(std::string_view provider = {});

  // Every row, decrypted. A row with a sealed field that does not open with this key is
  // skipped and logged (provider, connection, field, reason kDoesNotOpen); never throws for it.
  LoadResult load_all();

  // Throws ConnectionNotFound; ConnectionStoreError when nothing is asked, the new secret is
  // the current one, or the current primary does not open with this key.
  RotateResult rotate(std::string_view provider, std::string_view id, const Rotation& rotation);

  // False when the connection already had that status (nothing written). ConnectionNotFound.
  bool set_enabled(std::string_view provider, std::string_view id, bool enabled);

  // nullopt clears it. Throws ConnectionNotFound.
  void set_verify_token(std::string_view provider, std::string_view id,
                        const std::optional<std::string>& token);

  // Sets (sealed) or, with nullopt, clears the send secret. Throws ConnectionNotFound, or
  // ConnectionStoreError for an empty or oversized secret. Audited without the secret.
  void set_send_secret(std::string_view provider, std::string_view id,
                       const std::optional<std::string>& secret);

  // Replaces the settings object. Throws ConnectionNotFound, or ConnectionStoreError for
  // settings refused by validate_settings(). Audited with the keys only: values may be
  // addresses or phone numbers (a "from"), which audit_log never holds.
  void set_settings(std::string_view provider, std::string_view id, std::string_view settings);

 private:
  const SecretBox& box() const;

  pqxx::connection_base& conn_;
  const SecretBox* box_;
  std::string actor_;
};

}  // namespace hookline::ingest
