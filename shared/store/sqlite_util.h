// Helpers the store's files share: a prepared statement that finalizes itself, and error text in
// the house form "[module.where] what: sqlite's message". Internal to shared/store.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.h"

namespace linli::sqlite_util {

inline Error sqlite_error(sqlite3* db, std::string_view module, std::string_view where, std::string_view what = {}) {
  std::string d = "[" + std::string(module) + "." + std::string(where) + "] ";
  if (!what.empty()) d += std::string(what) + ": ";
  d += db ? sqlite3_errmsg(db) : "out of memory";
  return Error{ErrorCode::Storage, std::move(d)};
}

// Runs SQL without results; the error names module.where.
inline Result<void> exec(sqlite3* db, const char* sql, std::string_view module, std::string_view where) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    Error e{ErrorCode::Storage, "[" + std::string(module) + "." + std::string(where) + "] " +
                                    (msg ? msg : sqlite3_errmsg(db))};
    sqlite3_free(msg);
    return e;
  }
  return Ok{};
}

// Where several connections share one file (the server's store, accounts and state), a writer
// that finds the write lock taken waits for it. SQLite's own busy timeout sleeps 1, 2, 5 ... up to
// 100 ms between tries, so a lock held for a millisecond can cost a waiter 100 ms; this tries
// every 100 µs for the first 20 ms, then every millisecond, for about five seconds in all.
inline void wait_when_busy(sqlite3* db) {
  sqlite3_busy_handler(
      db,
      [](void*, int tries) -> int {
        if (tries >= 200 + 4980) return 0;  // About 5 s: give up with SQLITE_BUSY.
        std::this_thread::sleep_for(tries < 200 ? std::chrono::microseconds(100) : std::chrono::microseconds(1000));
        return 1;
      },
      nullptr);
}

// A cached read left stepping would pin an old snapshot, and a write after it would fail.
inline void end_reads(sqlite3* db) {
  for (sqlite3_stmt* p = sqlite3_next_stmt(db, nullptr); p; p = sqlite3_next_stmt(db, p))
    if (sqlite3_stmt_busy(p)) sqlite3_reset(p);
}

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
  ~Stmt() { sqlite3_finalize(m_stmt); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return m_rc == SQLITE_OK; }
  void bind(int i, std::string_view s) {
    sqlite3_bind_text(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  void bind_blob(int i, std::string_view b) {
    sqlite3_bind_blob(m_stmt, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }
  int step() { return sqlite3_step(m_stmt); }
  void reset() { sqlite3_reset(m_stmt); }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
  }
  int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }

 private:
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc;
};

}  // namespace linli::sqlite_util
