#pragma once
// A provider manifest (topology/providers/<provider>.json): everything the ingest needs to know
// about a provider that is data, not code. Adding a provider that signs with a supported
// scheme is adding a file.
//
//   {
//     "provider": "stripe",
//     "description": "...",
//     "scheme": {"name": "stripe", "tolerance_s": 300},
//     "delivery_id": [{"json_pointer": "/id"}],          // tried in order
//     "event_type": [{"json_pointer": "/type"}],
//     "batch": false,               // true: a delivery carries many events; key = connection
//     "keep_headers": ["Stripe-Signature"],
//     "body_limit_bytes": 1048576,
//     "handshake": "none" | "meta-verify-token" | "slack-url-verification",
//     "normalize": {...}            // the normalizer's part; the ingest does not read it
//   }
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

enum class Handshake { none, meta_verify_token, slack_url_verification };

inline constexpr size_t kDefaultBodyLimit = 1024 * 1024;

struct Manifest {
  std::string provider;
  std::string description;
  std::string scheme_name;
  std::shared_ptr<const SignatureScheme> scheme;
  std::vector<Extractor> delivery_id;  // a body hash is the last resort, always
  std::vector<Extractor> event_type;
  bool batch = false;
  std::vector<std::string> keep_headers;
  size_t body_limit = kDefaultBodyLimit;
  Handshake handshake = Handshake::none;
  std::string source;  // the file
};

// Reads one manifest; throws ConfigError naming the file and key.
Manifest load_manifest(const std::string& path);
// Reads every *.json in `dir`; the file name must be <provider>.json. Throws ConfigError.
std::map<std::string, Manifest, std::less<>> load_manifests(const std::string& dir);

}  // namespace hookline::ingest
