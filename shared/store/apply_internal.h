// Private to shared/store: the change log's prepared statements and in-memory state, shared by
// store.cpp (which owns and destroys it) and apply.cpp (which uses it). Never include elsewhere.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/deadline.h"
#include "core/report_tally.h"
#include "store/store.h"

namespace linli {

// A statement prepared once and reused: reset() before each use.
class CachedStmt {
 public:
  CachedStmt() = default;
  CachedStmt(const CachedStmt&) = delete;
  CachedStmt& operator=(const CachedStmt&) = delete;
  ~CachedStmt() { sqlite3_finalize(m_stmt); }

  int prepare(sqlite3* db, const char* sql) { return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr); }
  CachedStmt& reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    return *this;
  }
  CachedStmt& bind(int i, std::string_view s) {
    sqlite3_bind_text(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  CachedStmt& bind_blob(int i, std::string_view s) {
    sqlite3_bind_blob(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // The caller keeps `s` alive until the statement is stepped (and reset).
  CachedStmt& bind_static(int i, std::string_view s) {
    sqlite3_bind_text(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    return *this;
  }
  CachedStmt& bind_blob_static(int i, std::string_view s) {
    sqlite3_bind_blob(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    return *this;
  }
  CachedStmt& bind(int i, int64_t v) {
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
  }
  CachedStmt& bind_null(int i) {
    sqlite3_bind_null(m_stmt, i);
    return *this;
  }
  int step() { return sqlite3_step(m_stmt); }
  bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
  int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
  std::string text(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
  }

 private:
  sqlite3_stmt* m_stmt = nullptr;
};

// A replica id as the log keeps it: 16 bytes, big-endian, so byte order is numeric order.
struct ReplicaBytes {
  explicit ReplicaBytes(const ReplicaId& r) {
    for (int i = 0; i < 8; ++i) {
      b[i] = static_cast<char>(r.hi >> (56 - 8 * i));
      b[8 + i] = static_cast<char>(r.lo >> (56 - 8 * i));
    }
  }
  std::string_view view() const { return {b, sizeof b}; }
  char b[16];
};
// The inverse of ReplicaBytes; nullopt unless `bytes` is 16 long.
std::optional<ReplicaId> replica_from_bytes(std::string_view bytes);

// A ticket's field and status versions as its row keeps them (tickets.versions): for each set
// version, its slot (the field, or kEditableFieldCount for the status), replica, counter and stamp.
std::string encode_versions(const TicketState& state);
// Fills state.fields and state.status; false when the bytes are malformed.
bool decode_versions(std::string_view bytes, TicketState& state);

struct ReplicaHash {
  size_t operator()(const ReplicaId& r) const { return static_cast<size_t>(r.hi ^ (r.lo * 0x9E3779B97F4A7C15ull)); }
};
using VersionVector = std::unordered_map<ReplicaId, uint64_t, ReplicaHash>;

// The columns of a ticket's row that folding a change can alter, in the order write_ticket numbers
// them. Each is SET only when its value changed: every inbox index is partial on `deleted` and
// sorts by one of them, and the search trigger fires whenever a column it reads is SET, so a
// statement naming them all rewrote ten indexes and the ticket's trigram entries on every edit.
inline constexpr const char* kTicketRowColumns[] = {
    "citizen_name", "citizen_phone", "community", "address", "category", "urgency",
    "title",        "description",   "status",    "lead_department", "deleted", "official_number"};
inline constexpr size_t kTicketRowColumnCount = sizeof(kTicketRowColumns) / sizeof(kTicketRowColumns[0]);
inline constexpr size_t kDeletedColumn = 10;  // The one integer column of them.
using TicketRowValues = std::array<std::string, kTicketRowColumnCount>;
// The values of those columns for `state`, as text (deleted as "0" or "1").
TicketRowValues ticket_row_values(const TicketState& state);

// A ticket's state while a batch works on it.
struct Cached {
  TicketState state;
  int64_t fold_key = 0;  // 0 and existing: made by create_ticket, outside the log: never refolded.
  int64_t head = 0;      // The newest change of its log (changes.local_order; 0: none).
  bool head_in_table = false;  // log_heads holds its head (the ticket did not exist).
  int64_t rowid = 0;     // Its row in tickets as loaded (0: none).
  TicketRowValues written;  // Its row's alterable columns as loaded or last written (rowid != 0): see write_ticket.
  bool dirty = false;    // Its row (or its log head) is to be written at the end of the batch.
  bool refold = false;
  int64_t due_at = -1;   // tickets.due_at and due_stage as loaded or last written (Batch::write_due).
  std::string due_stage;
  bool warning = false;  // tickets.warning (预警), written with the deadline.
  // The report's tally of its log (tickets.report_tally, core/report_tally.h), kept with each
  // change folded. Unknown for a row written before there was one, until the ticket is folded again.
  ReportTally tally;
  bool tally_known = true;
  std::vector<CoHandler> co_written;  // Its rows in ticket_co_handlers as loaded or last written.
  // Acknowledgements of its changes in this batch, resolved once in Batch::finish.
  bool acked = false;
  int64_t acked_min_seq = 0, acked_max_seq = 0;
  std::vector<int64_t> acked_locals;
};

struct Store::Sync {
  VersionVector applied;   // Committed: the highest counter applied per replica (R9).
  int64_t next_seq = 1;    // The next server sequence number (Accept).
  int64_t next_local = 1;  // The next local_order.
  int64_t cursor = 0;      // The pull cursor.
  int64_t answer = 0;      // The id of the scoped pull answer that brought the cursor here (0: none).
  int64_t max_skew = 0;
  int64_t unsent = 0;      // Own changes not yet acknowledged (seq IS NULL).
  HlcClock clock;
  // Tickets out of this replica's scope kept until the server has answered own changes to them
  // (leaving_tickets; store/forget.cpp).
  std::unordered_set<std::string> leaving;
  // Tickets as this connection's last batches committed them, so the next batch need not read them
  // again. Trusted only while PRAGMA data_version (other connections) and total_changes (this
  // one) are as after the last batch's commit; cleared otherwise (store/apply.cpp in_transaction).
  std::unordered_map<std::string, Cached> committed;
  int64_t committed_data_version = -1;
  int64_t committed_changes = -1;
  CachedStmt data_version;

  // The ticket row's UPDATE by which of kTicketRowColumns it sets (a bit each), prepared on first use.
  std::unordered_map<uint32_t, CachedStmt> update_ticket;
  CachedStmt insert_change, load_ticket, load_head, upsert_ticket, upsert_head, delete_head, insert_timeline,
      insert_photo, insert_link, insert_conflict, upsert_replica, upsert_meta, log_entry, log_link, find_change,
      ack_change, delete_rows[6], set_prev, delete_change, insert_refused, mark_leaving, unmark_leaving, update_due,
      insert_co_handler, insert_left;
  // The search index's writes at the end of a transaction (write_search), prepared on first use.
  CachedStmt search_pending, search_delete, search_write, search_clear;
  bool search_prepared = false;
  // Field registers (store/field.cpp), prepared on first use.
  CachedStmt field_load, field_upsert, field_delete;
  bool field_prepared = false;
  // The working-day calendar deadlines are computed with (core/deadline.h); none: every one unknown.
  const WorkdayCalendar* calendar = nullptr;
};

// One batch: its tickets, its view of the version vector and counters, committed to the store's
// memory only when the transaction commits. Folding changes in is store/apply.cpp; taking changes
// and tickets out (refused changes, tickets that left the scope) is store/forget.cpp.
class Batch {
 public:
  // use_committed: take tickets from the committed cache (only inside in_transaction, which checks it).
  Batch(sqlite3* db, Store::Sync& sync, bool use_committed)
      : m_db(db), m_s(sync), m_use_committed(use_committed), m_next_seq(sync.next_seq), m_next_local(sync.next_local),
        m_cursor(sync.cursor), m_max_skew(sync.max_skew), m_unsent(sync.unsent), m_clock(sync.clock) {}

  uint64_t applied(const ReplicaId& r) const {
    if (auto it = m_applied.find(r); it != m_applied.end()) return it->second;
    auto it = m_s.applied.find(r);
    return it == m_s.applied.end() ? 0 : it->second;
  }

  Result<Cached*> load(const std::string& ticket_id);
  Result<void> take(const Change& c, int64_t seq, int64_t skew_ms);
  // Whether the log has the change; an own unsent one is acknowledged.
  Result<bool> ack(const Ack& a);
  Result<bool> renumber(const Ack& a, int64_t local, int64_t hlc, const std::string& stored);
  // Another replica's change out of the log and its ticket's fold (store/forget.cpp, drop_skipped).
  // `own_unsent`: an own change not yet acknowledged, so one fewer waits to be sent.
  Result<void> drop_logged(int64_t local, const std::string& ticket_id, bool own_unsent = false);
  Result<void> finish();
  // Writes the ticket's deadline columns when they changed (tickets.due_at, due_stage).
  Result<void> write_due(const std::string& id, Cached& t);
  // Writes the ticket's rows in ticket_co_handlers when its co-handlers changed (R12).
  Result<void> write_co_handlers(const std::string& id, Cached& t);
  void commit_to_memory();

  // store/forget.cpp.
  // A ticket forgotten whole is kept in left_tickets, left at `now_ms`, for the user's notice.
  Result<bool> forget(const std::string& ticket_id, int64_t now_ms);
  Result<void> refuse(const PushRefusal& r, int64_t now_ms);
  Result<void> rewrite_unsent(const Change& c);
  // Marks a ticket leaving (or clears the mark); written by finish().
  void set_leaving(const std::string& ticket_id, bool on) { m_leaving[ticket_id] = on; }
  // A change of the ticket came in a pull: the server holds it in this replica's scope again.
  void keep(const std::string& ticket_id) {
    if (!m_s.leaving.empty() && leaving(ticket_id)) m_leaving[ticket_id] = false;
  }

  HlcClock& clock() { return m_clock; }
  int64_t take_seq() { return m_next_seq++; }
  void note_skew(int64_t skew) { m_max_skew = std::max(m_max_skew, skew); }
  void set_cursor(int64_t c) { m_cursor = std::max(m_cursor, c); }

 private:
  Result<void> write_rows(const Change& c, const MergeOutcome& out);
  // store/field.cpp: a field change's registers (R13, R14); a field subject folded again.
  Result<void> write_field(const Change& c);
  Result<void> refold_field(const std::string& subject, Cached& t);
  Result<void> refold(const std::string& ticket_id, Cached& t);
  Result<void> write_ticket(const std::string& ticket_id, Cached& t);
  CachedStmt* update_statement(uint32_t& columns);
  Result<void> resolve_acks(Cached& t);
  Result<void> unlink(Cached& t, int64_t local);
  Result<void> write_leaving();
  bool leaving(const std::string& ticket_id) const {
    if (auto it = m_leaving.find(ticket_id); it != m_leaving.end()) return it->second;
    return m_s.leaving.count(ticket_id) > 0;
  }

  sqlite3* m_db;
  Store::Sync& m_s;
  bool m_use_committed;
  VersionVector m_applied;
  std::unordered_map<std::string, Cached> m_tickets;
  std::unordered_map<std::string, bool> m_leaving;  // Leaving marks set (true) or cleared in this batch.
  int64_t m_next_seq, m_next_local, m_cursor, m_max_skew, m_unsent;
  HlcClock m_clock;
};

// Writes the search text of the tickets the triggers noted in search_pending since the last call
// (migration 12), in one statement, and empties it: call before a transaction that wrote tickets
// commits. Nothing to do (one read of an empty table) on a server's store, which has no triggers.
Result<void> write_search(sqlite3* db, Store::Sync& sync);

// Gives the connection the SQL functions the store's queries use: open_field_conflict(versions,
// field, winner), whether a field conflict still waits for a decision (store/inbox.h).
Result<void> register_store_functions(sqlite3* db);

// Runs `body` on one batch in one transaction (store/apply.cpp in_transaction): all or nothing.
Result<void> run_batch(sqlite3* db, Store::Sync& sync, const std::function<Result<void>(Batch&)>& body);

}  // namespace linli
