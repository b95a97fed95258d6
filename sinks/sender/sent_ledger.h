#pragma once
// The sent-ledger (migrations/0004_sent_ledger.sql, 0009): which send requests a provider
// already accepted, or the sender parked in outbound.dlq, by request id. Checked just before a
// call, written just after an accepted one and just before a DLQ record.
//
// PostgresSentLedger keeps a small pool of connections (one per concurrent caller slot, each
// behind its own mutex) and reconnects after a failure. Thread-safe. Errors come back as
// results (kind retriable): a ledger that cannot be read means "do not send now".
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "core/config.h"
#include "core/error.h"

namespace hookline::sender {

struct LedgerEntry {
  std::string request_id;
  std::string connection;
  std::string provider_message_id;
  int attempt = 1;
  // "sent" (the provider accepted it) or "dead_lettered" (parked in outbound.dlq, for
  // error_class); a later "sent" replaces a "dead_lettered" (an operator's replay).
  std::string outcome = "sent";
  std::string error_class;
  bool dead_lettered() const { return outcome == "dead_lettered"; }
};

class SentLedger {
 public:
  virtual ~SentLedger() = default;
  virtual Result<std::optional<LedgerEntry>> find(const std::string& request_id) = 0;
  // Records an accepted send or a dead-lettering; a second record of the same id keeps the
  // first, except that a send replaces a dead-lettering.
  virtual Status record(const LedgerEntry& entry) = 0;
};

class PostgresSentLedger final : public SentLedger {
 public:
  // Connects `pool_size` connections (throws db::DbError when Postgres is unreachable or the
  // sent_ledger table is missing: run `hookline db migrate`).
  PostgresSentLedger(const DatabaseConfig& cfg, std::size_t pool_size);
  ~PostgresSentLedger() override;

  Result<std::optional<LedgerEntry>> find(const std::string& request_id) override;
  Status record(const LedgerEntry& entry) override;

 private:
  struct Slot {
    std::mutex mutex;
    std::unique_ptr<pqxx::connection> conn;
  };
  Slot& slot();
  std::unique_ptr<pqxx::connection>& connected(Slot& s);

  DatabaseConfig cfg_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace hookline::sender
