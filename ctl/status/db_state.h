#pragma once
// The Postgres side of `hookline status`: open approvals (status pending: how many, the
// oldest's age) and the gatekeeper's input offsets (gatekeeper_offsets, migration 0007). One
// connection, the configured connect timeout, and a statement timeout on every query.
// Without a database URL nothing is read; failures are recorded, never thrown, and never show
// a password.
#include <chrono>
#include <optional>
#include <string>

#include "core/config.h"
#include "ctl/status/kafka_state.h"
#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

inline constexpr std::chrono::milliseconds kStatementTimeout{5000};

struct DbReading {
  ApprovalsState approvals;
  // None when no database is configured.
  std::optional<Result<StoredOffsets>> gatekeeper_offsets;
};

DbReading read_db_state(const DatabaseConfig& db, const std::string& gatekeeper_group);

}  // namespace hookline::ctl::status
