// A search in the inbox of a large replica store, as the app asks it: the true count, the first
// page newest first, then the first page by number. Over a store written by
// `make_ticket_store --report N` (the store bench/browser_inbox.mjs opens), so the native figures
// sit beside the browser's. Each search finds its matches afresh (a new word typed).
//   build/dev/bench/inbox_search STORE [--runs R]      (R rounds, default 3; opens STORE and
//   migrates it to this build's schema: give it a copy)
// Wall-clock ms per search, one line each.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "store/store.h"

using namespace linli;

namespace {
double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s STORE [--runs R]\n", argv[0]);
    return 2;
  }
  int runs = 3;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[i + 1]);
  auto store = Store::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message().c_str());
    return 1;
  }
  // Words of a sixth of the street, a spread word, a day's numbers (matches together, far from
  // the newest), and a number of no ticket.
  const char* words[] = {"宝山路", "中华新路", "927弄", "河滨", "30号", "20260302", "20260330", "20260302-1"};
  std::printf("%-12s %7s %10s %10s %10s   (ms, wall clock)\n", "search", "rows", "count", "page", "by number");
  for (int round = 0; round < runs; ++round) {
    for (const char* w : words) {
      InboxFilter f;
      f.text = w;
      store->forget_search_hits();
      const double t0 = now_ms();
      auto n = store->inbox_count(f);
      const double t1 = now_ms();
      if (!n) return std::fprintf(stderr, "%s\n", n.error().message().c_str()), 1;
      InboxQuery q;
      q.filter = f;
      q.rows_expected = *n;
      q.limit = 60;
      auto first = store->inbox_page(q);
      const double t2 = now_ms();
      q.sort = InboxSort::Number;
      auto by_number = store->inbox_page(q);
      const double t3 = now_ms();
      if (!first || !by_number) return std::fprintf(stderr, "a page failed\n"), 1;
      std::printf("%-12s %7lld %10.2f %10.2f %10.2f\n", w, static_cast<long long>(*n), t1 - t0, t2 - t1, t3 - t2);
    }
  }
  return 0;
}
