#pragma once
// Shared by the fuzz harnesses: splitting an input into lines, and building a scheme with its
// default parameters (from an object made in code, so no JSON is parsed per run).
#include <cstddef>
#include <memory>
#include <string_view>

#include <rapidjson/document.h>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::fuzz {

// The next '\n'-terminated line of `input` (all of it when there is no '\n'); consumes it.
inline std::string_view next_line(std::string_view& input) {
  const std::size_t nl = input.find('\n');
  const std::string_view line = input.substr(0, nl);
  input = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
  return line;
}

// The scheme `factory` builds from an empty manifest object (its defaults).
template <class Factory>
std::unique_ptr<ingest::SignatureScheme> default_scheme(Factory factory) {
  rapidjson::Document doc;
  doc.SetObject();
  ObjectReader reader(doc, "fuzz", "scheme");
  return factory(reader);
}

}  // namespace hookline::fuzz
