#include "tests/e2e/webhook_load.h"

#include <httplib.h>

#include "tests/support/webhook_signer.h"

namespace hookline::e2e {

using namespace std::chrono_literals;

namespace {
constexpr int kWorkers = 8;
constexpr auto kRetryAfter = 500ms;  // a provider trying again after no answer or a 5xx
}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

WebhookLoad::WebhookLoad(E2eStack& stack, double rate_per_s, std::string tag, unsigned seed)
    : stack_(stack), rate_(rate_per_s), tag_(std::move(tag)), rng_(seed) {}

WebhookLoad::~WebhookLoad() {
  stop();
}

void WebhookLoad::start() {
  generating_ = true;
  for (int i = 0; i < kWorkers; ++i) workers_.emplace_back([this] { worker(); });
  generator_ = std::thread([this] { generator(); });
}

void WebhookLoad::stop_generating() {
  generating_ = false;
  if (generator_.joinable()) generator_.join();
}

void WebhookLoad::stop() {
  stop_generating();
  stopping_ = true;
  cv_.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

void WebhookLoad::schedule(Job job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push(job);
    ++pending_;
  }
  cv_.notify_one();
}

void WebhookLoad::send(Delivery d) {
  std::size_t index;
  {
    std::lock_guard lock(mu_);
    deliveries_.push_back(std::move(d));
    outcomes_.emplace_back();
    index = deliveries_.size() - 1;
  }
  schedule({std::chrono::steady_clock::now(), index, 1, false});
}

void WebhookLoad::generator() {
  const auto& providers = e2e_providers();
  const auto start = std::chrono::steady_clock::now();
  const auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / rate_));
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<int> per_provider(providers.size(), 0);
  for (std::int64_t i = 0; generating_; ++i) {
    std::this_thread::sleep_until(start + step * i);
    const std::size_t p = static_cast<std::size_t>(i) % providers.size();
    const bool forged = u(rng_) < 0.03;  // a forgery: its own ids, signed with a wrong secret
    Delivery d = make_delivery(providers[p], per_provider[p]++, forged ? "forged" + tag_ : tag_);
    d.forged = forged;
    const double roll = u(rng_);
    const int repeats = d.forged ? 0 : roll < 0.05 ? 2 : roll < 0.10 ? 1 : 0;
    std::size_t index;
    {
      std::lock_guard lock(mu_);
      deliveries_.push_back(std::move(d));
      outcomes_.emplace_back();
      index = deliveries_.size() - 1;
      figures_.repeats_sent += repeats;
    }
    const auto now = std::chrono::steady_clock::now();
    schedule({now, index, 1, false});
    for (int r = 0; r < repeats; ++r) {
      const auto later = std::chrono::milliseconds(200 + static_cast<int>(u(rng_) * 3000));
      schedule({now + later, index, 1, true});
    }
  }
  generating_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int WebhookLoad::post(int ingest, const Delivery& d) {
  const std::string base = stack_.ingest_url(ingest);
  auto secrets = stack_.secrets_for(d.provider);
  test::EcdsaKeyPair other_key;
  if (d.forged) {
    secrets.secret = d.provider == "resend" ? "whsec_" + std::string("Zm9yZ2VkLXNlY3JldC1rZXk=")
                                            : "forged-secret";
    secrets.ecdsa = &other_key;
  }
  const auto unix_now = now_ms() / 1000;
  auto r = test::sign_body(d.provider, "main", secrets, d.body, d.content_type, d.headers, base,
                           unix_now);
  httplib::Client client(base);
  client.set_connection_timeout(2s);
  client.set_read_timeout(20s);
  client.set_keep_alive(false);
  httplib::Headers h;
  std::string content_type = d.content_type;
  for (const auto& [k, v] : r.headers) {
    if (k != "Content-Type") h.emplace(k, v);
  }
  auto res = client.Post(r.path.c_str(), h, r.body, content_type.c_str());
  return res ? res->status : -1;
}

void WebhookLoad::worker() {
  for (;;) {
    Job job;
    Delivery d;
    {
      std::unique_lock lock(mu_);
      for (;;) {
        if (stopping_) return;
        if (!jobs_.empty() && jobs_.top().due <= std::chrono::steady_clock::now()) break;
        if (jobs_.empty()) {
          cv_.wait_for(lock, 100ms);
        } else {
          // A copy: the queue may grow (and move its elements) while this thread waits.
          const auto until = std::min(jobs_.top().due, std::chrono::steady_clock::now() + 100ms);
          cv_.wait_until(lock, until);
        }
      }
      job = jobs_.top();
      jobs_.pop();
      d = deliveries_[job.delivery];
    }
    const int ingest = static_cast<int>((job.delivery + static_cast<std::size_t>(job.attempt)) % 2);
    const std::int64_t sent_at = now_ms();
    const auto t0 = std::chrono::steady_clock::now();
    const int status = post(ingest, d);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    bool again = false;
    {
      std::lock_guard lock(mu_);
      auto& o = outcomes_[job.delivery];
      ++figures_.posts;
      ++figures_.statuses[status];
      o.last_status = status;
      if (status >= 200 && status < 300) {
        ++o.accepted;
        ++figures_.accepted;
        figures_.latency_ms.push_back(ms);
        if (o.first_accept_ms == 0) o.first_accept_ms = sent_at;
      } else if (status >= 400 && status < 500) {
        ++o.refused;
      } else {
        again = true;  // no answer, 5xx or 503: the provider sends it again
        ++figures_.retried;
      }
      if (d.forged && job.attempt == 1 && !again) ++figures_.forged;
      --pending_;
    }
    if (again && !stopping_) {
      schedule({std::chrono::steady_clock::now() + kRetryAfter, job.delivery, job.attempt + 1,
                job.repeat});
    }
    cv_.notify_all();
  }
}

bool WebhookLoad::drain(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return pending_ == 0; });
}

}  // namespace hookline::e2e
