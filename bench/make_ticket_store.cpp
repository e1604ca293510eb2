// make_ticket_store: writes a browser-format replica database (page-sink durability: rollback
// journal, 4 KiB pages) holding N synthetic tickets, for bench/browser_persist.mjs.
// Usage: make_ticket_store OUT.db N
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/ticket.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using namespace linli;
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_ticket_store OUT.db N\n");
    return 2;
  }
  const std::string out = argv[1];
  const long n = std::strtol(argv[2], nullptr, 10);
  std::filesystem::remove(out);
  auto store = Store::open(out, {.durability = Durability::PageSink, .vfs = nullptr});
  if (!store) {
    std::fprintf(stderr, "make_ticket_store: %s\n", store.error().detail.c_str());
    return 1;
  }
  constexpr const char* kCommunities[] = {"河滨花园", "中华新路927弄", "天目西路小区", "普善路小区", "长安路"};
  const int64_t base = 1'795'900'000'000;
  std::vector<Ticket> batch;
  for (long i = 1; i <= n; ++i) {
    Ticket t;
    char id[33];
    std::snprintf(id, sizeof id, "%032lx", static_cast<unsigned long>(i) * 2654435761ul);
    t.id = id;
    t.provisional_number = format_provisional_number(shanghai_yyyymmdd(base), static_cast<int>(i % 10000));
    t.source = static_cast<Source>(i % kSourceCount);
    t.received_at_ms = base - i * 60'000;
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
    batch.push_back(std::move(t));
    if (batch.size() == 5000 || i == n) {
      if (auto r = store->create_tickets(batch); !r) {
        std::fprintf(stderr, "make_ticket_store: %s\n", r.error().detail.c_str());
        return 1;
      }
      batch.clear();
    }
  }
  std::printf("%s: %ld tickets, %ju bytes\n", out.c_str(), n,
              static_cast<uintmax_t>(std::filesystem::file_size(out)));
  return 0;
}
