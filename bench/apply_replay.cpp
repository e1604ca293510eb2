// apply_replay: a first sync's pull answers decoded and applied into a fresh replica, with no
// network, server or browser: the same program natively and in WebAssembly (under Node), so that
// the two can be compared on one machine. The answers are the centre's of a server holding N
// synthetic changes (tickets of ten changes each, as make_ticket_store --server writes), built
// in memory first and not timed; then each is decoded (sync/wire.cpp) and taken by ClientSync
// into a store with page-sink durability, as the browser's, its pages counted and dropped.
// Usage: apply_replay [N] [--limit K]     (N changes, 100000 by default; K per answer, 5000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "store/page_vfs.h"
#include "store/store.h"
#include "sync/calendar_json.h"
#include "sync/client_sync.h"
#include "sync/wire.h"
#include "counting_sink.h"
#include "synthetic.h"

using namespace linli;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int replay(const std::vector<std::string>& answers, long n, int limit, const std::string& path);

int main(int argc, char** argv) {
  long n = 100'000;
  int limit = 5'000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--limit") == 0 && i + 1 < argc) limit = std::atoi(argv[++i]);
    else if (std::atol(argv[i]) > 0) n = std::atol(argv[i]);
    else return std::fprintf(stderr, "usage: apply_replay [N] [--limit K]\n"), 2;
  }
  std::vector<std::string> answers;
  for (long k = 1; k <= n;) {
    PullResponse p;
    p.from = k - 1;
    for (; k <= n && static_cast<long>(p.changes.size()) < limit; ++k)
      p.changes.push_back({bench::synthetic_change(static_cast<uint64_t>(k), 10), k});
    p.next = k - 1;
    p.more = k <= n;
    p.head = n;
    answers.push_back(encode(p));
  }
  // In the temporary folder (in WebAssembly, Emscripten's in-memory /tmp), removed at the end.
  const std::string path = (std::filesystem::temp_directory_path() / "linli-apply-replay.db").string();
  std::filesystem::remove(path);
  const int rc = replay(answers, n, limit, path);
  std::filesystem::remove(path);
  return rc;
}

int replay(const std::vector<std::string>& answers, long n, int limit, const std::string& path) {
  size_t bytes = 0;
  for (const auto& a : answers) bytes += a.size();
  bench::CountingSink sink(true);  // Page numbers only, as the browser's sink gets.
  if (!register_page_vfs("linli-replay-sink", &sink)) return std::fprintf(stderr, "apply_replay: no page VFS\n"), 1;
  // The app's page cache (app/main.cpp: 8,192 pages, 32 MiB).
  auto store = Store::open(path, {.durability = Durability::PageSink, .vfs = "linli-replay-sink", .cache_pages = 8192});
  if (!store) return std::fprintf(stderr, "apply_replay: %s\n", store.error().detail.c_str()), 1;
  if (auto c = store->set_calendar(builtin_calendar()); !c) return std::fprintf(stderr, "apply_replay: %s\n", c.error().detail.c_str()), 1;
  ClientSync client(*store, ReplicaId{0x0de0'0000'0000'0001ull, 0x7ull}, Author{"zhang.bin", Role::Centre});

  double decode_ms = 0, apply_ms = 0, worst_ms = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& text : answers) {
    auto t0 = std::chrono::steady_clock::now();
    auto answer = decode_pull_response(text);
    if (!answer) return std::fprintf(stderr, "apply_replay: %s\n", answer.error().detail.c_str()), 1;
    const double d = ms_since(t0);
    t0 = std::chrono::steady_clock::now();
    auto taken = client.take_pull_response(*answer, bench::kSyntheticBase + n + 1000);
    if (!taken || !*taken) return std::fprintf(stderr, "apply_replay: answer from %lld not taken\n", static_cast<long long>(answer->from)), 1;
    const double a = ms_since(t0);
    decode_ms += d;
    apply_ms += a;
    if (d + a > worst_ms) worst_ms = d + a;
  }
  const double total = ms_since(start);
  std::printf("apply_replay (%s): %ld changes in %zu answers of %d (%.1f MB of JSON)\n",
#ifdef __EMSCRIPTEN__
              "WebAssembly",
#else
              "native",
#endif
              n, answers.size(), limit, static_cast<double>(bytes) / 1e6);
  std::printf("  decode %.0f ms, apply and commit %.0f ms, total %.0f ms: %.0f changes/s; slowest answer %.0f ms\n",
              decode_ms, apply_ms, total, static_cast<double>(n) * 1000.0 / total, worst_ms);
  std::printf("  %lld tickets, %lld commits, %lld pages handed over, file %ju bytes\n",
              static_cast<long long>(*store->count_tickets()), static_cast<long long>(sink.commits),
              static_cast<long long>(sink.pages), static_cast<uintmax_t>(std::filesystem::file_size(path)));
  return 0;
}
