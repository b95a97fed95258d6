#pragma once
// Opening a PostgreSQL connection from the configuration, with a bounded wait and one-line
// errors that never show a password.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include <pqxx/connection>

#include "core/config.h"

namespace hookline::db {

// Any database failure worth one line to an operator: no database configured, unreachable
// server, a migration that failed or was changed. Messages never contain a password.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Connects to cfg.url (a libpq URI "postgresql://..." or a key=value string), waiting at most
// cfg.connect_timeout per server address (libpq's connect_timeout; a connect_timeout already in
// the URL wins). Throws DbError:
//   "no database configured: set HOOKLINE_DATABASE_URL or database.url in the config file"
//   "invalid database url <redacted url>: <reason>"
//   "cannot connect to Postgres at <redacted url> within N s: <libpq reason, first line>"
std::unique_ptr<pqxx::connection> connect(const DatabaseConfig& cfg);

// The connection string handed to libpq: `url` with connect_timeout=<timeout> added in the
// URL's own syntax ("?connect_timeout=5" / "&connect_timeout=5" for URIs, " connect_timeout=5"
// for key=value strings). Unchanged when the URL already sets connect_timeout or timeout <= 0.
std::string with_connect_timeout(const std::string& url, std::chrono::seconds timeout);

// `url` made safe to print: the password (userinfo, ?password=, password=) replaced by "***".
std::string printable_url(const std::string& url);

// `text` with every occurrence of the password found in `url` replaced by "***".
std::string scrub_password(std::string text, const std::string& url);

// The first line of `text`, trimmed.
std::string first_line(const std::string& text);

}  // namespace hookline::db
