// Helpers the store's files share: a prepared statement that finalizes itself, and error text in
// the house form "[module.where] what: sqlite's message". Internal to shared/store.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

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

// Commits on `db` no longer checkpoint its WAL (another connection does: the server's
// Checkpointer), and when the WAL starts again its file is cut back to 64 MiB.
inline void leave_checkpoints_to_others(sqlite3* db) {
  sqlite3_wal_autocheckpoint(db, 0);
  sqlite3_exec(db, "PRAGMA journal_size_limit = 67108864", nullptr, nullptr, nullptr);
}

// A cached read left stepping would pin an old snapshot, and a write after it would fail.
inline void end_reads(sqlite3* db) {
  for (sqlite3_stmt* p = sqlite3_next_stmt(db, nullptr); p; p = sqlite3_next_stmt(db, p))
    if (sqlite3_stmt_busy(p)) sqlite3_reset(p);
}

// The statements a connection has prepared from string literals, kept for the next use: a
// statement is parsed and planned once per connection, not on every call (the server's scoped
// pulls asked "does this replica hold this ticket" and read a ticket's log with a statement
// prepared each time: an eighth of the server's CPU under bench/load went to parsing SQL). Kept as
// the connection's client data; close() finalizes them before the connection closes.
class StmtCache {
 public:
  ~StmtCache() { clear(); }
  static constexpr const char* kKey = "linli.stmt_cache";
  // The connection's cache, made on first use; nullptr when SQLite could not keep it (out of
  // memory): then statements are prepared for each use.
  static StmtCache* of(sqlite3* db) {
    if (auto* c = static_cast<StmtCache*>(sqlite3_get_clientdata(db, kKey))) return c;
    auto* c = new StmtCache;
    if (sqlite3_set_clientdata(db, kKey, c, [](void* p) { delete static_cast<StmtCache*>(p); }) != SQLITE_OK) {
      delete c;
      return nullptr;
    }
    return c;
  }
  // A prepared statement of `sql` (reset, no bindings), or nullptr: prepare it anew.
  sqlite3_stmt* take(const char* sql) {
    for (auto it = m_kept.begin(); it != m_kept.end(); ++it)
      if (it->first == sql) {
        sqlite3_stmt* s = it->second;
        *it = m_kept.back();
        m_kept.pop_back();
        return s;
      }
    return nullptr;
  }
  // Keeps `s` (prepared from the literal `sql`) for the next use; finalizes it if one is kept already.
  void give_back(const char* sql, sqlite3_stmt* s) {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    for (const auto& [kept_sql, kept] : m_kept)
      if (kept_sql == sql) return void(sqlite3_finalize(s));
    m_kept.emplace_back(sql, s);
  }
  void clear() {
    for (const auto& [sql, s] : m_kept) sqlite3_finalize(s);
    m_kept.clear();
  }

 private:
  // Few (a connection runs some dozens of distinct statements) and most recently given back last.
  std::vector<std::pair<const char*, sqlite3_stmt*>> m_kept;
};

// Closes a connection of the store's: its kept statements first, which would otherwise keep it open.
inline void close(sqlite3* db) {
  if (!db) return;
  if (auto* c = static_cast<StmtCache*>(sqlite3_get_clientdata(db, StmtCache::kKey))) c->clear();
  sqlite3_close(db);
}

// A prepared statement, reset and put back (or finalized) when it goes out of scope.
//  - Stmt(db, "literal"): SQL in static storage, kept prepared per connection (StmtCache).
//  - Stmt(db, std::string): SQL made at run time, prepared for this use only.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* literal) : m_cache(StmtCache::of(db)), m_sql(literal) {
    m_stmt = m_cache ? m_cache->take(literal) : nullptr;
    m_rc = m_stmt ? SQLITE_OK : sqlite3_prepare_v3(db, literal, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
  }
  Stmt(sqlite3* db, const std::string& sql) { m_rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr); }
  ~Stmt() {
    if (m_cache && m_stmt && m_rc == SQLITE_OK) m_cache->give_back(m_sql, m_stmt);
    else sqlite3_finalize(m_stmt);
  }
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
  // The array as carray()'s first argument (parameter i), not copied: it must outlive the step.
  void bind_array(int i, const std::vector<int64_t>& values) {
    sqlite3_carray_bind(m_stmt, i, const_cast<int64_t*>(values.data()), static_cast<int>(values.size()),
                        SQLITE_CARRAY_INT64, SQLITE_STATIC);
  }
  int step() { return sqlite3_step(m_stmt); }
  void reset() { sqlite3_reset(m_stmt); }
  // The column's bytes as stored (text or blob).
  std::string text(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
  }
  int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
  bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
  int columns() const { return sqlite3_column_count(m_stmt); }

 private:
  StmtCache* m_cache = nullptr;  // Set when the SQL is a literal kept prepared.
  const char* m_sql = nullptr;
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc;
};

}  // namespace linli::sqlite_util
