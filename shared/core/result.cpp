// Names of error codes, stable: they appear in logs and in answers to clients.
#include "core/result.h"

namespace linli {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Storage: return "storage";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::NotJson: return "not_json";
  }
  return "unknown";
}

std::string Error::message() const {
  return std::string(to_string(code)) + ": " + detail;
}

}  // namespace linli
