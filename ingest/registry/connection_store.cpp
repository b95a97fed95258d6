#include "ingest/registry/connection_store.h"

#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/crypto/encoding.h"
#include "core/db/audit_log.h"
#include "core/json_walk.h"
#include "core/log.h"

namespace hookline::ingest {
namespace {

constexpr std::size_t kMaxAliasLength = 200;
constexpr std::size_t kMaxSecretLength = 4096;
constexpr std::size_t kMaxPublicKeyLength = 16384;

const log::Logger& store_log() {
  static const log::Logger logger("ingest.registry");
  return logger;
}

std::string subject_of(std::string_view provider, std::string_view id) {
  std::string s(provider);
  s.append("/").append(id);
  return s;
}

[[noreturn]] void not_found(std::string_view provider, std::string_view id) {
  throw ConnectionNotFound("connection " + subject_of(provider, id) + " does not exist");
}

bool is_printable_text(std::string_view text, bool allow_newlines) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0x7f || (u < 0x20 && !(allow_newlines && (c == '\n' || c == '\r')))) return false;
  }
  return true;
}

void check_name(std::string_view what, std::string_view value) {
  if (is_valid_name(value)) return;
  // The value is echoed only when it is short, printable text.
  const bool echo = value.size() <= 2 * kMaxNameLength && is_printable_text(value, false);
  throw ConnectionStoreError("invalid " + std::string(what) +
                             (echo ? " '" + std::string(value) + "'" : std::string()) +
                             ": use 1-64 characters a-z 0-9 . _ -, starting with a letter or "
                             "digit");
}

void check_secret(std::string_view what, const std::optional<std::string>& value) {
  if (!value) return;
  if (value->empty()) throw ConnectionStoreError(std::string(what) + " is empty");
  if (value->size() > kMaxSecretLength) {
    throw ConnectionStoreError(std::string(what) + " is longer than " +
                               std::to_string(kMaxSecretLength) + " bytes");
  }
}

// True if a string or key anywhere in `root` holds a NUL (iterative: nesting may be deep).
bool has_nul(const rapidjson::Value& root) {
  return any_json_node(root, [](const rapidjson::Value& v) {
    return v.IsString() &&
           std::string_view(v.GetString(), v.GetStringLength()).find('\0') != std::string::npos;
  });
}

rapidjson::Document parse_settings(std::string_view settings) {
  if (settings.size() > kMaxSettingsLength) {
    throw ConnectionStoreError("invalid settings: longer than " +
                               std::to_string(kMaxSettingsLength) + " bytes");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(
      settings.data(), settings.size());
  if (doc.HasParseError()) {
    throw ConnectionStoreError("invalid settings: not valid JSON at byte " +
                               std::to_string(doc.GetErrorOffset()) + ": " +
                               rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) {
    throw ConnectionStoreError(
        "invalid settings: expected a JSON object, e.g. {\"send\": {\"base_url\": \"...\"}}");
  }
  if (has_nul(doc)) {
    throw ConnectionStoreError(
        "invalid settings: a string contains \\u0000, which Postgres refuses");
  }
  return doc;
}

// The keys of the settings and of its "send" object: what audit_log records of settings,
// whose values may be addresses or phone numbers.
struct SettingsKeys {
  std::set<std::string> top;
  std::set<std::string> send;
};

SettingsKeys settings_keys(std::string_view settings) {
  const rapidjson::Document doc = parse_settings(settings);
  SettingsKeys keys;
  for (const auto& m : doc.GetObject()) {
    keys.top.emplace(m.name.GetString(), m.name.GetStringLength());
  }
  const auto send = doc.FindMember("send");
  if (send != doc.MemberEnd() && send->value.IsObject()) {
    for (const auto& m : send->value.GetObject()) {
      keys.send.emplace(m.name.GetString(), m.name.GetStringLength());
    }
  }
  return keys;
}

}  // namespace

void validate_settings(std::string_view settings) {
  parse_settings(settings);
}

void validate(const NewConnection& c) {
  check_name("provider", c.provider);
  check_name("connection id", c.id);
  check_name("tenant", c.tenant);
  if (!is_valid_environment(c.environment)) {
    throw ConnectionStoreError("invalid environment '" + c.environment +
                               "': use dev, staging or prod");
  }
  if (c.alias.size() > kMaxAliasLength || !is_printable_text(c.alias, false)) {
    throw ConnectionStoreError("invalid alias: at most " + std::to_string(kMaxAliasLength) +
                               " printable characters");
  }
  check_secret("the secret", c.secret);
  check_secret("the second secret", c.secret2);
  check_secret("the verify token", c.verify_token);
  check_secret("the send secret", c.send_secret);
  if (c.secret2 && !c.secret) throw ConnectionStoreError("a second secret needs a first secret");
  if (c.public_key.size() > kMaxPublicKeyLength || !is_printable_text(c.public_key, true)) {
    throw ConnectionStoreError("invalid public key: expected PEM or base64 text of at most " +
                               std::to_string(kMaxPublicKeyLength) + " bytes");
  }
  validate_settings(c.settings);
}

namespace {

// A sealed blob as a bytea input literal ("\x" + hex), passed as a text parameter ($n::bytea).
std::optional<std::string> bytea(const std::optional<std::string>& sealed) {
  if (!sealed) return std::nullopt;
  return "\\x" + crypto::hex_encode(*sealed);
}

// A nullable text parameter: pqxx sends a null `const char*` as SQL NULL.
const char* param(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

std::optional<std::string> read_bytea(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return pqxx::binarystring(f).str();
}

// A flat JSON object for audit_log.details: ids, flags and counts only, never a secret.
class Details {
 public:
  Details() { writer_.StartObject(); }
  Details& add(std::string_view key, std::string_view value) {
    key_(key);
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
  }
  Details& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  Details& add(std::string_view key, bool value) {
    key_(key);
    writer_.Bool(value);
    return *this;
  }
  Details& add(std::string_view key, std::size_t value) {
    key_(key);
    writer_.Uint64(value);
    return *this;
  }
  Details& add(std::string_view key, const std::set<std::string>& values) {
    key_(key);
    writer_.StartArray();
    for (const std::string& v : values) {
      writer_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    writer_.EndArray();
    return *this;
  }
  std::string json() {
    writer_.EndObject();
    return std::string(buffer_.GetString(), buffer_.GetSize());
  }

 private:
  void key_(std::string_view key) {
    writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_{buffer_};
};

std::size_t count(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return (a ? 1U : 0U) + (b ? 1U : 0U);
}

constexpr const char* kUtc = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

}  // namespace

ConnectionStore::ConnectionStore(pqxx::connection_base& conn, const SecretBox& box,
                                 std::string actor)
    : conn_(conn), box_(&box), actor_(std::move(actor)) {}

ConnectionStore::ConnectionStore(pqxx::connection_base& conn, std::string actor)
    : conn_(conn), box_(nullptr), actor_(std::move(actor)) {}

const SecretBox& ConnectionStore::box() const {
  if (box_ == nullptr) throw std::logic_error("this connection store operation needs the key");
  return *box_;
}

void ConnectionStore::add(const NewConnection& c) {
  validate(c);
  const SecretBox& sealer = box();
  const auto seal = [&](const std::optional<std::string>& value, SecretField field) {
    return value ? bytea(sealer.seal(c.provider, c.id, field, *value)) : std::nullopt;
  };
  const auto primary = seal(c.secret, SecretField::secret_primary);
  const auto secondary = seal(c.secret2, SecretField::secret_secondary);
  const auto token = seal(c.verify_token, SecretField::verify_token);
  const auto send_secret = seal(c.send_secret, SecretField::send_secret);
  const SettingsKeys keys = settings_keys(c.settings);
  const std::optional<std::string> alias =
      c.alias.empty() ? std::nullopt : std::optional<std::string>(c.alias);
  const std::optional<std::string> public_key =
      c.public_key.empty() ? std::nullopt : std::optional<std::string>(c.public_key);
  const std::string status = c.enabled ? "enabled" : "disabled";

  pqxx::work tx(conn_);
  const pqxx::result inserted = tx.exec_params(
      "INSERT INTO connections (tenant, provider, connection_id, environment, alias, status, "
      "secret_primary, secret_secondary, verify_token, public_key, send_secret, settings) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7::bytea, $8::bytea, $9::bytea, $10, $11::bytea, "
      "$12::jsonb) "
      "ON CONFLICT (provider, connection_id) DO NOTHING RETURNING 1",
      c.tenant, c.provider, c.id, c.environment, param(alias), status, param(primary),
      param(secondary), param(token), param(public_key), param(send_secret), c.settings);
  const std::string subject = subject_of(c.provider, c.id);
  if (inserted.empty()) throw ConnectionExists("connection " + subject + " already exists");
  db::append_audit(tx, actor_, "connection.add", subject,
                   Details()
                       .add("tenant", c.tenant)
                       .add("environment", c.environment)
                       .add("alias", c.alias)
                       .add("status", status)
                       .add("secrets", count(c.secret, c.secret2))
                       .add("has_verify_token", c.verify_token.has_value())
                       .add("has_public_key", !c.public_key.empty())
                       .add("has_send_secret", c.send_secret.has_value())
                       .add("settings_keys", keys.top)
                       .add("send_keys", keys.send)
                       .json());
  tx.commit();
}

std::vector<ConnectionSummary> ConnectionStore::list(std::string_view provider) {
  const std::optional<std::string> filter =
      provider.empty() ? std::nullopt : std::optional<std::string>(provider);
  pqxx::read_transaction tx(conn_);
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT tenant, provider, connection_id, environment, coalesce(alias, ''), "
                  "status = 'enabled', secret_primary IS NOT NULL, secret_secondary IS NOT NULL, "
                  "verify_token IS NOT NULL, coalesce(public_key, '') <> '', "
                  "to_char(created_at AT TIME ZONE 'UTC', ") +
          kUtc + "), to_char(updated_at AT TIME ZONE 'UTC', " + kUtc +
          "), send_secret IS NOT NULL, settings::text "
          "FROM connections WHERE $1::text IS NULL OR provider = $1 "
          "ORDER BY provider, connection_id",
      param(filter));
  std::vector<ConnectionSummary> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    ConnectionSummary s;
    s.tenant = row[0].as<std::string>();
    s.provider = row[1].as<std::string>();
    s.id = row[2].as<std::string>();
    s.environment = row[3].as<std::string>();
    s.alias = row[4].as<std::string>();
    s.enabled = row[5].as<bool>();
    s.has_secret = row[6].as<bool>();
    s.has_secret2 = row[7].as<bool>();
    s.has_verify_token = row[8].as<bool>();
    s.has_public_key = row[9].as<bool>();
    s.created_at = row[10].as<std::string>();
    s.updated_at = row[11].as<std::string>();
    s.has_send_secret = row[12].as<bool>();
    s.settings = row[13].as<std::string>();
    out.push_back(std::move(s));
  }
  return out;
}

LoadResult ConnectionStore::load_all() {
  const SecretBox& opener = box();
  pqxx::read_transaction tx(conn_);
  const pqxx::result rows = tx.exec(
      "SELECT tenant, provider, connection_id, environment, coalesce(alias, ''), "
      "status = 'enabled', secret_primary, secret_secondary, verify_token, "
      "coalesce(public_key, ''), send_secret, settings::text FROM connections "
      "ORDER BY provider, connection_id");
  LoadResult out;
  out.connections.reserve(rows.size());
  for (const auto& row : rows) {
    Connection c;
    c.tenant = row[0].as<std::string>();
    c.provider = row[1].as<std::string>();
    c.id = row[2].as<std::string>();
    c.environment = row[3].as<std::string>();
    c.alias = row[4].as<std::string>();
    c.enabled = row[5].as<bool>();
    c.credentials.public_key = row[9].as<std::string>();
    c.settings = row[11].as<std::string>();
    // Opens the sealed value of `field` (column `column`) into `out`; false if it does not open.
    const auto open = [&](int column, SecretField field, std::string* out_value) {
      const std::optional<std::string> sealed = read_bytea(row[column]);
      if (!sealed) return true;
      std::optional<std::string> plain = opener.open(c.provider, c.id, field, *sealed);
      if (!plain) {
        store_log().error("connection skipped", {{"provider", c.provider},
                                                 {"connection", c.id},
                                                 {"field", to_string(field)},
                                                 {"reason", kDoesNotOpen}});
        return false;
      }
      if (out_value != nullptr) {
        *out_value = std::move(*plain);
      } else {
        c.credentials.secrets.push_back(std::move(*plain));
      }
      return true;
    };
    if (!open(6, SecretField::secret_primary, nullptr) ||
        !open(7, SecretField::secret_secondary, nullptr) ||
        !open(8, SecretField::verify_token, &c.verify_token) ||
        !open(10, SecretField::send_secret, &c.send_secret)) {
      ++out.skipped;
      continue;
    }
    out.connections.push_back(std::move(c));
  }
  return out;
}

RotateResult ConnectionStore::rotate(std::string_view provider, std::string_view id,
                                     const Rotation& rotation) {
  if (!rotation.new_secret && !rotation.drop_old && !rotation.verify_token) {
    throw ConnectionStoreError(
        "nothing to rotate: give a new secret, drop the old one, or a "
        "new verify token");
  }
  check_secret("the new secret", rotation.new_secret);
  check_secret("the verify token", rotation.verify_token);
  const SecretBox& sealer = box();
  const std::string subject = subject_of(provider, id);

  pqxx::work tx(conn_);
  const pqxx::result r = tx.exec_params(
      "SELECT secret_primary, secret_secondary, verify_token FROM connections "
      "WHERE provider = $1 AND connection_id = $2 FOR UPDATE",
      std::string(provider), std::string(id));
  if (r.empty()) not_found(provider, id);
  // Values stay sealed unless they move to another field (the field is in the AD).
  std::optional<std::string> primary = read_bytea(r[0][0]);
  std::optional<std::string> secondary = read_bytea(r[0][1]);
  std::optional<std::string> token = read_bytea(r[0][2]);
  if (rotation.new_secret) {
    if (primary) {
      std::optional<std::string> old =
          sealer.open(provider, id, SecretField::secret_primary, *primary);
      if (!old) {
        throw ConnectionStoreError("connection " + subject + ": the current " + kDoesNotOpen);
      }
      if (*old == *rotation.new_secret) {
        throw ConnectionStoreError("connection " + subject + ": the new secret is the current one");
      }
      secondary = sealer.seal(provider, id, SecretField::secret_secondary, *old);
    }
    primary = sealer.seal(provider, id, SecretField::secret_primary, *rotation.new_secret);
  }
  const bool dropped = rotation.drop_old && secondary.has_value();
  if (rotation.drop_old) secondary.reset();
  if (rotation.verify_token) {
    token = sealer.seal(provider, id, SecretField::verify_token, *rotation.verify_token);
  }
  tx.exec_params0(
      "UPDATE connections SET secret_primary = $3::bytea, secret_secondary = $4::bytea, "
      "verify_token = $5::bytea WHERE provider = $1 AND connection_id = $2",
      std::string(provider), std::string(id), param(bytea(primary)), param(bytea(secondary)),
      param(bytea(token)));
  const RotateResult result{count(primary, secondary)};
  db::append_audit(tx, actor_, "connection.rotate", subject,
                   Details()
                       .add("new_secret", rotation.new_secret.has_value())
                       .add("dropped_old", dropped)
                       .add("new_verify_token", rotation.verify_token.has_value())
                       .add("secrets", result.secrets)
                       .json());
  tx.commit();
  return result;
}

bool ConnectionStore::set_enabled(std::string_view provider, std::string_view id, bool enabled) {
  const std::string status = enabled ? "enabled" : "disabled";
  pqxx::work tx(conn_);
  const pqxx::result r = tx.exec_params(
      "SELECT status FROM connections WHERE provider = $1 AND connection_id = $2 FOR UPDATE",
      std::string(provider), std::string(id));
  if (r.empty()) not_found(provider, id);
  if (r[0][0].as<std::string>() == status) return false;
  tx.exec_params0("UPDATE connections SET status = $3 WHERE provider = $1 AND connection_id = $2",
                  std::string(provider), std::string(id), status);
  db::append_audit(tx, actor_, enabled ? "connection.enable" : "connection.disable",
                   subject_of(provider, id), Details().add("status", status).json());
  tx.commit();
  return true;
}

void ConnectionStore::set_verify_token(std::string_view provider, std::string_view id,
                                       const std::optional<std::string>& token) {
  check_secret("the verify token", token);
  const SecretBox& sealer = box();
  const std::optional<std::string> sealed =
      token ? bytea(sealer.seal(provider, id, SecretField::verify_token, *token)) : std::nullopt;
  pqxx::work tx(conn_);
  const pqxx::result r = tx.exec_params(
      "UPDATE connections SET verify_token = $3::bytea "
      "WHERE provider = $1 AND connection_id = $2 RETURNING 1",
      std::string(provider), std::string(id), param(sealed));
  if (r.empty()) not_found(provider, id);
  db::append_audit(tx, actor_, "connection.set_verify_token", subject_of(provider, id),
                   Details().add("has_verify_token", token.has_value()).json());
  tx.commit();
}

void ConnectionStore::set_send_secret(std::string_view provider, std::string_view id,
                                      const std::optional<std::string>& secret) {
  check_secret("the send secret", secret);
  // Clearing needs no key: a leaked send secret can be revoked by whoever can disable.
  const std::optional<std::string> sealed =
      secret ? bytea(box().seal(provider, id, SecretField::send_secret, *secret)) : std::nullopt;
  pqxx::work tx(conn_);
  const pqxx::result r = tx.exec_params(
      "UPDATE connections SET send_secret = $3::bytea "
      "WHERE provider = $1 AND connection_id = $2 RETURNING 1",
      std::string(provider), std::string(id), param(sealed));
  if (r.empty()) not_found(provider, id);
  db::append_audit(tx, actor_, "connection.set_send_secret", subject_of(provider, id),
                   Details().add("has_send_secret", secret.has_value()).json());
  tx.commit();
}

void ConnectionStore::set_settings(std::string_view provider, std::string_view id,
                                   std::string_view settings) {
  const SettingsKeys keys = settings_keys(settings);
  pqxx::work tx(conn_);
  const pqxx::result r = tx.exec_params(
      "UPDATE connections SET settings = $3::jsonb "
      "WHERE provider = $1 AND connection_id = $2 RETURNING 1",
      std::string(provider), std::string(id), std::string(settings));
  if (r.empty()) not_found(provider, id);
  db::append_audit(tx, actor_, "connection.set_settings", subject_of(provider, id),
                   Details().add("settings_keys", keys.top).add("send_keys", keys.send).json());
  tx.commit();
}

}  // namespace hookline::ingest
