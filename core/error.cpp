#include "core/error.h"

namespace hookline {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::retriable:
      return "retriable";
    case ErrorKind::permanent:
      return "permanent";
    case ErrorKind::fatal:
      return "fatal";
    case ErrorKind::abortable:
      return "abortable";
  }
  return "unknown";
}

}  // namespace hookline
