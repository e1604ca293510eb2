// What every route handler shares: the options, the stores (each behind its mutex), the static
// files, metrics and rate limits. Route files take a ServerContext&; none keeps state of its own.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "auth.h"
#include "metrics.h"
#include "options.h"
#include "static_files.h"
#include "store/accounts.h"
#include "store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace linli::server {

struct ServerContext {
  ServerContext(Options o, Store s, AccountStore a)
      : options(std::move(o)), store(std::move(s)), accounts(std::move(a)), files(options.web) {}

  Options options;
  std::mutex store_mutex;  // One connection each, many handler threads.
  Store store;
  std::mutex accounts_mutex;
  AccountStore accounts;
  StaticFiles files;
  Metrics metrics;
  // Failed logins: 20 per address and 5 per user name in 5 minutes, then 429 until the oldest ages out.
  RateLimiter login_by_address{20, std::chrono::minutes(5)};
  RateLimiter login_by_user{5, std::chrono::minutes(5)};
  // Checked against when a user is unknown, so a wrong name costs what a wrong password costs.
  std::string dummy_hash;
};

int64_t now_ms();

// The signed-in user of a request, or nullopt after answering 401 itself.
std::optional<User> authenticate(ServerContext& ctx, const httplib::Request& req, httplib::Response& res);

void install_auth_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace linli::server
