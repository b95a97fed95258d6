#include "sinks/simulator/ids.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace hookline::simulator {
namespace {

std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return gen;
}

std::string random_from(const char* alphabet, std::size_t alphabet_size, std::size_t n) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet_size - 1);
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(generator())];
  return out;
}

constexpr char kHex[] = "0123456789abcdef";
constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace

std::string uuid_v4() {
  std::string h = random_hex(32);
  h[12] = '4';                                                // version
  h[16] = kHex[8 + (static_cast<unsigned char>(h[16]) % 4)];  // variant 10xx
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string random_hex(std::size_t n) {
  return random_from(kHex, sizeof kHex - 1, n);
}

std::string random_alnum(std::size_t n) {
  return random_from(kAlnum, sizeof kAlnum - 1, n);
}

std::string slack_ts(std::chrono::system_clock::time_point now) {
  static std::atomic<std::int64_t> last{0};
  std::int64_t us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::int64_t prev = last.load();
  while (true) {
    const std::int64_t next = us > prev ? us : prev + 1;
    if (last.compare_exchange_weak(prev, next)) {
      us = next;
      break;
    }
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000));
  return buf;
}

}  // namespace hookline::simulator
