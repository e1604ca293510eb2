// backup_database: sqlite3_backup_* in steps of 256 pages, then the copy marked as one.
#include "store/backup.h"

#include <sqlite3.h>

namespace linli {

Result<int> backup_database(const std::string& from, const std::string& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto fail = [&](const std::string& what, sqlite3* db) {
    Error e{ErrorCode::Storage, "[store.backup] " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
    sqlite3_close(src);
    sqlite3_close(dst);
    return e;
  };
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return fail(from, src);
  if (sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return fail(to, dst);
  sqlite3_busy_timeout(src, 5000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) return fail(to, dst);
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  const int pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return fail(to, dst);
  // Marked as a copy: a server that starts on it (a restore) skips numbers past its last change,
  // so that devices that pulled past the copy start over (Store::skip_numbers_after_copy).
  // A database no server has started on yet (users added, nothing else) has no log to mark.
  int tables = 0;
  if (sqlite3_exec(
          dst, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'changes')",
          [](void* n, int, char**, char**) { return ++*static_cast<int*>(n), 0; }, &tables, nullptr) != SQLITE_OK)
    return fail(to + " (marking the copy)", dst);
  if (tables == 2 &&
      sqlite3_exec(dst,
                   "INSERT INTO meta (key, value) SELECT 'log.copy_end', CAST(coalesce(max(seq), 0) AS TEXT) FROM changes "
                   "WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   nullptr, nullptr, nullptr) != SQLITE_OK)
    return fail(to + " (marking the copy)", dst);
  sqlite3_close(src);
  sqlite3_close(dst);
  return pages;
}

}  // namespace linli
