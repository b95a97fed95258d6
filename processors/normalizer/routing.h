#pragma once
// Routes of a `normalize` section: event types (glob patterns, '*' matching any run of
// characters, dots included) to topics, first match wins, else the default topic.
//
//   "routes": [{"type": "com.stripe.*", "topic": "events.payments"}],
//   "default_topic": "events.other"
#include <string>
#include <string_view>
#include <vector>

namespace hookline::normalizer {

bool glob_match(std::string_view pattern, std::string_view text);

// Kafka's rule for topic names: 1-249 characters of a-z A-Z 0-9 . _ -
bool valid_topic_name(std::string_view name);

struct Route {
  std::string type_pattern;
  std::string topic;
};

struct Routing {
  std::vector<Route> routes;
  std::string default_topic;
  const std::string& topic_for(std::string_view type) const;
};

}  // namespace hookline::normalizer
