// What every route handler shares: the options, the stores (each behind its mutex), the static
// files, metrics and rate limits. Route files take a ServerContext&; none keeps state of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "auth.h"
#include "metrics.h"
#include "options.h"
#include "static_files.h"
#include "store/accounts.h"
#include "store/server_state.h"
#include "store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace linli::server {

// Lock order, where a handler needs more than one: store_mutex, then state_mutex, then
// accounts_mutex. Never hold a lock across password hashing or a long-poll wait.
struct ServerContext {
  ServerContext(Options o, Store s, AccountStore a, ServerState st)
      : options(std::move(o)), store(std::move(s)), accounts(std::move(a)), state(std::move(st)),
        files(options.web) {}

  Options options;
  std::mutex store_mutex;  // One connection each, many handler threads.
  Store store;
  std::mutex accounts_mutex;
  AccountStore accounts;
  std::mutex state_mutex;
  ServerState state;
  ReplicaId server_replica;  // The id of changes the server itself authors (official numbers, intake).
  std::condition_variable store_changed;  // Notified (under store_mutex) after each commit: long polls wait on it.
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

// Applies one change the server authors: the id from the server's own replica, the stamp from its
// clock, the author "server" with the centre's role. Takes store_mutex itself and wakes long polls.
Result<ChangeResult> apply_server_change(ServerContext& ctx, Change draft, int64_t now_ms);

void install_auth_routes(httplib::Server& http, ServerContext& ctx);
void install_sync_routes(httplib::Server& http, ServerContext& ctx);
void install_blob_routes(httplib::Server& http, ServerContext& ctx);
void install_intake_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace linli::server
