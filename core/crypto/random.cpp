#include "core/crypto/random.h"

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <utility>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "core/crypto/bytes.h"

namespace hookline::crypto {

std::optional<std::string> try_random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t done = 0;
  while (done < n) {
    const std::size_t chunk = std::min<std::size_t>(n - done, INT_MAX);
    if (RAND_bytes(as_uchars(out) + done, static_cast<int>(chunk)) != 1) {
      ERR_clear_error();
      return std::nullopt;
    }
    done += chunk;
  }
  return out;
}

std::string random_bytes(std::size_t n) {
  auto bytes = try_random_bytes(n);
  if (!bytes) throw std::runtime_error("crypto: RAND_bytes failed (RNG not seeded)");
  return std::move(*bytes);
}

}  // namespace hookline::crypto
