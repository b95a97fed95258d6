// hookline-e2e: the whole pipeline under load and faults (scripts/e2e.sh runs it).
//
//   hookline-e2e --pg-dir DIR [--duration S] [--webhook-rate N] [--request-rate N]
//                [--kill-every S] [--campaign N] [--out FILE] [--seed N]
//
// Starts the stack (E2eStack) on the Postgres cluster in DIR (HOOKLINE_TEST_DATABASE_URL must
// point at it), drives webhooks and send requests for S seconds while Chaos kills components,
// takes a broker down and restarts Postgres, waits for the pipeline to drain, checks ids in
// against ids out, prints the table and writes the figures as JSON to FILE.
// Exit: 0 all checks hold, 1 a check failed, 2 bad usage or the stack did not start.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "core/json_reader.h"
#include "tests/e2e/chaos.h"
#include "tests/e2e/checker.h"
#include "tests/e2e/e2e_stack.h"
#include "tests/e2e/request_load.h"
#include "tests/e2e/webhook_load.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::e2e;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  std::string pg_dir;
  double duration_s = 120;
  double webhook_rate = 60;
  double request_rate = 15;
  double kill_every_s = 5;
  int campaign = 100;
  std::string out = "e2e-figures.json";
  unsigned seed = 0;
};

[[noreturn]] void usage(const std::string& msg) {
  std::fprintf(stderr,
               "hookline-e2e: %s\nusage: hookline-e2e --pg-dir DIR [--duration S] "
               "[--webhook-rate N] [--request-rate N] [--kill-every S] [--campaign N] "
               "[--out FILE] [--seed N]\n",
               msg.c_str());
  std::exit(2);
}

double number(const std::string& flag, const char* value) {
  try {
    std::size_t used = 0;
    const double v = std::stod(value, &used);
    if (used != std::string(value).size() || !(v > 0)) throw std::invalid_argument(flag);
    return v;
  } catch (const std::exception&) {
    usage(flag + " needs a positive number, got '" + value + "'");
  }
}

Args parse(int argc, char** argv) {
  Args a;
  a.seed = static_cast<unsigned>(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (i + 1 >= argc) usage(f == "-h" || f == "--help" ? "help" : "missing value for " + f);
    const char* v = argv[++i];
    if (f == "--pg-dir")
      a.pg_dir = v;
    else if (f == "--duration")
      a.duration_s = number(f, v);
    else if (f == "--webhook-rate")
      a.webhook_rate = number(f, v);
    else if (f == "--request-rate")
      a.request_rate = number(f, v);
    else if (f == "--kill-every")
      a.kill_every_s = number(f, v);
    else if (f == "--campaign")
      a.campaign = static_cast<int>(number(f, v));
    else if (f == "--out")
      a.out = v;
    else if (f == "--seed")
      a.seed = static_cast<unsigned>(number(f, v));
    else
      usage("unknown flag " + f);
  }
  if (a.pg_dir.empty()) usage("--pg-dir is required (the Postgres cluster folder to restart)");
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  const std::string tag = std::to_string(now_ms() % 100000000);
  std::fprintf(stderr,
               "e2e: seed %u, %.0f s, %.0f webhooks/s, %.0f requests/s, kill every %.0f s\n",
               args.seed, args.duration_s, args.webhook_rate, args.request_rate, args.kill_every_s);
  std::unique_ptr<E2eStack> stack;
  try {
    StackOptions so;
    so.pg_dir = args.pg_dir;
    stack = std::make_unique<E2eStack>(so);
    stack->start_all();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hookline-e2e: the stack did not start: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "e2e: stack up (kafka %s)\n", stack->broker().bootstrap().c_str());

  WebhookLoad webhooks(*stack, args.webhook_rate, tag, args.seed);
  RequestLoad requests(*stack, args.request_rate, tag, args.seed + 1);
  ChaosPlan plan;
  plan.duration_s = args.duration_s;
  plan.kill_every_s = args.kill_every_s;
  Chaos chaos(*stack, plan, args.seed + 2);

  const auto start = Clock::now();
  const std::int64_t start_ms = now_ms();
  auto at = [&](double fraction) {
    return start + std::chrono::duration_cast<Clock::duration>(
                       std::chrono::duration<double>(args.duration_s * fraction));
  };
  webhooks.start();
  requests.start();
  chaos.start();

  // The campaign early; its provider outage for a while; the Approve click half-way.
  std::this_thread::sleep_until(at(0.1));
  requests.publish_campaign(args.campaign, 1500);
  std::fprintf(stderr, "e2e: campaign of %d messages published\n", args.campaign);
  std::this_thread::sleep_until(at(0.25));
  requests.break_failing_connection();
  std::fprintf(stderr, "e2e: resend/failing's provider answers 500 from now on\n");
  std::this_thread::sleep_until(at(0.5));
  {
    Delivery approve;
    approve.provider = "slack";
    approve.content_type = "application/x-www-form-urlencoded";
    const auto fixture =
        parse_json_file(test::source("tests/fixtures/deliveries/slack/block_actions_approve.json"));
    approve.body = fixture["body"].GetString();
    approve.event_ids = {"12466734323.1395872398.abcdef012345"};
    approve.topic = "events.chat";
    webhooks.send(approve);
    std::fprintf(stderr, "e2e: Approve clicked in Slack (signed block_actions to the ingest)\n");
  }
  std::this_thread::sleep_until(at(0.55));
  requests.mend_failing_connection();
  std::fprintf(stderr, "e2e: resend/failing's provider answers normally again\n");
  std::this_thread::sleep_until(at(1.0));

  std::fprintf(stderr, "e2e: load over; stopping the faults and draining\n");
  webhooks.stop_generating();
  requests.stop();
  chaos.stop();
  if (!webhooks.drain(Clock::now() + 120s)) {
    std::fprintf(stderr, "e2e: some deliveries were still not answered after 120 s\n");
  }
  webhooks.stop();

  CheckInput in{*stack, webhooks, requests, chaos};
  const auto drain_deadline = Clock::now() + 300s;
  std::string missing;
  while (!complete(in, &missing) && Clock::now() < drain_deadline) {
    std::fprintf(stderr, "e2e: waiting for the pipeline to drain (missing %s)\n", missing.c_str());
    std::this_thread::sleep_for(5s);
  }
  // A little longer: repeats and stray records land after the last expected one.
  std::this_thread::sleep_for(5s);

  const Report report = check(in);
  std::cout << format_table(report);
  if (!report.examples.empty()) {
    std::cout << "\nexamples:\n";
    for (const auto& x : report.examples) std::cout << "  " << x << "\n";
  }
  std::cout << "\nfaults:\n";
  for (const auto& ev : chaos.events()) {
    if (ev.what == "restarted") continue;
    std::cout << "  +" << (ev.at_ms - start_ms) / 1000 << " s"
              << " " << ev.what << " " << ev.target
              << (ev.detail.empty() ? "" : " (" + ev.detail.substr(0, 200) + ")") << "\n";
  }
  const std::map<std::string, std::string> settings{
      {"duration_s", std::to_string(args.duration_s)},
      {"webhook_rate_per_s", std::to_string(args.webhook_rate)},
      {"request_rate_per_s", std::to_string(args.request_rate)},
      {"kill_every_s", std::to_string(args.kill_every_s)},
      {"seed", std::to_string(args.seed)}};
  std::ofstream(args.out) << format_json(report, settings);
  // Every component's output (all restarts), for reading after a failure.
  const auto logs = std::filesystem::path(args.out).parent_path() / "logs";
  std::filesystem::create_directories(logs);
  for (const auto& name : E2eStack::components()) {
    std::ofstream(logs / (name + ".log")) << stack->output(name);
  }
  std::cout << "\nfigures written to " << args.out << "\n"
            << "component logs in " << logs.string() << "/\n"
            << (report.ok() ? "e2e: PASS" : "e2e: FAIL") << std::endl;
  return report.ok() ? 0 : 1;
}
