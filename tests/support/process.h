#pragma once
// Child processes for tests: spawn a program, capture its output to files, wait with a
// deadline, and always stop it (SIGTERM, then SIGKILL) by pid.
#include <sys/types.h>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hookline::test {

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class ChildProcess {
 public:
  // `env` entries are added to (or replace) the inherited environment; an empty value unsets.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Exit code (128+signal when killed), or nullopt if still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  void signal(int sig);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  std::string out() const;
  std::string err() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  TempDir dir_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs to completion (killed after `timeout`, which fails the calling test via exit code 137).
RunResult run(const std::string& program, const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Polls `pred` until it holds or the deadline passes (no fixed sleeps in tests).
bool eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(30),
                std::chrono::milliseconds step = std::chrono::milliseconds(20));

// Path of a built program (build/bin/<name>).
std::string bin(const std::string& name);
// Path of a file in the source tree.
std::string source(const std::string& relative);
// A TCP port on 127.0.0.1 nobody listens on (bound then released).
int closed_port();

}  // namespace hookline::test
