#include "processors/gatekeeper/releaser.h"

#include <pqxx/pqxx>

#include "core/db/connection.h"
#include "core/log.h"
#include "processors/gatekeeper/approval_store.h"
#include "sinks/sender/approval_request.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/result_record.h"

namespace hookline::gatekeeper {
namespace {

using Clock = std::chrono::system_clock;
constexpr std::chrono::milliseconds kAckTimeout{30000};
constexpr std::size_t kRequestsPerRound = 50;

const log::Logger& rel_log() {
  static const log::Logger l("gatekeeper-release");
  return l;
}

Error db_error(const std::exception& e, const std::string& url) {
  return Error{
      ErrorKind::retriable, {}, "Postgres: " + db::first_line(db::scrub_password(e.what(), url))};
}

}  // namespace

Releaser::Releaser(const Config& cfg, const GatekeeperConfig& config, const Rules& rules,
                   RequestGate& gate, GatekeeperMetrics& metrics)
    : cfg_(cfg), config_(config), rules_(rules), gate_(gate), metrics_(metrics) {
  db_ = db::connect(cfg_.database);
  kafka::Producer::Options popts;
  popts.client_id = "hookline-gatekeeper-release";
  popts.defaults = {{"linger.ms", "5"}};
  producer_ = kafka::Producer::create(cfg_.kafka, popts);
}

Releaser::~Releaser() {
  stop();
  if (producer_) producer_->close();
}

void Releaser::start() {
  thread_ = std::thread([this] { loop(); });
}

void Releaser::stop() {
  stopping_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Releaser::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

std::unique_ptr<pqxx::connection>& Releaser::db() {
  if (!db_ || !db_->is_open()) db_ = db::connect(cfg_.database);
  return db_;
}

Status Releaser::produce_all(const std::vector<kafka::OutRecord>& records) {
  auto failed = std::make_shared<std::atomic<int>>(0);
  for (const auto& r : records) {
    Status st = producer_->produce(r, [failed](const kafka::DeliveryReport& rep) {
      if (rep.error) failed->fetch_add(1);
    });
    if (!st) {
      (void)producer_->flush(kAckTimeout);
      return st;
    }
  }
  Status st = producer_->flush(kAckTimeout);
  if (st && failed->load() > 0) {
    st = Error{ErrorKind::retriable, {}, "a record was not acknowledged"};
  }
  return st;
}

Status Releaser::expire() {
  try {
    pqxx::work tx(*db());
    auto ids = expire_due(tx);
    for (auto id : ids) {
      audit(tx, "approval.expired", approval_key(id), "{}");
      metrics_.approvals.with({"expired"}).inc();
      rel_log().info("approval expired", {{"approval", approval_key(id)}});
    }
    tx.commit();
    return {};
  } catch (const std::exception& e) {
    db_.reset();
    return db_error(e, cfg_.database.url);
  }
}

Status Releaser::publish_requests() {
  try {
    pqxx::work tx(*db());
    auto requests = unpublished_requests(tx, kRequestsPerRound);
    if (requests.empty()) return {};
    std::vector<std::string> values;
    values.reserve(requests.size());
    for (const auto& r : requests) values.push_back(sender::to_json(r));
    std::vector<kafka::OutRecord> records;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      kafka::OutRecord rec;
      rec.topic = config_.approval_requests_topic;
      rec.key = std::string_view(requests[i].campaign_id);
      rec.value = values[i];
      records.push_back(rec);
    }
    if (Status st = produce_all(records); !st) return st;
    std::vector<std::string> keys;
    for (const auto& r : requests) {
      keys.push_back(r.approval_id);
      audit(tx, "approval.requested", r.campaign_id, "{\"approval\":\"" + r.approval_id + "\"}");
      rel_log().info("approval requested",
                     {{"approval", r.approval_id}, {"recipients", r.recipients}});
    }
    mark_requests_published(tx, keys);
    tx.commit();
    return {};
  } catch (const std::exception& e) {
    db_.reset();
    return db_error(e, cfg_.database.url);
  }
}

Result<std::size_t> Releaser::settle_batch(bool& more) {
  more = false;
  try {
    pqxx::work tx(*db());
    auto batch =
        next_settle_batch(tx, static_cast<std::size_t>(std::max(1, rules_.approval.release_batch)));
    if (!batch || batch->messages.empty()) return std::size_t{0};
    more = true;
    const auto now = Clock::now();
    struct Out {
      std::string topic, key, value;
      kafka::Headers headers;
    };
    std::vector<Out> outs;
    std::vector<std::pair<std::string, std::string>> settled;
    std::size_t released = 0, suppressed = 0;
    for (const auto& m : batch->messages) {
      auto request = sender::parse_send_request(m.payload);
      if (!request) {
        // Validated on the way in; a row changed by hand since is reported, not sent.
        Out o{config_.dlq_topic, m.connection, m.payload, {}};
        o.headers.emplace_back("hookline-error-class", "invalid-request");
        o.headers.emplace_back("hookline-original-topic", "held_messages");
        outs.push_back(std::move(o));
        settled.emplace_back(m.request_id, "denied");
        continue;
      }
      if (batch->status == ApprovalStatus::approved) {
        auto d = gate_.recheck(*request, m.payload, now);
        if (!d) return d.error();
        if (d->outcome == GateOutcome::approved) {
          outs.push_back({config_.approved_topic, request->connection, d->value, {}});
          settled.emplace_back(m.request_id, "released");
          metrics_.decisions.with({"released", d->reason}).inc();
          ++released;
          continue;
        }
        sender::ResultDetails rd;
        rd.reason = d->reason;
        auto rec = sender::make_request_result(sender::ResultType::suppressed, *request, rd, now);
        outs.push_back({config_.results_topic, rec.key, rec.value, rec.headers});
        settled.emplace_back(m.request_id, "suppressed");
        metrics_.decisions.with({"suppressed", d->reason}).inc();
        ++suppressed;
        continue;
      }
      const bool denied = batch->status == ApprovalStatus::denied;
      sender::ResultDetails rd;
      rd.reason = denied ? "approval_denied" : "approval_expired";
      auto rec = sender::make_request_result(
          denied ? sender::ResultType::denied : sender::ResultType::expired, *request, rd, now);
      outs.push_back({config_.results_topic, rec.key, rec.value, rec.headers});
      settled.emplace_back(m.request_id, denied ? "denied" : "expired");
      metrics_.decisions.with({denied ? "denied" : "expired", rd.reason}).inc();
    }
    std::vector<kafka::OutRecord> records;
    for (const auto& o : outs) {
      kafka::OutRecord r;
      r.topic = o.topic;
      r.key = std::string_view(o.key);
      r.value = o.value;
      r.headers = o.headers.empty() ? nullptr : &o.headers;
      records.push_back(r);
    }
    if (Status st = produce_all(records); !st) return st.error();
    settle(tx, settled);
    audit(tx, std::string("approval.settled.") + to_string(batch->status),
          approval_key(batch->approval_id),
          "{\"messages\":" + std::to_string(settled.size()) + ",\"released\":" +
              std::to_string(released) + ",\"suppressed\":" + std::to_string(suppressed) + "}");
    tx.commit();
    return settled.size();
  } catch (const std::exception& e) {
    db_.reset();
    return db_error(e, cfg_.database.url);
  }
}

void Releaser::refresh_gauges() {
  try {
    pqxx::read_transaction tx(*db());
    Gauges g = read_gauges(tx);
    metrics_.approvals_open.set(static_cast<double>(g.approvals_open));
    metrics_.held.set(static_cast<double>(g.held));
  } catch (const std::exception&) {
    db_.reset();
  }
}

Result<std::size_t> Releaser::round() {
  if (Status st = expire(); !st) return st.error();
  if (Status st = publish_requests(); !st) return st.error();
  std::size_t total = 0;
  for (bool more = true; more && !stopping_.load();) {
    auto n = settle_batch(more);
    if (!n) return n.error();
    total += *n;
  }
  refresh_gauges();
  return total;
}

void Releaser::loop() {
  auto pause = config_.release_interval;
  while (!stopping_.load()) {
    auto n = round();
    if (!n) {
      rel_log().warn("release round failed; trying again", {{"error", n.error().message}});
      pause = std::min(pause * 2, std::chrono::milliseconds(5000));
    } else {
      pause = config_.release_interval;
      if (*n > 0) rel_log().info("held messages settled", {{"messages", *n}});
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, pause, [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

}  // namespace hookline::gatekeeper
