// bench/merge: how fast the server folds pushed field changes into an on-disk WAL database, how
// cheap a duplicate is, and SQLite's raw single-row insert rate on the same disk in the same run.
// A program, not a test: it prints figures and never fails on them.
// Usage: merge [folder] [tickets] [divisor] [server|replica]   (whose store: the server's by default)
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "store/store.h"

namespace {

using namespace linli;
using Clock = std::chrono::steady_clock;

constexpr int64_t kNow = 1'772'000'000'000;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string ticket_id(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", n + 1);
  return buf;
}

Ticket make_ticket(const std::string& id) {
  Ticket t;
  t.id = id;
  t.provisional_number = "临-20260301-0001";
  t.received_at_ms = kNow;
  t.citizen_name = "王女士";
  t.citizen_phone = "13917261234";
  t.community = "河滨花园";
  t.address = "中华新路927弄";
  t.category = Category::HoardingRefuse;
  t.title = "楼道堆物";
  t.description = "三楼楼道堆满杂物，影响通行。";
  return t;
}

// Makes one replica's changes: gap-free counters, rising stamps, bases as the replica saw them.
class ChangeMaker {
 public:
  explicit ChangeMaker(uint64_t n) : m_replica{0xbe9c'0000'0000'0000ull + n, n} {}
  Change create(const std::string& ticket) {
    Change c = next(ticket, ChangeKind::CreateTicket);
    c.ticket = make_ticket(ticket);
    return c;
  }
  Change set(const std::string& ticket, EditableField f, std::string value, ChangeId base) {
    Change c = next(ticket, ChangeKind::SetField);
    c.field = f;
    c.value = std::move(value);
    c.base = base;
    return c;
  }

 private:
  Change next(const std::string& ticket, ChangeKind kind) {
    Change c;
    c.id = ChangeId{m_replica, ++m_counter};
    c.stamp = m_clock.now(kNow);
    c.ticket_id = ticket;
    c.author = linli::Author{"值班员甲", Role::Centre};
    c.kind = kind;
    return c;
  }
  ReplicaId m_replica;
  uint64_t m_counter = 0;
  HlcClock m_clock;
};

// Field changes in batches: urgency, category, lead department and citizen name in turn, on
// random tickets, each based on the version before it (so R2 applies, as in the common case).
std::vector<std::vector<Change>> field_batches(ChangeMaker& a, int tickets, int batch, int total, std::mt19937& rng) {
  static const EditableField kFields[] = {EditableField::Urgency, EditableField::Category,
                                          EditableField::LeadDepartment, EditableField::CitizenName};
  static std::vector<ChangeId> versions;  // Per (ticket, field): the last change that set it.
  versions.resize(static_cast<size_t>(tickets) * 4);
  std::vector<std::vector<Change>> out(static_cast<size_t>(total / batch));
  for (auto& b : out) {
    for (int i = 0; i < batch; ++i) {
      const int t = static_cast<int>(rng() % static_cast<unsigned>(tickets));
      const int f = static_cast<int>(rng() % 4);
      std::string value;
      switch (kFields[f]) {
        case EditableField::Urgency: value = rng() % 2 ? "urgent" : "normal"; break;
        case EditableField::Category: value = rng() % 2 ? "noise" : "sanitation"; break;
        case EditableField::LeadDepartment: value = "市容所" + std::to_string(rng() % 10); break;
        default: value = "李先生" + std::to_string(rng() % 100); break;
      }
      ChangeId& v = versions[static_cast<size_t>(t * 4 + f)];
      b.push_back(a.set(ticket_id(t), kFields[f], value, v));
      v = b.back().id;
    }
  }
  return out;
}

double apply_all(Store& s, const std::vector<std::vector<Change>>& batches, ApplyStatus expect) {
  const auto t0 = Clock::now();
  size_t n = 0;
  for (const auto& b : batches) {
    auto r = s.apply_changes(b, ApplyMode::Accept, kNow);
    if (!r) {
      std::fprintf(stderr, "apply failed: %s\n", r.error().detail.c_str());
      std::exit(1);
    }
    for (const auto& x : *r)
      if (x.status != expect) {
        std::fprintf(stderr, "unexpected %s\n", std::string(to_string(x.status)).c_str());
        std::exit(1);
      }
    n += b.size();
  }
  return static_cast<double>(n) / seconds_since(t0);
}

// Runs `total` steps of prepared statement `s` in transactions of `batch`, `bind(done)` setting the
// values of each; the steps per second. Finalizes the statement and closes the database.
template <class Bind>
double timed_batches(sqlite3* db, sqlite3_stmt* s, int batch, int total, Bind bind) {
  const auto t0 = Clock::now();
  for (int done = 0; done < total;) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int i = 0; i < batch; ++i, ++done) {
      bind(done);
      sqlite3_step(s);
      sqlite3_reset(s);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double rate = total / seconds_since(t0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rate;
}

// SQLite alone: one prepared single-row INSERT into a two-column table, same pragmas, same disk.
double raw_insert_rate(const std::string& path, int batch, int total) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (k, v) VALUES (?, ?)", -1, &ins, nullptr);
  static int key = 0;
  return timed_batches(db, ins, batch, total, [&](int done) {
    const std::string k = ticket_id(key++) + ":" + std::to_string(done);
    sqlite3_bind_text(ins, 1, k.data(), static_cast<int>(k.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, "urgent", 6, SQLITE_STATIC);
  });
}

// SQLite alone again, the floor a store that writes each edited ticket's row at its commit cannot
// pass: one prepared UPDATE of a random row of a table with as many rows as the store has tickets,
// each about a ticket row's width (the server's 100,000 demo-shaped tickets fill 9,648 pages of
// 4 KiB: some 400 bytes a row), keyed by the same 32-character text ids; the store's pragmas.
double raw_update_rate(const std::string& path, int rows, int batch, int total, std::mt19937& rng) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
                   "PRAGMA wal_autocheckpoint=10000;"
                   "CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL, field TEXT NOT NULL,"
                   "                versions BLOB NOT NULL, n INTEGER NOT NULL);",
               nullptr, nullptr, nullptr);
  const std::string body(330, 'x');
  const std::string versions(40, 'v');
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, 'normal', ?, 0)", -1, &ins, nullptr);
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (int i = 0; i < rows; ++i) {
    const std::string k = ticket_id(i);
    sqlite3_bind_text(ins, 1, k.data(), static_cast<int>(k.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
    sqlite3_bind_blob(ins, 3, versions.data(), static_cast<int>(versions.size()), SQLITE_STATIC);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_finalize(ins);
  sqlite3_stmt* up = nullptr;
  sqlite3_prepare_v2(db, "UPDATE t SET field = ?, versions = ?, n = n + 1 WHERE id = ?", -1, &up, nullptr);
  return timed_batches(db, up, batch, total, [&](int) {
    const std::string k = ticket_id(static_cast<int>(rng() % static_cast<unsigned>(rows)));
    sqlite3_bind_text(up, 1, rng() % 2 ? "urgent" : "normal", 6, SQLITE_STATIC);
    sqlite3_bind_blob(up, 2, versions.data(), static_cast<int>(versions.size()), SQLITE_STATIC);
    sqlite3_bind_text(up, 3, k.data(), static_cast<int>(k.size()), SQLITE_TRANSIENT);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::current_path() / "bench-merge-data";
  const int tickets = argc > 2 ? std::atoi(argv[2]) : 1000;
  // Divides the number of changes (for a profiler run: valgrind --tool=callgrind merge dir 1000 20).
  const int divisor = argc > 3 ? std::max(1, std::atoi(argv[3])) : 1;
  // The server's store by default; "replica" keeps the app's inbox and search indexes as well.
  const bool replica = argc > 4 && std::string(argv[4]) == "replica";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opened = Store::open((dir / "server.db").string(), {.use = replica ? StoreUse::Replica : StoreUse::Server});
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().detail.c_str());
    return 1;
  }
  Store store = std::move(opened).value();
  ChangeMaker author(1);
  std::vector<Change> creates;
  for (int t = 0; t < tickets; ++t) creates.push_back(author.create(ticket_id(t)));
  if (!store.apply_changes(creates, ApplyMode::Accept, kNow)) return 1;

  std::mt19937 rng(42);
  std::printf("bench/merge: %d tickets, on-disk WAL database (synchronous=FULL) in %s, a %s's store\n", tickets,
              dir.c_str(), replica ? "replica" : "server");
  std::printf("%6s %10s %14s %14s %14s %12s %14s %12s %12s\n", "batch", "changes", "fresh/s", "duplicate/s", "raw insert/s",
              "fresh/raw", "raw update/s", "fresh/update", "dup cost");
  const int batches[] = {1, 100, 1000};
  const int totals[] = {std::max(1, 500 / divisor), std::max(100, 50'000 / divisor), std::max(1000, 400'000 / divisor)};
  for (int i = 0; i < 3; ++i) {
    const auto work = field_batches(author, tickets, batches[i], totals[i], rng);
    const double fresh = apply_all(store, work, ApplyStatus::Applied);
    const double dup = apply_all(store, work, ApplyStatus::Duplicate);
    const double raw = raw_insert_rate((dir / "raw.db").string(), batches[i], totals[i]);
    const double update = raw_update_rate((dir / "update.db").string(), tickets, batches[i], totals[i], rng);
    std::printf("%6d %10d %14.0f %14.0f %14.0f %11.1f%% %14.0f %11.1f%% %11.2f%%\n", batches[i], totals[i], fresh, dup,
                raw, 100.0 * fresh / raw, update, 100.0 * fresh / update, 100.0 * fresh / dup);
  }
  std::printf("fresh/raw: merged field changes per second as a share of raw single-row inserts per second.\n"
              "raw update/s: single-row UPDATEs of random rows of a table of as many ticket-wide rows: the\n"
              "  ceiling of any store that writes each edited ticket's row when its batch commits.\n"
              "dup cost: the time of a duplicate as a share of the time of a fresh change.\n");
  auto n = store.count_changes();
  std::printf("change log: %lld changes\n", n ? static_cast<long long>(*n) : -1LL);
  return 0;
}
