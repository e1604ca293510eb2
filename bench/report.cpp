// The monthly report over N tickets received in one month (issue 12; goal: under 200 ms), natively:
// as the server computes it (the store reader with the caller's scope, here a committee's and the
// centre's) and as the app computes it over its replica (no scope). Prints p50 / p95 of several
// runs; not a test. The browser's figure is bench/browser_report.mjs.
// Usage: report [N=100000] [RUNS=7] [DB]   (DB kept if given and present: made once, read often)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "policy/write_policy.h"
#include "report/store_reader.h"
#include "report_store.h"
#include "sync/calendar_json.h"

using namespace linli;

namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

void run(Store& store, const char* name, const std::function<bool(const TicketState&)>& keep, int runs) {
  std::vector<double> times;
  int received = 0;
  for (int i = 0; i < runs; ++i) {
    const auto t = std::chrono::steady_clock::now();
    report::StoreTicketReader reader(store, keep);
    auto r = report::monthly_report(reader, 2026, 3, builtin_calendar(), 1'800'000'000'000);
    times.push_back(ms_since(t));
    if (!r) {
      std::fprintf(stderr, "report: %s\n", r.error().detail.c_str());
      std::exit(1);
    }
    received = r->received;
  }
  std::sort(times.begin(), times.end());
  const auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<size_t>(q * static_cast<double>(times.size())))]; };
  std::printf("%-34s %7d tickets  p50 %8.1f ms  p95 %8.1f ms  (%d runs)\n", name, received, at(0.5), at(0.95), runs);
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
  run(*store, "app (replica, no scope)", {}, runs);
  const Actor centre{Role::Centre, ""}, committee{Role::Committee, "河滨花园"};
  run(*store, "server, centre's scope", [&](const TicketState& s) { return may_see(centre, s); }, runs);
  run(*store, "server, a committee's scope", [&](const TicketState& s) { return may_see(committee, s); }, runs);
  return 0;
}
