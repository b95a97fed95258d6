#pragma once
// Minimal flag parsing shared by hookline's programs: `--name value`, `--name=value` and
// boolean `--name`. Unknown flags and missing values throw UsageError (exit 2 in main()).
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace hookline {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  std::set<std::string> with_value;  // flags taking a value, without "--"
  std::set<std::string> boolean;     // flags without a value
};

struct ParsedArgs {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  std::vector<std::string> positional;

  bool has(const std::string& flag) const { return flags.contains(flag); }
  std::optional<std::string> get(const std::string& name) const;
  std::string get(const std::string& name, const std::string& fallback) const;
  // Parses an integer flag within [min, max]; throws UsageError naming the flag.
  long long get_int(const std::string& name, long long fallback, long long min,
                    long long max) const;
};

ParsedArgs parse_args(const std::vector<std::string>& args, const FlagSpec& spec,
                      const std::string& program);

}  // namespace hookline
