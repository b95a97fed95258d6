#include "ctl/status/db_state.h"

#include <pqxx/pqxx>

#include "core/db/connection.h"
#include "processors/gatekeeper/approval_store.h"

namespace hookline::ctl::status {
namespace {

Error db_error(const std::string& what, const std::string& url) {
  Error e;
  e.kind = ErrorKind::fatal;
  e.message = db::first_line(db::scrub_password(what, url));
  return e;
}

}  // namespace

DbReading read_db_state(const DatabaseConfig& db, const std::string& gatekeeper_group) {
  DbReading out;
  if (db.url.empty()) return out;
  out.approvals.configured = true;
  try {
    auto conn = db::connect(db);
    pqxx::read_transaction tx(*conn);
    tx.exec0("SET LOCAL statement_timeout = " + std::to_string(kStatementTimeout.count()));
    try {
      auto row = tx.exec1(
          "SELECT count(*), "
          "COALESCE(EXTRACT(EPOCH FROM now() - min(requested_at)), 0)::bigint "
          "FROM approvals WHERE status = 'pending'");
      out.approvals.pending = row[0].as<std::int64_t>();
      if (out.approvals.pending > 0) out.approvals.oldest_age_s = row[1].as<std::int64_t>();
    } catch (const std::exception& e) {
      out.approvals.error = db_error(e.what(), db.url).message;
      out.gatekeeper_offsets = db_error(e.what(), db.url);
      return out;  // the transaction is aborted
    }
    try {
      out.gatekeeper_offsets = StoredOffsets(gatekeeper::load_offsets(tx, gatekeeper_group));
    } catch (const std::exception& e) {
      out.gatekeeper_offsets = db_error(e.what(), db.url);
    }
  } catch (const std::exception& e) {
    const Error err = db_error(e.what(), db.url);
    out.approvals.error = err.message;
    out.gatekeeper_offsets = err;
  }
  return out;
}

}  // namespace hookline::ctl::status
