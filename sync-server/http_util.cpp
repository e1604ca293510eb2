// JSON in and out of cpp-httplib.
#include "http_util.h"

#include <httplib.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace linli::server {

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  send_json(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

bool json_nesting_exceeds(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Calls `each` with every element of a comma-separated header value, trimmed.
template <class Each>
void for_each_element(std::string_view list, Each each) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) each(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string media_type(std::string_view content_type) {
  std::string t;
  for (const char c : content_type.substr(0, content_type.find(';')))
    if (!std::isspace(static_cast<unsigned char>(c))) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

bool accepts_gzip(std::string_view accept_encoding) {
  int gzip = -1, any = -1;  // -1: not named; else 0 (q=0, refused) or 1.
  for_each_element(accept_encoding, [&](std::string_view item) {
    const size_t semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    int ok = 1;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      for (;;) {
        const size_t next = params.find(';');
        const std::string_view p = trim(params.substr(0, next));
        if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p.find('=') != std::string_view::npos) {
          const std::string_view v = trim(p.substr(p.find('=') + 1));
          // q is 0 only when every digit is 0 ("0", "0.0", "0.000").
          ok = v.find_first_not_of("0.") != std::string_view::npos ? 1 : 0;
        }
        if (next == std::string_view::npos) break;
        params.remove_prefix(next + 1);
      }
    }
    if (same_ignoring_case(coding, "gzip") || same_ignoring_case(coding, "x-gzip")) gzip = ok;
    else if (coding == "*") any = ok;
  });
  return gzip >= 0 ? gzip == 1 : any == 1;
}

bool uncompressed_body(std::string_view content_encoding) {
  bool plain = true;
  for_each_element(content_encoding, [&](std::string_view coding) {
    if (!same_ignoring_case(trim(coding), "identity")) plain = false;
  });
  return plain;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  bool match = false;
  for_each_element(if_none_match, [&](std::string_view tag) {
    if (tag == "*") match = true;
    if (tag.size() > 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    if (tag == etag) match = true;
  });
  return match;
}

bool check_json_request(const httplib::Request& req, httplib::Response& res) {
  const std::string type = req.get_header_value("Content-Type");
  if (media_type(type) != "application/json") {
    send_error(res, 415, "unsupported_media_type", "send the body as application/json");
    return false;
  }
  if (req.body.size() > kMaxJsonBodyBytes) {
    send_error(res, 413, "too_large", "a JSON body is limited to 8 MiB");
    return false;
  }
  if (json_nesting_exceeds(req.body, kMaxJsonDepth)) {
    send_error(res, 400, "too_deep", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return false;
  }
  return true;
}

std::optional<nlohmann::json> read_json_body(const httplib::Request& req, httplib::Response& res) {
  if (!check_json_request(req, res)) return std::nullopt;
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    send_error(res, 400, "bad_json", "the body is not valid JSON (or not valid UTF-8)");
    return std::nullopt;
  }
  return j;
}

std::string bearer_token(const httplib::Request& req) {
  const std::string h = req.get_header_value("Authorization");
  const size_t space = h.find(' ');
  if (space == std::string::npos || !same_ignoring_case(std::string_view(h).substr(0, space), "Bearer")) return {};
  const size_t token = h.find_first_not_of(' ', space);
  return token == std::string::npos ? std::string() : h.substr(token);
}

std::string http_date(int64_t ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace linli::server
