#include "tests/e2e/checker.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>
#include <type_traits>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "tests/support/topic_reader.h"

namespace hookline::e2e {

using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kEventTopics{
    "events.payments", "events.messaging", "events.email", "events.scm",
    "events.chat",     "events.commerce",  "events.other"};
const std::set<std::string> kFinal{"succeeded",  "failed", "dead_lettered",
                                   "suppressed", "denied", "expired"};

struct Copy {
  std::string topic;
  std::int64_t ts = 0;
};

std::map<std::string, std::vector<Copy>> read_events(const std::string& bootstrap) {
  std::map<std::string, std::vector<Copy>> out;
  for (const auto& topic : kEventTopics) {
    for (const auto& r : test::read_topic(bootstrap, topic, 120s)) {
      out[r.header("ce_id")].push_back({topic, r.timestamp_ms});
    }
  }
  for (auto& [id, copies] : out) {
    std::sort(copies.begin(), copies.end(),
              [](const Copy& a, const Copy& b) { return a.ts < b.ts; });
  }
  return out;
}

struct Results {
  // request id -> final type -> CloudEvents ids (one per distinct result), and record count
  std::map<std::string, std::map<std::string, std::multiset<std::string>>> final;
};

Results read_results(const std::string& bootstrap) {
  Results out;
  for (const auto& r : test::read_topic(bootstrap, "outbound.results", 120s)) {
    std::string type = r.header("ce_type");
    const std::string prefix = "com.hookline.send.";
    if (!type.starts_with(prefix)) continue;
    type = type.substr(prefix.size());
    if (!kFinal.contains(type)) continue;
    out.final[r.key.value_or("")][type].insert(r.header("ce_id"));
  }
  return out;
}

std::set<std::string> read_dlq_ids(const std::string& bootstrap) {
  std::set<std::string> ids;
  for (const auto& r : test::read_topic(bootstrap, "outbound.dlq", 120s)) {
    rapidjson::Document d;
    d.Parse(r.value.data(), r.value.size());
    if (d.IsObject() && d.HasMember("id") && d["id"].IsString()) ids.insert(d["id"].GetString());
  }
  return ids;
}

struct ProviderCalls {
  int accepted = 0;  // 2xx, not an idempotent replay
  int failed = 0;    // 5xx or no answer
  std::int64_t first_accept_ms = 0;
};

std::map<std::string, ProviderCalls> resend_calls(test::ProviderSim& sim) {
  std::map<std::string, ProviderCalls> out;
  test::SimQuery q;
  q.provider = "resend";
  for (const auto& r : sim.requests(q)) {
    auto it = r.headers.find("idempotency-key");
    if (it == r.headers.end()) continue;
    auto& c = out[it->second];
    if (r.status >= 200 && r.status < 300 && !r.idempotent_replay) {
      ++c.accepted;
      if (c.first_accept_ms == 0) c.first_accept_ms = r.time_ms;
    } else if (r.status == 0 || r.status >= 500) {
      ++c.failed;
    }
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Delivery expectations: event id -> (topic, first accepted send time), and the forged ids.
struct Expected {
  std::map<std::string, std::pair<std::string, std::int64_t>> events;
  std::set<std::string> forged;
  std::int64_t deliveries = 0, accepted = 0, never_accepted = 0, refused_valid = 0,
               forged_accepted = 0;
};

Expected expected_events(const WebhookLoad& w) {
  Expected e;
  const auto& ds = w.deliveries();
  const auto& os = w.outcomes();
  for (std::size_t i = 0; i < ds.size() && i < os.size(); ++i) {
    const auto& d = ds[i];
    const auto& o = os[i];
    ++e.deliveries;
    if (d.forged) {
      e.forged_accepted += o.accepted > 0 ? 1 : 0;
      for (const auto& id : d.event_ids) e.forged.insert(id);
      continue;
    }
    if (o.refused > 0) ++e.refused_valid;
    if (o.accepted == 0) {
      ++e.never_accepted;
      continue;
    }
    ++e.accepted;
    for (const auto& id : d.event_ids) {
      auto [it, fresh] = e.events.emplace(id, std::make_pair(d.topic, o.first_accept_ms));
      if (!fresh) it->second.second = std::min(it->second.second, o.first_accept_ms);
    }
  }
  return e;
}

bool kind_allows(RequestKind k, const std::string& outcome) {
  switch (k) {
    case RequestKind::transactional:
    case RequestKind::campaign:
      return outcome == "succeeded";
    case RequestKind::marketing:
      return outcome == "suppressed";
    case RequestKind::failing:
      return outcome == "succeeded" || outcome == "dead_lettered";
  }
  return false;
}

}  // namespace

bool Report::ok() const {
  return std::all_of(rows.begin(), rows.end(), [](const CheckRow& r) { return r.ok(); });
}

bool complete(const CheckInput& in, std::string* missing) {
  const std::string bootstrap = in.stack.broker().bootstrap();
  const Expected e = expected_events(in.webhooks);
  const auto seen = read_events(bootstrap);
  std::int64_t events_missing = 0;
  for (const auto& [id, where] : e.events) events_missing += seen.contains(id) ? 0 : 1;
  const Results results = read_results(bootstrap);
  std::int64_t results_missing = 0;
  for (const auto& r : in.requests.requests()) {
    if (r.acknowledged && !results.final.contains(r.id)) ++results_missing;
  }
  if (missing) {
    *missing = std::to_string(events_missing) + " events, " + std::to_string(results_missing) +
               " final results";
  }
  return events_missing == 0 && results_missing == 0;
}

Report check(const CheckInput& in) {
  Report rep;
  auto row = [&](const std::string& what, std::int64_t n, bool must_be_zero) {
    rep.rows.push_back({what, n, must_be_zero});
  };
  auto example = [&](const std::string& what, const std::string& id) {
    if (rep.examples.size() < 40) rep.examples.push_back(what + ": " + id);
  };
  const std::string bootstrap = in.stack.broker().bootstrap();

  // ---- webhooks
  const Expected e = expected_events(in.webhooks);
  const auto seen = read_events(bootstrap);
  const auto& wf = in.webhooks.figures();
  row("webhook deliveries made (distinct)", e.deliveries, false);
  row("  posts in all (provider repeats, retries after no answer / 503 included)", wf.posts, false);
  row("  deliveries accepted (2xx)", e.accepted, false);
  row("  valid deliveries never accepted", e.never_accepted, true);
  row("  valid deliveries refused with a 4xx", e.refused_valid, true);
  row("  forged deliveries refused (401)", static_cast<std::int64_t>(wf.forged), false);
  row("  forged deliveries accepted", e.forged_accepted, true);
  row("events expected from accepted deliveries", static_cast<std::int64_t>(e.events.size()),
      false);

  std::int64_t missing = 0, wrong_topic = 0, forged_seen = 0, unknown = 0, by_kill = 0,
               by_outage = 0, unexplained = 0;
  std::vector<std::int64_t> windows;  // kill or broker-down times that may leave aborted copies
  std::vector<std::pair<std::int64_t, std::int64_t>> outages;
  for (auto t : in.chaos.kills_of("normalizer")) windows.push_back(t);
  {
    std::int64_t down = 0;
    for (const auto& ev : in.chaos.events()) {
      if (ev.what == "broker-down" || ev.what == "postgres-stop") down = ev.at_ms;
      if ((ev.what == "broker-up" || ev.what == "postgres-start") && down) {
        outages.emplace_back(down, ev.at_ms + 15000);
        down = 0;
      }
    }
  }
  std::map<std::int64_t, std::int64_t> per_kill;
  std::vector<double> e2e_webhook_ms;
  for (const auto& [id, where] : e.events) {
    auto it = seen.find(id);
    if (it == seen.end()) {
      ++missing;
      example("missing event", id);
      continue;
    }
    const auto& copies = it->second;
    if (copies.front().topic != where.first) {
      ++wrong_topic;
      example("wrong topic", id + " on " + copies.front().topic);
    }
    e2e_webhook_ms.push_back(static_cast<double>(copies.front().ts - where.second));
    for (std::size_t j = 1; j < copies.size(); ++j) {
      const std::int64_t first = copies.front().ts - 1000, again = copies[j].ts + 1000;
      std::int64_t kill = 0;
      for (auto k : windows) {
        if (k >= first && k <= again) kill = k;
      }
      bool outage = false;
      for (const auto& [down, up] : outages) outage = outage || (down <= again && up >= first);
      if (kill) {
        ++by_kill;
        ++per_kill[kill];
      } else if (outage) {
        ++by_outage;
      } else {
        ++unexplained;
        example("repeated event", id);
      }
    }
  }
  for (const auto& [id, copies] : seen) {
    if (e.events.contains(id)) continue;
    if (e.forged.contains(id)) {
      ++forged_seen;
      example("forged event downstream", id);
    } else {
      ++unknown;
      example("unknown event", id);
    }
  }
  // One transaction holds at most batch_records deliveries, each of at most this many events.
  std::size_t most_events = 1;
  for (const auto& d : in.webhooks.deliveries())
    most_events = std::max(most_events, d.event_ids.size());
  const std::int64_t per_transaction =
      in.stack.options().normalizer_batch_records * static_cast<std::int64_t>(most_events);
  std::int64_t over_one_transaction = 0, most_after_a_kill = 0;
  for (const auto& [t, n] : per_kill) {
    most_after_a_kill = std::max(most_after_a_kill, n);
    if (n > per_transaction) ++over_one_transaction;
  }
  row("  events missing from the normalized topics", missing, true);
  row("  events on the wrong topic", wrong_topic, true);
  row("  events repeated across a normalizer kill (its open transaction, shown by the dev broker)",
      by_kill, false);
  row("  ... most after one kill (one transaction holds at most " +
          std::to_string(per_transaction) + ")",
      most_after_a_kill, false);
  row("  ... kills whose repeats exceed one transaction", over_one_transaction, true);
  row("  events repeated across a broker or Postgres outage (aborted transactions shown)",
      by_outage, false);
  row("  events repeated without a kill or outage", unexplained, true);
  row("  forged events on the normalized topics", forged_seen, true);
  row("  events nobody sent on the normalized topics", unknown, true);
  row("  records in webhooks.dlq",
      static_cast<std::int64_t>(test::read_topic(bootstrap, "webhooks.dlq", 60s).size()), true);

  // ---- sends
  const Results results = read_results(bootstrap);
  const auto dlq = read_dlq_ids(bootstrap);
  const auto calls = resend_calls(in.stack.sim());
  const int attempts = in.stack.options().failing_max_attempts;
  std::int64_t acked = 0, unacked = 0, no_result = 0, two_outcomes = 0, wrong_outcome = 0,
               redelivered = 0, new_id_repeat = 0, once = 0, twice = 0, thrice = 0,
               never_called = 0, suppressed_called = 0, exhausted = 0, exhausted_not_in_dlq = 0,
               succeeded = 0;
  std::map<std::string, std::int64_t> by_outcome;
  std::set<std::string> exhausted_ids;
  std::vector<double> e2e_send_ms;
  const bool sender_killed = !in.chaos.kills_of("sender").empty();
  for (const auto& r : in.requests.requests()) {
    if (!r.acknowledged) {
      ++unacked;
      continue;
    }
    ++acked;
    auto it = results.final.find(r.id);
    if (it == results.final.end()) {
      ++no_result;
      example("no final result", r.id);
      continue;
    }
    auto describe = [&] {
      std::string d;
      for (const auto& [type, ce_ids] : it->second) {
        for (const auto& ce : ce_ids) d += " " + ce;
      }
      return r.id + ":" + d;
    };
    if (it->second.size() > 1) {
      ++two_outcomes;
      example("two outcomes", describe());
    }
    const std::string outcome = it->second.begin()->first;
    ++by_outcome[outcome];
    if (!kind_allows(r.kind, outcome)) {
      ++wrong_outcome;
      example(std::string("outcome ") + outcome + " for a " + to_string(r.kind) + " request", r.id);
    }
    for (const auto& [type, ce_ids] : it->second) {
      std::set<std::string> distinct(ce_ids.begin(), ce_ids.end());
      redelivered += static_cast<std::int64_t>(ce_ids.size() - distinct.size());
      new_id_repeat += static_cast<std::int64_t>(distinct.size() - 1);
      if (distinct.size() > 1) example("final result under two CloudEvents ids", describe());
    }
    auto c = calls.find(r.id);
    const int accepted_calls = c == calls.end() ? 0 : c->second.accepted;
    if (outcome == "succeeded") {
      ++succeeded;
      if (accepted_calls == 0) {
        ++never_called;
        example("sent but never received", r.id);
      } else if (accepted_calls == 1) {
        ++once;
      } else if (accepted_calls == 2) {
        ++twice;
        if (!sender_killed) example("received twice without a sender kill", r.id);
      } else {
        ++thrice;
        example("received 3+ times", r.id);
      }
      if (r.kind == RequestKind::transactional && c != calls.end()) {
        e2e_send_ms.push_back(static_cast<double>(c->second.first_accept_ms - r.produced_ms));
      }
    }
    if (outcome == "suppressed" && c != calls.end()) {
      ++suppressed_called;
      example("suppressed but sent", r.id);
    }
    if (r.kind == RequestKind::failing && c != calls.end() && c->second.accepted == 0 &&
        c->second.failed >= attempts) {
      ++exhausted;
      exhausted_ids.insert(r.id);
      if (!dlq.contains(r.id)) {
        ++exhausted_not_in_dlq;
        example("ran out of attempts, not in the DLQ", r.id);
      }
    }
  }
  std::int64_t dlq_unexplained = 0;
  for (const auto& id : dlq) {
    if (!exhausted_ids.contains(id)) {
      ++dlq_unexplained;
      example("in the DLQ without running out of attempts", id);
    }
  }
  test::SimQuery slack;
  slack.provider = "slack";
  const auto approvals = static_cast<std::int64_t>(in.stack.sim().requests(slack).size());

  row("send requests acknowledged by Kafka", acked, false);
  row("  not acknowledged (the producer gave up; not expected downstream)", unacked, false);
  for (const auto& [outcome, n] : by_outcome) row("  final outcome " + outcome, n, false);
  row("  without a final result", no_result, true);
  row("  with two different final outcomes", two_outcomes, true);
  row("  with an outcome their kind does not allow", wrong_outcome, true);
  row("  final results delivered again under the same CloudEvents id", redelivered, false);
  row("  final results repeated under a new CloudEvents id", new_id_repeat, true);
  row("  sent: received by the provider once", once, false);
  row("  sent: received twice (a sender crash between the answer and the ledger)", twice,
      !sender_killed);
  row("  sent: received three times or more", thrice, true);
  row("  sent: never received by the provider", never_called, true);
  row("  suppressed but received by the provider", suppressed_called, true);
  row("  failing connection: ran out of attempts", exhausted, false);
  row("  ... of those not in outbound.dlq", exhausted_not_in_dlq, true);
  row("  outbound.dlq records that had not run out of attempts", dlq_unexplained, true);
  // One post per approval; none when the click was already in (a short run: the sender posts
  // only approvals still waiting).
  row("  approval requests posted to Slack", approvals, false);
  row("  ... posted more than once", std::max<std::int64_t>(0, approvals - 1), true);

  // ---- PII
  std::int64_t pii = 0;
  for (const auto& name : E2eStack::components()) {
    const std::string text = in.stack.output(name) + in.stack.metrics(name);
    for (const auto& needle : marker_needles()) {
      for (auto pos = text.find(needle); pos != std::string::npos;
           pos = text.find(needle, pos + 1)) {
        ++pii;
        const auto line_start = text.rfind('\n', pos);
        example("personal data in " + name + "'s output",
                text.substr(line_start == std::string::npos ? 0 : line_start + 1, 160));
      }
    }
  }
  row("planted addresses / phone numbers in logs or metrics", pii, true);
  std::int64_t crashes = 0;
  for (const auto& ev : in.chaos.events()) crashes += ev.what == "unexpected-exit" ? 1 : 0;
  row("components that exited on their own", crashes, true);
  std::int64_t down_at_end = 0;
  for (const auto& name : E2eStack::components()) {
    if (!in.stack.running(name)) {
      ++down_at_end;
      example(name + " not running at the end", in.stack.log_tail(name, 400));
    }
  }
  row("components not running at the end", down_at_end, true);

  // ---- figures
  const double gen_s = std::max(1.0, in.webhooks.generating_seconds());
  rep.figures["webhooks_accepted_per_s"] = static_cast<double>(e.accepted) / gen_s;
  rep.figures["ingest_latency_p50_ms"] = percentile(wf.latency_ms, 50);
  rep.figures["ingest_latency_p99_ms"] = percentile(wf.latency_ms, 99);
  rep.figures["ingest_to_normalized_p50_ms"] = percentile(e2e_webhook_ms, 50);
  rep.figures["ingest_to_normalized_p99_ms"] = percentile(e2e_webhook_ms, 99);
  rep.figures["request_to_provider_p50_ms"] = percentile(e2e_send_ms, 50);
  rep.figures["request_to_provider_p99_ms"] = percentile(e2e_send_ms, 99);
  rep.figures["sends_per_s"] =
      static_cast<double>(succeeded) / std::max(1.0, in.requests.generating_seconds());
  for (const auto& name : E2eStack::components()) rep.rss_kib[name] = in.stack.rss_kib(name);
  return rep;
}

std::string format_table(const Report& r) {
  std::ostringstream out;
  out << "\n| check | count | |\n|---|---:|---|\n";
  for (const auto& row : r.rows) {
    out << "| " << row.what << " | " << row.count << " | "
        << (row.must_be_zero ? (row.ok() ? "ok" : "**FAIL**") : "") << " |\n";
  }
  char buf[160];
  out << "\n| load figure | value |\n|---|---:|\n";
  const std::vector<std::pair<std::string, std::string>> labels{
      {"webhooks_accepted_per_s", "webhooks accepted per second"},
      {"ingest_latency_p50_ms", "ingest latency p50 (ms)"},
      {"ingest_latency_p99_ms", "ingest latency p99 (ms)"},
      {"ingest_to_normalized_p50_ms", "ingest receive -> normalized record p50 (ms)"},
      {"ingest_to_normalized_p99_ms", "ingest receive -> normalized record p99 (ms)"},
      {"request_to_provider_p50_ms", "send request -> provider call p50 (ms)"},
      {"request_to_provider_p99_ms", "send request -> provider call p99 (ms)"},
      {"sends_per_s", "sends per second"}};
  for (const auto& [key, label] : labels) {
    auto it = r.figures.find(key);
    std::snprintf(buf, sizeof buf, "%.1f", it == r.figures.end() ? 0.0 : it->second);
    out << "| " << label << " | " << buf << " |\n";
  }
  for (const auto& [name, kib] : r.rss_kib) {
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(kib) / 1024.0);
    out << "| resident memory at the end, " << name << " (MiB) | " << buf << " |\n";
  }
  return out.str();
}

std::string format_json(const Report& r, const std::map<std::string, std::string>& settings) {
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  auto object = [&](const char* name, const auto& members) {
    w.Key(name);
    w.StartObject();
    for (const auto& [k, v] : members) {
      w.Key(k.c_str());
      using V = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<V, std::string>) {
        w.String(v.c_str());
      } else if constexpr (std::is_same_v<V, double>) {
        w.Double(v);
      } else {
        w.Int64(v);
      }
    }
    w.EndObject();
  };
  w.StartObject();
  w.Key("ok");
  w.Bool(r.ok());
  object("settings", settings);
  object("figures", r.figures);
  object("rss_kib", r.rss_kib);
  w.Key("checks");
  w.StartArray();
  for (const auto& row : r.rows) {
    w.StartObject();
    w.Key("what");
    w.String(row.what.c_str());
    w.Key("count");
    w.Int64(row.count);
    w.Key("must_be_zero");
    w.Bool(row.must_be_zero);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize()) + "\n";
}

}  // namespace hookline::e2e
