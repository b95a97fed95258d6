#pragma once
// Cryptographically secure random bytes from OpenSSL's DRBG.
#include <cstddef>
#include <optional>
#include <string>

namespace hookline::crypto {

// n random bytes, or nullopt if the RNG fails (it cannot be seeded). Never throws except
// std::bad_alloc.
std::optional<std::string> try_random_bytes(std::size_t n);

// n random bytes. Throws std::runtime_error if the RNG fails: a process that cannot produce
// secure randomness must not go on (a fatal error in STYLE.md's terms), so callers on the
// data path need not check a result that in practice never fails.
std::string random_bytes(std::size_t n);

}  // namespace hookline::crypto
