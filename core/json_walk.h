#pragma once
// Visiting every node of a parsed JSON document without recursion (nesting may be deep).
#include <vector>

#include <rapidjson/document.h>

namespace hookline {

// True as soon as `pred` holds for a node: every value, and every object member's name (a
// string value too), depth-first. `pred` takes a const rapidjson::Value&.
template <class Pred>
bool any_json_node(const rapidjson::Value& root, Pred pred) {
  std::vector<const rapidjson::Value*> pending{&root};
  while (!pending.empty()) {
    const rapidjson::Value& v = *pending.back();
    pending.pop_back();
    if (pred(v)) return true;
    if (v.IsObject()) {
      for (const auto& m : v.GetObject()) {
        if (pred(m.name)) return true;
        pending.push_back(&m.value);
      }
    } else if (v.IsArray()) {
      for (const auto& e : v.GetArray()) pending.push_back(&e);
    }
  }
  return false;
}

}  // namespace hookline
