// The consent ledger's SQL (consent_ledger.h, migrations/0005_consent_ledger.sql).
#include "processors/gatekeeper/consent/consent_ledger.h"

#include <chrono>
#include <exception>
#include <string_view>
#include <utility>

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/db/connection.h"

namespace hookline::gatekeeper {
namespace {

using Clock = std::chrono::system_clock;

constexpr const char* kErasureReason = "erased";

// Columns read into a ConsentEntry, times as microseconds since the Unix epoch (exact).
constexpr const char* kColumns =
    "id, tenant, contact_hash, contact, channel, status, scope, source, reason, grp, "
    "evidence_event_id, (extract(epoch FROM occurred_at) * 1000000)::bigint, "
    "(extract(epoch FROM recorded_at) * 1000000)::bigint, recorded_by";

// A bigint of microseconds since the Unix epoch as timestamptz, exactly.
std::string micros_to_timestamptz(const char* param) {
  return std::string("(timestamptz 'epoch' + ") + param + "::bigint * interval '1 microsecond')";
}

std::int64_t micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_micros(std::int64_t us) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(us)));
}

bool retriable_state(std::string_view sqlstate) {
  // 08 connection exception, 40 transaction rollback, 53 insufficient resources, 57 operator
  // intervention (server shutting down, statement timeout), 55P03 lock not available.
  return sqlstate.starts_with("08") || sqlstate.starts_with("40") || sqlstate.starts_with("53") ||
         sqlstate.starts_with("57") || sqlstate == "55P03";
}

ErrorKind kind_of(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr ||
      dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr) {
    return ErrorKind::retriable;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return retriable_state(sql->sqlstate()) ? ErrorKind::retriable : ErrorKind::permanent;
  }
  // pqxx::failure without a state (lost socket), DbError: the server side.
  if (dynamic_cast<const pqxx::usage_error*>(&e) != nullptr ||
      dynamic_cast<const pqxx::conversion_error*>(&e) != nullptr ||
      dynamic_cast<const pqxx::range_error*>(&e) != nullptr) {
    return ErrorKind::permanent;
  }
  return ErrorKind::retriable;
}

Error ledger_error(const char* what, const std::exception& e, const std::string& url) {
  return Error{kind_of(e),
               {},
               std::string("consent ledger ") + what + ": " +
                   db::first_line(db::scrub_password(e.what(), url))};
}

Error corrupt_row(std::int64_t id, const char* column) {
  return Error{ErrorKind::permanent,
               {},
               "consent ledger row " + std::to_string(id) + " has an unknown " + column};
}

Result<ConsentEntry> entry_of(const pqxx::row& r) {
  ConsentEntry e;
  e.id = r[0].as<std::int64_t>();
  e.tenant = r[1].as<std::string>();
  e.contact_hash = r[2].as<std::string>();
  if (!r[3].is_null()) e.contact = r[3].as<std::string>();
  e.channel = r[4].as<std::string>();
  const auto status = consent_status_named(r[5].as<std::string>());
  if (!status) return corrupt_row(e.id, "status");
  e.status = *status;
  const auto scope = scope_named(r[6].as<std::string>());
  if (!scope) return corrupt_row(e.id, "scope");
  e.scope = *scope;
  const auto source = consent_source_named(r[7].as<std::string>());
  if (!source) return corrupt_row(e.id, "source");
  e.source = *source;
  e.reason = r[8].as<std::string>();
  e.group = r[9].as<std::string>();
  e.evidence_event_id = r[10].as<std::string>();
  e.occurred_at = from_micros(r[11].as<std::int64_t>());
  e.recorded_at = from_micros(r[12].as<std::int64_t>());
  e.recorded_by = r[13].as<std::string>();
  return e;
}

Result<std::vector<ConsentEntry>> entries_of(const pqxx::result& rows) {
  std::vector<ConsentEntry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    auto e = entry_of(row);
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

void write_audit(pqxx::transaction_base& tx, const AuditNote& note, const std::string& subject,
                 const std::string& extra_json) {
  tx.exec_params(
      "INSERT INTO audit_log (actor, action, subject, details) "
      "VALUES ($1, $2, $3, $4::jsonb || $5::jsonb)",
      note.actor, note.action, subject, note.details_json.empty() ? "{}" : note.details_json,
      extra_json);
}

}  // namespace

ConsentLedger::ConsentLedger(pqxx::connection& conn, std::string database_url)
    : conn_(conn), url_(std::move(database_url)) {}

void ConsentLedger::require_tables(pqxx::connection& conn, const std::string& database_url) {
  try {
    pqxx::nontransaction tx(conn);
    tx.exec("SELECT 1 FROM consent_ledger, consent_confirmations LIMIT 0");
  } catch (const std::exception& e) {
    throw db::DbError("the consent ledger tables are missing (run `hookline db migrate`): " +
                      db::first_line(db::scrub_password(e.what(), database_url)));
  }
}

Result<bool> ConsentLedger::append(const ConsentEntry& entry,
                                   const std::optional<AuditNote>& audit) {
  try {
    pqxx::work tx(conn_);
    const pqxx::result r = tx.exec_params(
        "INSERT INTO consent_ledger (tenant, contact_hash, contact, channel, status, scope, "
        "source, reason, grp, evidence_event_id, occurred_at, recorded_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, " +
            micros_to_timestamptz("$11") +
            ", $12) "
            "ON CONFLICT (tenant, contact_hash, channel, grp, evidence_event_id) "
            "WHERE evidence_event_id <> '' DO NOTHING RETURNING id",
        entry.tenant, entry.contact_hash, entry.contact ? entry.contact->c_str() : nullptr,
        entry.channel, to_string(entry.status), to_string(entry.scope), to_string(entry.source),
        entry.reason, entry.group, entry.evidence_event_id, micros(entry.occurred_at),
        entry.recorded_by);
    const bool inserted = !r.empty();
    if (inserted && audit) write_audit(tx, *audit, entry.contact_hash, "{}");
    tx.commit();
    return inserted;
  } catch (const std::exception& e) {
    return ledger_error("append failed", e, url_);
  }
}

Result<std::vector<ConsentEntry>> ConsentLedger::current(const std::string& tenant,
                                                         const std::string& contact_hash) {
  try {
    pqxx::nontransaction tx(conn_);
    return entries_of(
        tx.exec_params(std::string("SELECT DISTINCT ON (channel, scope, grp) ") + kColumns +
                           " FROM consent_ledger WHERE tenant = $1 AND contact_hash = $2 "
                           "ORDER BY channel, scope, grp, occurred_at DESC, id DESC",
                       tenant, contact_hash));
  } catch (const std::exception& e) {
    return ledger_error("lookup failed", e, url_);
  }
}

Result<std::vector<ConsentEntry>> ConsentLedger::history(const std::string& tenant,
                                                         const std::string& contact_hash) {
  try {
    pqxx::nontransaction tx(conn_);
    return entries_of(tx.exec_params(std::string("SELECT ") + kColumns +
                                         " FROM consent_ledger WHERE tenant = $1 AND "
                                         "contact_hash = $2 ORDER BY occurred_at, id",
                                     tenant, contact_hash));
  } catch (const std::exception& e) {
    return ledger_error("history lookup failed", e, url_);
  }
}

Result<std::size_t> ConsentLedger::erase(const std::string& tenant, const std::string& contact_hash,
                                         const std::string& recorded_by,
                                         const std::optional<AuditNote>& audit) {
  try {
    pqxx::work tx(conn_);
    tx.exec("SELECT set_config('hookline.consent_erase', 'on', true)");
    const pqxx::result removed = tx.exec_params(
        "DELETE FROM consent_ledger WHERE tenant = $1 AND contact_hash = $2", tenant, contact_hash);
    tx.exec_params(
        "INSERT INTO consent_ledger (tenant, contact_hash, contact, channel, status, scope, "
        "source, reason, occurred_at, recorded_by) "
        "VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, now(), $8)",
        tenant, contact_hash, kAllChannels, to_string(ConsentStatus::opted_out),
        to_string(Scope::all), to_string(ConsentSource::erasure), kErasureReason, recorded_by);
    const auto count = static_cast<std::size_t>(removed.affected_rows());
    if (audit) {
      write_audit(tx, *audit, contact_hash, "{\"removed\": " + std::to_string(count) + "}");
    }
    tx.commit();
    return count;
  } catch (const std::exception& e) {
    return ledger_error("erase failed", e, url_);
  }
}

Result<bool> ConsentLedger::claim_confirmation(std::int64_t entry_id,
                                               const std::string& request_id) {
  try {
    // Two statements, each in its own implicit transaction: the second sees a claim that a
    // concurrent request committed while the first waited on it.
    pqxx::nontransaction tx(conn_);
    const pqxx::result claimed = tx.exec_params(
        "INSERT INTO consent_confirmations (opt_out_entry_id, request_id) VALUES ($1, $2) "
        "ON CONFLICT (opt_out_entry_id) DO NOTHING RETURNING request_id",
        entry_id, request_id);
    if (!claimed.empty()) return true;
    const pqxx::result holder = tx.exec_params(
        "SELECT request_id FROM consent_confirmations WHERE opt_out_entry_id = $1", entry_id);
    return !holder.empty() && holder[0][0].as<std::string>() == request_id;
  } catch (const pqxx::foreign_key_violation&) {
    return false;  // the STOP entry is gone: its contact was erased
  } catch (const std::exception& e) {
    return ledger_error("confirmation claim failed", e, url_);
  }
}

}  // namespace hookline::gatekeeper
