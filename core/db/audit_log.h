#pragma once
// Appending to audit_log (migrations/0002): who did what to which subject. Rows name ids only
// (connection ids, request ids, operator names), never addresses, bodies or secrets.
#include <string>

#include <pqxx/transaction_base>

namespace hookline::db {

// One row in the caller's transaction. `details_json` is a JSON object.
void append_audit(pqxx::transaction_base& tx, const std::string& actor, const std::string& action,
                  const std::string& subject, const std::string& details_json = "{}");

}  // namespace hookline::db
