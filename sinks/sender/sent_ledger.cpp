#include "sinks/sender/sent_ledger.h"

#include <pqxx/pqxx>

#include "core/db/connection.h"

namespace hookline::sender {
namespace {

Error ledger_error(const std::string& what, const std::exception& e, const std::string& url) {
  return Error{ErrorKind::retriable,
               {},
               "sent-ledger " + what + ": " + db::first_line(db::scrub_password(e.what(), url))};
}

}  // namespace

PostgresSentLedger::PostgresSentLedger(const DatabaseConfig& cfg, std::size_t pool_size)
    : cfg_(cfg) {
  if (pool_size == 0) pool_size = 1;
  for (std::size_t i = 0; i < pool_size; ++i) {
    auto s = std::make_unique<Slot>();
    s->conn = db::connect(cfg_);
    slots_.push_back(std::move(s));
  }
  try {
    pqxx::nontransaction tx(*slots_.front()->conn);
    tx.exec("SELECT 1 FROM sent_ledger LIMIT 0");
  } catch (const std::exception& e) {
    throw db::DbError("the sent_ledger table is missing (run `hookline db migrate`): " +
                      db::first_line(db::scrub_password(e.what(), cfg_.url)));
  }
}

PostgresSentLedger::~PostgresSentLedger() = default;

PostgresSentLedger::Slot& PostgresSentLedger::slot() {
  return *slots_[next_.fetch_add(1, std::memory_order_relaxed) % slots_.size()];
}

std::unique_ptr<pqxx::connection>& PostgresSentLedger::connected(Slot& s) {
  if (!s.conn || !s.conn->is_open()) s.conn = db::connect(cfg_);
  return s.conn;
}

Result<std::optional<LedgerEntry>> PostgresSentLedger::find(const std::string& request_id) {
  Slot& s = slot();
  std::lock_guard lock(s.mutex);
  try {
    auto& conn = connected(s);
    pqxx::nontransaction tx(*conn);
    auto rows = tx.exec_params(
        "SELECT connection, provider_message_id, attempt, outcome, error_class FROM sent_ledger "
        "WHERE request_id = $1",
        request_id);
    if (rows.empty()) return std::optional<LedgerEntry>{};
    LedgerEntry e;
    e.request_id = request_id;
    e.connection = rows[0][0].as<std::string>();
    e.provider_message_id = rows[0][1].as<std::string>();
    e.attempt = rows[0][2].as<int>();
    e.outcome = rows[0][3].as<std::string>();
    e.error_class = rows[0][4].as<std::string>();
    return std::optional<LedgerEntry>(std::move(e));
  } catch (const std::exception& e) {
    s.conn.reset();
    return ledger_error("lookup failed", e, cfg_.url);
  }
}

Status PostgresSentLedger::record(const LedgerEntry& entry) {
  Slot& s = slot();
  std::lock_guard lock(s.mutex);
  try {
    auto& conn = connected(s);
    pqxx::nontransaction tx(*conn);
    tx.exec_params(
        "INSERT INTO sent_ledger (request_id, connection, provider_message_id, attempt, outcome, "
        "error_class) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (request_id) DO UPDATE SET provider_message_id = "
        "EXCLUDED.provider_message_id, "
        "attempt = EXCLUDED.attempt, outcome = EXCLUDED.outcome, error_class = '', sent_at = now() "
        "WHERE sent_ledger.outcome = 'dead_lettered' AND EXCLUDED.outcome = 'sent'",
        entry.request_id, entry.connection, entry.provider_message_id, entry.attempt, entry.outcome,
        entry.error_class);
    return {};
  } catch (const std::exception& e) {
    s.conn.reset();
    return ledger_error("write failed", e, cfg_.url);
  }
}

}  // namespace hookline::sender
