#pragma once
// Bytes travel as std::string (owning) and std::string_view (borrowed); these helpers are the
// only place that converts between char and the unsigned char OpenSSL wants.
#include <string>
#include <string_view>

namespace hookline::crypto {

inline const unsigned char* as_uchars(std::string_view bytes) noexcept {
  return reinterpret_cast<const unsigned char*>(bytes.data());
}

inline unsigned char* as_uchars(std::string& bytes) noexcept {
  return reinterpret_cast<unsigned char*>(bytes.data());
}

}  // namespace hookline::crypto
