// The sync API over HTTP as a test or the load benchmark calls it: sign in, push, pull, health.
// Thin on purpose: it sends what it is given and hands back httplib's result, so a test can send
// anything, well formed or not. Not for production code (the app has its own client).
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "support/server_process.h"
#include "sync/wire.h"

namespace linli::test {

inline int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class SyncHttp {
 public:
  explicit SyncHttp(int port, int timeout_seconds = 10) : m_http("127.0.0.1", port) {
    m_http.set_connection_timeout(timeout_seconds);
    m_http.set_read_timeout(timeout_seconds + 65);  // A long poll waits up to 60 s.
    m_http.set_write_timeout(timeout_seconds);
  }

  // Signs in; returns the token, or "" when the server said no.
  std::string sign_in(const std::string& user, const std::string& password = "linli-demo") {
    const nlohmann::json body = {{"user", user}, {"password", password}};
    auto r = m_http.Post("/api/v1/login", body.dump(), "application/json");
    if (!r || r->status != 200) return {};
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    return j.is_object() && j["token"].is_string() ? j["token"].get<std::string>() : std::string();
  }

  httplib::Result post(const std::string& path, const std::string& token, const std::string& body,
                       const std::string& type = "application/json") {
    return m_http.Post(path, auth(token), body, type);
  }
  httplib::Result push(const std::string& token, const PushRequest& request) {
    return post("/api/v1/sync/push", token, encode(request));
  }
  httplib::Result get(const std::string& path_and_query, const std::string& token) {
    return m_http.Get(path_and_query, auth(token));
  }
  // `took`: the answer the client took last, as the app names it (-1: not named, as an older app).
  httplib::Result pull(const std::string& token, const ReplicaId& replica, int64_t cursor, int limit, int wait = 0,
                       int64_t took = -1) {
    return get("/api/v1/sync/pull?replica=" + to_hex(replica) + "&cursor=" + std::to_string(cursor) +
                   "&limit=" + std::to_string(limit) + "&wait=" + std::to_string(wait) +
                   (took >= 0 ? "&took=" + std::to_string(took) : std::string()),
               token);
  }
  // The ticket count of GET /healthz, or -1.
  int64_t ticket_count() {
    auto r = m_http.Get("/healthz");
    if (!r || r->status != 200) return -1;
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    return j.is_object() && j["tickets"].is_number_integer() ? j["tickets"].get<int64_t>() : -1;
  }

  httplib::Client& raw() { return m_http; }

 private:
  static httplib::Headers auth(const std::string& token) {
    if (token.empty()) return {};
    return {{"Authorization", "Bearer " + token}};
  }

  httplib::Client m_http;
};

// The arguments that start a server on the database `db`, serving a stub web app from `dir`/web.
inline std::vector<std::string> server_args(const std::filesystem::path& dir, const std::string& db) {
  std::filesystem::create_directories(dir / "web");
  std::ofstream(dir / "web" / "index.html") << "<!doctype html>";
  return {"--db", db, "--web", (dir / "web").string()};
}

// Adds a user to the database `db` with `linli-server user add`; true when it worked.
inline bool add_user(const std::string& db, const std::string& name, const std::string& role,
                     const std::string& scope = "", const std::string& password = "linli-demo") {
  std::vector<std::string> args = {"user", "add", name, "--role", role, "--db", db};
  if (!scope.empty()) args.insert(args.end(), {"--scope", scope});
  return ServerProcess::run(args, password + "\n").first == 0;
}

}  // namespace linli::test
