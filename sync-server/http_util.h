// Small helpers every route uses: JSON answers, JSON errors with stable codes, reading a JSON
// body within limits, the bearer token. No route logic here.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace linli::server {

inline constexpr int kMaxJsonDepth = 32;

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
// {"error":{"code":CODE,"message":MESSAGE}} with `status`.
void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message);

// Parses a request body as JSON, answering the error itself (415 for another content type,
// 400 for malformed or too deeply nested JSON). nullopt when it answered.
std::optional<nlohmann::json> read_json_body(const httplib::Request& req, httplib::Response& res);
// True when `text` nests arrays and objects deeper than `max_depth` (strings are skipped).
bool json_nesting_exceeds(std::string_view text, int max_depth);

// The token of "Authorization: Bearer TOKEN", or empty.
std::string bearer_token(const httplib::Request& req);

}  // namespace linli::server
