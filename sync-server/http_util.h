// Small helpers every route uses: JSON answers, JSON errors with stable codes, reading a JSON
// body within limits, the bearer token. No route logic here.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace linli::server {

inline constexpr int kMaxJsonDepth = 32;
// Body limits. cpp-httplib reads at most the largest route's (a photo's: server.cpp sets it and
// answers 413 itself beyond it); JSON routes refuse more than theirs in check_json_request.
inline constexpr size_t kMaxJsonBodyBytes = 8 * 1024 * 1024;
inline constexpr size_t kMaxBlobBytes = 10 * 1024 * 1024;

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
// {"error":{"code":CODE,"message":MESSAGE}} with `status`.
void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message);

// Checks what a JSON route checks before parsing, answering the error itself: 415 for another
// content type, 413 over kMaxJsonBodyBytes, 400 when nested too deep. False when it answered.
bool check_json_request(const httplib::Request& req, httplib::Response& res);
// Parses a request body as JSON, answering the error itself (check_json_request's errors, and
// 400 for malformed JSON). nullopt when it answered.
std::optional<nlohmann::json> read_json_body(const httplib::Request& req, httplib::Response& res);
// True when `text` nests arrays and objects deeper than `max_depth` (strings are skipped).
bool json_nesting_exceeds(std::string_view text, int max_depth);

// The token of "Authorization: Bearer TOKEN" (the scheme in any case, RFC 9110 11.1), or empty.
std::string bearer_token(const httplib::Request& req);
// The media type of a Content-Type, lowercase, without parameters: "image/JPEG; charset=binary"
// -> "image/jpeg".
std::string media_type(std::string_view content_type);
// Whether an Accept-Encoding value accepts gzip: named (or `*`) with a q-value above 0.
bool accepts_gzip(std::string_view accept_encoding);
// Whether a request's Content-Encoding leaves its body as sent: none, or only `identity` (in any
// case). Requests are not compressed (docs/protocol.md, "Compression").
bool uncompressed_body(std::string_view content_encoding);
// Whether an If-None-Match value matches `etag` (RFC 9110 13.1.2: `*`, or a list holding it,
// weak or strong).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate) for a time in ms since 1970 UTC.
std::string http_date(int64_t ms);

}  // namespace linli::server
