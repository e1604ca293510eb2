// The HTTP server: its life (create, bind, run, stop) and the routes it installs.
// Handlers are short: decode, call shared/, encode. They live in routes_*.cpp.
#pragma once

#include <memory>
#include <string>

#include "context.h"
#include "core/result.h"

namespace httplib {
class Server;
}

namespace linli::server {

class Server {
 public:
  // Opens the database (creating and migrating it) and sets up the routes. Does not listen yet.
  static Result<std::unique_ptr<Server>> create(const Options& options);
  ~Server();

  // Binds the port (0 picks one); returns the port bound.
  Result<int> bind();
  // Serves until stop(); returns when every connection is done.
  void run();
  // Safe from any thread.
  void stop();

 private:
  explicit Server(std::unique_ptr<ServerContext> ctx);
  void install_routes();

  std::unique_ptr<ServerContext> m_ctx;
  std::unique_ptr<httplib::Server> m_http;
  int m_listen_socket = -1;  // Seen as httplib makes it, to widen its accept queue (see bind).
};

// Demo accounts for `make run` (password "linli-demo"): the centre, and every committee,
// department and field team that handles tickets of the demo street. Added only if absent.
Result<int> seed_demo_users(AccountStore& accounts, int64_t now_ms);

}  // namespace linli::server
