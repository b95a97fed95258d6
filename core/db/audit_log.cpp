#include "core/db/audit_log.h"

#include <pqxx/pqxx>

namespace hookline::db {

void append_audit(pqxx::transaction_base& tx, const std::string& actor, const std::string& action,
                  const std::string& subject, const std::string& details_json) {
  tx.exec_params0(
      "INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4::jsonb)",
      actor, action, subject, details_json);
}

}  // namespace hookline::db
