#include "ctl/send_command.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <pqxx/pqxx>

#include "core/cli_args.h"
#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "core/db/audit_log.h"
#include "core/db/connection.h"
#include "core/kafka/client_config.h"
#include "core/kafka/handles.h"
#include "core/kafka/message.h"
#include "core/kafka/producer.h"
#include "ingest/registry/connection.h"
#include "ingest/registry/connection_store.h"
#include "sinks/sender/providers/json_writer.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/request_writer.h"
#include "sinks/sender/send_defaults.h"
#include "sinks/sender/sender_config.h"

namespace hookline::ctl {
namespace {

constexpr const char* kUsage =
    "usage: hookline send --connection PROVIDER/ID --to ADDRESS --text TEXT [flags]\n"
    "\n"
    "An operator's test message through the whole outbound path: one send request on\n"
    "outbound.requests (key: the connection) that the gatekeeper checks (consent, approval\n"
    "rules) and the sender sends like any other; then its result, read from outbound.results.\n"
    "\n"
    "  --connection P/ID  the connection in the registry, e.g. twilio/main\n"
    "  --to ADDRESS       e-mail address, E.164 number, or Slack channel id (not used for\n"
    "                     webhooks, which go to the connection's path)\n"
    "  --text TEXT        the message text (e-mail: its text part; webhook: the payload\n"
    "                     {\"text\": TEXT} of event type hookline.test)\n"
    "  --tenant T         default: the connection's tenant\n"
    "  --channel C        email|sms|whatsapp|slack|webhook (default: the provider's: resend and\n"
    "                     sendgrid email, twilio sms, whatsapp, slack, webhook)\n"
    "  --purpose P        transactional (default) or marketing (consent and its rules apply)\n"
    "  --subject S        e-mail subject (default \"hookline test message\")\n"
    "  --id ID            request id (default ctl-<random hex>); the same id is sent at most once\n"
    "  --by NAME          who sends (default $USER), recorded in audit_log (send.test, ids only)\n"
    "  --wait SECONDS     wait up to this long for the final result (default 30, at most 3600;\n"
    "                     0: only publish)\n"
    "\n"
    "Prints the request id, a line per retry, and one line with the outcome: succeeded, failed,\n"
    "dead_lettered, suppressed, denied or expired, and its reason. The address and the text are\n"
    "never printed, logged or audited. Kafka client logs stay quiet unless HOOKLINE_LOG_LEVEL is\n"
    "debug. Needs HOOKLINE_DATABASE_URL and HOOKLINE_KAFKA_BOOTSTRAP.\n"
    "Exit codes: 0 succeeded (with --wait 0: published), 1 another outcome, no result in time,\n"
    "or an error (unknown or disabled connection, database, Kafka), 2 usage error.\n";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr const char* kRequestsTopic = "outbound.requests";
constexpr const char* kClientId = "hookline-ctl-send";
constexpr const char* kContactId = "operator-test";
constexpr const char* kDefaultSubject = "hookline test message";
constexpr const char* kWebhookEventType = "hookline.test";
constexpr std::size_t kMaxAddress = 320;
constexpr std::size_t kMaxBy = 256;
constexpr long long kDefaultWaitSeconds = 30;
constexpr long long kMaxWaitSeconds = 3600;
constexpr std::chrono::milliseconds kPollSlice{200};

// A failure reported in one line with exit 1 (not the operator's syntax).
class SendError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string connection;  // provider/id
  std::string provider;
  std::string id;
  std::optional<std::string> to;
  std::string text;
  std::optional<std::string> tenant;
  std::optional<sender::Channel> channel;  // nullopt: a provider the sender has no client for
  sender::Purpose purpose = sender::Purpose::transactional;
  std::string subject;
  std::string request_id;
  std::string by;
  long long wait_seconds = kDefaultWaitSeconds;
};

std::optional<sender::Channel> channel_of(std::string_view name) {
  using sender::Channel;
  for (const Channel c :
       {Channel::email, Channel::sms, Channel::whatsapp, Channel::slack, Channel::webhook}) {
    if (name == sender::to_string(c)) return c;
  }
  return std::nullopt;
}

// The channel a provider's connections send on (send_defaults.h lists the same providers).
std::optional<sender::Channel> provider_channel(std::string_view provider) {
  if (provider == "resend" || provider == "sendgrid") return sender::Channel::email;
  if (provider == "twilio") return sender::Channel::sms;
  return channel_of(provider);  // whatsapp, slack, webhook
}

bool printable(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7F;
  });
}

std::string default_operator() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "hookline-cli";
}

// Reads and checks the flags. Messages name flags, never the address or the text.
Options read_options(const ParsedArgs& a) {
  Options o;
  const auto connection = a.get("connection");
  if (!connection) throw UsageError("--connection PROVIDER/ID is required");
  const auto slash = connection->find('/');
  o.provider = connection->substr(0, slash);
  o.id = slash == std::string::npos ? "" : connection->substr(slash + 1);
  if (!ingest::is_valid_name(o.provider) || !ingest::is_valid_name(o.id)) {
    throw UsageError("--connection must be PROVIDER/ID (1-64 characters a-z 0-9 . _ - each)");
  }
  o.connection = o.provider + "/" + o.id;
  o.text = a.get("text", "");
  if (o.text.empty()) throw UsageError("--text is required (the message text)");
  if (const auto channel = a.get("channel")) {
    o.channel = channel_of(*channel);
    if (!o.channel) throw UsageError("--channel must be email, sms, whatsapp, slack or webhook");
  } else {
    o.channel = provider_channel(o.provider);
  }
  const std::string purpose = a.get("purpose", "transactional");
  if (purpose == "marketing") {
    o.purpose = sender::Purpose::marketing;
  } else if (purpose != "transactional") {
    throw UsageError("--purpose must be transactional or marketing");
  }
  o.to = a.get("to");
  if (o.to && (o.to->empty() || o.to->size() > kMaxAddress)) {
    throw UsageError("--to must be 1 to " + std::to_string(kMaxAddress) + " characters");
  }
  if (!o.to && o.channel && *o.channel != sender::Channel::webhook) {
    throw UsageError("--to ADDRESS is required for channel " +
                     std::string(sender::to_string(*o.channel)));
  }
  o.tenant = a.get("tenant");
  if (o.tenant && o.tenant->empty()) throw UsageError("--tenant must not be empty");
  o.subject = a.get("subject", kDefaultSubject);
  o.request_id = a.get("id", "");
  if (a.get("id") && o.request_id.empty()) throw UsageError("--id must not be empty");
  o.by = a.get("by", default_operator());
  if (o.by.empty() || o.by.size() > kMaxBy || !printable(o.by)) {
    throw UsageError("--by must be 1 to " + std::to_string(kMaxBy) + " printable characters");
  }
  o.wait_seconds = a.get_int("wait", kDefaultWaitSeconds, 0, kMaxWaitSeconds);
  return o;
}

// The connection's row in the registry (no secret is read). Throws SendError.
ingest::ConnectionSummary find_connection(pqxx::connection& conn, const Options& o) {
  ingest::ConnectionStore store(conn, "ctl:" + o.by);
  for (auto& row : store.list(o.provider)) {
    if (row.id != o.id) continue;
    if (!row.enabled) {
      throw SendError("connection " + o.connection + " is disabled (hookline connections enable)");
    }
    if (!row.has_send_secret) {
      throw SendError("connection " + o.connection +
                      " has no send secret (hookline connections set-send-secret)");
    }
    return std::move(row);
  }
  throw SendError("no connection " + o.connection + " in the registry (hookline connections list)");
}

// The request, checked with the sender's own reader. Throws UsageError when it would not be
// valid (the reader's message names the field, never its value).
sender::SendRequest build_request(const Options& o, const ingest::ConnectionSummary& row) {
  sender::SendRequest r;
  r.id =
      o.request_id.empty() ? "ctl-" + crypto::hex_encode(crypto::random_bytes(12)) : o.request_id;
  r.tenant = o.tenant.value_or(row.tenant.empty() ? std::string("default") : row.tenant);
  r.connection = o.connection;
  r.channel = *o.channel;
  r.purpose = o.purpose;
  r.contact_id = kContactId;
  if (r.channel == sender::Channel::webhook) {
    r.content.event_type = kWebhookEventType;
    sender::JsonWriter w;
    w.begin_object().member("text", o.text).end_object();
    if (!w.ok()) throw UsageError("--text is not valid UTF-8");
    r.content.payload_json = w.text();
  } else {
    r.address = *o.to;
    r.content.text = o.text;
    if (r.channel == sender::Channel::email) r.content.subject = o.subject;
  }
  const std::string value = sender::to_json(r);
  auto parsed = sender::parse_send_request(value);
  if (!parsed) throw UsageError("the send request would not be valid: " + parsed.error().message);
  return std::move(*parsed);
}

// audit_log row "send.test": who asked for which request on which connection; ids only.
void audit(pqxx::connection& conn, const Options& o, const sender::SendRequest& r) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("request_id");
  w.String(r.id.c_str(), static_cast<rapidjson::SizeType>(r.id.size()));
  w.Key("tenant");
  w.String(r.tenant.c_str(), static_cast<rapidjson::SizeType>(r.tenant.size()));
  w.Key("channel");
  w.String(sender::to_string(r.channel));
  w.Key("purpose");
  w.String(sender::to_string(r.purpose));
  w.Key("wait_s");
  w.Int64(o.wait_seconds);
  w.EndObject();
  pqxx::work tx(conn);
  db::append_audit(tx, "ctl:" + o.by, "send.test", r.connection,
                   std::string(buf.GetString(), buf.GetSize()));
  tx.commit();
}

// Reads outbound.results from the end offsets taken at construction (before the request is
// produced), outside any consumer group: partitions are assigned, never subscribed.
class ResultTail {
 public:
  // Throws SendError when the broker or the topic cannot be read.
  ResultTail(const Config& cfg, std::string topic)
      : state_(std::make_unique<kafka::ClientState>()), topic_(std::move(topic)) {
    state_->client_id = kClientId;
    kafka::ClientSettings settings;
    settings.client_id = kClientId;
    settings.defaults = kafka::quiet_client_defaults();
    settings.required = {{"group.id", kClientId},
                         {"enable.auto.commit", "false"},
                         {"enable.auto.offset.store", "false"},
                         {"enable.partition.eof", "false"},
                         {"isolation.level", "read_committed"}};
    rk_ =
        kafka::make_handle(RD_KAFKA_CONSUMER, kafka::make_conf(cfg.kafka, settings, state_.get()));
    rd_kafka_poll_set_consumer(rk_.get());
    const int timeout_ms = static_cast<int>(cfg.kafka.timeout.count());
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_.get(), topic_.c_str(), nullptr);
    const rd_kafka_metadata_t* raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk_.get(), 0, rkt, &raw, timeout_ms);
    rd_kafka_topic_destroy(rkt);
    const kafka::MetadataPtr md(raw);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw SendError("Kafka at " + cfg.kafka.bootstrap + " did not answer within " +
                      std::to_string(timeout_ms) + " ms (" + rd_kafka_err2str(err) + ")");
    }
    if (md->topic_cnt != 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw SendError("topic " + topic_ + " is not readable (" +
                      rd_kafka_err2str(md->topic_cnt == 1 ? md->topics[0].err
                                                          : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) +
                      "); hookline topology apply creates the declared topics");
    }
    for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
      std::int64_t low = 0;
      std::int64_t high = 0;
      if (const auto werr = rd_kafka_query_watermark_offsets(rk_.get(), topic_.c_str(), p, &low,
                                                             &high, timeout_ms)) {
        throw SendError("cannot read the end of " + topic_ + "[" + std::to_string(p) +
                        "]: " + rd_kafka_err2str(werr));
      }
      ends_[p] = high;
    }
  }

  ~ResultTail() {
    if (!rk_) return;
    rd_kafka_assign(rk_.get(), nullptr);
    // It never joined a group: nothing to leave.
    rd_kafka_destroy_flags(rk_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }
  ResultTail(const ResultTail&) = delete;
  ResultTail& operator=(const ResultTail&) = delete;

  const std::string& topic() const noexcept { return topic_; }

  // Starts reading every partition at the end offset read at construction.
  void start() {
    kafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(ends_.size())));
    for (const auto& [p, offset] : ends_) {
      rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p)->offset = offset;
    }
    if (const auto err = rd_kafka_assign(rk_.get(), list.get())) {
      throw SendError("cannot read " + topic_ + ": " + rd_kafka_err2str(err));
    }
  }

  // The next record within `timeout`; nullopt when none came (transient fetch errors are
  // retried by librdkafka and skipped here).
  std::optional<kafka::Message> next(std::chrono::milliseconds timeout) {
    kafka::MessagePtr m(rd_kafka_consumer_poll(rk_.get(), static_cast<int>(timeout.count())));
    if (!m || m->err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
    return kafka::Message(std::move(m));
  }

 private:
  std::unique_ptr<kafka::ClientState> state_;
  kafka::HandlePtr rk_;
  std::string topic_;
  std::map<std::int32_t, std::int64_t> ends_;
};

// The acks=all producer, once the cluster answers. Throws SendError.
std::unique_ptr<kafka::Producer> connect_producer(const Config& cfg) {
  kafka::Producer::Options opts;
  opts.client_id = kClientId;
  opts.defaults = kafka::quiet_client_defaults();
  // A definite answer (acknowledged or failed) within the Kafka timeout.
  opts.defaults["message.timeout.ms"] = std::to_string(cfg.kafka.timeout.count());
  auto producer = kafka::Producer::create(cfg.kafka, opts);
  if (auto up = kafka::wait_for_cluster(producer->handle(), cfg.kafka.bootstrap, cfg.kafka.timeout);
      !up) {
    throw SendError(up.error().message);
  }
  return producer;
}

void produce(kafka::Producer& producer, const Config& cfg, const sender::SendRequest& r) {
  const std::string value = sender::to_json(r);
  kafka::OutRecord rec;
  rec.topic = kRequestsTopic;
  rec.key = std::string_view(r.connection);
  rec.value = value;
  auto report = producer.produce_sync(rec, cfg.kafka.timeout + std::chrono::seconds(5));
  producer.close();
  if (!report) {
    throw SendError("request " + r.id + " was not published to " + kRequestsTopic + ": " +
                    report.error().message);
  }
}

// What a result record says (schemas/outbound.results.v1.schema.json); no personal data.
struct ResultView {
  std::string outcome;  // "" when the record is not readable
  std::string reason;
  std::int64_t attempt = 0;
  std::int64_t provider_status = 0;
  std::string provider_message_id;
  std::string retry_due;
};

ResultView read_result(std::string_view value) {
  ResultView v;
  rapidjson::Document d;
  d.Parse(value.data(), value.size());
  if (d.HasParseError() || !d.IsObject()) return v;
  const rapidjson::Value& root = d;  // const iterators: clang's C++20 rewritten != is ambiguous
  const auto str = [&root](const char* key) {
    const auto it = root.FindMember(key);
    return it != root.MemberEnd() && it->value.IsString()
               ? std::string(it->value.GetString(), it->value.GetStringLength())
               : std::string();
  };
  const auto num = [&root](const char* key) -> std::int64_t {
    const auto it = root.FindMember(key);
    return it != root.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
  };
  v.outcome = str("outcome");
  v.reason = str("reason");
  v.attempt = num("attempt");
  v.provider_status = num("provider_status");
  v.provider_message_id = str("provider_message_id");
  v.retry_due = str("retry_due");
  return v;
}

// "<outcome>: request <id> on <connection>[: <reason>] (attempt N[, provider status S]...)"
std::string result_line(const ResultView& v, const sender::SendRequest& r) {
  std::string line = v.outcome + ": request " + r.id + " on " + r.connection;
  if (!v.reason.empty()) line += ": " + v.reason;
  line += " (attempt " + std::to_string(v.attempt);
  if (v.provider_status != 0) line += ", provider status " + std::to_string(v.provider_status);
  // A provider's id can embed the destination (Slack's is channel:ts): never print an address.
  if (!v.provider_message_id.empty() &&
      (r.address.empty() || v.provider_message_id.find(r.address) == std::string::npos)) {
    line += ", provider message id " + v.provider_message_id;
  }
  if (!v.retry_due.empty()) line += ", next attempt at " + v.retry_due;
  return line + ")";
}

int wait_for_result(ResultTail& tail, const sender::SendRequest& r, long long seconds) {
  tail.start();
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  for (auto now = Clock::now(); now < deadline; now = Clock::now()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    auto m = tail.next(std::min(left, kPollSlice));
    if (!m) continue;
    const auto key = m->key();
    if (!key || *key != r.id) continue;
    const ResultView v = read_result(m->value());
    if (v.outcome.empty()) continue;
    std::cout << result_line(v, r) << '\n' << std::flush;
    if (v.outcome == "retrying") continue;  // not final: the sender tries again
    return v.outcome == "succeeded" ? kExitOk : kExitFailure;
  }
  std::cout << "no result within " << seconds << " s; the request is still in the pipeline (id "
            << r.id << ")\n";
  return kExitFailure;
}

int run(const std::vector<std::string>& args, const Config& cfg) {
  FlagSpec spec;
  spec.with_value = {"connection", "to",      "text", "tenant", "channel",
                     "purpose",    "subject", "id",   "by",     "wait"};
  spec.boolean = {"help"};
  const ParsedArgs a = parse_args(args, spec, "hookline send");
  if (a.has("help")) {
    std::cout << kUsage;
    return kExitOk;
  }
  // Not echoed: a stray argument may be an address or a text without its flag.
  if (!a.positional.empty()) throw UsageError("unexpected argument (values follow their flags)");
  const Options o = read_options(a);
  if (!sender::send_defaults(o.provider) || !o.channel) {
    throw SendError("the sender has no client for provider " + o.provider + ": " + o.connection +
                    " cannot send");
  }
  auto conn = db::connect(cfg.database);
  const ingest::ConnectionSummary row = find_connection(*conn, o);
  const sender::SendRequest request = build_request(o, row);
  std::optional<ResultTail> tail;
  if (o.wait_seconds > 0) {
    tail.emplace(cfg, sender::load_sender_config(cfg, {}, ParsedArgs{}).results_topic);
  }
  const auto producer = connect_producer(cfg);
  // Audited before it is produced: every request that may reach a provider has its row.
  audit(*conn, o, request);
  produce(*producer, cfg, request);
  std::cout << "published request " << request.id << " on " << request.connection << " ("
            << sender::to_string(request.channel) << ", " << sender::to_string(request.purpose)
            << ", tenant " << request.tenant << ") to " << kRequestsTopic << '\n';
  if (!tail) return kExitOk;
  std::cout << "waiting up to " << o.wait_seconds << " s for its result on " << tail->topic()
            << '\n'
            << std::flush;
  return wait_for_result(*tail, request, o.wait_seconds);
}

int fail(const std::string& message, int code = kExitFailure) {
  std::cerr << "hookline send: " << message << '\n';
  return code;
}

}  // namespace

int run_send_command(const std::vector<std::string>& args, const hookline::Config& cfg) {
  if (!args.empty() && (args.front() == "help" || args.front() == "-h")) {
    std::cout << kUsage;
    return kExitOk;
  }
  try {
    return run(args, cfg);
  } catch (const UsageError& e) {
    std::string message = e.what();
    if (message.starts_with("hookline send: ")) message.erase(0, 15);
    return fail(
        message +
            (message.find("--help") == std::string::npos ? " (see hookline send --help)" : ""),
        kExitUsage);
  } catch (const pqxx::failure& e) {
    return fail(db::scrub_password(db::first_line(e.what()), cfg.database.url));
  } catch (const std::exception& e) {
    // SendError, DbError, KafkaError, ConfigError: one line, never an address or a text.
    return fail(db::first_line(db::scrub_password(e.what(), cfg.database.url)));
  } catch (...) {
    return fail("unexpected error");
  }
}

}  // namespace hookline::ctl
