// The inbox at scale: a replica store with N tickets (default 100,000) in realistic states, and the
// time of what the app asks it when a dispatcher changes a filter, a sort or a search (the true
// count, then the first page), scrolls on (the page after the last row, keyset) or jumps.
//   build/dev/bench/inbox [folder] [tickets] [--runs R] [--plans] [--keep]
// Prints one line per (filter x sort), (search x sort) and (search x filter) case: the rows that
// match, then of R runs (default 15) of "show" and of "next page" the CPU time p50 / p95 and the
// wall-clock p50, in ms; --plans adds SQLite's plan of each first page; --keep reuses the folder's
// store when there is one. A frame at 60 Hz has 16.7 ms; the goal is 30 ms per change.
#include <sqlite3.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
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

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Thread CPU time p50 and p95, and the wall-clock p50: on a machine shared with other work the wall
// clock counts the time this thread waited for a core, the CPU time only what the question cost.
struct Spread {
  double p50, p95, wall50;
};

template <class F>
Spread time_ms(int runs, F&& f) {
  std::vector<double> v, w;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_ms();
    f();
    v.push_back(cpu_ms() - c0);
    w.push_back(ms_since(t0));
  }
  std::sort(v.begin(), v.end());
  std::sort(w.begin(), w.end());
  const auto at = [&](const std::vector<double>& x, double q) {
    return x[std::min(x.size() - 1, static_cast<size_t>(q * static_cast<double>(x.size())))];
  };
  return {at(v, 0.5), at(v, 0.95), at(w, 0.5)};
}

const char* kCommunities[] = {"河滨花园", "天目西路小区", "中华新路927弄", "普善路小区", "恒丰路", "长安路", "宝山路"};
const char* kWords[] = {"垃圾箱满溢", "老鼠出没", "楼道堆物", "夜间噪音扰民", "违法搭建", "路灯不亮", "井盖缺失",
                        "绿化带垃圾", "共享单车乱停", "油烟扰民", "下水道堵塞", "外墙脱落", "电梯故障",
                        "群租", "占道经营", "犬只扰民", "空调滴水", "楼顶漏水", "消防通道堵塞", "小广告",
                        "树木遮挡", "积水", "工地施工", "废品回收站", "棋牌室噪声", "口罩发放", "外来人员登记",
                        "快递点设置", "装修扰民", "停车收费", "污水外溢", "蚊虫滋生", "违规养禽", "无证摊贩",
                        "窨井异味", "道路破损", "噪音", "围墙倒塌", "屋顶渗水", "流浪猫"};
const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高"};

// N tickets received over the last 60 days, as pulled changes (a create, a tenth contacted), then
// spread over the states a working street has by writing the columns the inbox reads directly:
// statuses, lead departments, co-handlers, conflicts, warnings, a few deleted.
bool fill(const std::string& path, int n, int64_t now) {
  {
    auto opened = Store::open(path);
    if (!opened) return std::fprintf(stderr, "%s\n", opened.error().detail.c_str()), false;
    Store store = std::move(opened).value();
    if (!store.set_calendar(builtin_calendar())) return false;
    std::mt19937_64 rng(7);
    const ReplicaId replica{0x5eed, 1};
    uint64_t counter = 0;
    std::vector<Change> batch;
    const size_t words = std::size(kWords);
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
      t.citizen_name = std::string(kSurnames[rng() % std::size(kSurnames)]) + (rng() % 2 ? "女士" : "先生");
      t.citizen_phone = "139" + std::to_string(10'000'000 + rng() % 90'000'000);
      t.community = kCommunities[rng() % std::size(kCommunities)];
      t.address = t.community + std::to_string(rng() % 40 + 1) + "号";
      t.category = static_cast<Category>(rng() % kCategoryCount);
      t.urgency = rng() % 10 == 0 ? Urgency::Urgent : Urgency::Normal;
      t.title = kWords[rng() % words];
      t.description = std::string("市民反映") + t.address + kWords[rng() % words] + "，请尽快处理。";
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
        if (auto r = store.apply_changes(batch, ApplyMode::Accept, now); !r)
          return std::fprintf(stderr, "%s\n", r.error().detail.c_str()), false;
        batch.clear();
      }
    }
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return false;
  // Out of every 100 rows: 10 received, 10 contacted, 20 assigned, 20 in progress, 1 in review,
  // 10 handled, 8 visited, 21 closed; departments from assigned on, no deadline once handled.
  const char* spread = R"sql(
BEGIN;
UPDATE tickets SET status = CASE
  WHEN rowid % 100 < 10 THEN 'received' WHEN rowid % 100 < 20 THEN 'contacted'
  WHEN rowid % 100 < 40 THEN 'assigned' WHEN rowid % 100 < 60 THEN 'in_progress'
  WHEN rowid % 100 < 61 THEN 'review' WHEN rowid % 100 < 71 THEN 'handled'
  WHEN rowid % 100 < 79 THEN 'visited' ELSE 'closed' END;
UPDATE tickets SET lead_department = CASE rowid % 5 WHEN 0 THEN '管理办' WHEN 1 THEN '党群办'
  WHEN 2 THEN '市场监管所' WHEN 3 THEN '房管办' ELSE '除害站' END WHERE rowid % 100 >= 20;
UPDATE tickets SET due_at = 0, due_stage = '' WHERE rowid % 100 >= 61;
UPDATE tickets SET warning = 1 WHERE rowid % 100 BETWEEN 40 AND 59 AND rowid % 7 = 0;
UPDATE tickets SET deleted = 1 WHERE rowid % 211 = 0;
INSERT INTO ticket_co_handlers (ticket_id, added, department, state, added_at, replied_at)
  SELECT id, printf('%032x', rowid), '房管办', CASE WHEN rowid % 3 = 0 THEN 'replied' ELSE 'pending' END,
         received_at, 0 FROM tickets WHERE rowid % 100 BETWEEN 20 AND 59 AND rowid % 17 = 0 AND rowid % 5 <> 3;
INSERT INTO conflicts (cause, ticket_id, kind, loser, winner, subject, value, reason)
  SELECT printf('%032x', rowid), id, 'field', '', '', 'title', '', 'bench' FROM tickets WHERE rowid % 293 = 0;
COMMIT;
)sql";
  char* err = nullptr;
  const bool ok = sqlite3_exec(db, spread, nullptr, nullptr, &err) == SQLITE_OK;
  if (!ok) std::fprintf(stderr, "spread: %s\n", err);
  sqlite3_free(err);
  sqlite3_close(db);
  return ok;
}

struct Named {
  const char* name;
  InboxFilter filter;
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "./bench-inbox-data";
  int n = 100000, runs = 15;
  bool plans = false, keep = false;
  for (int i = 1, positional = 0; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--plans")) plans = true;
    else if (!std::strcmp(argv[i], "--keep")) keep = true;
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (positional++ == 0) dir = argv[i];
    else n = std::atoi(argv[i]);
  }
  const std::string path = dir + "/inbox.db";
  const int64_t now = 1'796'000'000'000;  // 2026-11-30.
  const auto t_fill = std::chrono::steady_clock::now();
  if (!keep || !std::filesystem::exists(path)) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    if (!fill(path, n, now)) return 1;
  }
  auto opened = Store::open(path);
  if (!opened) return std::fprintf(stderr, "%s\n", opened.error().detail.c_str()), 1;
  Store store = std::move(opened).value();
  if (!store.set_calendar(builtin_calendar())) return 1;
  std::printf("%d tickets stored in %.1f s (%.1f MB); %d runs per case, p50 / p95 ms\n", n, ms_since(t_fill) / 1000,
              static_cast<double>(std::filesystem::file_size(path)) / 1e6, runs);

  InboxFilter none;
  none.now_ms = now;
  std::vector<Named> filters;
  const auto add = [&](const char* name, auto set) {
    InboxFilter f = none;
    set(f);
    filters.push_back({name, f});
  };
  add("none", [](InboxFilter&) {});
  add("status in progress", [](InboxFilter& f) { f.status = TicketStatus::InProgress; });
  add("status in review", [](InboxFilter& f) { f.status = TicketStatus::Review; });
  add("category noise", [](InboxFilter& f) { f.category = Category::Noise; });
  add("community 河滨花园", [](InboxFilter& f) { f.community = "河滨花园"; });
  add("source walk-in", [](InboxFilter& f) { f.source = Source::WalkIn; });
  add("urgent", [](InboxFilter& f) { f.urgency = Urgency::Urgent; });
  add("overdue", [](InboxFilter& f) { f.overdue = true; });
  add("due today", [](InboxFilter& f) { f.due_today = true; });
  add("mine (房管办)", [](InboxFilter& f) { f.lead_department = "房管办"; });
  add("needs review", [](InboxFilter& f) { f.needs_review = true; });
  add("warning", [](InboxFilter& f) { f.warning = true; });
  add("河滨花园 + in progress", [](InboxFilter& f) {
    f.community = "河滨花园";
    f.status = TicketStatus::InProgress;
  });
  const char* searches[] = {"",       "垃圾箱满溢", "夜间噪音", "噪音", "井", "无此内容", "火警",
                            "0042",   "王女士",     "1391726"};
  const char* sorts[] = {"number", "received", "source", "category", "urgency", "community", "status", "department", "due"};

  double worst = 0;
  int over = 0, cases = 0;
  const auto run_case = [&](const char* filter, const char* search, const InboxFilter& f, int s) {
    InboxQuery q;
    q.filter = f;
    q.sort = static_cast<InboxSort>(s);
    q.descending = q.sort != InboxSort::Due;
    int64_t rows = 0;
    std::vector<InboxRow> first;
    // Show: what a change of filter, sort or search costs: the true count, then the first page.
    // Each run finds a search's matches afresh, as a dispatcher's new search does.
    const Spread show = time_ms(runs, [&] {
      store.forget_search_hits();
      rows = store.inbox_count(f).value();
      InboxQuery k = q;
      k.rows_expected = rows;
      first = store.inbox_page(k).value();
    });
    Spread next{0, 0, 0};
    if (!first.empty() && static_cast<int64_t>(first.size()) < rows) {
      InboxQuery k = q;
      k.rows_expected = rows;
      k.after = first.back().key;
      next = time_ms(runs, [&] { (void)store.inbox_page(k).value(); });
    }
    std::printf("%-24s %-12s %-10s %7lld   show %6.2f %6.2f (%6.2f)   next %6.2f %6.2f (%6.2f)\n", filter, search,
                sorts[s], static_cast<long long>(rows), show.p50, show.p95, show.wall50, next.p50, next.p95, next.wall50);
    if (plans) {
      InboxQuery k = q;
      k.rows_expected = rows;
      const auto plan = store.inbox_plan(k, rows);
      for (const std::string& line : plan.value()) std::printf("      plan: %s\n", line.c_str());
    }
    worst = std::max({worst, show.p95, next.p95});
    over += (show.p95 > 30) + (next.p95 > 30);
    cases += 1;
  };
  std::printf("\n%-24s %-12s %-10s %7s   %-28s %-28s\n", "filter", "search", "sort", "rows", "show cpu p50 p95 (wall p50)",
              "next cpu p50 p95 (wall p50)");
  for (const Named& f : filters)
    for (int s = 0; s < kInboxSortCount; ++s) run_case(f.name, "-", f.filter, s);
  for (const char* text : searches) {
    if (!*text) continue;
    for (int s = 0; s < kInboxSortCount; ++s) {
      InboxFilter f = none;
      f.text = text;
      run_case("none", text, f, s);
    }
  }
  for (const char* text : searches) {
    if (!*text) continue;
    for (const Named& named : filters) {
      if (!std::strcmp(named.name, "none")) continue;
      InboxFilter f = named.filter;
      f.text = text;
      run_case(named.name, text, f, static_cast<int>(InboxSort::Received));
    }
  }
  std::printf("\n%d cases; worst CPU p95 %.2f ms; %d of %d CPU p95s over 30 ms\n\n", cases, worst, over, cases * 2);

  const Spread counts = time_ms(runs, [&] { (void)store.deadline_counts(now).value(); });
  std::printf("%-52s %6.2f %6.2f (%6.2f)\n", "overdue / due today / unknown / warning counts", counts.p50, counts.p95,
              counts.wall50);
  for (int s = 0; s < kInboxSortCount; ++s) {
    InboxQuery jump;
    jump.filter = none;
    jump.sort = static_cast<InboxSort>(s);
    jump.offset = n / 2;
    const Spread j = time_ms(runs, [&] { (void)store.inbox_page(jump).value(); });
    std::printf("jump to the middle (offset %d), by %-11s %6.2f %6.2f (%6.2f)\n", n / 2, sorts[s], j.p50, j.p95, j.wall50);
  }
  return 0;
}
