// The ceiling for the ingest benchmark: cpp-httplib with the ingest's settings (TCP_NODELAY,
// the same thread pool and timeouts) answering 200 to every POST without doing anything.
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include <httplib.h>

#include "core/program.h"

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::stoi(argv[1]) : 64;
  const hookline::StopSignals stop;
  httplib::Server s;
  s.set_tcp_nodelay(true);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_keep_alive_timeout(30);
  s.set_keep_alive_max_count(100000);
  s.Post(R"(/webhooks/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"accepted"})", "application/json");
  });
  int port = s.bind_to_any_port("127.0.0.1");
  if (port < 0) {
    std::fprintf(stderr, "noop_server: cannot bind\n");
    return 1;
  }
  std::thread t([&] { s.listen_after_bind(); });
  std::cout << "listening on 127.0.0.1:" << port << "\n" << std::flush;
  stop.wait();
  s.stop();
  t.join();
  return 0;
}
