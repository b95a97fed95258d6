#include "sinks/simulator/engine.h"

#include <string>

namespace hookline::simulator {
namespace {

// A fault's answer; a 2xx fault without a body gives the endpoint's own success answer (the
// check's for a credential check).
Answer fault_answer(const Provider& p, bool check, const Incoming& in, const Fault& f) {
  const int status = *f.status;
  Answer a;
  if (f.body) {
    a.status = status;
    a.body = *f.body;
    a.content_type = f.content_type;
  } else if (status >= 200 && status < 300) {
    a = check ? p.check(in) : p.accept(in);  // the provider's own success, with that status
    a.status = status;
  } else {
    a = p.error(status);
  }
  if (f.retry_after_s > 0) a.headers.emplace_back("Retry-After", std::to_string(f.retry_after_s));
  return a;
}

}  // namespace

Clocks Clocks::real() {
  return Clocks{[] { return std::chrono::steady_clock::now(); },
                [] { return std::chrono::system_clock::now(); }};
}

Engine::Engine(std::vector<std::unique_ptr<Provider>> providers, EngineOptions options,
               Clocks clocks)
    : clocks_(std::move(clocks)),
      idempotency_(options.max_idempotency_keys),
      recorder_(options.max_records) {
  constexpr auto kSyntax = std::regex::ECMAScript | std::regex::optimize;
  for (auto& p : providers) {
    routes_.push_back(Route{p.get(), std::regex(p->path_pattern(), kSyntax), false});
    if (*p->check_pattern() != '\0') {
      routes_.push_back(Route{p.get(), std::regex(p->check_pattern(), kSyntax), true});
    }
    providers_.push_back(std::move(p));
  }
}

const Engine::Route* Engine::route(Incoming& in) const {
  for (const auto& r : routes_) {
    std::smatch m;
    if (std::regex_match(in.path, m, r.pattern)) {
      in.params.clear();
      for (std::size_t i = 1; i < m.size(); ++i) in.params.push_back(m[i].str());
      return &r;
    }
  }
  return nullptr;
}

Verdict Engine::handle(Incoming in) {
  Record rec;
  rec.time_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clocks_.wall().time_since_epoch())
          .count();
  rec.method = in.method;
  rec.path = in.path;
  rec.headers = recorded_headers(in.headers);
  rec.provider = "unknown";
  Verdict v;
  if (const Route* r = route(in); r == nullptr) {
    v.answer = json_answer(404, "{\"error\":\"not_found\"}");
  } else {
    const Provider& p = *r->provider;
    rec.provider = p.name();
    v.provider = p.name();
    if (in.method != (r->check ? p.check_method() : "POST")) {
      v.answer = p.error(405);
    } else if (auto target = p.target(in); !target) {
      v.answer = p.error(401);
    } else {
      rec.target = std::move(*target);
      if (!credentials_.accepts(p.name(), p.credential(in))) {
        v.answer = p.wrong_credential();
      } else {
        decide(*r, in, rec, v);
      }
    }
  }
  rec.status = v.close ? 0 : v.answer.status;
  rec.message_id = v.answer.message_id;
  rec.body = std::move(in.body);
  v.seq = recorder_.add(std::move(rec));
  return v;
}

void Engine::decide(const Route& r, const Incoming& in, Record& rec, Verdict& v) {
  const Provider& p = *r.provider;
  const RequestKey key{p.name(), rec.target, in.path};
  std::optional<Fault> fault;
  std::optional<int> wait_s;
  {
    std::lock_guard lock(mu_);
    fault = faults_.take(key);
    if (!fault || !fault->status) wait_s = limiter_.admit(key, clocks_.steady());
  }
  if (fault) v.delay = std::chrono::milliseconds(fault->delay_ms);
  if (fault && fault->status) {
    if (*fault->status == 0) {
      v.close = true;
    } else {
      v.answer = fault_answer(p, r.check, in, *fault);
    }
    return;
  }
  if (wait_s) {
    v.answer = p.error(429);
    v.answer.headers.emplace_back("Retry-After", std::to_string(*wait_s));
    return;
  }
  if (r.check) {
    v.answer = p.check(in);
    return;
  }
  if (auto refused = p.validate(in)) {
    v.answer = std::move(*refused);
    return;
  }
  const std::string_view idempotency_key = in.header("idempotency-key");
  if (p.honours_idempotency_key() && !idempotency_key.empty()) {
    auto out =
        idempotency_.answer(rec.target, idempotency_key, in.body, [&] { return p.accept(in); });
    if (out.kind == IdempotencyStore::Kind::conflict) {
      v.answer = p.error(409);
    } else {
      v.answer = std::move(out.answer);
      rec.idempotent_replay = out.kind == IdempotencyStore::Kind::replay;
    }
    return;
  }
  v.answer = p.accept(in);
}

std::int64_t Engine::add_rate_rule(RateRule rule) {
  std::lock_guard lock(mu_);
  return limiter_.add(std::move(rule));
}

std::int64_t Engine::add_fault(Fault fault) {
  std::lock_guard lock(mu_);
  return faults_.add(std::move(fault));
}

bool Engine::remove_fault(std::int64_t id) {
  std::lock_guard lock(mu_);
  return faults_.remove(id);
}

void Engine::reset() {
  {
    std::lock_guard lock(mu_);
    limiter_.clear();
    faults_.clear();
  }
  credentials_.clear();
  idempotency_.clear();
  recorder_.clear();
}

std::vector<RateRule> Engine::rate_rules() const {
  std::lock_guard lock(mu_);
  return limiter_.rules();
}

std::vector<Fault> Engine::faults() const {
  std::lock_guard lock(mu_);
  return {faults_.pending().begin(), faults_.pending().end()};
}

}  // namespace hookline::simulator
