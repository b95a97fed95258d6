#pragma once
// Versioned schema migrations: the files of migrations/ (NNNN_name.sql) are embedded into the
// binary at build time and applied in version order, each in its own transaction together
// with its row in hookline_schema_migrations. A transaction-level advisory lock serialises
// concurrent migrators; an applied migration whose text changed is refused (checksum).
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "core/db/connection.h"

namespace hookline::db {

struct Migration {
  int version = 0;
  std::string name;      // the file name without ".sql": "0001_connections"
  std::string sql;       // the file's bytes, run as one multi-statement query
  std::string checksum;  // SHA-256 of `sql`, lower-case hex
};

struct MigrationFileName {
  int version = 0;
  std::string name;  // "0001_connections"
};

// "0001_connections.sql" -> {1, "0001_connections"}. The form is 4 to 9 digits (version >= 1),
// '_', then [a-z0-9_]+, then ".sql"; anything else is nullopt.
std::optional<MigrationFileName> parse_migration_file_name(std::string_view file_name);

// SHA-256 of the text, lower-case hex (64 characters).
std::string migration_checksum(std::string_view sql);

// A Migration from a file name and its text; throws DbError when the name is not NNNN_name.sql.
Migration make_migration(std::string_view file_name, std::string sql);

// Throws DbError unless versions are strictly increasing (sorted, no duplicates).
void validate_migrations(const std::vector<Migration>& migrations);

// The migrations built into this binary, sorted and validated (DbError on the first call if a
// file name or version is wrong, which the build already rejects).
const std::vector<Migration>& embedded_migrations();

struct MigrateReport {
  std::vector<int> applied;  // applied by this call
  std::vector<int> already;  // found applied
};

// Called once per migration, in version order, as migrate() gets to it.
using MigrateProgress = std::function<void(const Migration&, bool newly_applied)>;

// Brings the database up to date: creates hookline_schema_migrations if missing, then applies
// every migration not recorded there. Throws DbError when a recorded migration's checksum
// differs ("migration 0001_connections was changed after it was applied") before applying
// anything, and when a migration fails (its transaction is rolled back). Safe to run twice and
// from several processes at once. pqxx errors (lost connection) propagate as pqxx exceptions.
MigrateReport migrate(pqxx::connection& conn, const std::vector<Migration>& migrations,
                      const MigrateProgress& progress = {});

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;  // UTC, ISO 8601
};

// What hookline_schema_migrations records, by version (empty when the table does not exist).
std::vector<AppliedMigration> applied_migrations(pqxx::connection& conn);

namespace detail {
// Filled in by the generated embedded_migrations.cpp (see core/db/CMakeLists.txt).
struct EmbeddedFile {
  const char* file_name;
  const char* sql;
  std::size_t size;
};
extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;
}  // namespace detail

}  // namespace hookline::db
