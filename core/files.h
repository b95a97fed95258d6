#pragma once
#include <string>

namespace hookline {

// Writes via a temporary file and rename(), so a reader never sees half a file.
// Throws std::runtime_error naming the path.
void write_file_atomic(const std::string& path, const std::string& content);
// Throws std::runtime_error naming the path.
std::string read_file(const std::string& path);

}  // namespace hookline
