// The requests the app makes of the sync server, as plain values: the browser carries them with
// the Emscripten Fetch API (platform/platform_web.cpp), native tests with cpp-httplib. Nothing here
// blocks: an answer comes back through a callback, between frames.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace linli::app {

struct HttpRequest {
  std::string method = "GET";
  std::string path;    // Relative to the app's origin, e.g. "api/v1/sync/pull?...".
  std::string body;    // JSON, sent as application/json when not empty.
  std::string token;   // Sent as "Authorization: Bearer TOKEN" when not empty.
  int timeout_ms = 15000;
  std::string content_type = {};  // The body's type when it is not JSON (a photo's bytes: "image/jpeg").
  // When set, a 200 answer's body is written to this file of the app's file system (replacing it)
  // instead of handed back in `body`, which stays empty: a large download (a first sync's image)
  // goes to where it is read from without passing through memory twice. Other answers come back as usual.
  std::string save_to = {};
};

struct HttpResponse {
  int status = 0;               // 0: no answer (unreachable, timed out, aborted).
  std::string body;
  int retry_after_s = 0;        // From Retry-After, when sent (429).
  int64_t server_time_ms = 0;   // From Date, when sent: the server's clock, to the second.
};

using HttpDone = std::function<void(HttpResponse)>;

// What the sync loop and sign-in need of the world: a way to send, and a clock.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(HttpRequest request, HttpDone done) = 0;
  virtual int64_t now_ms() = 0;
  // A number in [0, 1), for the jitter of back-off.
  virtual double random01() = 0;
  // How many bytes of the body of the request out to `path` have gone so far (a photo's upload
  // progress); -1 when this transport cannot tell or no such request is out.
  virtual int64_t sent_bytes(const std::string& path) {
    (void)path;
    return -1;
  }
  // How many bytes of the answer to the GET out to `path` have come so far, and how many it has
  // (its Content-Length; -1 when not told): a first sync's image on its way. {-1, -1} when this
  // transport cannot tell or no such request is out.
  struct Received {
    int64_t got = -1;
    int64_t total = -1;
  };
  virtual Received received_bytes(const std::string& path) {
    (void)path;
    return {};
  }
};

// The error code of an error answer ({"error": {"code": ...}}), empty if the body is not one.
std::string error_code_of(const std::string& body);
// Its message, for people.
std::string error_message_of(const std::string& body);
// error.expected_counter of a 409 `gap` (0: none).
uint64_t expected_counter_of(const std::string& body);

}  // namespace linli::app
