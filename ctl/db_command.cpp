#include "ctl/db_command.h"

#include <algorithm>
#include <cstddef>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <string_view>

#include <pqxx/except>

#include "core/db/connection.h"
#include "core/db/migrations.h"

namespace hookline::ctl {
namespace {

constexpr const char* kUsage =
    "usage: hookline db <command>\n"
    "\n"
    "commands:\n"
    "  migrate   apply the migrations built into this binary that the database lacks\n"
    "            (each in its own transaction; safe to run again or from several hosts)\n"
    "  status    list the built-in migrations and whether each is applied\n"
    "\n"
    "The database is HOOKLINE_DATABASE_URL or database.url in the config file.\n"
    "Exit codes: 0 done, 1 database error or changed migration, 2 usage error.\n";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

bool is_help(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "help";
}

int usage_error(const std::string& message) {
  std::cerr << "hookline db: " << message << " (see hookline db --help)\n";
  return kExitUsage;
}

int run_migrate(const Config& cfg) {
  auto conn = db::connect(cfg.database);
  const auto& migrations = db::embedded_migrations();
  const db::MigrateReport report =
      db::migrate(*conn, migrations, [](const db::Migration& m, bool newly_applied) {
        std::cout << (newly_applied ? "applied " : "already applied ") << m.name << '\n'
                  << std::flush;
      });
  std::cout << "migrate: " << report.applied.size() << " applied, " << report.already.size()
            << " already applied, " << migrations.size() << " known\n";
  return kExitOk;
}

int run_status(const Config& cfg) {
  auto conn = db::connect(cfg.database);
  const auto& migrations = db::embedded_migrations();
  std::map<int, db::AppliedMigration> applied;
  for (auto& m : db::applied_migrations(*conn)) applied.emplace(m.version, std::move(m));

  std::size_t width = 0;
  for (const db::Migration& m : migrations) width = std::max(width, m.name.size());
  for (const auto& [version, m] : applied) width = std::max(width, m.name.size());
  const auto name_column = [width](const std::string& name) {
    return name + std::string(width - name.size() + 2, ' ');
  };

  std::size_t done = 0;
  std::size_t pending = 0;
  std::size_t changed = 0;
  for (const db::Migration& m : migrations) {
    auto it = applied.find(m.version);
    if (it == applied.end()) {
      ++pending;
      std::cout << name_column(m.name) << "pending\n";
    } else if (it->second.checksum != m.checksum) {
      ++changed;
      std::cout << name_column(m.name) << "applied " << it->second.applied_at
                << ", CHANGED since (checksum differs)\n";
    } else {
      ++done;
      std::cout << name_column(m.name) << "applied " << it->second.applied_at << '\n';
    }
    if (it != applied.end()) applied.erase(it);
  }
  // Recorded by a newer hookline: this binary does not know them.
  for (const auto& [version, m] : applied) {
    std::cout << name_column(m.name) << "applied " << m.applied_at << ", unknown to this binary\n";
  }
  std::cout << "status: " << done << " applied, " << pending << " pending";
  if (changed > 0) std::cout << ", " << changed << " changed";
  if (!applied.empty()) std::cout << ", " << applied.size() << " unknown";
  std::cout << '\n';
  if (changed > 0) {
    std::cerr << "hookline db: " << changed
              << " applied migration(s) changed since they were applied\n";
    return kExitFailure;
  }
  return kExitOk;
}

int dispatch(const std::vector<std::string>& args, const Config& cfg) {
  if (args.empty()) return usage_error("missing command: migrate or status");
  const std::string& command = args.front();
  if (is_help(command)) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command != "migrate" && command != "status") {
    if (command.starts_with("-")) return usage_error("unknown flag " + command);
    return usage_error("unknown command " + command + " (migrate, status)");
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (is_help(args[i])) {
      std::cout << kUsage;
      return kExitOk;
    }
  }
  if (args.size() > 1) {
    const std::string& extra = args[1];
    if (extra.starts_with("-")) return usage_error("unknown flag " + extra + " for " + command);
    return usage_error("unknown argument " + extra + " for " + command);
  }
  return command == "migrate" ? run_migrate(cfg) : run_status(cfg);
}

}  // namespace

int run_db_command(const std::vector<std::string>& args, const hookline::Config& cfg) {
  try {
    return dispatch(args, cfg);
  } catch (const db::DbError& e) {
    std::cerr << "hookline db: " << e.what() << '\n';
  } catch (const pqxx::failure& e) {
    std::cerr << "hookline db: " << db::scrub_password(db::first_line(e.what()), cfg.database.url)
              << '\n';
  } catch (const std::exception& e) {
    std::cerr << "hookline db: " << db::first_line(e.what()) << '\n';
  } catch (...) {
    std::cerr << "hookline db: unexpected error\n";
  }
  return kExitFailure;
}

}  // namespace hookline::ctl
