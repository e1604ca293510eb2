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
#include "store/store.h"
#include "sync/calendar_json.h"

namespace {

using namespace linli;

constexpr int64_t kBase = 1'795'900'000'000;
constexpr const char* kCommunities[] = {"河滨花园", "中华新路927弄", "天目西路小区", "普善路小区", "长安路"};

Ticket ticket(long i) {
  Ticket t;
  char id[33];
  std::snprintf(id, sizeof id, "%032lx", static_cast<unsigned long>(i) * 2654435761ul);
  t.id = id;
  t.provisional_number = format_provisional_number(shanghai_yyyymmdd(kBase), static_cast<int>(i % 10000));
  t.source = static_cast<Source>(i % kSourceCount);
  t.received_at_ms = kBase - i * 60'000;
  t.citizen_name = "居民" + std::to_string(i);
  t.citizen_phone = "139" + std::to_string(10'000'000 + i % 90'000'000);
  t.community = kCommunities[i % 5];
  t.address = t.community + std::to_string(i % 40 + 1) + "号楼";
  t.category = static_cast<Category>(i % kCategoryCount);
  t.urgency = i % 7 == 0 ? Urgency::Urgent : Urgency::Normal;
  t.title = "第" + std::to_string(i) + "号工单：垃圾箱满溢，请及时清运";
  t.description = "居民反映楼下垃圾箱满溢已两天，气味很大，请尽快清运并加强巡查。";
  t.created_at_ms = t.received_at_ms;
  t.updated_at_ms = t.received_at_ms;
  return t;
}

// The change number `k` (from 1) of a log where every ticket has `per_ticket` changes.
Change change(uint64_t k, int per_ticket) {
  const ReplicaId author_device{0x5eed'0000'0000'0001ull, 0x0000'0000'0000'0999ull};
  const long t = static_cast<long>((k - 1) / static_cast<uint64_t>(per_ticket)) + 1;
  Change c;
  c.id = ChangeId{author_device, k};
  c.stamp = Hlc{kBase + static_cast<int64_t>(k), 0};
  c.author = Author{"zhang.bin", Role::Centre};
  c.ticket_id = ticket(t).id;
  if ((k - 1) % static_cast<uint64_t>(per_ticket) == 0) {
    c.kind = ChangeKind::CreateTicket;
    c.ticket = ticket(t);
  } else {
    c.kind = ChangeKind::AddEntry;
    c.entry.kind = EntryKind::HandlingNote;
    c.entry.text = "第" + std::to_string(k) + "条处置记录：已现场查看，继续跟进。";
  }
  return c;
}

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
