// Sync bookkeeping outside a batch: consuming the counter of a change the server refused (so the
// replica's later changes are not held up by a gap), moving the pull cursor past changes the
// server skipped for this replica, and the id of the pull answer taken last. Works on the state of
// store/apply.cpp.
#include <sqlite3.h>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::end_reads;

// Writes one integer of the sync bookkeeping into meta (autocommit, or the caller's transaction).
Result<void> write_meta(sqlite3* db, const char* key, int64_t value, const char* where) {
  end_reads(db);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(
          db, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          -1, &s, nullptr) != SQLITE_OK)
    return Error{ErrorCode::Storage, std::string("[store.") + where + "] " + sqlite3_errmsg(db)};
  const std::string text = std::to_string(value);
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, text.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Error{ErrorCode::Storage, std::string("[store.") + where + "] " + sqlite3_errmsg(db)};
  return Ok{};
}

}  // namespace

Result<void> Store::skip_change(const ChangeId& id) {
  if (id.counter != applied_counter(id.replica) + 1)
    return Error{ErrorCode::InvalidArgument, "[store.skip_change] " + to_string(id) + " is not its replica's next"};
  end_reads(m_db);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(m_db,
                         "INSERT INTO replicas (replica, applied) VALUES (?1, ?2) "
                         "ON CONFLICT (replica) DO UPDATE SET applied = excluded.applied",
                         -1, &s, nullptr) != SQLITE_OK)
    return Error{ErrorCode::Storage, std::string("[store.skip_change] ") + sqlite3_errmsg(m_db)};
  const ReplicaBytes bytes(id.replica);
  sqlite3_bind_blob(s, 1, bytes.b, sizeof bytes.b, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(id.counter));
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Error{ErrorCode::Storage, std::string("[store.skip_change] ") + sqlite3_errmsg(m_db)};
  sync().applied[id.replica] = id.counter;  // Autocommit: durable when the statement returned.
  return Ok{};
}

Result<void> Store::advance_pull_cursor(int64_t cursor) {
  if (cursor <= sync().cursor) return Ok{};
  if (auto r = write_meta(m_db, "sync.cursor", cursor, "advance_pull_cursor"); !r) return r;
  sync().cursor = cursor;
  return Ok{};
}

Result<void> Store::set_pull_answer(int64_t answer) {
  if (answer == sync().answer) return Ok{};
  if (auto r = write_meta(m_db, "sync.answer", answer, "set_pull_answer"); !r) return r;
  sync().answer = answer;
  return Ok{};
}

Result<void> Store::restart_pull() {
  return in_one_transaction([&]() -> Result<void> {
    if (auto r = write_meta(m_db, "sync.cursor", 0, "restart_pull"); !r) return r;
    if (auto r = write_meta(m_db, "sync.answer", 0, "restart_pull"); !r) return r;
    sync().cursor = 0;
    sync().answer = 0;
    return Ok{};
  });
}

}  // namespace linli
