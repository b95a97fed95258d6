#pragma once
// The built-in signature schemes, by the name a manifest gives in "scheme": {"name": ...}.
// Registration is explicit: adding a scheme means adding a line to registry.cpp.
#include <map>
#include <memory>
#include <string>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

const std::map<std::string, SchemeFactory, std::less<>>& scheme_factories();

// Reads "name" (required) and builds that scheme from the rest of the object. Throws
// ConfigError for a missing or unknown name (listing the known ones) and for bad params.
// Does not call finish(): the caller (the ObjectReader::object callback) does, which is what
// rejects unknown params.
std::unique_ptr<SignatureScheme> make_scheme(ObjectReader& scheme_object);

}  // namespace hookline::ingest
