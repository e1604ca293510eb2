// Field work in the store: a field change's registers written (R13, R14: the later write holds,
// compared by core/field.h register_wins), a field subject folded again from its log, and the
// registers read back. Decides no merge itself.
#include <string>
#include <vector>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"

namespace linli {
namespace {

Error field_error(sqlite3* db, const char* where) { return sqlite_util::sqlite_error(db, "store", where); }

void prepare(sqlite3* db, Store::Sync& s) {
  if (s.field_prepared) return;
  s.field_load.prepare(db, "SELECT hlc, replica, counter FROM field_registers WHERE entity = ? AND member = ? AND author = ?");
  s.field_upsert.prepare(db,
                         "INSERT INTO field_registers (entity, member, author, subject, value, hlc, replica, counter) "
                         "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (entity, member, author) DO UPDATE SET "
                         "value = excluded.value, hlc = excluded.hlc, replica = excluded.replica, counter = excluded.counter");
  s.field_delete.prepare(db, "DELETE FROM field_registers WHERE subject = ?");
  s.field_prepared = true;
}

}  // namespace

Result<void> Batch::write_field(const Change& c) {
  prepare(m_db, m_s);
  const std::string subject = field_subject(c);
  for (const FieldRegister& w : field_writes(c)) {
    const std::string member(to_string(w.member));
    CachedStmt& l = m_s.field_load.reset().bind(1, w.entity).bind(2, member).bind(3, w.author);
    const int rc = l.step();
    if (rc == SQLITE_ROW) {
      FieldRegister have;
      have.stamp = unpack_hlc(static_cast<uint64_t>(l.int64(0)));
      have.replica = replica_from_bytes(l.text(1)).value_or(ReplicaId{});
      have.counter = static_cast<uint64_t>(l.int64(2));
      l.reset();
      if (!register_wins(w, have)) continue;
    } else if (rc != SQLITE_DONE) {
      return field_error(m_db, "field.load");
    }
    l.reset();
    const ReplicaBytes replica(w.replica);
    if (m_s.field_upsert.reset().bind(1, w.entity).bind(2, member).bind(3, w.author).bind(4, subject).bind(5, w.value)
            .bind(6, static_cast<int64_t>(pack(w.stamp))).bind_blob(7, replica.view())
            .bind(8, static_cast<int64_t>(w.counter)).step() != SQLITE_DONE)
      return field_error(m_db, "field.write");
  }
  return Ok{};
}

// A field subject's registers written again from its log (a refused own change was taken out).
Result<void> Batch::refold_field(const std::string& subject, Cached& t) {
  prepare(m_db, m_s);
  if (m_s.field_delete.reset().bind(1, subject).step() != SQLITE_DONE) return field_error(m_db, "field.refold");
  for (int64_t at = t.head; at != 0;) {
    CachedStmt& s = m_s.log_entry.reset().bind(1, at);
    if (s.step() != SQLITE_ROW)
      return Error{ErrorCode::Corrupt, "[store.field.refold] " + subject + ": log chain broken at " + std::to_string(at)};
    auto c = decode_change_record(s.text(0));
    const int64_t prev = s.int64(2);
    s.reset();
    if (!c) return Error{ErrorCode::Corrupt, "[store.field.refold] " + subject + ": " + c.error().detail};
    if (prev >= at) return Error{ErrorCode::Corrupt, "[store.field.refold] " + subject + ": log chain loops"};
    if (auto w = write_field(*c); !w) return w;
    at = prev;
  }
  t.refold = false;
  t.dirty = true;
  return Ok{};
}

Result<std::vector<FieldRegister>> Store::field_registers() {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(m_db, "SELECT entity, member, author, value, hlc, replica, counter FROM field_registers",
                         -1, &q, nullptr) != SQLITE_OK)
    return field_error(m_db, "field_registers");
  std::vector<FieldRegister> out;
  auto text = [&](int col) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(q, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(q, col))) : std::string();
  };
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const auto member = parse_field_member(text(1));
    if (!member) continue;  // A member of a later build.
    FieldRegister r;
    r.entity = text(0);
    r.member = *member;
    r.author = text(2);
    r.value = text(3);
    r.stamp = unpack_hlc(static_cast<uint64_t>(sqlite3_column_int64(q, 4)));
    r.replica = replica_from_bytes(text(5)).value_or(ReplicaId{});
    r.counter = static_cast<uint64_t>(sqlite3_column_int64(q, 6));
    out.push_back(std::move(r));
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return field_error(m_db, "field_registers");
  return out;
}

Result<std::string> Store::facility_community(const std::string& facility_id) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(m_db,
                         "SELECT value FROM field_registers WHERE entity = ? AND member = 'community' AND author = ''",
                         -1, &q, nullptr) != SQLITE_OK)
    return field_error(m_db, "facility_community");
  const std::string entity = "facility:" + facility_id;
  sqlite3_bind_text(q, 1, entity.data(), static_cast<int>(entity.size()), SQLITE_TRANSIENT);
  std::string out;
  const int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return field_error(m_db, "facility_community");
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> Store::finding_links() {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(m_db,
                         "SELECT l.other_ticket, l.ticket_id FROM links l JOIN tickets t ON t.id = l.ticket_id "
                         "WHERE l.kind = 'finding' AND t.deleted = 0 ORDER BY l.change_id",
                         -1, &q, nullptr) != SQLITE_OK)
    return field_error(m_db, "finding_links");
  std::vector<std::pair<std::string, std::string>> out;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)),
                     reinterpret_cast<const char*>(sqlite3_column_text(q, 1)));
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return field_error(m_db, "finding_links");
  return out;
}

}  // namespace linli
