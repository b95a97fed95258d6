#include "sinks/simulator/connection_cut.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <charconv>
#include <filesystem>
#include <string_view>

namespace hookline::simulator {
namespace {

struct Endpoint {
  std::string addr;
  int port = -1;
};

Endpoint endpoint_of(const sockaddr_storage& ss) {
  Endpoint e;
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    e.port = ntohs(in->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    e.port = ntohs(in6->sin6_port);
  }
  e.addr = buf;
  return e;
}

}  // namespace

bool cut_connection(const std::string& remote_addr, int remote_port, int local_port) noexcept {
  try {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
      const std::string name = entry.path().filename().string();
      int fd = -1;
      auto [ptr, err] = std::from_chars(name.data(), name.data() + name.size(), fd);
      if (err != std::errc() || ptr != name.data() + name.size()) continue;
      sockaddr_storage local{}, peer{};
      socklen_t local_len = sizeof local, peer_len = sizeof peer;
      if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) continue;
      if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
      const Endpoint l = endpoint_of(local), p = endpoint_of(peer);
      if (l.port == local_port && p.port == remote_port && p.addr == remote_addr) {
        return ::shutdown(fd, SHUT_RDWR) == 0;
      }
    }
  } catch (...) {
  }
  return false;
}

}  // namespace hookline::simulator
