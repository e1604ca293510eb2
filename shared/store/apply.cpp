// The change log: applying batches of changes in one transaction, idempotently (R9), folding each
// into its ticket with the pure merge rules (core/merge.h) in one order on every replica (R10).
// No merge decision is made here: this file loads state, calls merge_change, and writes the result.
#include <algorithm>
#include <string>
#include <vector>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"

namespace linli {
namespace {

constexpr int64_t kUnsentBase = int64_t{1} << 62;
// At most this many tickets in the committed cache: about 2.3 KB each (a Cached and its strings),
// so 9 MiB. 16,384 had let the server's heap grow by some 36 MiB over the first minutes of
// bench/load while its tickets came in, and a batch's worth beyond that.
constexpr size_t kCommittedTickets = 4096;
// The status's slot in tickets.versions (a field's slot is its EditableField value): fixed, so
// adding a field keeps the rows already written readable.
constexpr int kStatusSlot = 0xFF;
constexpr int kClockSlot = 0xFE;  // A clock event (core/merge.h ClockEvent) follows.
constexpr int kCoHandlerSlot = 0xFD;  // A co-handler (core/merge.h CoHandler, R12) follows.

int64_t fold_key_for(int64_t seq, int64_t local_order) { return seq > 0 ? seq : kUnsentBase + local_order; }

Error sql_error(sqlite3* db, std::string_view where) {
  return Error{ErrorCode::Storage, "[store." + std::string(where) + "] " + sqlite3_errmsg(db)};
}

const char* const kSql[] = {
    // insert_change
    // OR ROLLBACK: a failed write ends the whole batch anyway (in_transaction), so the statement
    // needs no statement journal (which copied every page it touched, several per change).
    "INSERT OR ROLLBACK INTO changes (local_order, replica, counter, seq, prev, hlc, skew_ms, record) "
    "VALUES (?,?,?,?,?,?,?,?)",
    // load_ticket
    "SELECT provisional_number, official_number, source, received_at, citizen_name, citizen_phone, community, "
    "address, category, urgency, title, description, status, created_at, updated_at, lead_department, deleted, "
    "work_count, fold_key, versions, log_head, rowid, due_at, due_stage, warning, report_tally FROM tickets WHERE id = ?",
    // load_head
    "SELECT head FROM log_heads WHERE ticket_id = ?",
    // upsert_ticket
    "INSERT INTO tickets (id, provisional_number, official_number, source, received_at, citizen_name, citizen_phone, "
    "community, address, category, urgency, title, description, status, created_at, updated_at, lead_department, "
    "deleted, work_count, fold_key, versions, log_head, report_tally) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
    "ON CONFLICT (id) DO UPDATE SET "
    "citizen_name = excluded.citizen_name, citizen_phone = excluded.citizen_phone, community = excluded.community, "
    "address = excluded.address, category = excluded.category, urgency = excluded.urgency, title = excluded.title, "
    "description = excluded.description, status = excluded.status, updated_at = excluded.updated_at, "
    "lead_department = excluded.lead_department, deleted = excluded.deleted, work_count = excluded.work_count, "
    "fold_key = excluded.fold_key, versions = excluded.versions, log_head = excluded.log_head, "
    "official_number = excluded.official_number, report_tally = excluded.report_tally",
    // upsert_head
    "INSERT INTO log_heads (ticket_id, head) VALUES (?,?) ON CONFLICT (ticket_id) DO UPDATE SET head = excluded.head",
    // delete_head
    "DELETE FROM log_heads WHERE ticket_id = ?",
    // insert_timeline
    ("INSERT INTO timeline (change_id, ticket_id, hlc, author, role, kind, text, satisfaction, days, request, approved) "
     "VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
    // insert_photo
    "INSERT INTO photos (change_id, ticket_id, sha256, size, type, phase) VALUES (?,?,?,?,?,?)",
    // insert_link
    "INSERT INTO links (change_id, ticket_id, other_ticket, kind) VALUES (?,?,?,?)",
    // insert_conflict
    "INSERT INTO conflicts (cause, ticket_id, kind, loser, winner, subject, value, reason) VALUES (?,?,?,?,?,?,?,?)",
    // upsert_replica
    "INSERT INTO replicas (replica, applied) VALUES (?,?) ON CONFLICT (replica) DO UPDATE SET applied = excluded.applied",
    // upsert_meta
    "INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    // log_entry
    "SELECT record, seq, prev FROM changes WHERE local_order = ?",
    // log_link
    "SELECT seq, prev FROM changes WHERE local_order = ?",
    // find_change
    "SELECT local_order, seq, hlc, record FROM changes WHERE replica = ? AND counter = ?",
    // ack_change
    "UPDATE changes SET seq = ?, hlc = ?, skew_ms = ?, record = ? WHERE local_order = ?",
    // delete_rows
    "DELETE FROM timeline WHERE ticket_id = ?1", "DELETE FROM photos WHERE ticket_id = ?1",
    "DELETE FROM links WHERE ticket_id = ?1", "DELETE FROM conflicts WHERE ticket_id = ?1",
    "DELETE FROM ticket_co_handlers WHERE ticket_id = ?1", "DELETE FROM tickets WHERE id = ?1",
    // set_prev
    "UPDATE changes SET prev = ? WHERE local_order = ?",
    // delete_change
    "DELETE FROM changes WHERE local_order = ?",
    // insert_refused
    "INSERT OR IGNORE INTO refused_changes (change_id, ticket_id, kind, code, detail, refused_at, ticket_number, "
    "ticket_title, record) VALUES (?,?,?,?,?,?,?,?,?)",
    // mark_leaving
    "INSERT OR IGNORE INTO leaving_tickets (ticket_id) VALUES (?)",
    // unmark_leaving
    "DELETE FROM leaving_tickets WHERE ticket_id = ?",
    // update_due
    "UPDATE tickets SET due_at = ?, due_stage = ?, warning = ? WHERE id = ?",
    // insert_co_handler
    "INSERT INTO ticket_co_handlers (ticket_id, added, department, state, added_at, replied_at, due_at) "
    "VALUES (?,?,?,?,?,?,?)",
    // insert_left
    "INSERT OR REPLACE INTO left_tickets (ticket_id, number, title, left_at) VALUES (?,?,?,?)",
};

void put_fixed64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (56 - 8 * i)));
}
void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
bool get_fixed64(std::string_view& in, uint64_t& v) {
  if (in.size() < 8) return false;
  v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[static_cast<size_t>(i)]);
  in.remove_prefix(8);
  return true;
}
bool get_varint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

int64_t meta_int(sqlite3* db, const char* key, int64_t fallback) {
  sqlite3_stmt* s = nullptr;
  int64_t v = fallback;
  if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  return v;
}

}  // namespace

Result<void> register_store_functions(sqlite3* db) {
  const auto open_field_conflict = [](sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto* bytes = static_cast<const char*>(sqlite3_value_blob(argv[0]));
    const std::string_view versions(bytes ? bytes : "", static_cast<size_t>(sqlite3_value_bytes(argv[0])));
    const auto* subject = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
    const auto* winner = reinterpret_cast<const char*>(sqlite3_value_text(argv[2]));
    const auto field = parse_editable_field(subject ? subject : "");
    TicketState state;
    // Unreadable: shown as waiting, where someone will look at it, rather than hidden.
    if (!field || !winner || !decode_versions(versions, state)) return sqlite3_result_int(ctx, 1);
    sqlite3_result_int(ctx, to_string(state.fields[static_cast<size_t>(*field)].id) == winner ? 1 : 0);
  };
  if (sqlite3_create_function_v2(db, "open_field_conflict", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                 nullptr, open_field_conflict, nullptr, nullptr, nullptr) != SQLITE_OK)
    return sql_error(db, "functions");
  return Ok{};
}

Result<Cached*> Batch::load(const std::string& id) {
  if (auto it = m_tickets.find(id); it != m_tickets.end()) return &it->second;
  if (m_use_committed)
    if (auto it = m_s.committed.find(id); it != m_s.committed.end())
      return &m_tickets.insert(m_s.committed.extract(it)).position->second;  // Back at commit.
  Cached t;
  CachedStmt& s = m_s.load_ticket.reset().bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) {
    Ticket& k = t.state.ticket;
    k.id = id;
    k.provisional_number = s.text(0);
    k.official_number = s.text(1);
    k.source = parse_source(s.text(2)).value_or(Source::Hotline);
    k.received_at_ms = s.int64(3);
    k.citizen_name = s.text(4);
    k.citizen_phone = s.text(5);
    k.community = s.text(6);
    k.address = s.text(7);
    k.category = parse_category(s.text(8)).value_or(Category::Other);
    k.urgency = parse_urgency(s.text(9)).value_or(Urgency::Normal);
    k.title = s.text(10);
    k.description = s.text(11);
    k.status = parse_ticket_status(s.text(12)).value_or(TicketStatus::Received);
    k.created_at_ms = s.int64(13);
    k.updated_at_ms = s.int64(14);
    t.state.lead_department = s.text(15);
    t.state.deleted = s.int64(16) != 0;
    t.state.work_count = s.int64(17);
    t.fold_key = s.int64(18);
    if (!decode_versions(s.text(19), t.state))
      return Error{ErrorCode::Corrupt, "[store.apply.load] ticket " + id + ": malformed versions"};
    t.head = s.int64(20);
    t.rowid = s.int64(21);
    t.due_at = s.int64(22);
    t.due_stage = s.text(23);
    t.warning = s.int64(24) != 0;
    // NULL: written by a build before the tally (or outside the log); finish() folds it again.
    const auto tally = s.is_null(25) ? std::nullopt : unpack_tally(s.int64(25));
    t.tally = tally.value_or(ReportTally{});
    t.tally_known = tally.has_value();
    t.written = ticket_row_values(t.state);
    t.co_written = t.state.co_handlers;
    t.state.exists = true;
  } else if (rc != SQLITE_DONE) {
    return sql_error(m_db, "apply.load");
  }
  // A ticket that does not exist keeps its log's head aside; so may one made by create_ticket
  // after changes to it were rejected.
  if (t.head == 0) {
    CachedStmt& h = m_s.load_head.reset().bind(1, id);
    const int hrc = h.step();
    if (hrc == SQLITE_ROW) {
      t.head = h.int64(0);
      t.head_in_table = true;
    } else if (hrc != SQLITE_DONE) {
      return sql_error(m_db, "apply.load");
    }
  }
  return &m_tickets.emplace(id, std::move(t)).first->second;
}

Result<void> Batch::write_rows(const Change& c, const MergeOutcome& out) {
  // Most changes (a field set, a transition) write no row here: no id's text made for them.
  if (out.effect != Effect::Inserted && !out.conflict) return Ok{};
  const std::string cid = to_string(c.id);
  const auto hlc = static_cast<int64_t>(pack(c.stamp));
  int rc = SQLITE_DONE;
  if (out.effect == Effect::Inserted && c.kind == ChangeKind::AddEntry) {
    const Entry& e = c.entry;
    rc = m_s.insert_timeline.reset().bind(1, cid).bind(2, c.ticket_id).bind(3, hlc).bind(4, c.author.user)
             .bind(5, to_string(c.author.role)).bind(6, to_string(e.kind)).bind(7, e.text)
             .bind(8, to_string(e.satisfaction)).bind(9, int64_t{e.days})
             .bind(10, e.request.is_zero() ? std::string() : to_string(e.request)).bind(11, int64_t{e.approved})
             .step();
  } else if (out.effect == Effect::Inserted && c.kind == ChangeKind::AttachPhoto) {
    rc = m_s.insert_photo.reset().bind(1, cid).bind(2, c.ticket_id).bind(3, c.photo.sha256)
             .bind(4, c.photo.size).bind(5, c.photo.type).bind(6, to_string(c.photo.phase)).step();
  } else if (out.effect == Effect::Inserted && c.kind == ChangeKind::LinkTickets) {
    // A finding names its round item by the item's register entity (core/field.h finding_entity).
    const std::string other = c.link.kind == LinkKind::Finding ? finding_entity(c.link.finding) : c.link.other_ticket;
    rc = m_s.insert_link.reset().bind(1, cid).bind(2, c.ticket_id).bind(3, other)
             .bind(4, to_string(c.link.kind)).step();
  }
  if (rc != SQLITE_DONE) return sql_error(m_db, "apply.rows");
  if (out.conflict) {
    const Conflict& k = *out.conflict;
    rc = m_s.insert_conflict.reset().bind(1, cid).bind(2, c.ticket_id).bind(3, to_string(k.kind))
             .bind(4, k.loser.is_zero() ? std::string() : to_string(k.loser))
             .bind(5, k.winner.is_zero() ? std::string() : to_string(k.winner))
             .bind(6, k.subject).bind(7, k.value).bind(8, k.reason).step();
    if (rc != SQLITE_DONE) return sql_error(m_db, "apply.conflict");
  }
  return Ok{};
}

// Logs one change and folds it into its ticket, or marks the ticket to be refolded when the
// change does not come after everything already folded (R10).
Result<void> Batch::take(const Change& c, int64_t seq, int64_t skew_ms) {
  auto loaded = load(c.ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  const int64_t local = m_next_local++;
  const std::string record = encode_change_record(c);
  const ReplicaBytes replica(c.id.replica);
  // Changes to a ticket that does not exist are logged (rejected, R1); their fold position is not
  // kept once the batch ends. A create arriving after them may come first in the one order: fold
  // the ticket again from its log (R10), or they would stay rejected.
  if (!t.state.exists && t.head != 0 && c.kind == ChangeKind::CreateTicket) t.refold = true;
  CachedStmt& ins = m_s.insert_change.reset().bind(1, local).bind_blob_static(2, replica.view())
                        .bind(3, static_cast<int64_t>(c.id.counter));
  if (seq > 0) ins.bind(4, seq);
  else ins.bind_null(4);
  ins.bind(5, t.head).bind(6, static_cast<int64_t>(pack(c.stamp))).bind(7, skew_ms).bind_blob_static(8, record);
  if (ins.step() != SQLITE_DONE) return sql_error(m_db, "apply.log");
  // Never down: a scoped replica may take a replica's older change after a newer one (apply_pulled).
  if (c.id.counter > applied(c.id.replica)) m_applied[c.id.replica] = c.id.counter;
  if (seq == 0) ++m_unsent;
  t.head = local;
  t.dirty = true;
  if (is_field_kind(c.kind)) return write_field(c);  // Registers, in any order (R13-R15).

  const int64_t key = fold_key_for(seq, local);
  const bool outside_log = t.state.exists && t.fold_key == 0;
  if (t.refold || (!outside_log && key < t.fold_key)) {
    t.refold = true;
    return Ok{};
  }
  const MergeOutcome out = merge_change(t.state, c);
  tally_change(t.tally, t.state, c, out);
  t.fold_key = std::max(t.fold_key, key);
  return write_rows(c, out);
}

// Folds a ticket again from its log, in the one order (R10).
Result<void> Batch::refold(const std::string& id, Cached& t) {
  if (is_field_subject(id)) return refold_field(id, t);
  for (CachedStmt& d : m_s.delete_rows)
    if (d.reset().bind(1, id).step() != SQLITE_DONE) return sql_error(m_db, "apply.refold");
  const int64_t head = t.head;
  const bool head_in_table = t.head_in_table;
  t = Cached{};  // Its row is gone: written again in full.
  t.head = head;
  t.head_in_table = head_in_table;
  std::vector<std::pair<int64_t, Change>> log;  // By fold key.
  for (int64_t at = head; at != 0;) {
    CachedStmt& s = m_s.log_entry.reset().bind(1, at);
    const int rc = s.step();
    if (rc != SQLITE_ROW) {
      if (rc == SQLITE_DONE)
        return Error{ErrorCode::Corrupt, "[store.apply.refold] ticket " + id + ": log chain broken at " + std::to_string(at)};
      return sql_error(m_db, "apply.refold");
    }
    auto c = decode_change_record(s.text(0));
    if (!c) return Error{ErrorCode::Corrupt, "[store.apply.refold] ticket " + id + ": " + c.error().detail};
    log.emplace_back(fold_key_for(s.is_null(1) ? 0 : s.int64(1), at), std::move(c).value());
    const int64_t prev = s.int64(2);
    if (prev >= at) return Error{ErrorCode::Corrupt, "[store.apply.refold] ticket " + id + ": log chain loops"};
    at = prev;
  }
  std::sort(log.begin(), log.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [key, c] : log) {
    const MergeOutcome out = merge_change(t.state, c);
    tally_change(t.tally, t.state, c, out);
    t.fold_key = key;
    if (auto w = write_rows(c, out); !w) return w;
  }
  t.dirty = true;
  t.refold = false;
  return Ok{};
}

TicketRowValues ticket_row_values(const TicketState& state) {
  const Ticket& k = state.ticket;
  return {k.citizen_name,           k.citizen_phone,        k.community,        k.address,
          std::string(to_string(k.category)), std::string(to_string(k.urgency)), k.title, k.description,
          std::string(to_string(k.status)),   state.lead_department, state.deleted ? "1" : "0", k.official_number};
}

// The UPDATE of a ticket's row that sets the columns of kTicketRowColumns in `columns` (bit i:
// column i, as ?(8 + i)) besides those every fold changes (?1-?6); the rowid is ?7. Each set of
// columns is prepared once; past 64 of them (rare: an edit changes a field or two) every column is
// set, and `columns` says so, for the caller binds what the statement names.
CachedStmt* Batch::update_statement(uint32_t& columns) {
  static_assert(std::string_view(kTicketRowColumns[kDeletedColumn]) == "deleted");
  constexpr uint32_t kAll = (1u << kTicketRowColumnCount) - 1;
  if (m_s.update_ticket.size() >= 64 && !m_s.update_ticket.contains(columns)) columns = kAll;
  auto [it, made] = m_s.update_ticket.try_emplace(columns);
  if (made) {
    std::string sql = "UPDATE OR ROLLBACK tickets SET updated_at = ?1, work_count = ?2, fold_key = ?3, versions = ?4, "
                      "log_head = ?5, report_tally = ?6";
    for (size_t i = 0; i < kTicketRowColumnCount; ++i)
      if (columns & (1u << i)) sql += std::string(", ") + kTicketRowColumns[i] + " = ?" + std::to_string(8 + i);
    sql += " WHERE rowid = ?7";
    if (it->second.prepare(m_db, sql.c_str()) != SQLITE_OK) {
      m_s.update_ticket.erase(it);
      return nullptr;
    }
  }
  return &it->second;
}

// Writes a ticket's row. A row that was there takes an UPDATE by rowid of the columns that changed
// (update_statement): no unique-key probe, and only the indexes and triggers over those columns.
Result<void> Batch::write_ticket(const std::string& id, Cached& t) {
  const Ticket& k = t.state.ticket;
  const std::string versions = encode_versions(t.state);
  TicketRowValues now = ticket_row_values(t.state);
  if (t.rowid != 0) {
    uint32_t columns = 0;
    for (size_t i = 0; i < kTicketRowColumnCount; ++i)
      if (now[i] != t.written[i]) columns |= 1u << i;
    CachedStmt* u = update_statement(columns);
    if (!u) return sql_error(m_db, "apply.ticket");
    u->reset().bind(1, k.updated_at_ms).bind(2, t.state.work_count).bind(3, t.fold_key).bind_blob_static(4, versions)
        .bind(5, t.head);
    if (t.tally_known) u->bind(6, pack_tally(t.tally));
    else u->bind_null(6);
    u->bind(7, t.rowid);
    for (size_t i = 0; i < kTicketRowColumnCount; ++i) {
      if (!(columns & (1u << i))) continue;
      const int param = static_cast<int>(8 + i);
      if (i == kDeletedColumn) u->bind(param, int64_t{t.state.deleted});
      else u->bind_static(param, now[i]);
    }
    if (u->step() != SQLITE_DONE) return sql_error(m_db, "apply.ticket");
    t.written = std::move(now);
    return Ok{};
  }
  m_s.upsert_ticket.reset().bind(1, id).bind(2, k.provisional_number).bind(3, k.official_number)
                     .bind(4, to_string(k.source)).bind(5, k.received_at_ms).bind(6, k.citizen_name)
                     .bind(7, k.citizen_phone).bind(8, k.community).bind(9, k.address)
                     .bind(10, to_string(k.category)).bind(11, to_string(k.urgency)).bind(12, k.title)
                     .bind(13, k.description).bind(14, to_string(k.status)).bind(15, k.created_at_ms)
                     .bind(16, k.updated_at_ms).bind(17, t.state.lead_department)
                     .bind(18, int64_t{t.state.deleted}).bind(19, t.state.work_count).bind(20, t.fold_key)
                     .bind_blob(21, versions).bind(22, t.head);
  if (t.tally_known) m_s.upsert_ticket.bind(23, pack_tally(t.tally));
  else m_s.upsert_ticket.bind_null(23);
  const int rc = m_s.upsert_ticket.step();
  if (rc != SQLITE_DONE) return sql_error(m_db, "apply.ticket");
  t.written = std::move(now);  // As now written (a new row's rowid stays unknown: not cached).
  return Ok{};
}

// An own change the server acknowledged: record its number and stamp. Whether its ticket must be
// refolded (its place in the order or its stamp changed) is settled once per ticket in finish().
// False when the log does not have the change (then there is nothing to acknowledge).
Result<bool> Batch::ack(const Ack& a) {
  const ReplicaBytes replica(a.id.replica);
  CachedStmt& f = m_s.find_change.reset().bind_blob(1, replica.view()).bind(2, static_cast<int64_t>(a.id.counter));
  const int rc = f.step();
  if (rc == SQLITE_DONE) return false;
  if (rc != SQLITE_ROW) return sql_error(m_db, "apply.ack");
  const int64_t local = f.int64(0);
  if (!f.is_null(1)) {  // Acknowledged before.
    // With another number only from a server put back from a copy that lacked the change, which
    // its author sent again (docs/protocol.md, "After a restore"): the server's new order is the
    // one every replica folds by from now on.
    if (a.seq <= 0 || f.int64(1) == a.seq) return true;
    return renumber(a, local, f.int64(2), f.text(3));
  }
  const bool restamped = unpack_hlc(static_cast<uint64_t>(f.int64(2))) != a.stamp;
  auto c = decode_change_record(f.text(3));
  if (!c) return Error{ErrorCode::Corrupt, "[store.apply.ack] " + c.error().detail};
  std::string record;
  if (restamped) {
    c->stamp = a.stamp;
    record = encode_change_record(*c);
  } else {
    record = f.text(3);
  }
  if (m_s.ack_change.reset().bind(1, a.seq).bind(2, static_cast<int64_t>(pack(a.stamp))).bind(3, a.skew_ms)
          .bind_blob(4, record).bind(5, local).step() != SQLITE_DONE)
    return sql_error(m_db, "apply.ack");
  --m_unsent;
  auto loaded = load(c->ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  // A change of the ticket already numbered after this one means the fold order changed.
  if (restamped || (t.acked && a.seq < t.acked_max_seq)) t.refold = true;
  t.acked_min_seq = t.acked ? std::min(t.acked_min_seq, a.seq) : a.seq;
  t.acked_max_seq = t.acked ? std::max(t.acked_max_seq, a.seq) : a.seq;
  t.acked = true;
  t.acked_locals.push_back(local);
  return true;
}

// A change acknowledged before, now numbered `a.seq` (and stamped `a.stamp`) by the server: its
// ticket is folded again in the new order.
Result<bool> Batch::renumber(const Ack& a, int64_t local, int64_t hlc, const std::string& stored) {
  auto c = decode_change_record(stored);
  if (!c) return Error{ErrorCode::Corrupt, "[store.apply.ack] " + c.error().detail};
  std::string record = stored;
  if (unpack_hlc(static_cast<uint64_t>(hlc)) != a.stamp) {
    c->stamp = a.stamp;
    record = encode_change_record(*c);
  }
  if (m_s.ack_change.reset().bind(1, a.seq).bind(2, static_cast<int64_t>(pack(a.stamp))).bind(3, a.skew_ms)
          .bind_blob(4, record).bind(5, local).step() != SQLITE_DONE)
    return sql_error(m_db, "apply.ack");
  auto loaded = load(c->ticket_id);
  if (!loaded) return loaded.error();
  (*loaded)->refold = true;
  return true;
}

// Settles the acknowledgements of a ticket's changes in this batch with one walk of its log: it is
// refolded when a change not acknowledged here has a later number than one that was (an upper
// bound on "a later number existed when it was acknowledged": a refold is always right, only slower);
// otherwise its fold key becomes the highest key in its log.
Result<void> Batch::resolve_acks(Cached& t) {
  int64_t other_max_seq = 0, max_key = 0;
  for (int64_t at = t.head; at != 0;) {
    CachedStmt& s = m_s.log_link.reset().bind(1, at);
    if (s.step() != SQLITE_ROW) return sql_error(m_db, "apply.ack");
    const int64_t seq = s.is_null(0) ? 0 : s.int64(0);
    max_key = std::max(max_key, fold_key_for(seq, at));
    if (seq > 0 && std::find(t.acked_locals.begin(), t.acked_locals.end(), at) == t.acked_locals.end())
      other_max_seq = std::max(other_max_seq, seq);
    const int64_t prev = s.int64(1);
    if (prev >= at) return Error{ErrorCode::Corrupt, "[store.apply.ack] log chain loops"};
    at = prev;
  }
  if (other_max_seq > t.acked_min_seq) {
    t.refold = true;
  } else if (t.fold_key != 0) {
    t.fold_key = max_key;
    t.dirty = true;
  }
  return Ok{};
}

Result<void> Batch::write_due(const std::string& id, Cached& t) {
  static const WorkdayCalendar kNone;
  const Deadlines d = compute_deadlines(t.state, m_s.calendar ? *m_s.calendar : kNone);
  // due_at is 0 when nothing is due or its date is unknown; due_stage says which stage is due, or
  // "unknown" when the calendar lacks a year the deadline needs.
  const std::string_view stage = d.calendar_missing && d.due_ms == 0 ? "unknown" : to_string(d.stage);
  if (t.due_at == d.due_ms && t.due_stage == stage && t.warning == d.warning) return Ok{};
  if (m_s.update_due.reset().bind(1, d.due_ms).bind(2, stage).bind(3, int64_t{d.warning}).bind(4, id).step() !=
      SQLITE_DONE)
    return sql_error(m_db, "apply.due");
  t.due_at = d.due_ms;
  t.due_stage = stage;
  t.warning = d.warning;
  return Ok{};
}

Result<void> Batch::write_co_handlers(const std::string& id, Cached& t) {
  const std::vector<CoHandler>& now = t.state.co_handlers;
  if (now == t.co_written) return Ok{};
  if (m_s.delete_rows[4].reset().bind(1, id).step() != SQLITE_DONE) return sql_error(m_db, "apply.co_handlers");
  static const WorkdayCalendar kNone;
  for (const CoHandler& h : now) {
    if (h.added_at_ms == 0) continue;  // Named by a removal or reply only, so far: no department to query by.
    // Its reply deadline while it owes one (0: none, or the calendar lacks the year).
    const int64_t due = h.state() == CoHandlerState::Pending
                            ? co_handler_due(m_s.calendar ? *m_s.calendar : kNone, h).value_or(0)
                            : 0;
    if (m_s.insert_co_handler.reset().bind(1, id).bind(2, to_string(h.added)).bind(3, h.department)
            .bind(4, to_string(h.state())).bind(5, h.added_at_ms).bind(6, h.replied_at_ms).bind(7, due)
            .step() != SQLITE_DONE)
      return sql_error(m_db, "apply.co_handlers");
  }
  t.co_written = now;
  return Ok{};
}

Result<void> Batch::finish() {
  for (auto& [id, t] : m_tickets) {
    if (t.acked && !t.refold)
      if (auto r = resolve_acks(t); !r) return r;
    const bool outside_log = t.state.exists && t.fold_key == 0;
    // A ticket whose row an earlier build wrote has no report tally yet: its fold gives one.
    if (t.dirty && t.state.exists && !t.tally_known && !outside_log) t.refold = true;
    if (t.refold && !outside_log)
      if (auto r = refold(id, t); !r) return r;
    if (!t.dirty) continue;
    if (t.state.exists) {
      if (auto r = write_ticket(id, t); !r) return r;
      if (auto r = write_due(id, t); !r) return r;
      if (auto r = write_co_handlers(id, t); !r) return r;
      if (t.head_in_table && m_s.delete_head.reset().bind(1, id).step() != SQLITE_DONE)
        return sql_error(m_db, "apply.head");
    } else if (t.head != 0) {
      if (m_s.upsert_head.reset().bind(1, id).bind(2, t.head).step() != SQLITE_DONE) return sql_error(m_db, "apply.head");
    } else if (t.head_in_table) {  // Its whole log was taken out (store/forget.cpp).
      if (m_s.delete_head.reset().bind(1, id).step() != SQLITE_DONE) return sql_error(m_db, "apply.head");
    }
  }
  if (auto r = write_leaving(); !r) return r;
  for (const auto& [replica, counter] : m_applied)
    if (m_s.upsert_replica.reset().bind_blob(1, ReplicaBytes(replica).view()).bind(2, static_cast<int64_t>(counter))
            .step() != SQLITE_DONE)
      return sql_error(m_db, "apply.replicas");
  const std::pair<const char*, int64_t> meta[] = {{"sync.next_local", m_next_local},
                                                  {"sync.cursor", m_cursor},
                                                  {"sync.max_skew", m_max_skew},
                                                  {"sync.hlc", static_cast<int64_t>(pack(m_clock.last()))}};
  for (const auto& [key, value] : meta)
    if (m_s.upsert_meta.reset().bind(1, key).bind(2, std::to_string(value)).step() != SQLITE_DONE)
      return sql_error(m_db, "apply.meta");
  return Ok{};
}

Result<void> write_search(sqlite3* db, Store::Sync& s) {
  if (!s.search_prepared) {
    s.search_pending.prepare(db, "SELECT ticket, indexed FROM search_pending");
    s.search_delete.prepare(db, "DELETE FROM ticket_search WHERE rowid = ?");
    s.search_write.prepare(db, kSearchWriteSql);
    s.search_clear.prepare(db, "DELETE FROM search_pending");
    s.search_prepared = true;
  }
  std::vector<int64_t> stale;  // Rowids whose entry in the index goes first.
  bool any = false;
  CachedStmt& p = s.search_pending.reset();
  int rc;
  while ((rc = p.step()) == SQLITE_ROW) {
    any = true;
    if (p.int64(1) != 0) stale.push_back(p.int64(0));
  }
  p.reset();
  if (rc != SQLITE_DONE) return sql_error(db, "apply.search");
  if (!any) return Ok{};
  // Deleting a contentless_delete entry marks it deleted in its segment; nothing is held in FTS5's
  // memory, so these statements' savepoints flush nothing. Then every text in one statement: one
  // flush, one segment, at the commit.
  for (int64_t rowid : stale)
    if (s.search_delete.reset().bind(1, rowid).step() != SQLITE_DONE) return sql_error(db, "apply.search");
  if (s.search_write.reset().step() != SQLITE_DONE) return sql_error(db, "apply.search");
  s.search_write.reset();
  if (s.search_clear.reset().step() != SQLITE_DONE) return sql_error(db, "apply.search");
  return Ok{};
}

void Batch::commit_to_memory() {
  // Tickets whose row is now exactly as cached go to the committed cache for the next batch.
  if (m_s.committed.size() + m_tickets.size() > kCommittedTickets) m_s.committed.clear();
  // Whole nodes change maps: a Cached is some thirty strings, and moving each into a new node was a
  // twentieth of a batch of 1,000 changes.
  for (auto it = m_tickets.begin(); it != m_tickets.end();) {
    Cached& t = it->second;
    if (!t.state.exists || t.rowid == 0 || t.refold || (t.head_in_table && !t.dirty)) {
      ++it;
      continue;
    }
    if (m_s.committed.size() >= kCommittedTickets) break;  // A batch of more tickets than it holds.
    t.dirty = false;
    t.head_in_table = false;  // Deleted by finish() when the row was written; never set for a row otherwise.
    t.acked = false;
    t.acked_locals.clear();
    auto r = m_s.committed.insert(m_tickets.extract(it++));
    if (!r.inserted) r.position->second = std::move(r.node.mapped());
  }
  for (const auto& [replica, counter] : m_applied) m_s.applied[replica] = counter;
  for (const auto& [ticket, on] : m_leaving) {
    if (on) m_s.leaving.insert(ticket);
    else m_s.leaving.erase(ticket);
  }
  m_s.next_seq = m_next_seq;
  m_s.next_local = m_next_local;
  m_s.cursor = m_cursor;
  m_s.max_skew = m_max_skew;
  m_s.unsent = m_unsent;
  m_s.clock = m_clock;
}

namespace {

// Runs `body` on a batch inside BEGIN IMMEDIATE ... COMMIT; on any failure rolls back and leaves
// the in-memory state as it was.
// Inside Store::in_one_transaction the batch is part of the caller's transaction: no BEGIN or
// COMMIT of its own, and a failure is left for in_one_transaction to roll back.
template <class Body>
Result<void> in_transaction(sqlite3* db, Store::Sync& sync, Body&& body) {
  const bool nested = sqlite3_get_autocommit(db) == 0;
  if (!nested && sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return sql_error(db, "apply.begin");
  // The committed cache holds only while nothing but our batches wrote: no other connection
  // committed (data_version) and this one changed no row since (total_changes).
  int64_t data_version = -1;
  if (sync.data_version.reset().step() == SQLITE_ROW) data_version = sync.data_version.int64(0);
  sync.data_version.reset();
  if (data_version < 0 || data_version != sync.committed_data_version ||
      sqlite3_total_changes64(db) != sync.committed_changes)
    sync.committed.clear();
  Batch batch(db, sync, true);
  Result<void> r = body(batch);
  if (r) r = batch.finish();
  // Inside Store::in_one_transaction the search is written once, before its commit.
  if (r && !nested) r = write_search(db, sync);
  // A read statement left on its last row would keep this connection's snapshot open after the
  // commit, and the next BEGIN IMMEDIATE would fail once another connection has written.
  for (CachedStmt* q : {&sync.load_ticket, &sync.load_head, &sync.log_entry, &sync.log_link, &sync.find_change})
    q->reset();
  if (r && !nested && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) r = sql_error(db, "apply.commit");
  if (!r) {
    // A statement left mid-step after an I/O error keeps the pager in its error state: reset all.
    for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) sqlite3_reset(s);
    if (!nested) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return r;
  }
  batch.commit_to_memory();
  sync.committed_data_version = data_version;
  sync.committed_changes = sqlite3_total_changes64(db);
  return Ok{};
}

}  // namespace

std::optional<ReplicaId> replica_from_bytes(std::string_view bytes) {
  ReplicaId r;
  if (!get_fixed64(bytes, r.hi) || !get_fixed64(bytes, r.lo) || !bytes.empty()) return std::nullopt;
  return r;
}

std::string encode_versions(const TicketState& state) {
  std::string out;
  out.reserve(static_cast<size_t>(kEditableFieldCount + 1) * 32);
  for (int f = 0; f <= kEditableFieldCount; ++f) {
    const Version& v = f == kEditableFieldCount ? state.status : state.fields[static_cast<size_t>(f)];
    if (v.id.is_zero()) continue;
    out.push_back(static_cast<char>(f == kEditableFieldCount ? kStatusSlot : f));
    put_fixed64(out, v.id.replica.hi);
    put_fixed64(out, v.id.replica.lo);
    put_varint(out, v.id.counter);
    put_varint(out, pack(v.stamp));
  }
  for (const ClockEvent& e : state.clock) {
    out.push_back(static_cast<char>(kClockSlot));
    out.push_back(static_cast<char>(e.kind));
    put_varint(out, static_cast<uint64_t>(e.at_ms));
    put_varint(out, static_cast<uint64_t>(static_cast<uint32_t>(e.days)));
    put_fixed64(out, e.ref.replica.hi);
    put_fixed64(out, e.ref.replica.lo);
    put_varint(out, e.ref.counter);
  }
  for (const CoHandler& h : state.co_handlers) {
    out.push_back(static_cast<char>(kCoHandlerSlot));
    put_fixed64(out, h.added.replica.hi);
    put_fixed64(out, h.added.replica.lo);
    put_varint(out, h.added.counter);
    put_varint(out, static_cast<uint64_t>(h.added_at_ms));
    put_varint(out, static_cast<uint64_t>(h.replied_at_ms));
    out.push_back(h.removed ? 1 : 0);
    put_varint(out, h.department.size());
    out.append(h.department);
  }
  return out;
}

bool decode_versions(std::string_view in, TicketState& state) {
  while (!in.empty()) {
    const auto f = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    if (f == kClockSlot) {
      if (in.empty()) return false;
      ClockEvent e;
      const auto kind = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      if (kind < 1 || kind > 9) return false;
      e.kind = static_cast<ClockEventKind>(kind);
      uint64_t at = 0, days = 0;
      if (!get_varint(in, at) || !get_varint(in, days) || !get_fixed64(in, e.ref.replica.hi) ||
          !get_fixed64(in, e.ref.replica.lo) || !get_varint(in, e.ref.counter))
        return false;
      e.at_ms = static_cast<int64_t>(at);
      e.days = static_cast<int32_t>(static_cast<uint32_t>(days));
      state.clock.push_back(e);
      continue;
    }
    if (f == kCoHandlerSlot) {
      CoHandler h;
      uint64_t added_at = 0, replied_at = 0, size = 0;
      if (!get_fixed64(in, h.added.replica.hi) || !get_fixed64(in, h.added.replica.lo) || !get_varint(in, h.added.counter) ||
          !get_varint(in, added_at) || !get_varint(in, replied_at) || in.empty())
        return false;
      h.removed = in[0] != 0;
      in.remove_prefix(1);
      if (!get_varint(in, size) || size > in.size()) return false;
      h.department.assign(in.substr(0, static_cast<size_t>(size)));
      in.remove_prefix(static_cast<size_t>(size));
      h.added_at_ms = static_cast<int64_t>(added_at);
      h.replied_at_ms = static_cast<int64_t>(replied_at);
      state.co_handlers.push_back(std::move(h));
      continue;
    }
    Version v;
    uint64_t stamp = 0;
    if ((f >= kEditableFieldCount && f != kStatusSlot) || !get_fixed64(in, v.id.replica.hi) || !get_fixed64(in, v.id.replica.lo) ||
        !get_varint(in, v.id.counter) || !get_varint(in, stamp))
      return false;
    v.stamp = unpack_hlc(stamp);
    (f == kStatusSlot ? state.status : state.fields[f]) = v;
  }
  return true;
}

std::string_view to_string(ApplyStatus s) {
  switch (s) {
    case ApplyStatus::Applied: return "applied";
    case ApplyStatus::Duplicate: return "duplicate";
    case ApplyStatus::Gap: return "gap";
    case ApplyStatus::Invalid: return "invalid";
  }
  return "?";
}

Store::Sync& Store::sync() {
  if (m_sync) return *m_sync;
  m_sync = std::make_unique<Sync>();
  Sync& s = *m_sync;
  s.calendar = m_calendar;
  CachedStmt* stmts[] = {&s.insert_change,   &s.load_ticket,     &s.load_head,       &s.upsert_ticket,
                         &s.upsert_head,     &s.delete_head,     &s.insert_timeline, &s.insert_photo,
                         &s.insert_link,     &s.insert_conflict, &s.upsert_replica,  &s.upsert_meta,
                         &s.log_entry,       &s.log_link,        &s.find_change,     &s.ack_change,
                         &s.delete_rows[0],  &s.delete_rows[1],  &s.delete_rows[2],  &s.delete_rows[3],
                         &s.delete_rows[4],  &s.delete_rows[5],  &s.set_prev,        &s.delete_change,
                         &s.insert_refused,  &s.mark_leaving,    &s.unmark_leaving,  &s.update_due,
                         &s.insert_co_handler, &s.insert_left};
  static_assert(sizeof(stmts) / sizeof(stmts[0]) == sizeof(kSql) / sizeof(kSql[0]));
  for (size_t i = 0; i < sizeof(kSql) / sizeof(kSql[0]); ++i) stmts[i]->prepare(m_db, kSql[i]);
  s.data_version.prepare(m_db, "PRAGMA data_version");
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(m_db, "SELECT replica, applied FROM replicas", -1, &q, nullptr) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(q, 0));
      const std::string_view view(bytes ? bytes : "", static_cast<size_t>(sqlite3_column_bytes(q, 0)));
      if (auto r = replica_from_bytes(view)) s.applied[*r] = static_cast<uint64_t>(sqlite3_column_int64(q, 1));
    }
  }
  sqlite3_finalize(q);
  if (sqlite3_prepare_v2(m_db, "SELECT max(seq) FROM changes", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    s.next_seq = sqlite3_column_int64(q, 0) + 1;
  sqlite3_finalize(q);
  // Past the numbers skipped after a restore (Store::skip_numbers_after_copy), until a change has one.
  s.next_seq = std::max(s.next_seq, meta_int(m_db, "log.next_seq", 1));
  s.next_local = meta_int(m_db, "sync.next_local", 1);
  s.cursor = meta_int(m_db, "sync.cursor", 0);
  s.answer = meta_int(m_db, "sync.answer", 0);
  s.max_skew = meta_int(m_db, "sync.max_skew", 0);
  if (sqlite3_prepare_v2(m_db, "SELECT count(*) FROM changes WHERE seq IS NULL", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    s.unsent = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  s.clock = HlcClock(unpack_hlc(static_cast<uint64_t>(meta_int(m_db, "sync.hlc", 0))));
  if (sqlite3_prepare_v2(m_db, "SELECT ticket_id FROM leaving_tickets", -1, &q, nullptr) == SQLITE_OK)
    while (sqlite3_step(q) == SQLITE_ROW)
      s.leaving.emplace(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)),
                        static_cast<size_t>(sqlite3_column_bytes(q, 0)));
  sqlite3_finalize(q);
  return s;
}

Result<std::vector<ChangeResult>> Store::apply_changes(const std::vector<Change>& changes, ApplyMode mode,
                                                       int64_t now_ms) {
  std::vector<ChangeResult> results;
  results.reserve(changes.size());
  auto r = in_transaction(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const Change& in : changes) {
      ChangeResult res{in.id, ApplyStatus::Applied, 0, in.stamp, 0, Effect::Applied, {}};
      const uint64_t have = b.applied(in.id.replica);
      if (in.id.counter <= have) res.status = ApplyStatus::Duplicate;
      else if (in.id.counter > have + 1) res.status = ApplyStatus::Gap;
      else if (auto v = validate_change(in); !v) {
        res.status = ApplyStatus::Invalid;
        res.detail = v.error().detail;
      }
      if (res.status != ApplyStatus::Applied) {
        results.push_back(std::move(res));
        continue;
      }
      if (mode == ApplyMode::Accept) {
        const ReceiveOutcome got = b.clock().receive(in.stamp, now_ms);  // R11.
        res.stamp = got.stamp;
        res.skew_ms = got.skew_ms;
        res.seq = b.take_seq();
        b.note_skew(got.skew_ms);
      } else {
        b.clock().receive(in.stamp, now_ms);
      }
      if (res.stamp == in.stamp) {
        if (auto t = b.take(in, res.seq, res.skew_ms); !t) return t;
      } else {
        Change clamped = in;
        clamped.stamp = res.stamp;
        if (auto t = b.take(clamped, res.seq, res.skew_ms); !t) return t;
      }
      results.push_back(std::move(res));
    }
    return Ok{};
  });
  if (!r) return r.error();
  return results;
}

// The server's order is authoritative, and a replica with a scope sees only part of it: some of
// another replica's changes and not others, and, when a ticket comes into its scope, that ticket's
// older changes after newer ones of the same replicas. So a counter past the highest applied is no
// gap, and one at or below it is a duplicate only if the log has it (looked up only then: the
// common case, a new change, stays a lookup in the version vector). R10 refolds a ticket whose
// change arrives beneath ones already folded.
Result<std::vector<ChangeResult>> Store::apply_pulled(const std::vector<SequencedChange>& changes, int64_t now_ms) {
  std::vector<ChangeResult> results;
  results.reserve(changes.size());
  auto r = in_transaction(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const SequencedChange& in : changes) {
      const Change& c = in.change;
      ChangeResult res{c.id, ApplyStatus::Applied, in.seq, c.stamp, 0, Effect::Applied, {}};
      const ReceiveOutcome got = b.clock().receive(c.stamp, now_ms);
      b.note_skew(got.skew_ms);  // The stamp stays as the server ordered it: it is canonical.
      bool here = false;
      if (c.id.counter <= b.applied(c.id.replica)) {
        auto known = b.ack(Ack{c.id, in.seq, c.stamp, 0});  // An own change coming back is acknowledged.
        if (!known) return known.error();
        here = *known;
      }
      if (here) {
        res.status = ApplyStatus::Duplicate;
      } else if (auto v = validate_change(c); !v) {
        res.status = ApplyStatus::Invalid;
        res.detail = v.error().detail;
        results.push_back(std::move(res));
        break;  // Nothing after it is taken: the order stays whole.
      } else if (auto t = b.take(c, in.seq, 0); !t) {
        return t;
      }
      b.keep(c.ticket_id);
      b.set_cursor(in.seq);
      results.push_back(std::move(res));
    }
    return Ok{};
  });
  if (!r) return r.error();
  return results;
}

Result<void> Store::acknowledge(const std::vector<Ack>& acks) {
  return in_transaction(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const Ack& a : acks)
      if (auto r = b.ack(a); !r) return r.error();
    return Ok{};
  });
}

Result<void> run_batch(sqlite3* db, Store::Sync& sync, const std::function<Result<void>(Batch&)>& body) {
  return in_transaction(db, sync, body);
}

uint64_t Store::applied_counter(const ReplicaId& replica) {
  const auto& applied = sync().applied;
  auto it = applied.find(replica);
  return it == applied.end() ? 0 : it->second;
}

Result<std::optional<TicketState>> Store::get_ticket_state(const std::string& id) {
  Batch b(m_db, sync(), false);
  auto t = b.load(id);
  m_sync->load_ticket.reset();  // Ends the read: no snapshot stays open (see in_transaction).
  m_sync->load_head.reset();
  if (!t) return t.error();
  if (!(*t)->state.exists) return std::optional<TicketState>{};
  return std::optional<TicketState>{(*t)->state};
}

Result<void> Store::in_one_transaction(const std::function<Result<void>()>& body) {
  sync();  // Loaded before the transaction: a reload after a failure reads what was committed.
  if (sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return sql_error(m_db, "apply.group_begin");
  Result<void> r = body();
  if (r) r = write_search(m_db, sync());
  if (r && sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) r = sql_error(m_db, "apply.group_commit");
  if (!r) {
    for (sqlite3_stmt* s = sqlite3_next_stmt(m_db, nullptr); s; s = sqlite3_next_stmt(m_db, s)) sqlite3_reset(s);
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    // The batches inside already moved the in-memory state (counters, sequence numbers, cached
    // tickets) past what is now rolled back: read it again from the file.
    m_sync.reset();
  }
  return r;
}

int64_t Store::last_seq() { return sync().next_seq - 1; }

Result<void> Store::begin_reading() {
  // BEGIN alone starts nothing; the first read takes the snapshot and the lock.
  return exec("BEGIN", "begin_reading");
}

void Store::leave_checkpoints_to_others() { sqlite_util::leave_checkpoints_to_others(m_db); }

int64_t Store::cache_bytes() const {
  int used = 0, highest = 0;
  sqlite3_db_status(m_db, SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0);
  return used;
}

void Store::end_reading() {
  sqlite_util::end_reads(m_db);
  if (sqlite3_get_autocommit(m_db) == 0) sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
}
Hlc Store::stamp_now(int64_t now_ms) { return sync().clock.now(now_ms); }
ReceiveOutcome Store::receive_stamp(const Hlc& stamp, int64_t now_ms) { return sync().clock.receive(stamp, now_ms); }
int64_t Store::pull_cursor() { return sync().cursor; }
int64_t Store::pull_answer() { return sync().answer; }
int64_t Store::max_clock_skew_ms() { return sync().max_skew; }

}  // namespace linli
