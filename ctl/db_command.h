#pragma once
// `hookline db ...`: the schema of the configured Postgres database.
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

// Runs `hookline db <args...>` (args exclude "db"). Returns the exit code: 0 done,
// 1 database error (one line "hookline db: ..." on stderr), 2 usage error. Never throws.
//   migrate   apply the embedded migrations that the database lacks
//   status    list the embedded migrations and whether each is applied
int run_db_command(const std::vector<std::string>& args, const hookline::Config& cfg);

}  // namespace hookline::ctl
