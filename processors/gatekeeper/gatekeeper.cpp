#include "processors/gatekeeper/gatekeeper.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <pqxx/pqxx>

#include "core/db/connection.h"
#include "core/kafka/client_config.h"
#include "core/log.h"
#include "processors/gatekeeper/approval_store.h"
#include "processors/gatekeeper/decision_record.h"
#include "sinks/sender/flow/retry_headers.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/result_record.h"

namespace hookline::gatekeeper {
namespace {

using Clock = std::chrono::system_clock;
constexpr std::chrono::milliseconds kCommitTimeout{30000};
constexpr const char* kName = "hookline-gatekeeper";

const log::Logger& gate_log() {
  static const log::Logger l("gatekeeper");
  return l;
}

// A failure that aborts the whole batch (it is handled again after a pause).
struct BatchFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// {"reason":..., "tenant":..., ...}: ids and codes only.
std::string details(std::initializer_list<std::pair<const char*, std::string>> fields) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  for (const auto& [k, v] : fields) {
    if (v.empty()) continue;
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

sender::ResultType result_type(GateOutcome o) {
  switch (o) {
    case GateOutcome::denied:
      return sender::ResultType::denied;
    case GateOutcome::expired:
      return sender::ResultType::expired;
    default:
      return sender::ResultType::suppressed;
  }
}

}  // namespace

struct Gatekeeper::Batch {
  std::vector<kafka::Message> records;
};

Gatekeeper::Gatekeeper(const Config& cfg, GatekeeperConfig config, const Rules& rules,
                       RequestGate& gate, ConsentSink consent_sink, GatekeeperMetrics& metrics,
                       std::function<void()> on_decided)
    : cfg_(cfg),
      config_(std::move(config)),
      rules_(rules),
      gate_(gate),
      consent_sink_(std::move(consent_sink)),
      metrics_(metrics),
      on_decided_(std::move(on_decided)) {
  db_ = db::connect(cfg_.database);
  kafka::Producer::Options popts;
  popts.client_id = kName;
  popts.defaults = {{"linger.ms", "5"}, {"transaction.timeout.ms", "30000"}};
  producer_ = kafka::TransactionalProducer::create(cfg_.kafka, popts,
                                                   config_.group_id + "-" + config_.instance_id);
  if (Status st =
          kafka::wait_for_cluster(producer_->handle(), cfg_.kafka.bootstrap, cfg_.kafka.timeout);
      !st) {
    throw kafka::KafkaError(st.error().message);
  }
  if (Status st = producer_->init(kCommitTimeout); !st) {
    throw kafka::KafkaError(st.error().message);
  }
  kafka::Consumer::Options copts;
  copts.group_id = config_.group_id;
  copts.client_id = std::string(kName) + "-" + config_.instance_id;
  // roundrobin (eager), not cooperative-sticky: librdkafka before 2.3 asserts in
  // rd_kafka_sticky_assignor_state_destroy when a cooperative-sticky consumer is closed before
  // its first assignment (librdkafka#4312), e.g. a gatekeeper stopped while the group still
  // waits for a killed member's session to time out. Batches are short, so an eager rebalance
  // costs little here.
  copts.defaults = {{"max.poll.interval.ms", "600000"},
                    {"fetch.wait.max.ms", "20"},
                    {"partition.assignment.strategy", "roundrobin"}};
  copts.hooks.on_assigning = [this](std::vector<kafka::TopicPartitionOffset>& parts) {
    on_assigning(parts);
  };
  copts.hooks.on_revoked = [this](const std::vector<kafka::TopicPartition>& parts) {
    on_revoked(parts);
  };
  consumer_ = kafka::Consumer::create(cfg_.kafka, std::move(copts));
  if (Status st = consumer_->subscribe(
          {config_.requests_topic, config_.decisions_topic, config_.consent_topic});
      !st) {
    throw kafka::KafkaError(st.error().message);
  }
}

Gatekeeper::~Gatekeeper() {
  if (consumer_) consumer_->close();
  if (producer_) producer_->close();
}

std::unique_ptr<pqxx::connection>& Gatekeeper::db() {
  if (!db_ || !db_->is_open()) db_ = db::connect(cfg_.database);
  return db_;
}

void Gatekeeper::on_assigning(std::vector<kafka::TopicPartitionOffset>& parts) {
  // Where each partition resumes: the offsets stored with the state (see the header).
  for (int tries = 0;; ++tries) {
    try {
      pqxx::read_transaction tx(*db());
      auto stored = load_offsets(tx, config_.group_id);
      for (auto& p : parts) {
        if (auto it = stored.find({p.topic, p.partition}); it != stored.end()) {
          p.offset = it->second;
        }
      }
      return;
    } catch (const std::exception& e) {
      db_.reset();
      gate_log().warn("cannot read the stored input offsets; retrying",
                      {{"error", db::first_line(db::scrub_password(e.what(), cfg_.database.url))}});
      if (tries >= 30) {
        fatal_ = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

void Gatekeeper::on_revoked(const std::vector<kafka::TopicPartition>& parts) {
  revoked_.insert(revoked_.end(), parts.begin(), parts.end());
}

void Gatekeeper::dead_letter(const kafka::Message& m, const std::string& error_class,
                             const std::string& why, std::vector<Output>& out) {
  Output o;
  o.topic = config_.dlq_topic;
  if (auto k = m.key()) o.key = std::string(*k);
  o.value = std::string(m.value());
  o.headers = m.headers();
  sender::DlqHeaders d;
  d.original_topic = m.topic();
  d.original_partition = m.partition();
  d.original_offset = m.offset();
  d.error_class = error_class;
  d.provider_answer = why;
  d.attempts = 0;
  d.failed_at = Clock::now();
  sender::put_dlq_headers(d, o.headers);
  out.push_back(std::move(o));
  gate_log().warn("record parked in the DLQ", {{"topic", m.topic()},
                                               {"partition", m.partition()},
                                               {"offset", m.offset()},
                                               {"error_class", error_class}});
}

void Gatekeeper::handle_request(pqxx::transaction_base& tx, const kafka::Message& m,
                                std::vector<Output>& out) {
  auto request = sender::parse_send_request(m.value());
  if (!request) {
    dead_letter(m, "invalid-request", request.error().message, out);
    metrics_.decisions.with({"dead_lettered", "invalid_request"}).inc();
    return;
  }
  const auto now = Clock::now();
  auto decision = gate_.decide(tx, *request, m.value(), now);
  if (!decision) throw BatchFailed(decision.error().message);
  const GateDecision& d = *decision;
  metrics_.decisions.with({to_string(d.outcome), d.reason}).inc();
  if (d.reason == "already_held") return;  // a replayed record: held before
  const std::string campaign = request->campaign ? request->campaign->id : std::string();
  audit(tx, std::string("send.") + to_string(d.outcome), request->id,
        details({{"reason", d.reason},
                 {"tenant", request->tenant},
                 {"connection", request->connection},
                 {"channel", sender::to_string(request->channel)},
                 {"purpose", sender::to_string(request->purpose)},
                 {"campaign", campaign}}));
  switch (d.outcome) {
    case GateOutcome::approved:
      out.push_back({config_.approved_topic, request->connection, d.value, m.headers()});
      break;
    case GateOutcome::held:
      if (d.new_approval) {
        metrics_.approvals.with({"requested"}).inc();
        audit(tx, "approval.created", campaign,
              details({{"tenant", request->tenant}, {"request", request->id}}));
      }
      break;
    case GateOutcome::suppressed:
    case GateOutcome::denied:
    case GateOutcome::expired: {
      sender::ResultDetails rd;
      rd.reason = d.reason;
      auto rec = sender::make_request_result(result_type(d.outcome), *request, rd, now);
      out.push_back({config_.results_topic, rec.key, rec.value, rec.headers});
      break;
    }
  }
}

void Gatekeeper::handle_decision(pqxx::transaction_base& tx, const kafka::Message& m,
                                 std::vector<Output>& out, bool& decided) {
  auto decision = parse_approval_decision(m.value());
  if (!decision) {
    dead_letter(m, "invalid-decision", decision.error().message, out);
    metrics_.approval_decisions.with({"dead_lettered"}).inc();
    return;
  }
  DecisionInput in;
  in.event_id = decision->event_id;
  in.tenant = decision->tenant;
  in.campaign_id = decision->campaign_id;
  in.approve = decision->approve;
  in.decided_by = decision->decided_by();
  in.decided_at = decision->decided_at;
  const auto& approvers = rules_.approval_for(decision->tenant).approver_slack_user_ids;
  in.authorized = decision->slack_user_id.empty() || approvers.empty() ||
                  approvers.contains(decision->slack_user_id);
  auto [outcome, approval_id] = apply_decision(tx, in);
  metrics_.approval_decisions.with({to_string(outcome)}).inc();
  if (outcome == DecisionOutcome::duplicate) return;
  audit(tx, decision->approve ? "approval.approve" : "approval.deny", decision->campaign_id,
        details({{"tenant", decision->tenant},
                 {"approval", approval_id > 0 ? approval_key(approval_id) : std::string()},
                 {"decided_by", in.decided_by},
                 {"outcome", to_string(outcome)},
                 {"event_id", decision->event_id}}));
  if (outcome == DecisionOutcome::applied) {
    metrics_.approvals.with({decision->approve ? "approved" : "denied"}).inc();
    decided = true;
    gate_log().info("approval decided", {{"approval", approval_key(approval_id)},
                                         {"decision", decision->approve ? "approve" : "deny"},
                                         {"decided_by", in.decided_by}});
  } else {
    gate_log().warn("approval decision ignored", {{"campaign_id", decision->campaign_id},
                                                  {"outcome", to_string(outcome)},
                                                  {"decided_by", in.decided_by}});
  }
}

void Gatekeeper::handle_consent(const kafka::Message& m, std::vector<Output>& out) {
  auto recorded = consent_sink_(m.value());
  if (!recorded) {
    if (recorded.error().kind == ErrorKind::retriable) throw BatchFailed(recorded.error().message);
    dead_letter(m, "invalid-consent-change", recorded.error().message, out);
    metrics_.consent_changes.with({"dead_lettered"}).inc();
    return;
  }
  metrics_.consent_changes.with({*recorded ? "recorded" : "duplicate"}).inc();
}

Status Gatekeeper::attempt(Batch& batch, bool& decided) {
  std::vector<Output> out;
  std::map<std::pair<std::string, std::int32_t>, std::int64_t> next;
  try {
    pqxx::work tx(*db());
    for (const auto& m : batch.records) {
      const std::string topic = m.topic();
      if (topic == config_.requests_topic) {
        handle_request(tx, m, out);
      } else if (topic == config_.decisions_topic) {
        handle_decision(tx, m, out, decided);
      } else {
        handle_consent(m, out);
      }
      auto& n = next[{topic, m.partition()}];
      n = std::max(n, m.offset() + 1);
    }
    store_offsets(tx, config_.group_id, next);

    if (Status st = producer_->begin(); !st) return st;
    auto failed = std::make_shared<std::atomic<int>>(0);
    for (const auto& o : out) {
      kafka::OutRecord r;
      r.topic = o.topic;
      r.key = std::string_view(o.key);
      r.value = o.value;
      r.headers = o.headers.empty() ? nullptr : &o.headers;
      Status st = producer_->produce(r, [failed](const kafka::DeliveryReport& rep) {
        if (rep.error) failed->fetch_add(1);
      });
      if (!st) {
        (void)producer_->abort(kCommitTimeout);
        return st;
      }
    }
    Status st = producer_->flush(kCommitTimeout);
    if (st && failed->load() > 0) {
      st = Error{ErrorKind::abortable, {}, "an output of the batch was not delivered"};
    }
    std::vector<kafka::TopicPartitionOffset> offsets;
    for (const auto& [tp, off] : next) offsets.push_back({tp.first, tp.second, off});
    if (st) {
      kafka::GroupMetadataPtr group = consumer_->group_metadata();
      st = producer_->send_offsets(offsets, group.get(), kCommitTimeout);
    }
    if (st) st = producer_->commit(kCommitTimeout);
    if (!st) {
      if (!st.error().fatal()) (void)producer_->abort(kCommitTimeout);
      return st;
    }
    // Kafka holds the outputs; now the state and the offsets (see the header for the order).
    tx.commit();
    (void)consumer_->commit(offsets);  // for lag tools; Postgres has the offsets
    return {};
  } catch (const BatchFailed& e) {
    return Error{ErrorKind::retriable, {}, e.what()};
  } catch (const std::exception& e) {
    db_.reset();
    return Error{ErrorKind::retriable,
                 {},
                 "Postgres: " + db::first_line(db::scrub_password(e.what(), cfg_.database.url))};
  }
}

bool Gatekeeper::process(Batch& batch, const std::atomic<bool>& stop) {
  auto pause = std::chrono::milliseconds(200);
  for (;;) {
    bool decided = false;
    Status st = attempt(batch, decided);
    if (st) {
      metrics_.transactions.with({"committed"}).inc();
      if (decided && on_decided_) on_decided_();
      return true;
    }
    metrics_.transactions.with({"aborted"}).inc();
    if (st.error().fatal() || producer_->fatal()) {
      gate_log().error("fatal Kafka error; exiting", {{"error", st.error().message}});
      return false;
    }
    gate_log().warn("batch aborted; it is handled again",
                    {{"error", st.error().message}, {"records", batch.records.size()}});
    if (stop.load()) return true;  // not committed: handled again after the restart
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(5000));
  }
}

int Gatekeeper::run(const std::atomic<bool>& stop) {
  gate_log().info("gatekeeper running", {{"instance", config_.instance_id}});
  while (!stop.load() && !fatal_) {
    Batch batch;
    auto wait = std::chrono::milliseconds(200);
    while (batch.records.size() < config_.batch_records) {
      auto msg = consumer_->poll(wait);
      if (!msg) {
        if (consumer_->fatal()) {
          gate_log().error("fatal consumer error; exiting", {{"error", msg.error().message}});
          return 1;
        }
        gate_log().warn("consumer error", {{"error", msg.error().message}});
        break;
      }
      if (!*msg) break;
      batch.records.push_back(std::move(**msg));
      wait = std::chrono::milliseconds(0);
    }
    if (!revoked_.empty()) {
      // Records of partitions taken away during the polls are the new owner's.
      std::erase_if(batch.records, [&](const kafka::Message& m) {
        return std::find(revoked_.begin(), revoked_.end(),
                         kafka::TopicPartition{m.topic(), m.partition()}) != revoked_.end();
      });
      revoked_.clear();
    }
    if (batch.records.empty()) continue;
    if (!process(batch, stop)) return 1;
  }
  if (fatal_) {
    gate_log().error("cannot read the stored input offsets from Postgres; exiting");
    return 1;
  }
  gate_log().info("gatekeeper stopped");
  return 0;
}

}  // namespace hookline::gatekeeper
