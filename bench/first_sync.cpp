// first_sync: the app's sync loop (app/client, the code the browser runs) taking a first sync
// natively, against the real linli-server holding N changes (bench/make_ticket_store --server):
// the floor under bench/browser_first_sync.mjs, without WebAssembly, IndexedDB or a browser.
// Usage: first_sync SERVER.db [--page-sink] [--pull-limit N]   (the server is started on a free
// loopback port; N: changes asked for per pull, the app's default when not given)
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "app/test_transport.h"
#include "counting_sink.h"
#include "client/session.h"
#include "client/sync_loop.h"
#include "store/page_vfs.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

using namespace linli;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: first_sync SERVER.db [--page-sink]\n");
    return 2;
  }
  bool page_sink = false;
  int pull_limit = 0;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--page-sink") == 0) page_sink = true;
    else if (std::strcmp(argv[i], "--pull-limit") == 0 && i + 1 < argc) pull_limit = std::atoi(argv[++i]);
    else return std::fprintf(stderr, "first_sync: unknown argument %s\n", argv[i]), 2;
  }
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "web");
  std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
  test::ServerProcess server({"--db", argv[1], "--web", dir.file("web"), "--demo-users"});
  if (server.port() <= 0) return std::fprintf(stderr, "first_sync: the server did not start\n"), 1;

  httplib::Client c("127.0.0.1", server.port());
  auto login = c.Post("/api/v1/login", R"({"user":"zhang.bin","password":"linli-demo"})", "application/json");
  auto session = app::parse_login_answer(login ? login->body : "");
  if (!session) return std::fprintf(stderr, "first_sync: sign-in failed\n"), 1;

  bench::CountingSink sink;
  if (page_sink && !register_page_vfs("linli-bench-sink", &sink)) return 1;
  auto store = Store::open(dir.file("device.db"), page_sink ? StoreOptions{.durability = Durability::PageSink,
                                                                            .vfs = "linli-bench-sink"}
                                                             : StoreOptions{});
  if (!store) return std::fprintf(stderr, "first_sync: %s\n", store.error().detail.c_str()), 1;
  const uint8_t random[16] = {7, 7, 7};
  const ReplicaId self = *app::device_replica(*store, random);
  ClientSync client(*store, self, Author{session->user, session->role});
  test::TestTransport transport(server.port());
  transport.use_clock([] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  });
  app::SyncOptions o;
  o.long_poll_s = 0;
  if (pull_limit > 0) o.pull_limit = pull_limit;
  app::SyncLoop loop(*store, client, transport, session->token, o);

  const auto t0 = std::chrono::steady_clock::now();
  while (!loop.status().caught_up || loop.busy()) {
    loop.tick();
    transport.deliver();
    if (loop.status().link == app::Link::Offline) return std::fprintf(stderr, "first_sync: %s\n", loop.status().problem.c_str()), 1;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int64_t n = loop.status().pulled_this_session;
  std::printf("first sync (native, %s, pulls of %d): %lld changes in %.2f s, %.0f changes/s, %lld tickets",
              page_sink ? "page sink" : "WAL", o.pull_limit, static_cast<long long>(n), s, static_cast<double>(n) / s,
              static_cast<long long>(*store->count_tickets()));
  if (page_sink) std::printf(", %lld commits, %lld pages handed over", static_cast<long long>(sink.commits),
                             static_cast<long long>(sink.pages));
  std::printf("\n");
  return 0;
}
