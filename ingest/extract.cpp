#include "ingest/extract.h"

#include <cstddef>

#include <rapidjson/pointer.h>

#include "core/crypto/digest.h"
#include "core/crypto/encoding.h"
#include "ingest/providers/form.h"

namespace hookline::ingest {
namespace {

std::optional<std::string> scalar(const rapidjson::Value* v) {
  if (!v) return std::nullopt;
  if (v->IsString()) return std::string(v->GetString(), v->GetStringLength());
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  return std::nullopt;
}

const rapidjson::Value* at_pointer(const rapidjson::Value& root, const std::string& pointer) {
  // The pointer's tokens live in a buffer on the stack, not in a few heap blocks per lookup.
  alignas(std::max_align_t) char buffer[1024];
  rapidjson::MemoryPoolAllocator<> allocator(buffer, sizeof buffer, sizeof buffer);
  rapidjson::GenericPointer<rapidjson::Value, rapidjson::MemoryPoolAllocator<>> p(
      pointer.c_str(), pointer.size(), &allocator);
  if (!p.IsValid()) return nullptr;
  return p.Get(root);
}

std::optional<std::string> bounded(std::optional<std::string> v) {
  if (!v || v->empty() || v->size() > kMaxExtractedLength) return std::nullopt;
  return v;
}

}  // namespace

const rapidjson::Document* ParsedBody::json() {
  if (!json_done_) {
    json_done_ = true;
    rapidjson::Document d(&pool_);
    // Iterative: a deeply nested body must not exhaust the handler thread's stack.
    d.Parse<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag>(body_.data(),
                                                                                body_.size());
    if (!d.HasParseError()) json_.emplace(std::move(d));
  }
  return json_ ? &*json_ : nullptr;
}

const std::vector<std::pair<std::string, std::string>>* ParsedBody::form() {
  if (!form_done_) {
    form_done_ = true;
    form_ = parse_form(body_);
  }
  return form_ ? &*form_ : nullptr;
}

std::optional<std::string> extract(const Extractor& e, const Request& request, ParsedBody& body) {
  switch (e.kind) {
    case Extractor::Kind::header: {
      auto h = request.header(e.name);
      return bounded(h ? std::optional<std::string>(std::string(*h)) : std::nullopt);
    }
    case Extractor::Kind::json_pointer: {
      const auto* doc = body.json();
      return doc ? bounded(scalar(at_pointer(*doc, e.pointer))) : std::nullopt;
    }
    case Extractor::Kind::form_field: {
      const auto* form = body.form();
      if (!form) return std::nullopt;
      for (const auto& [k, v] : *form) {
        if (k == e.name) return bounded(v);
      }
      return std::nullopt;
    }
    case Extractor::Kind::form_json: {
      const auto* form = body.form();
      if (!form) return std::nullopt;
      for (const auto& [k, v] : *form) {
        if (k != e.name) continue;
        rapidjson::Document d;
        d.Parse<rapidjson::kParseIterativeFlag>(v.data(), v.size());
        if (d.HasParseError()) return std::nullopt;
        return bounded(scalar(at_pointer(d, e.pointer)));
      }
      return std::nullopt;
    }
    case Extractor::Kind::value:
      return e.name;
    case Extractor::Kind::body_hash:
      return "sha256:" + crypto::hex_encode(crypto::sha256(body.raw()));
  }
  return std::nullopt;
}

std::optional<std::string> extract_first(const std::vector<Extractor>& list, const Request& request,
                                         ParsedBody& body) {
  for (const auto& e : list) {
    if (auto v = extract(e, request, body)) return v;
  }
  return std::nullopt;
}

Extractor read_extractor(ObjectReader& r) {
  Extractor e;
  int kinds = 0;
  if (auto h = r.string("header")) {
    e.kind = Extractor::Kind::header, e.name = *h, ++kinds;
  }
  if (auto f = r.string("form_field")) {
    e.kind = Extractor::Kind::form_field, e.name = *f, ++kinds;
  }
  if (auto v = r.string("value")) {
    e.kind = Extractor::Kind::value, e.name = *v, ++kinds;
  }
  if (auto h = r.string("body_hash")) {
    if (*h != "sha256") r.fail("body_hash", "only \"sha256\" is supported");
    e.kind = Extractor::Kind::body_hash, ++kinds;
  }
  auto fj = r.string("form_json");
  auto ptr = r.string("json_pointer");
  if (ptr) {
    rapidjson::Pointer p(ptr->c_str(), ptr->size());
    if (!p.IsValid()) r.fail("json_pointer", "is not a valid JSON pointer (RFC 6901)");
    e.pointer = *ptr;
  }
  if (fj) {
    if (!ptr) r.fail("form_json", "needs a json_pointer beside it");
    e.kind = Extractor::Kind::form_json, e.name = *fj, ++kinds;
  } else if (ptr) {
    e.kind = Extractor::Kind::json_pointer, ++kinds;
  }
  if (kinds != 1) {
    r.fail("",
           "must have exactly one of header, json_pointer, form_field, form_json, value, "
           "body_hash");
  }
  return e;
}

}  // namespace hookline::ingest
