// The change log: applying batches of changes in one transaction, idempotently (R9), folding each
// into its ticket with the pure merge rules (core/merge.h) in one order on every replica (R10).
// No merge decision is made here: this file loads state, calls merge_change, and writes the result.
#include <algorithm>
#include <string>
#include <vector>

#include "store/apply_internal.h"

namespace linli {
namespace {

constexpr int64_t kUnsentBase = int64_t{1} << 62;
constexpr int kStatusBit = kEditableFieldCount;  // Bit of the status version in Cached::dirty_versions.

int64_t fold_key_for(int64_t seq, int64_t local_order) { return seq > 0 ? seq : kUnsentBase + local_order; }

Error sql_error(sqlite3* db, std::string_view where) {
  return Error{ErrorCode::Storage, "[store." + std::string(where) + "] " + sqlite3_errmsg(db)};
}

// A ticket's state while a batch works on it.
struct Cached {
  TicketState state;
  int64_t fold_key = 0;  // 0 and existing: made by create_ticket, outside the log: never refolded.
  bool dirty = false;
  bool refold = false;
  uint32_t dirty_versions = 0;
};

const char* const kSql[] = {
    // insert_change
    "INSERT INTO changes (replica, counter, seq, ticket_id, hlc, skew_ms, local_order, record) VALUES (?,?,?,?,?,?,?,?)",
    // load_ticket
    "SELECT provisional_number, official_number, source, received_at, citizen_name, citizen_phone, community, "
    "address, category, urgency, title, description, status, created_at, updated_at, lead_department, deleted, "
    "work_count, fold_key FROM tickets WHERE id = ?",
    // load_versions
    "SELECT field, replica, counter, hlc FROM field_versions WHERE ticket_id = ?",
    // upsert_ticket
    "INSERT INTO tickets (id, provisional_number, official_number, source, received_at, citizen_name, citizen_phone, "
    "community, address, category, urgency, title, description, status, created_at, updated_at, lead_department, "
    "deleted, work_count, fold_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
    "citizen_name = excluded.citizen_name, citizen_phone = excluded.citizen_phone, community = excluded.community, "
    "address = excluded.address, category = excluded.category, urgency = excluded.urgency, title = excluded.title, "
    "description = excluded.description, status = excluded.status, updated_at = excluded.updated_at, "
    "lead_department = excluded.lead_department, deleted = excluded.deleted, work_count = excluded.work_count, "
    "fold_key = excluded.fold_key",
    // upsert_version
    "INSERT INTO field_versions (ticket_id, field, replica, counter, hlc) VALUES (?,?,?,?,?) "
    "ON CONFLICT (ticket_id, field) DO UPDATE SET replica = excluded.replica, counter = excluded.counter, hlc = excluded.hlc",
    // insert_timeline
    "INSERT INTO timeline (change_id, ticket_id, hlc, author, role, kind, text, satisfaction, days, request, approved) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    // insert_photo
    "INSERT INTO photos (change_id, ticket_id, sha256, size, type) VALUES (?,?,?,?,?)",
    // insert_link
    "INSERT INTO links (change_id, ticket_id, other_ticket, kind) VALUES (?,?,?,?)",
    // insert_conflict
    "INSERT INTO conflicts (cause, ticket_id, kind, loser, winner, subject, value, reason) VALUES (?,?,?,?,?,?,?,?)",
    // upsert_replica
    "INSERT INTO replicas (replica, applied) VALUES (?,?) ON CONFLICT (replica) DO UPDATE SET applied = excluded.applied",
    // upsert_meta
    "INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    // ticket_log
    "SELECT record, seq, local_order FROM changes WHERE ticket_id = ? ORDER BY seq IS NULL, seq, local_order",
    // find_change
    "SELECT ticket_id, seq, hlc, record FROM changes WHERE replica = ? AND counter = ?",
    // ack_change
    "UPDATE changes SET seq = ?, hlc = ?, skew_ms = ?, record = ? WHERE replica = ? AND counter = ? AND seq IS NULL",
    // later_seq
    "SELECT EXISTS (SELECT 1 FROM changes WHERE ticket_id = ? AND seq > ?)",
    // fold_key_of
    "SELECT max(CASE WHEN seq IS NULL THEN ? + local_order ELSE seq END) FROM changes WHERE ticket_id = ?",
    // delete_rows
    "DELETE FROM timeline WHERE ticket_id = ?1", "DELETE FROM photos WHERE ticket_id = ?1",
    "DELETE FROM links WHERE ticket_id = ?1", "DELETE FROM conflicts WHERE ticket_id = ?1",
    "DELETE FROM field_versions WHERE ticket_id = ?1", "DELETE FROM tickets WHERE id = ?1",
};

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

// One batch: its tickets, its view of the version vector and counters, committed to the store's
// memory only when the transaction commits.
class Batch {
 public:
  Batch(sqlite3* db, Store::Sync& sync)
      : m_db(db), m_s(sync), m_next_seq(sync.next_seq), m_next_local(sync.next_local),
        m_cursor(sync.cursor), m_max_skew(sync.max_skew), m_unsent(sync.unsent), m_clock(sync.clock) {}

  uint64_t applied(const ReplicaId& r) const {
    if (auto it = m_applied.find(r); it != m_applied.end()) return it->second;
    auto it = m_s.applied.find(r);
    return it == m_s.applied.end() ? 0 : it->second;
  }

  Result<Cached*> load(const std::string& ticket_id);
  Result<void> take(const Change& c, int64_t seq, int64_t skew_ms);
  Result<void> ack(const Ack& a);
  Result<void> finish();
  void commit_to_memory();

  HlcClock& clock() { return m_clock; }
  int64_t take_seq() { return m_next_seq++; }
  void note_skew(int64_t skew) { m_max_skew = std::max(m_max_skew, skew); }
  void set_cursor(int64_t c) { m_cursor = std::max(m_cursor, c); }
  bool has_unsent() const { return m_unsent > 0; }

 private:
  Result<void> write_rows(const Change& c, const MergeOutcome& out);
  Result<void> refold(const std::string& ticket_id, Cached& t);
  Result<void> write_ticket(const std::string& ticket_id, Cached& t);

  sqlite3* m_db;
  Store::Sync& m_s;
  VersionVector m_applied;
  std::unordered_map<std::string, Cached> m_tickets;
  int64_t m_next_seq, m_next_local, m_cursor, m_max_skew, m_unsent;
  HlcClock m_clock;
};

Result<Cached*> Batch::load(const std::string& id) {
  if (auto it = m_tickets.find(id); it != m_tickets.end()) return &it->second;
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
    t.state.exists = true;
  } else if (rc != SQLITE_DONE) {
    return sql_error(m_db, "apply.load");
  }
  if (t.state.exists) {
    CachedStmt& v = m_s.load_versions.reset().bind(1, id);
    int vrc;
    while ((vrc = v.step()) == SQLITE_ROW) {
      const std::string field = v.text(0);
      const auto replica = parse_replica_id(v.text(1));
      const Version ver{ChangeId{replica.value_or(ReplicaId{}), static_cast<uint64_t>(v.int64(2))},
                        unpack_hlc(static_cast<uint64_t>(v.int64(3)))};
      if (field == "status") t.state.status = ver;
      else if (auto f = parse_editable_field(field)) t.state.fields[static_cast<size_t>(*f)] = ver;
    }
    if (vrc != SQLITE_DONE) return sql_error(m_db, "apply.load");
  }
  return &m_tickets.emplace(id, std::move(t)).first->second;
}

Result<void> Batch::write_rows(const Change& c, const MergeOutcome& out) {
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
             .bind(4, c.photo.size).bind(5, c.photo.type).step();
  } else if (out.effect == Effect::Inserted && c.kind == ChangeKind::LinkTickets) {
    rc = m_s.insert_link.reset().bind(1, cid).bind(2, c.ticket_id).bind(3, c.link.other_ticket)
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
  const int64_t local = m_next_local++;
  const std::string record = encode_change_record(c);
  CachedStmt& ins = m_s.insert_change.reset().bind(1, to_hex(c.id.replica)).bind(2, static_cast<int64_t>(c.id.counter));
  if (seq > 0) ins.bind(3, seq);
  else ins.bind_null(3);
  ins.bind(4, c.ticket_id).bind(5, static_cast<int64_t>(pack(c.stamp))).bind(6, skew_ms).bind(7, local)
      .bind_blob(8, record);
  if (ins.step() != SQLITE_DONE) return sql_error(m_db, "apply.log");
  m_applied[c.id.replica] = c.id.counter;
  if (seq == 0) ++m_unsent;

  auto loaded = load(c.ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  const int64_t key = fold_key_for(seq, local);
  const bool outside_log = t.state.exists && t.fold_key == 0;
  if (t.refold || (!outside_log && key < t.fold_key)) {
    t.refold = true;
    return Ok{};
  }
  const MergeOutcome out = merge_change(t.state, c);
  t.dirty = true;
  t.fold_key = std::max(t.fold_key, key);
  if (c.kind == ChangeKind::CreateTicket && out.effect == Effect::Applied) t.dirty_versions = ~0u;
  if (c.kind == ChangeKind::SetField && (out.effect == Effect::Applied || out.effect == Effect::Won))
    t.dirty_versions |= 1u << static_cast<int>(c.field);
  if (c.kind == ChangeKind::Transition && out.effect != Effect::Lost && out.effect != Effect::Rejected)
    t.dirty_versions |= 1u << kStatusBit;
  return write_rows(c, out);
}

// Folds a ticket again from its log, in the one order (R10).
Result<void> Batch::refold(const std::string& id, Cached& t) {
  for (CachedStmt& d : m_s.delete_rows)
    if (d.reset().bind(1, id).step() != SQLITE_DONE) return sql_error(m_db, "apply.refold");
  t = Cached{};
  CachedStmt& s = m_s.ticket_log.reset().bind(1, id);
  int rc;
  std::vector<std::pair<Change, int64_t>> log;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto c = decode_change_record(s.text(0));
    if (!c) return Error{ErrorCode::Corrupt, "[store.apply.refold] ticket " + id + ": " + c.error().detail};
    log.emplace_back(std::move(c).value(), fold_key_for(s.is_null(1) ? 0 : s.int64(1), s.int64(2)));
  }
  if (rc != SQLITE_DONE) return sql_error(m_db, "apply.refold");
  for (const auto& [c, key] : log) {
    const MergeOutcome out = merge_change(t.state, c);
    t.fold_key = key;
    if (auto w = write_rows(c, out); !w) return w;
  }
  t.dirty = t.state.exists;
  t.dirty_versions = ~0u;
  t.refold = false;
  return Ok{};
}

Result<void> Batch::write_ticket(const std::string& id, Cached& t) {
  const Ticket& k = t.state.ticket;
  const int rc = m_s.upsert_ticket.reset().bind(1, id).bind(2, k.provisional_number).bind(3, k.official_number)
                     .bind(4, to_string(k.source)).bind(5, k.received_at_ms).bind(6, k.citizen_name)
                     .bind(7, k.citizen_phone).bind(8, k.community).bind(9, k.address)
                     .bind(10, to_string(k.category)).bind(11, to_string(k.urgency)).bind(12, k.title)
                     .bind(13, k.description).bind(14, to_string(k.status)).bind(15, k.created_at_ms)
                     .bind(16, k.updated_at_ms).bind(17, t.state.lead_department)
                     .bind(18, int64_t{t.state.deleted}).bind(19, t.state.work_count).bind(20, t.fold_key)
                     .step();
  if (rc != SQLITE_DONE) return sql_error(m_db, "apply.ticket");
  for (int f = 0; f <= kStatusBit; ++f) {
    if (!((t.dirty_versions >> f) & 1u)) continue;
    const Version& v = f == kStatusBit ? t.state.status : t.state.fields[static_cast<size_t>(f)];
    if (v.id.is_zero()) continue;
    const std::string_view name = f == kStatusBit ? std::string_view("status") : to_string(static_cast<EditableField>(f));
    if (m_s.upsert_version.reset().bind(1, id).bind(2, name).bind(3, to_hex(v.id.replica))
            .bind(4, static_cast<int64_t>(v.id.counter)).bind(5, static_cast<int64_t>(pack(v.stamp))).step() != SQLITE_DONE)
      return sql_error(m_db, "apply.version");
  }
  return Ok{};
}

// An own change the server acknowledged: record its number and stamp; refold its ticket when its
// place in the order or its stamp changed.
Result<void> Batch::ack(const Ack& a) {
  CachedStmt& f = m_s.find_change.reset().bind(1, to_hex(a.id.replica)).bind(2, static_cast<int64_t>(a.id.counter));
  const int rc = f.step();
  if (rc == SQLITE_DONE) return Ok{};  // Not here: nothing to acknowledge.
  if (rc != SQLITE_ROW) return sql_error(m_db, "apply.ack");
  if (!f.is_null(1)) return Ok{};      // Acknowledged before.
  const std::string ticket_id = f.text(0);
  const bool restamped = unpack_hlc(static_cast<uint64_t>(f.int64(2))) != a.stamp;
  std::string record = f.text(3);
  if (restamped) {
    auto c = decode_change_record(record);
    if (!c) return Error{ErrorCode::Corrupt, "[store.apply.ack] " + c.error().detail};
    c->stamp = a.stamp;
    record = encode_change_record(*c);
  }
  if (m_s.ack_change.reset().bind(1, a.seq).bind(2, static_cast<int64_t>(pack(a.stamp))).bind(3, a.skew_ms)
          .bind_blob(4, record).bind(5, to_hex(a.id.replica)).bind(6, static_cast<int64_t>(a.id.counter))
          .step() != SQLITE_DONE)
    return sql_error(m_db, "apply.ack");
  --m_unsent;
  auto loaded = load(ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  CachedStmt& later = m_s.later_seq.reset().bind(1, ticket_id).bind(2, a.seq);
  if (later.step() != SQLITE_ROW) return sql_error(m_db, "apply.ack");
  if (restamped || later.int64(0) != 0) t.refold = true;
  CachedStmt& k = m_s.fold_key_of.reset().bind(1, kUnsentBase).bind(2, ticket_id);
  if (k.step() != SQLITE_ROW) return sql_error(m_db, "apply.ack");
  if (!t.refold && t.fold_key != 0) {
    t.fold_key = k.int64(0);
    t.dirty = true;
  }
  return Ok{};
}

Result<void> Batch::finish() {
  for (auto& [id, t] : m_tickets) {
    const bool outside_log = t.state.exists && t.fold_key == 0;
    if (t.refold && !outside_log)
      if (auto r = refold(id, t); !r) return r;
    if (t.dirty && t.state.exists)
      if (auto r = write_ticket(id, t); !r) return r;
  }
  for (const auto& [replica, counter] : m_applied)
    if (m_s.upsert_replica.reset().bind(1, to_hex(replica)).bind(2, static_cast<int64_t>(counter)).step() != SQLITE_DONE)
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

void Batch::commit_to_memory() {
  for (const auto& [replica, counter] : m_applied) m_s.applied[replica] = counter;
  m_s.next_seq = m_next_seq;
  m_s.next_local = m_next_local;
  m_s.cursor = m_cursor;
  m_s.max_skew = m_max_skew;
  m_s.unsent = m_unsent;
  m_s.clock = m_clock;
}

// Runs `body` on a batch inside BEGIN IMMEDIATE ... COMMIT; on any failure rolls back and leaves
// the in-memory state as it was.
template <class Body>
Result<void> in_transaction(sqlite3* db, Store::Sync& sync, Body&& body) {
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return sql_error(db, "apply.begin");
  Batch batch(db, sync);
  Result<void> r = body(batch);
  if (r) r = batch.finish();
  if (r && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) r = sql_error(db, "apply.commit");
  if (!r) {
    // A statement left mid-step after an I/O error keeps the pager in its error state: reset all.
    for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) sqlite3_reset(s);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return r;
  }
  batch.commit_to_memory();
  return Ok{};
}

}  // namespace

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
  CachedStmt* stmts[] = {&s.insert_change, &s.load_ticket, &s.load_versions, &s.upsert_ticket, &s.upsert_version,
                         &s.insert_timeline, &s.insert_photo, &s.insert_link, &s.insert_conflict, &s.upsert_replica,
                         &s.upsert_meta, &s.ticket_log, &s.find_change, &s.ack_change, &s.later_seq, &s.fold_key_of,
                         &s.delete_rows[0], &s.delete_rows[1], &s.delete_rows[2], &s.delete_rows[3],
                         &s.delete_rows[4], &s.delete_rows[5]};
  static_assert(sizeof(stmts) / sizeof(stmts[0]) == sizeof(kSql) / sizeof(kSql[0]));
  for (size_t i = 0; i < sizeof(kSql) / sizeof(kSql[0]); ++i) stmts[i]->prepare(m_db, kSql[i]);
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(m_db, "SELECT replica, applied FROM replicas", -1, &q, nullptr) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      const auto* hex = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      if (auto r = parse_replica_id(hex ? hex : "")) s.applied[*r] = static_cast<uint64_t>(sqlite3_column_int64(q, 1));
    }
  }
  sqlite3_finalize(q);
  if (sqlite3_prepare_v2(m_db, "SELECT max(seq) FROM changes", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    s.next_seq = sqlite3_column_int64(q, 0) + 1;
  sqlite3_finalize(q);
  s.next_local = meta_int(m_db, "sync.next_local", 1);
  s.cursor = meta_int(m_db, "sync.cursor", 0);
  s.max_skew = meta_int(m_db, "sync.max_skew", 0);
  if (sqlite3_prepare_v2(m_db, "SELECT count(*) FROM changes WHERE seq IS NULL", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    s.unsent = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  s.clock = HlcClock(unpack_hlc(static_cast<uint64_t>(meta_int(m_db, "sync.hlc", 0))));
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

Result<std::vector<ChangeResult>> Store::apply_pulled(const std::vector<SequencedChange>& changes, int64_t now_ms) {
  std::vector<ChangeResult> results;
  results.reserve(changes.size());
  auto r = in_transaction(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const SequencedChange& in : changes) {
      const Change& c = in.change;
      ChangeResult res{c.id, ApplyStatus::Applied, in.seq, c.stamp, 0, Effect::Applied, {}};
      const uint64_t have = b.applied(c.id.replica);
      const ReceiveOutcome got = b.clock().receive(c.stamp, now_ms);
      b.note_skew(got.skew_ms);  // The stamp stays as the server ordered it: it is canonical.
      if (c.id.counter <= have) {
        res.status = ApplyStatus::Duplicate;
        if (b.has_unsent())  // It may be an own change coming back: then it is acknowledged.
          if (auto a = b.ack(Ack{c.id, in.seq, c.stamp, 0}); !a) return a;
      } else if (c.id.counter > have + 1) {
        res.status = ApplyStatus::Gap;
      } else if (auto v = validate_change(c); !v) {
        res.status = ApplyStatus::Invalid;
        res.detail = v.error().detail;
      } else if (auto t = b.take(c, in.seq, 0); !t) {
        return t;
      }
      if (res.status == ApplyStatus::Gap || res.status == ApplyStatus::Invalid) {
        results.push_back(std::move(res));
        break;  // Nothing after a hole in the order may be taken.
      }
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
      if (auto r = b.ack(a); !r) return r;
    return Ok{};
  });
}

uint64_t Store::applied_counter(const ReplicaId& replica) {
  const auto& applied = sync().applied;
  auto it = applied.find(replica);
  return it == applied.end() ? 0 : it->second;
}

Result<std::optional<TicketState>> Store::get_ticket_state(const std::string& id) {
  Batch b(m_db, sync());
  auto t = b.load(id);
  if (!t) return t.error();
  if (!(*t)->state.exists) return std::optional<TicketState>{};
  return std::optional<TicketState>{(*t)->state};
}

Hlc Store::stamp_now(int64_t now_ms) { return sync().clock.now(now_ms); }
int64_t Store::pull_cursor() { return sync().cursor; }
int64_t Store::max_clock_skew_ms() { return sync().max_skew; }

}  // namespace linli
