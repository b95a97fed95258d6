#pragma once
// hookline-provider-sim's flags. Bad flags throw UsageError (one line; exit 2 in main()).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hookline::simulator {

constexpr const char* kDefaultListen = "127.0.0.1:8090";
constexpr int kDefaultThreads = 64;
constexpr std::size_t kDefaultMaxRecords = 200000;

struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 8090;                       // 0: any free port
  std::optional<std::string> port_file;  // gets the bound port once listening
  int threads = kDefaultThreads;
  std::optional<std::string> config;  // initial rate limits and faults
  std::size_t max_records = kDefaultMaxRecords;
  bool help = false;
};

SimOptions parse_options(const std::vector<std::string>& args);

}  // namespace hookline::simulator
