// The monthly report over N tickets received in one month (issue 12; goal: under 200 ms), natively:
// as the server computes it (the store reader with the caller's scope, here a committee's and the
// centre's) and as the app computes it over its replica (no scope); each with the rows' report
// tally (StoreTicketReader) and, in the same run, folding every ticket's log again as the report
// did before the tally (FoldingTicketReader), the two reports compared equal. Prints p50 / p95 of
// several runs; not a test. The browser's figure is bench/browser_report.mjs.
// Usage: report [N=100000] [RUNS=7] [DB] [FOLD_RUNS=3]   (DB kept if given and present; FOLD_RUNS 0:
// the tally reader alone)
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "policy/write_policy.h"
#include "report/csv.h"
#include "report/store_reader.h"
#include "report_store.h"
#include "sync/calendar_json.h"

using namespace linli;

namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

struct Timed {
  report::MonthlyReport report;
  double p50 = 0, p95 = 0, cpu50 = 0;  // Wall time; this process's CPU time (the machine is shared).
};

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1000 + static_cast<double>(t.tv_nsec) / 1e6;
}

template <class Reader>
Timed run(Store& store, const report::TicketScope& keep, int runs) {
  std::vector<double> times, cpu;
  Timed out;
  for (int i = 0; i < runs; ++i) {
    const double c = cpu_ms();
    const auto t = std::chrono::steady_clock::now();
    Reader reader(store, keep);
    auto r = report::monthly_report(reader, 2026, 3, builtin_calendar(), 1'800'000'000'000);
    times.push_back(ms_since(t));
    cpu.push_back(cpu_ms() - c);
    if (!r) {
      std::fprintf(stderr, "report: %s\n", r.error().detail.c_str());
      std::exit(1);
    }
    out.report = std::move(r).value();
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  out.cpu50 = cpu[cpu.size() / 2];
  const auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<size_t>(q * static_cast<double>(times.size())))]; };
  out.p50 = at(0.5);
  out.p95 = at(0.95);
  return out;
}

void print(const char* name, const char* how, const Timed& t, int runs) {
  std::printf("%-30s %-6s %7d tickets %6zu overdue  p50 %8.1f ms  p95 %8.1f ms  cpu p50 %8.1f ms  (%d runs)\n",
              name, how, t.report.received, t.report.overdue.size(), t.p50, t.p95, t.cpu50, runs);
}

// Both ways over one scope: the tally's figure, the fold's, their ratio; the reports must agree.
void compare(Store& store, const char* name, const report::TicketScope& keep, int runs, int fold_runs) {
  const Timed tally = run<report::StoreTicketReader>(store, keep, runs);
  print(name, "tally", tally, runs);
  if (fold_runs <= 0) return;
  const Timed fold = run<report::FoldingTicketReader>(store, keep, fold_runs);
  print(name, "fold", fold, fold_runs);
  const bool same = report::encode_monthly_csv(tally.report) == report::encode_monthly_csv(fold.report) &&
                    tally.report.days == fold.report.days && tally.report.previous == fold.report.previous;
  std::printf("%-30s %-6s %.0fx faster (p50), %.0fx less cpu, reports %s\n", name, "ratio", fold.p50 / tally.p50,
              fold.cpu50 / tally.cpu50, same ? "equal" : "DIFFER");
  if (!same) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
  const std::string db = argc > 3 ? argv[3] : (std::filesystem::temp_directory_path() / "linli-bench-report.db").string();
  if (argc <= 3 || !std::filesystem::exists(db)) {
    const auto t = std::chrono::steady_clock::now();
    if (auto made = bench::make_report_store(db, n); !made) {
      std::fprintf(stderr, "report: %s\n", made.error().detail.c_str());
      return 1;
    }
    std::printf("made %s: %ld tickets in March 2026, %ju bytes, %.1f s\n", db.c_str(), n,
                static_cast<uintmax_t>(std::filesystem::file_size(db)), ms_since(t) / 1000);
  }
  auto store = Store::open(db, {.durability = Durability::PageSink, .vfs = nullptr});
  if (!store) {
    std::fprintf(stderr, "report: %s\n", store.error().detail.c_str());
    return 1;
  }
  const int fold_runs = argc > 4 ? std::atoi(argv[4]) : 3;
  compare(*store, "app (replica, no scope)", {}, runs, fold_runs);
  const Actor centre{Role::Centre, ""}, committee{Role::Committee, "河滨花园"}, department{Role::Department, "平安办"};
  compare(*store, "server, centre's scope", [&](const TicketState& s) { return may_see(centre, s); }, runs, fold_runs);
  compare(*store, "server, a committee's scope", [&](const TicketState& s) { return may_see(committee, s); }, runs,
          fold_runs);
  compare(*store, "server, a department's scope", [&](const TicketState& s) { return may_see(department, s); }, runs,
          fold_runs);
  return 0;
}
