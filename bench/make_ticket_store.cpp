// make_ticket_store: writes a database of N synthetic tickets, each in the change log as the sync
// protocol would leave it, for the browser benchmarks.
//   make_ticket_store OUT.db N            a browser replica's file (page-sink durability: rollback
//                                         journal, 4 KiB pages) holding N tickets as pulled changes
//                                         (bench/browser_persist.mjs)
//   make_ticket_store --server OUT.db N   a server's file (WAL) holding N changes as pushes leave
//                                         them: tickets of ten changes each, a create and nine notes
//                                         (bench/browser_first_sync.mjs)
//   make_ticket_store --report OUT.db N   a browser replica's file of N tickets received in March
//                                         2026, each with a whole life (bench/browser_report.mjs)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/civil_time.h"
#include "core/ticket.h"
#include "report_store.h"
#include "synthetic.h"
#include "store/store.h"
#include "sync/calendar_json.h"

namespace {

using namespace linli;

constexpr int64_t kBase = bench::kSyntheticBase;

Change change(uint64_t k, int per_ticket) { return bench::synthetic_change(k, per_ticket); }

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--report") == 0) {
    if (auto made = bench::make_report_store(argv[2], std::strtol(argv[3], nullptr, 10)); !made) {
      std::fprintf(stderr, "make_ticket_store: %s\n", made.error().detail.c_str());
      return 1;
    }
    std::printf("%s: %s tickets, %ju bytes\n", argv[2], argv[3], static_cast<uintmax_t>(std::filesystem::file_size(argv[2])));
    return 0;
  }
  const bool server = argc == 4 && std::strcmp(argv[1], "--server") == 0;
  if (argc != 3 && !server) {
    std::fprintf(stderr, "usage: make_ticket_store [--server | --report] OUT.db N\n");
    return 2;
  }
  const std::string out = argv[server ? 2 : 1];
  const long n = std::strtol(argv[server ? 3 : 2], nullptr, 10);
  std::filesystem::remove(out);
  auto store = Store::open(out, {.durability = server ? Durability::Wal : Durability::PageSink, .vfs = nullptr});
  if (!store) {
    std::fprintf(stderr, "make_ticket_store: %s\n", store.error().detail.c_str());
    return 1;
  }
  // A browser replica keeps its deadlines computed with the app's built-in calendar, as one the app
  // has opened does (a server sets its own calendar when it starts).
  if (!server)
    if (auto c = store->set_calendar(builtin_calendar()); !c) {
      std::fprintf(stderr, "make_ticket_store: %s\n", c.error().detail.c_str());
      return 1;
    }
  const int per_ticket = server ? 10 : 1;
  for (uint64_t k = 1; k <= static_cast<uint64_t>(n);) {
    Result<std::vector<ChangeResult>> r = std::vector<ChangeResult>{};
    if (server) {
      std::vector<Change> batch;
      for (; batch.size() < 5000 && k <= static_cast<uint64_t>(n); ++k) batch.push_back(change(k, per_ticket));
      r = store->apply_changes(batch, ApplyMode::Accept, kBase + n + 1000);
    } else {
      std::vector<SequencedChange> batch;
      for (; batch.size() < 5000 && k <= static_cast<uint64_t>(n); ++k)
        batch.push_back({change(k, per_ticket), static_cast<int64_t>(k)});
      r = store->apply_pulled(batch, kBase + n + 1000);
    }
    if (!r) {
      std::fprintf(stderr, "make_ticket_store: %s\n", r.error().detail.c_str());
      return 1;
    }
  }
  std::printf("%s: %ld %s, %ju bytes\n", out.c_str(), n, server ? "changes" : "tickets",
              static_cast<uintmax_t>(std::filesystem::file_size(out)));
  return 0;
}
