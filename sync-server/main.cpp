// linli-server: parses options, opens the store, serves until SIGINT or SIGTERM.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "cli.h"
#include "options.h"
#include "server.h"

int main(int argc, char** argv) {
  using namespace linli::server;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (int code = 0; run_command(args, code)) return code;
  auto options = parse_options(args);
  if (!options) {
    std::fprintf(stderr, "linli-server: %s\n", options.error().detail.c_str());
    return 2;
  }
  if (options->help) {
    std::fputs(usage(), stdout);
    return 0;
  }

  // glibc gives threads up to 8 malloc arenas per core, each keeping what it freed: with hundreds
  // of request threads building answers that is tens of MiB held idle. Two arenas are plenty here.
  mallopt(M_ARENA_MAX, 2);

  // Block the stop signals in every thread; one thread waits for them and stops the server.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto server = Server::create(*options);
  if (!server) {
    std::fprintf(stderr, "linli-server: %s\n", server.error().detail.c_str());
    return 1;
  }
  auto port = (*server)->bind();
  if (!port) {
    std::fprintf(stderr, "linli-server: %s\n", port.error().detail.c_str());
    return 1;
  }

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (sig == SIGINT || sig == SIGTERM) std::fprintf(stderr, "linli-server: stopping (signal %d)\n", sig);
    (*server)->stop();
  });
  std::printf("listening on http://%s:%d\n", options->host.c_str(), *port);
  std::fflush(stdout);
  (*server)->run();
  // The server may stop for its own reasons; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fprintf(stderr, "linli-server: stopped\n");
  return 0;
}
