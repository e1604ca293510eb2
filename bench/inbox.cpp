// The inbox at scale: a replica store with N tickets (default 100,000), and the time of what the
// app asks it while a dispatcher works: the total, the deadline counts, the first page of each
// sort, pages scrolled on after it (keyset), a jump to the middle (offset), and searches.
//   build/dev/bench/inbox [folder] [tickets]
// Prints milliseconds per question (the median of 5 runs); a frame at 60 Hz has 16.7 ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/change.h"
#include "store/store.h"
#include "sync/calendar_json.h"

using namespace linli;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

template <class F>
double median_ms(F&& f) {
  std::vector<double> runs;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    runs.push_back(ms_since(t0));
  }
  std::sort(runs.begin(), runs.end());
  return runs[2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "./bench-inbox-data";
  const int n = argc > 2 ? std::atoi(argv[2]) : 100000;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opened = Store::open(dir + "/inbox.db");
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().detail.c_str());
    return 1;
  }
  Store store = std::move(opened).value();
  if (auto r = store.set_calendar(builtin_calendar()); !r) return 1;

  // Tickets received over the last 60 days, a tenth of them contacted.
  const int64_t now = 1'796'000'000'000;  // 2026-11-30.
  std::mt19937_64 rng(7);
  const char* communities[] = {"河滨花园", "天目西路小区", "中华新路927弄", "普善路小区", "恒丰路", "长安路", "宝山路"};
  const char* words[] = {"垃圾箱满溢", "老鼠出没", "楼道堆物", "噪音扰民", "违法搭建", "路灯不亮", "井盖缺失", "绿化带垃圾"};
  const ReplicaId replica{0x5eed, 1};
  uint64_t counter = 0;
  const auto t_fill = std::chrono::steady_clock::now();
  std::vector<Change> batch;
  for (int i = 0; i < n; ++i) {
    Change c;
    c.id = ChangeId{replica, ++counter};
    const int64_t received = now - static_cast<int64_t>(rng() % (60ull * 86'400'000));
    c.stamp = Hlc{received, 0};
    char id[40];
    std::snprintf(id, sizeof id, "%032x", i + 1);
    c.ticket_id = id;
    c.author = Author{"bench", Role::Centre};
    c.kind = ChangeKind::CreateTicket;
    Ticket& t = c.ticket;
    t.id = id;
    char number[32];
    std::snprintf(number, sizeof number, "临-20261130-%04d", i % 10000);
    t.provisional_number = number;
    t.source = static_cast<Source>(rng() % kSourceCount);
    t.received_at_ms = received;
    t.citizen_name = "王女士";
    t.citizen_phone = "13917261234";
    t.community = communities[rng() % 7];
    t.address = t.community + std::to_string(rng() % 40) + "号";
    t.category = static_cast<Category>(rng() % kCategoryCount);
    t.urgency = rng() % 10 == 0 ? Urgency::Urgent : Urgency::Normal;
    t.title = words[rng() % 8];
    t.description = std::string("市民反映") + words[rng() % 8] + "，请尽快处理。";
    t.created_at_ms = t.updated_at_ms = received;
    batch.push_back(std::move(c));
    if (i % 10 == 0) {
      Change e;
      e.id = ChangeId{replica, ++counter};
      e.stamp = Hlc{received + 3'600'000, 0};
      e.ticket_id = id;
      e.author = Author{"bench", Role::Centre};
      e.kind = ChangeKind::AddEntry;
      e.entry.kind = EntryKind::Contact;
      e.entry.text = "已联系市民";
      batch.push_back(std::move(e));
    }
    if (batch.size() >= 2000 || i + 1 == n) {
      if (auto r = store.apply_changes(batch, ApplyMode::Accept, now); !r) {
        std::fprintf(stderr, "%s\n", r.error().detail.c_str());
        return 1;
      }
      batch.clear();
    }
  }
  std::printf("%d tickets stored in %.1f s (deadlines kept by the fold)\n\n", n, ms_since(t_fill) / 1000);

  InboxFilter none;
  none.now_ms = now;
  std::printf("%-44s %9.2f ms\n", "count, no filter", median_ms([&] { (void)store.inbox_count(none); }));
  std::printf("%-44s %9.2f ms\n", "overdue / due today / unknown counts", median_ms([&] { (void)store.deadline_counts(now); }));
  const char* names[] = {"number", "received", "source", "category", "urgency", "community", "status", "department", "due"};
  for (int s = 0; s < kInboxSortCount; ++s) {
    InboxQuery q;
    q.filter = none;
    q.sort = static_cast<InboxSort>(s);
    q.descending = s != static_cast<int>(InboxSort::Due);
    const double first = median_ms([&] { (void)store.inbox_page(q); });
    // Ten pages scrolled on, each after the last row of the one before.
    const double scroll = median_ms([&] {
      InboxQuery k = q;
      for (int p = 0; p < 10; ++p) {
        auto rows = store.inbox_page(k);
        if (!rows || rows->empty()) break;
        k.after = rows->back().key;
      }
    }) / 10;
    InboxQuery jump = q;
    jump.offset = n / 2;
    const double middle = median_ms([&] { (void)store.inbox_page(jump); });
    std::printf("sort by %-11s first page %7.2f ms   next page %7.2f ms   jump to middle %7.2f ms\n", names[s], first,
                scroll, middle);
  }
  for (const char* text : {"老鼠", "垃圾箱满溢", "临-20261130-0042", "王女士"}) {
    InboxFilter f = none;
    f.text = text;
    InboxQuery q;
    q.filter = f;
    std::printf("search %-22s count %8.2f ms   first page %7.2f ms\n", text, median_ms([&] { (void)store.inbox_count(f); }),
                median_ms([&] { (void)store.inbox_page(q); }));
  }
  InboxFilter overdue = none;
  overdue.overdue = true;
  InboxQuery oq;
  oq.filter = overdue;
  oq.sort = InboxSort::Due;
  oq.descending = false;
  std::printf("%-44s %9.2f ms\n", "overdue filter, first page by due", median_ms([&] { (void)store.inbox_page(oq); }));
  return 0;
}
