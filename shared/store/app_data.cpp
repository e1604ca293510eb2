// What the app keeps beside the replica's data: small named values (the signed-in session, the
// replica id), the size of the outbox, refused changes the user has read and discards, and tickets
// an earlier build stored outside the change log (the app adopts them as changes of its own).
#include <sqlite3.h>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

Error storage_error(sqlite3* db, const char* where) { return sqlite_util::sqlite_error(db, "store", where); }

// The app's keys live under "app."; the sync bookkeeping (sync.*, provisional:*) is not theirs to touch.
Result<void> check_key(std::string_view key, const char* where) {
  if (key.size() > 4 && key.substr(0, 4) == "app.") return Ok{};
  return Error{ErrorCode::InvalidArgument, std::string("[store.") + where + "] key must start with \"app.\": " + std::string(key)};
}

}  // namespace

Result<std::optional<std::string>> Store::read_value(std::string_view key) {
  if (auto k = check_key(key, "read_value"); !k) return k.error();
  Stmt s(m_db, "SELECT value FROM meta WHERE key = ?1");
  if (!s.ok()) return storage_error(m_db, "read_value");
  s.bind(1, key);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return storage_error(m_db, "read_value");
  return std::optional<std::string>{s.text(0)};
}

Result<void> Store::write_value(std::string_view key, std::string_view value) {
  if (auto k = check_key(key, "write_value"); !k) return k;
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!s.ok()) return storage_error(m_db, "write_value");
  s.bind(1, key);
  s.bind(2, value);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "write_value");
  return Ok{};
}

Result<void> Store::erase_value(std::string_view key) {
  if (auto k = check_key(key, "erase_value"); !k) return k;
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM meta WHERE key = ?1");
  if (!s.ok()) return storage_error(m_db, "erase_value");
  s.bind(1, key);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "erase_value");
  return Ok{};
}

Result<int64_t> Store::count_unsent(const ReplicaId& self) {
  Stmt s(m_db, "SELECT count(*) FROM changes WHERE replica = ?1 AND seq IS NULL");
  if (!s.ok()) return storage_error(m_db, "count_unsent");
  const ReplicaBytes bytes(self);
  s.bind_blob(1, bytes.view());
  if (s.step() != SQLITE_ROW) return storage_error(m_db, "count_unsent");
  return s.int64(0);
}

Result<int64_t> Store::count_refused() {
  Stmt s(m_db, "SELECT count(*) FROM refused_changes");
  if (!s.ok()) return storage_error(m_db, "count_refused");
  if (s.step() != SQLITE_ROW) return storage_error(m_db, "count_refused");
  return s.int64(0);
}

Result<void> Store::discard_refused(const ChangeId& id) {
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM refused_changes WHERE change_id = ?1");
  if (!s.ok()) return storage_error(m_db, "discard_refused");
  s.bind(1, to_string(id));
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "discard_refused");
  return Ok{};
}

Result<std::vector<Ticket>> Store::tickets_outside_log() {
  std::vector<std::string> ids;
  {
    Stmt s(m_db, "SELECT id FROM tickets WHERE log_head = 0 AND id NOT IN (SELECT ticket_id FROM log_heads) "
                 "ORDER BY received_at, id");
    if (!s.ok()) return storage_error(m_db, "tickets_outside_log");
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) ids.push_back(s.text(0));
    if (rc != SQLITE_DONE) return storage_error(m_db, "tickets_outside_log");
  }
  std::vector<Ticket> out;
  for (const auto& id : ids) {
    auto t = get_ticket(id);
    if (!t) return t.error();
    if (*t) out.push_back(std::move(**t));
  }
  return out;
}

Result<void> Store::drop_ticket_outside_log(const std::string& id) {
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM tickets WHERE id = ?1 AND log_head = 0 AND id NOT IN (SELECT ticket_id FROM log_heads)");
  if (!s.ok()) return storage_error(m_db, "drop_ticket_outside_log");
  s.bind(1, id);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "drop_ticket_outside_log");
  if (sqlite3_changes(m_db) != 1)
    return Error{ErrorCode::InvalidArgument, "[store.drop_ticket_outside_log] " + id + " is not a ticket outside the log"};
  return Ok{};
}

}  // namespace linli
