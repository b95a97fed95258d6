#pragma once
// Splitting a delivery into its events, as the `split` lists of a manifest's event kinds say.
// The kinds' split lists form a tree of array pointers (WhatsApp: /entry, then /changes, then
// /value/messages or /value/statuses). Walking a body visits elements in document order; an
// element yields the events its deeper split arrays reach, and only when those yield none is it
// an event itself, of the first kind at its level whose `when` holds. So a WhatsApp change with
// messages is one event per message, and a change with neither messages nor statuses is one
// event of the change-level kind, if the manifest declares one.
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include "processors/normalizer/normalize_spec.h"

namespace hookline::normalizer {

class SplitTree {
 public:
  explicit SplitTree(const std::vector<EventKind>& kinds);

  struct Step {
    std::size_t node = 0;   // the tree node of the array
    std::size_t index = 0;  // the element's index in it
  };
  struct Leaf {
    std::size_t kind = 0;                       // index into the kinds
    const rapidjson::Value* element = nullptr;  // inside the walked document
    std::vector<Step> path;                     // empty: the body itself
  };

  // The events of `root`, in document order, or "bad-event" when an element of a split array,
  // or a body that is one event, is not a JSON object. No events is an empty list.
  // `kinds` are the ones the tree was built from.
  std::variant<std::vector<Leaf>, MappingError> walk(const rapidjson::Value& root,
                                                     const RawDelivery& delivery,
                                                     const std::vector<EventKind>& kinds) const;

  // A copy of `root` with every array along `path` cut down to the path's element, and the
  // other split arrays beside it removed. Copies only the envelope and the element: a batch of
  // n events costs n envelopes, not n bodies.
  rapidjson::Document narrowed(const rapidjson::Value& root, const std::vector<Step>& path) const;

 private:
  struct Node {
    std::string pointer_text;
    rapidjson::Pointer pointer;
    std::vector<std::string> tokens;  // the pointer's member names
    std::size_t parent = 0;
    std::vector<std::size_t> children;
    std::vector<std::size_t> kinds;
  };
  std::optional<MappingError> walk_node(std::size_t node, const rapidjson::Value& element,
                                        const RawDelivery& delivery,
                                        const std::vector<EventKind>& kinds,
                                        std::vector<Step>& path, std::vector<Leaf>& out) const;
  rapidjson::Value narrow(const rapidjson::Value& src, std::size_t node,
                          const std::vector<Step>& path, std::size_t k,
                          rapidjson::Document::AllocatorType& alloc) const;
  // A copy of `src` without the members the token paths (from `depth` on) lead to.
  static rapidjson::Value copy_excluding(const rapidjson::Value& src,
                                         const std::vector<const std::vector<std::string>*>& paths,
                                         std::size_t depth,
                                         rapidjson::Document::AllocatorType& alloc);

  std::vector<Node> nodes_;
};

}  // namespace hookline::normalizer
