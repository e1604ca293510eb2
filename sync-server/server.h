// The HTTP server: routes, the store it serves from, and its life (start, stop).
// Handlers are short: decode, call shared/, encode.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "options.h"
#include "static_files.h"
#include "store/store.h"

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
  Server(Options options, Store store);
  void install_routes();

  Options m_options;
  std::mutex m_store_mutex;  // One connection, many handler threads.
  Store m_store;
  StaticFiles m_files;
  std::unique_ptr<httplib::Server> m_http;
};

}  // namespace linli::server
