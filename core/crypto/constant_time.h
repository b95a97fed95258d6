#pragma once
// Comparison of secrets (MACs, tokens) whose time does not depend on where they differ.
#include <string_view>

namespace hookline::crypto {

// True when a and b hold the same bytes. Different lengths return false at once: only the
// lengths leak, never the position of the first differing byte.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace hookline::crypto
