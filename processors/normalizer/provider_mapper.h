#pragma once
// One provider's mapping: its manifest's `normalize` section applied to one delivery.
#include <memory>
#include <string>
#include <vector>

#include "processors/normalizer/batch_split.h"
#include "processors/normalizer/event_mapper.h"
#include "processors/normalizer/normalize_spec.h"

namespace hookline::normalizer {

class ProviderMapper {
 public:
  explicit ProviderMapper(NormalizeSpec spec);

  // Never throws on untrusted input (memory exhaustion aside).
  MappingResult map(const RawDelivery& delivery) const;
  const NormalizeSpec& spec() const { return spec_; }

 private:
  NormalizeSpec spec_;
  SplitTree tree_;
};

}  // namespace hookline::normalizer
