#include "core/db/migrations.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <exception>
#include <map>
#include <utility>

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

namespace hookline::db {
namespace {

constexpr const char* kTable = "hookline_schema_migrations";

// pg_advisory_xact_lock key shared by every hookline migrator: "hookline" in ASCII.
constexpr long long kLockKey = 0x686f6f6b6c696e65LL;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS hookline_schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

constexpr const char* kSelectApplied =
    "SELECT version, name, checksum,"
    " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    " FROM hookline_schema_migrations ORDER BY version";

// Every transaction of the migrator starts here: quiet notices ("relation already exists,
// skipping" would reach stderr), then wait for any other migrator of this database.
void begin_locked(pqxx::work& tx) {
  tx.exec0("SET LOCAL client_min_messages TO warning");
  tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kLockKey) + ")");
}

std::map<int, AppliedMigration> read_applied(pqxx::transaction_base& tx) {
  std::map<int, AppliedMigration> out;
  for (const auto& row : tx.exec(kSelectApplied)) {
    AppliedMigration m;
    m.version = row[0].as<int>();
    m.name = row[1].as<std::string>();
    m.checksum = row[2].as<std::string>();
    m.applied_at = row[3].as<std::string>();
    out.emplace(m.version, std::move(m));
  }
  return out;
}

// libpq's "ERROR:  division by zero" -> "division by zero".
std::string server_message(const pqxx::sql_error& e) {
  std::string line = first_line(e.what());
  constexpr std::string_view kPrefix = "ERROR:";
  if (line.starts_with(kPrefix)) {
    line.erase(0, kPrefix.size());
    line.erase(0, line.find_first_not_of(' '));
  }
  return line;
}

void check_unchanged(const Migration& m, const std::string& recorded_checksum) {
  if (recorded_checksum != m.checksum) {
    throw DbError("migration " + m.name + " was changed after it was applied (recorded checksum " +
                  recorded_checksum.substr(0, 12) + ", embedded " + m.checksum.substr(0, 12) +
                  "); restore the file and put the change in a new migration");
  }
}

}  // namespace

std::optional<MigrationFileName> parse_migration_file_name(std::string_view file_name) {
  constexpr std::string_view kExt = ".sql";
  if (!file_name.ends_with(kExt)) return std::nullopt;
  const std::string_view stem = file_name.substr(0, file_name.size() - kExt.size());
  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') ++digits;
  if (digits < 4 || digits > 9 || digits + 1 >= stem.size() || stem[digits] != '_') {
    return std::nullopt;
  }
  for (char c : stem.substr(digits + 1)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return std::nullopt;
  }
  int version = 0;
  for (char c : stem.substr(0, digits)) version = version * 10 + (c - '0');
  if (version < 1) return std::nullopt;
  return MigrationFileName{version, std::string(stem)};
}

std::string migration_checksum(std::string_view sql) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(sql.data(), sql.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw DbError("cannot compute a migration checksum: SHA-256 unavailable");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{length} * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

Migration make_migration(std::string_view file_name, std::string sql) {
  auto parsed = parse_migration_file_name(file_name);
  if (!parsed) {
    throw DbError("migration file name " + std::string(file_name) +
                  " is not NNNN_name.sql (4-9 digits, then [a-z0-9_])");
  }
  Migration m;
  m.version = parsed->version;
  m.name = std::move(parsed->name);
  m.checksum = migration_checksum(sql);
  m.sql = std::move(sql);
  return m;
}

void validate_migrations(const std::vector<Migration>& migrations) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    const Migration& prev = migrations[i - 1];
    const Migration& cur = migrations[i];
    if (cur.version == prev.version) {
      throw DbError("migrations " + prev.name + " and " + cur.name + " share version " +
                    std::to_string(cur.version));
    }
    if (cur.version < prev.version) {
      throw DbError("migrations are not in version order: " + cur.name + " after " + prev.name);
    }
  }
}

const std::vector<Migration>& embedded_migrations() {
  static const std::vector<Migration> migrations = [] {
    std::vector<Migration> out;
    out.reserve(detail::kEmbeddedFileCount);
    for (std::size_t i = 0; i < detail::kEmbeddedFileCount; ++i) {
      const detail::EmbeddedFile& f = detail::kEmbeddedFiles[i];
      out.push_back(make_migration(f.file_name, std::string(f.sql, f.size)));
    }
    std::sort(out.begin(), out.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    validate_migrations(out);
    return out;
  }();
  return migrations;
}

MigrateReport migrate(pqxx::connection& conn, const std::vector<Migration>& migrations,
                      const MigrateProgress& progress) {
  validate_migrations(migrations);
  MigrateReport report;

  // 1. Bookkeeping table, and a drift check of everything recorded, before changing anything.
  std::map<int, AppliedMigration> applied;
  {
    pqxx::work tx(conn);
    begin_locked(tx);
    tx.exec0(kCreateTable);
    applied = read_applied(tx);
    tx.commit();
  }
  for (const Migration& m : migrations) {
    if (auto it = applied.find(m.version); it != applied.end()) {
      check_unchanged(m, it->second.checksum);
    }
  }

  // 2. One transaction per missing migration, re-checked under the lock: another migrator may
  //    have applied it since step 1.
  for (const Migration& m : migrations) {
    bool newly_applied = false;
    if (!applied.contains(m.version)) {
      pqxx::work tx(conn);
      begin_locked(tx);
      const pqxx::result row = tx.exec_params(
          "SELECT checksum FROM hookline_schema_migrations WHERE version = $1", m.version);
      if (!row.empty()) {
        check_unchanged(m, row[0][0].as<std::string>());
      } else {
        try {
          tx.exec(m.sql);
        } catch (const pqxx::sql_error& e) {
          throw DbError("migration " + m.name + " failed: " + server_message(e));
        }
        tx.exec_params0(
            "INSERT INTO hookline_schema_migrations (version, name, checksum) "
            "VALUES ($1, $2, $3)",
            m.version, m.name, m.checksum);
        newly_applied = true;
      }
      tx.commit();
    }
    (newly_applied ? report.applied : report.already).push_back(m.version);
    if (progress) progress(m, newly_applied);
  }
  return report;
}

std::vector<AppliedMigration> applied_migrations(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  const pqxx::result exists =
      tx.exec_params("SELECT to_regclass($1) IS NOT NULL", std::string(kTable));
  std::vector<AppliedMigration> out;
  if (!exists[0][0].as<bool>()) return out;
  for (auto& [version, m] : read_applied(tx)) out.push_back(std::move(m));
  return out;
}

}  // namespace hookline::db
