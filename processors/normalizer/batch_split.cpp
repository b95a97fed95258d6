#include "processors/normalizer/batch_split.h"

#include <string_view>
#include <utility>

namespace hookline::normalizer {

SplitTree::SplitTree(const std::vector<EventKind>& kinds) {
  nodes_.emplace_back();  // the root: the body
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    std::size_t node = 0;
    for (const auto& pointer : kinds[k].split) {
      std::size_t found = nodes_.size();
      for (std::size_t child : nodes_[node].children) {
        if (nodes_[child].pointer_text == pointer) found = child;
      }
      if (found == nodes_.size()) {
        Node n;
        n.pointer_text = pointer;
        // Validated when the manifest was read.
        n.pointer = make_pointer(pointer).value_or(rapidjson::Pointer());
        for (std::size_t t = 0; t < n.pointer.GetTokenCount(); ++t) {
          const auto& token = n.pointer.GetTokens()[t];
          n.tokens.emplace_back(token.name, token.length);
        }
        n.parent = node;
        nodes_.push_back(std::move(n));
        nodes_[node].children.push_back(found);
      }
      node = found;
    }
    nodes_[node].kinds.push_back(k);
  }
}

std::optional<MappingError> SplitTree::walk_node(std::size_t node, const rapidjson::Value& element,
                                                 const RawDelivery& delivery,
                                                 const std::vector<EventKind>& kinds,
                                                 std::vector<Step>& path,
                                                 std::vector<Leaf>& out) const {
  const std::size_t before = out.size();
  for (std::size_t child : nodes_[node].children) {
    const rapidjson::Value* array = nodes_[child].pointer.Get(element);
    if (array == nullptr || !array->IsArray()) continue;
    for (rapidjson::SizeType i = 0; i < array->Size(); ++i) {
      const rapidjson::Value& e = (*array)[i];
      if (!e.IsObject()) {
        return MappingError{"bad-event", "element " + std::to_string(i) + " of split array '" +
                                             nodes_[child].pointer_text + "' is not an object"};
      }
      path.push_back(Step{child, i});
      auto err = walk_node(child, e, delivery, kinds, path, out);
      path.pop_back();
      if (err) return err;
    }
  }
  if (out.size() != before || nodes_[node].kinds.empty()) return std::nullopt;
  const Scope scope{&element, &delivery};
  for (std::size_t k : nodes_[node].kinds) {
    if (!all_hold(kinds[k].when, scope, "")) continue;
    if (!element.IsObject()) return MappingError{"bad-event", "the body is not a JSON object"};
    out.push_back(Leaf{k, &element, path});
    break;
  }
  return std::nullopt;
}

std::variant<std::vector<SplitTree::Leaf>, MappingError> SplitTree::walk(
    const rapidjson::Value& root, const RawDelivery& delivery,
    const std::vector<EventKind>& kinds) const {
  std::vector<Leaf> out;
  std::vector<Step> path;
  if (auto err = walk_node(0, root, delivery, kinds, path, out)) return std::move(*err);
  return out;
}

rapidjson::Document SplitTree::narrowed(const rapidjson::Value& root,
                                        const std::vector<Step>& path) const {
  rapidjson::Document out;
  rapidjson::Value v = narrow(root, 0, path, 0, out.GetAllocator());
  static_cast<rapidjson::Value&>(out) = v;
  return out;
}

rapidjson::Value SplitTree::narrow(const rapidjson::Value& src, std::size_t node,
                                   const std::vector<Step>& path, std::size_t k,
                                   rapidjson::Document::AllocatorType& alloc) const {
  if (k == path.size()) return rapidjson::Value(src, alloc);
  const Step& step = path[k];
  const Node& child = nodes_[step.node];
  const rapidjson::Value* array = child.pointer.Get(src);
  if (array == nullptr || !array->IsArray() || step.index >= array->Size()) {
    return rapidjson::Value(src, alloc);  // cannot happen: the walk came this way
  }
  rapidjson::Value one(rapidjson::kArrayType);
  one.PushBack(
      narrow((*array)[static_cast<rapidjson::SizeType>(step.index)], step.node, path, k + 1, alloc),
      alloc);
  if (child.tokens.empty()) return one;  // the value itself is the array
  // The value without any of this level's split arrays (each copied at most once, so a batch of
  // n events costs n envelopes, not n bodies), then the array cut to the one element.
  std::vector<const std::vector<std::string>*> excluded;
  for (std::size_t c : nodes_[node].children) {
    if (!nodes_[c].tokens.empty()) excluded.push_back(&nodes_[c].tokens);
  }
  rapidjson::Value out = copy_excluding(src, excluded, 0, alloc);
  child.pointer.Set(out, one, alloc);
  return out;
}

rapidjson::Value SplitTree::copy_excluding(
    const rapidjson::Value& src, const std::vector<const std::vector<std::string>*>& paths,
    std::size_t depth, rapidjson::Document::AllocatorType& alloc) {
  if (!src.IsObject() || paths.empty()) return rapidjson::Value(src, alloc);
  rapidjson::Value out(rapidjson::kObjectType);
  for (auto it = src.MemberBegin(); it != src.MemberEnd(); ++it) {
    const std::string_view name(it->name.GetString(), it->name.GetStringLength());
    std::vector<const std::vector<std::string>*> deeper;
    bool drop = false;
    for (const auto* p : paths) {
      if ((*p)[depth] != name) continue;
      if (p->size() == depth + 1) {
        drop = true;
      } else {
        deeper.push_back(p);
      }
    }
    if (drop) continue;
    out.AddMember(rapidjson::Value(it->name, alloc),
                  copy_excluding(it->value, deeper, depth + 1, alloc), alloc);
  }
  return out;
}

}  // namespace hookline::normalizer
