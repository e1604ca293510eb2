// backup_database: sqlite3_backup_* in steps of 256 pages.
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
  sqlite3_close(src);
  sqlite3_close(dst);
  return pages;
}

}  // namespace linli
