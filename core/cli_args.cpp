#include "core/cli_args.h"

#include <charconv>

namespace hookline {

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string ParsedArgs::get(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

long long ParsedArgs::get_int(const std::string& name, long long fallback, long long min,
                              long long max) const {
  auto v = get(name);
  if (!v) return fallback;
  long long out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || out < min || out > max) {
    throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", not '" + *v + "'");
  }
  return out;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const FlagSpec& spec,
                      const std::string& program) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.positional.insert(out.positional.end(), args.begin() + static_cast<long>(i) + 1,
                            args.end());
      break;
    }
    if (!a.starts_with("--")) {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (spec.boolean.contains(name)) {
      if (inline_value) throw UsageError(program + ": --" + name + " takes no value");
      out.flags.insert(name);
    } else if (spec.with_value.contains(name)) {
      if (inline_value) {
        out.values[name] = *inline_value;
      } else if (i + 1 < args.size()) {
        out.values[name] = args[++i];
      } else {
        throw UsageError(program + ": --" + name + " needs a value");
      }
    } else {
      throw UsageError(program + ": unknown flag --" + name + " (see --help)");
    }
  }
  return out;
}

}  // namespace hookline
