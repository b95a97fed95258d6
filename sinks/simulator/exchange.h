#pragma once
// One HTTP exchange as the simulator sees it, apart from cpp-httplib so that the logic is
// tested on values: the request (Incoming) and the answer (Answer).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::simulator {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Incoming {
  std::string method = "POST";
  std::string path;
  std::vector<std::string> params;  // the groups of the provider's path pattern
  HeaderList headers;               // names in lower case
  std::string body;

  // The first value of a header (name given in lower case); "" when absent.
  std::string_view header(std::string_view name) const noexcept;
};

struct Answer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  HeaderList headers;
  std::string message_id;  // the provider's id of what it accepted; "" when none
};

Answer json_answer(int status, std::string body);

// "Too Many Requests" for 429; "Error" for a status it does not know.
const char* reason_phrase(int status) noexcept;
// "too_many_requests" for 429: the phrase as a snake_case code.
std::string reason_code(int status);

}  // namespace hookline::simulator
