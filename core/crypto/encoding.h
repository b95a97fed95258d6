#pragma once
// Hex and base64 codecs. Decoders are strict and never throw: malformed input gives nullopt.
#include <optional>
#include <string>
#include <string_view>

namespace hookline::crypto {

// Lower-case hex, two characters per byte.
std::string hex_encode(std::string_view bytes);
// Accepts upper and lower case; rejects odd length and any non-hex character.
std::optional<std::string> hex_decode(std::string_view hex);

// RFC 4648 section 4 alphabet (+ /) with '=' padding.
std::string base64_encode(std::string_view bytes);
// Strict: length a multiple of 4, padding required and only at the end, no whitespace, no
// characters outside the alphabet, unused bits of the last character must be zero.
std::optional<std::string> base64_decode(std::string_view text);

// RFC 4648 section 5 alphabet (- _) without padding (JWT style).
std::string base64url_encode(std::string_view bytes);
// URL-safe alphabet; padding is optional, but if present it must be correct. Otherwise as
// strict as base64_decode.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace hookline::crypto
