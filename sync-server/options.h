// Command-line options of linli-server, with environment fallbacks. Parsing only: no side effects.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace linli::server {

struct Options {
  std::string host = "127.0.0.1";  // LINLI_HOST. Loopback unless told otherwise.
  int port = 8080;                 // LINLI_PORT. 0 picks a free port (printed at start).
  std::string db = "var/linli.db"; // LINLI_DB.
  std::string web = "web";         // LINLI_WEB: the folder of the built web app.
  int workers = 1024;              // LINLI_WORKERS: request threads. cpp-httplib gives each open
                                   // connection a thread while it lives, and a long poll holds one:
                                   // size it above the number of devices that sync at once.
  int token_hours = 168;           // LINLI_TOKEN_HOURS: how long a sign-in lasts (a week of shifts).
  // LINLI_IMAGE_FROM: a new replica's first sync comes as a store built here (GET /sync/image) once
  // the log holds at least this many changes; below, the replica pulls.
  int64_t image_from = 20000;
  int kept_answers = 16;           // LINLI_KEPT_ANSWERS: pending pull answers kept per scoped replica
                                   // (ServerState::record_answer); tests make it small to make
                                   // replicas start over.
  int feed_kib = 4096;             // LINLI_FEED_KIB: the newest changes kept encoded in memory for pulls
                                   // (ChangeFeed); tests make it small so that pulls read the log.
  std::string blobs;               // LINLI_BLOBS: the photo folder; by default the db's folder + "/blobs".
  std::string intake_key_file;     // LINLI_INTAKE_KEY_FILE: hotline API keys, one a line; empty: intake off.
  bool seed_demo = false;          // --seed-demo: add the demo street and the demo users if absent.
  bool demo_users = false;         // --demo-users: add only the demo users if absent (for tests).
  bool help = false;
};

// argv without the program name; env is read through getenv.
Result<Options> parse_options(const std::vector<std::string>& args);
const char* usage();

}  // namespace linli::server
