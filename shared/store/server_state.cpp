// ServerState: small tables with their own version row (server_schema), apart from the
// replicated store's user_version and the accounts' version.
#include "store/server_state.h"

#include "store/sqlite_util.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/ticket.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

Error db_error(sqlite3* db, std::string_view where) { return sqlite_util::sqlite_error(db, "server_state", where); }

// Run at every open (a table added here reaches a file of any version); replica_tickets is
// version 1's too, made only in a new file (kNewV1): version 4 replaces it.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS server_schema (version INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS replica_owners (
  replica TEXT PRIMARY KEY, user TEXT NOT NULL, first_seen INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS rejected_changes (
  id INTEGER PRIMARY KEY, replica TEXT NOT NULL, counter INTEGER NOT NULL, user TEXT NOT NULL,
  code TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS rejected_changes_by_change ON rejected_changes (replica, counter);
CREATE TABLE IF NOT EXISTS intake_tickets (
  hotline_number TEXT PRIMARY KEY, ticket TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS official_numbers (
  ticket TEXT PRIMARY KEY, month INTEGER NOT NULL, seq INTEGER NOT NULL, UNIQUE (month, seq)) STRICT;
)sql";

constexpr const char* kNewV1 = R"sql(
CREATE TABLE replica_tickets (
  replica TEXT NOT NULL, ticket TEXT NOT NULL, PRIMARY KEY (replica, ticket)) STRICT, WITHOUT ROWID;
INSERT INTO server_schema (version) VALUES (1);
)sql";

// Version 2: a replica holds a ticket from the answer that sent it, not from the moment the server
// answered: `since` is that answer's cursor, and a drop is kept (`dropped`, the cursor of the
// answer that announced it) until the replica's cursor shows it took it. A lost answer changes
// nothing then: the replica asks again from its old cursor and hears the same. replica_cursors
// keeps the highest cursor each replica pulled from when it was last written: a request from
// before it is one the replica will not take (its cursor only grows).
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE replica_tickets ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replica_tickets ADD COLUMN dropped INTEGER;
CREATE TABLE replica_cursors (replica TEXT PRIMARY KEY, cursor INTEGER NOT NULL) STRICT;
UPDATE server_schema SET version = 2;
)sql";

// Version 3: a scoped replica holds what it says it took (ServerState::take_answer). An answer that
// sent a ticket whole or dropped one is kept in replica_answers until the replica names it (or it
// is evicted: the newest kKeptAnswers per replica stay); counted, its tickets are held since every
// cursor (since 0) or their rows go. replica_cursors keeps each replica's chain: the answer
// counted last (`taken`), the last answer id given before it last started over (`restart_floor`)
// and the change up to which any ticket may be held since (`unsure_until`). The `since`/`dropped`
// rows of version 2 still count for a client that names no answers (an older app).
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE replica_answers (
  id INTEGER PRIMARY KEY AUTOINCREMENT, replica TEXT NOT NULL, parent INTEGER NOT NULL,
  from_cursor INTEGER NOT NULL, next_cursor INTEGER NOT NULL, sent TEXT NOT NULL, dropped TEXT NOT NULL) STRICT;
CREATE INDEX replica_answers_by_replica ON replica_answers (replica, id);
ALTER TABLE replica_cursors ADD COLUMN taken INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replica_cursors ADD COLUMN restart_floor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replica_cursors ADD COLUMN unsure_until INTEGER NOT NULL DEFAULT 0;
UPDATE server_schema SET version = 3;
)sql";

// Version 4: what replicas hold, with small keys in the order tickets arrive. Each ticket and each
// replica gets a number the first time a held row names it (held_tickets, held_replicas), and a row
// of `held` is two such numbers, its `since` and its `dropped`: a third of a replica_tickets row of
// two 32-digit texts. And a ticket new to the server is numbered after every ticket before it, so
// the rows a replica gains as new tickets reach it go at the end of its range, on a page that is
// already in the cache, not each on a page of its own somewhere in a B-tree of every replica times
// every ticket (bench/load: 100 replicas of one committee, docs/benchmarks.md).
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE held_replicas (n INTEGER PRIMARY KEY, replica TEXT NOT NULL UNIQUE) STRICT;
CREATE TABLE held_tickets (n INTEGER PRIMARY KEY, ticket TEXT NOT NULL UNIQUE) STRICT;
CREATE TABLE held (
  replica INTEGER NOT NULL, ticket INTEGER NOT NULL, since INTEGER NOT NULL, dropped INTEGER,
  PRIMARY KEY (replica, ticket)) STRICT, WITHOUT ROWID;
INSERT INTO held_replicas (replica) SELECT DISTINCT replica FROM replica_tickets ORDER BY replica;
INSERT INTO held_tickets (ticket) SELECT DISTINCT ticket FROM replica_tickets ORDER BY ticket;
INSERT INTO held (replica, ticket, since, dropped)
  SELECT r.n, t.n, h.since, h.dropped FROM replica_tickets h
  JOIN held_replicas r ON r.replica = h.replica JOIN held_tickets t ON t.ticket = h.ticket;
DROP TABLE replica_tickets;
UPDATE server_schema SET version = 4;
)sql";

// Version 5: the drops a replica has yet to confirm, found without reading every row it holds.
// write_held forgets the confirmed ones at each push that makes tickets (hold_new_tickets, under
// the writer's lock) and at each answer to an older app: without this index a scan of all the
// replica's rows, which grows by a row for every ticket that reaches it (bench/load: some 17,000
// rows a replica after five minutes).
constexpr const char* kSchemaV5 = R"sql(
CREATE INDEX held_drops ON held (replica, dropped) WHERE dropped IS NOT NULL;
UPDATE server_schema SET version = 5;
)sql";

// The numbers of held (kSchemaV4): a replica's or a ticket's, given on first use.
// Macros, not constants: joined to the statements' literals at compile time, so that each statement
// stays one literal that the connection keeps prepared (sqlite_util::StmtCache).
#define LINLI_REPLICA_N "(SELECT n FROM held_replicas WHERE replica = ?1)"
#define LINLI_TICKET_N "(SELECT n FROM held_tickets WHERE ticket = ?2)"

// Ticket ids (32 hex digits, no spaces) kept in one text column, space-separated.
std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace

const char* to_string(Took t) {
  switch (t) {
    case Took::Nothing:
      return "nothing";
    case Took::Applied:
      return "applied";
    case Took::Again:
      return "again";
    case Took::Stale:
      return "stale";
    case Took::Restarted:
      return "restarted";
    case Took::Unknown:
      return "unknown";
  }
  return "?";
}

Result<ServerState> ServerState::open(const std::string& path, bool fsync_commits) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = db_error(db, "open");
    sqlite3_close(db);
    return e;
  }
  ServerState s(db);
  sqlite3_extended_result_codes(db, 1);
  sqlite_util::wait_when_busy(db);
  if (auto r = s.exec(fsync_commits ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                      "open");
      !r)
    return r.error();
  if (auto r = s.migrate(); !r) {
    s.exec("ROLLBACK", "open").ok();
    return r.error();
  }
  return s;
}

Result<void> ServerState::migrate() {
  const std::string v1 = std::string("BEGIN IMMEDIATE;") + kSchemaV1;
  if (auto r = exec(v1.c_str(), "open"); !r) return r;
  int64_t at = 0;
  {
    Stmt version(m_db, "SELECT version FROM server_schema");
    if (!version.ok()) return db_error(m_db, "open");
    const int rc = version.step();
    if (rc == SQLITE_ROW) at = version.int64(0);
    else if (rc != SQLITE_DONE) return db_error(m_db, "open");
  }
  if (at < 1)
    if (auto r = exec(kNewV1, "open"); !r) return r;
  if (at < 2)
    if (auto r = exec(kSchemaV2, "open"); !r) return r;
  if (at < 3)
    if (auto r = exec(kSchemaV3, "open"); !r) return r;
  if (at < 4)
    if (auto r = exec(kSchemaV4, "open"); !r) return r;
  if (at < 5)
    if (auto r = exec(kSchemaV5, "open"); !r) return r;
  return exec("COMMIT", "open");
}

ServerState::ServerState(ServerState&& o) noexcept : m_db(std::exchange(o.m_db, nullptr)) {}
ServerState& ServerState::operator=(ServerState&& o) noexcept {
  if (this != &o) {
    sqlite_util::close(m_db);
    m_db = std::exchange(o.m_db, nullptr);
  }
  return *this;
}
ServerState::~ServerState() { sqlite_util::close(m_db); }

Result<void> ServerState::exec(const char* sql, const char* where) {
  return sqlite_util::exec(m_db, sql, "server_state", where);
}

Result<ReplicaId> ServerState::server_replica(const ReplicaId& fresh, bool replace) {
  Stmt keep(m_db, "INSERT INTO server_meta (key, value) VALUES ('server_replica', ?) ON CONFLICT DO NOTHING");
  Stmt take(m_db,
            "INSERT INTO server_meta (key, value) VALUES ('server_replica', ?) ON CONFLICT DO UPDATE SET value = excluded.value");
  Stmt& ins = replace ? take : keep;
  if (!ins.ok()) return db_error(m_db, "server_replica");
  ins.bind(1, to_hex(fresh));
  if (ins.step() != SQLITE_DONE) return db_error(m_db, "server_replica");
  Stmt get(m_db, "SELECT value FROM server_meta WHERE key = 'server_replica'");
  if (!get.ok() || get.step() != SQLITE_ROW) return db_error(m_db, "server_replica");
  auto id = parse_replica_id(get.text(0));
  if (!id) return Error{ErrorCode::Corrupt, "[server_state.server_replica] stored id is not 32 hex digits"};
  return *id;
}

Result<std::string> ServerState::claim_replica(const std::string& replica, const std::string& user, int64_t now) {
  // Read first: every push and pull asks, and only a replica's first request writes.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Stmt get(m_db, "SELECT user FROM replica_owners WHERE replica = ?");
    if (!get.ok()) return db_error(m_db, "claim_replica");
    get.bind(1, replica);
    const int rc = get.step();
    if (rc == SQLITE_ROW) return get.text(0);
    if (rc != SQLITE_DONE) return db_error(m_db, "claim_replica");
    Stmt ins(m_db, "INSERT INTO replica_owners (replica, user, first_seen) VALUES (?,?,?) ON CONFLICT DO NOTHING");
    if (!ins.ok()) return db_error(m_db, "claim_replica");
    ins.bind(1, replica);
    ins.bind(2, user);
    ins.bind(3, now);
    if (ins.step() != SQLITE_DONE) return db_error(m_db, "claim_replica");
  }
  return db_error(m_db, "claim_replica");
}

Result<bool> ServerState::holds(const std::string& replica, const std::string& ticket, int64_t cursor) {
  Stmt s(m_db, "SELECT 1 FROM held WHERE replica = " LINLI_REPLICA_N " AND ticket = " LINLI_TICKET_N
               " AND since <= ?3 AND (dropped IS NULL OR dropped > ?3)");
  if (!s.ok()) return db_error(m_db, "holds");
  s.bind(1, replica);
  s.bind(2, ticket);
  s.bind(3, cursor);
  const int rc = s.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(m_db, "holds");
  return rc == SQLITE_ROW;
}

Result<void> ServerState::number_held(const std::string& replica, const std::vector<std::string>& tickets) {
  Stmt r(m_db, "INSERT INTO held_replicas (replica) VALUES (?) ON CONFLICT DO NOTHING");
  Stmt t(m_db, "INSERT INTO held_tickets (ticket) VALUES (?) ON CONFLICT DO NOTHING");
  if (!r.ok() || !t.ok()) return db_error(m_db, "number_held");
  r.bind(1, replica);
  if (r.step() != SQLITE_DONE) return db_error(m_db, "number_held");
  for (const std::string& id : tickets) {
    t.reset();
    t.bind(1, id);
    if (t.step() != SQLITE_DONE) return db_error(m_db, "number_held");
  }
  return Ok{};
}

std::string ServerState::held_path(const std::string& db) {
  const std::string ext = ".db";
  if (db.size() > ext.size() && db.compare(db.size() - ext.size(), ext.size(), ext) == 0)
    return db.substr(0, db.size() - ext.size()) + ".held" + ext;
  return db + ".held";
}

Result<int64_t> ServerState::adopt_held_from(const std::string& db) {
  // Both files are at version 4 (open): the numbers come along with the rows that use them.
  static constexpr const char* kTables[] = {"held_replicas", "held_tickets", "held", "replica_cursors",
                                            "replica_answers"};
  {
    Stmt any(m_db, "SELECT (SELECT count(*) FROM replica_cursors) + (SELECT count(*) FROM held) + "
                   "(SELECT count(*) FROM held_tickets)");
    if (!any.ok() || any.step() != SQLITE_ROW) return db_error(m_db, "adopt_held");
    if (any.int64(0) > 0) return int64_t{0};  // Adopted already, or written since.
  }
  {
    Stmt attach(m_db, std::string("ATTACH DATABASE ?1 AS old"));
    if (!attach.ok()) return db_error(m_db, "adopt_held");
    attach.bind(1, db);
    if (attach.step() != SQLITE_DONE) return db_error(m_db, "adopt_held");
  }
  int64_t moved = 0;
  Result<void> r = exec("BEGIN IMMEDIATE", "adopt_held");
  for (const char* t : kTables) {
    if (!r) break;
    const std::string sql = std::string("INSERT INTO main.") + t + " SELECT * FROM old." + t + "; DELETE FROM old." + t + ";";
    r = exec(sql.c_str(), "adopt_held");
    if (r) moved += sqlite3_changes(m_db);
  }
  if (r) r = exec("COMMIT", "adopt_held");
  if (!r) exec("ROLLBACK", "adopt_held").ok();
  exec("DETACH DATABASE old", "adopt_held").ok();
  if (!r) return r.error();
  return moved;
}

Result<void> ServerState::begin_reading() { return exec("BEGIN", "begin_reading"); }

void ServerState::leave_checkpoints_to_others() { sqlite_util::leave_checkpoints_to_others(m_db); }

int64_t ServerState::cache_bytes() const {
  int used = 0, highest = 0;
  sqlite3_db_status(m_db, SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0);
  return used;
}

void ServerState::end_reading() {
  sqlite_util::end_reads(m_db);
  if (sqlite3_get_autocommit(m_db) == 0) sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
}

Result<int64_t> ServerState::pulled_from(const std::string& replica) {
  Stmt s(m_db, "SELECT cursor FROM replica_cursors WHERE replica = ?");
  if (!s.ok()) return db_error(m_db, "pulled_from");
  s.bind(1, replica);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return int64_t{0};
  if (rc != SQLITE_ROW) return db_error(m_db, "pulled_from");
  return s.int64(0);
}

Result<void> ServerState::update_held(const std::string& replica, const std::vector<std::string>& sent,
                                      const std::vector<std::string>& dropped, int64_t answer_cursor,
                                      int64_t request_cursor) {
  return update_held(std::vector<HeldUpdate>{HeldUpdate{replica, sent, dropped, answer_cursor, request_cursor}});
}

Result<void> ServerState::update_held(const std::vector<HeldUpdate>& updates) {
  if (std::all_of(updates.begin(), updates.end(), [](const HeldUpdate& u) { return u.sent.empty() && u.dropped.empty(); }))
    return Ok{};
  if (auto r = exec("BEGIN IMMEDIATE", "update_held"); !r) return r;
  Result<void> r = Ok{};
  for (const HeldUpdate& u : updates)
    if (!u.sent.empty() || !u.dropped.empty())
      if (r = write_held(u); !r) break;
  if (r) r = exec("COMMIT", "update_held");
  if (!r) exec("ROLLBACK", "update_held").ok();
  return r;
}

Result<void> ServerState::write_held(const HeldUpdate& u) {
  const std::string& replica = u.replica_hex;
  const std::vector<std::string>& sent = u.sent;
  const std::vector<std::string>& dropped = u.dropped;
  const int64_t answer_cursor = u.answer_cursor, request_cursor = u.request_cursor;
  Stmt cursor(m_db, "INSERT INTO replica_cursors (replica, cursor) VALUES (?, ?) "
                    "ON CONFLICT DO UPDATE SET cursor = max(cursor, excluded.cursor)");
  if (!cursor.ok()) return db_error(m_db, "update_held");
  cursor.bind(1, replica);
  cursor.bind(2, request_cursor);
  if (cursor.step() != SQLITE_DONE) return db_error(m_db, "update_held");
  // A drop is kept while the replica may still ask from before its answer (that answer lost: it
  // hears the drop again). Once it has asked from a cursor at or past the answer (replica_cursors,
  // just written: the highest cursor of a request that was not stale), every request it will
  // still take starts there or later, where holds() says "not held" with the row or without it;
  // only a stale request reads an older cursor, and the replica does not take its answer. So the
  // row can no longer matter and goes. Done before this answer's own drops are written; a replica
  // whose pulls write nothing keeps its confirmed drops until one does.
  Stmt forget(m_db, "DELETE FROM held WHERE replica = " LINLI_REPLICA_N " AND dropped IS NOT NULL AND "
                    "dropped <= (SELECT cursor FROM replica_cursors WHERE replica = ?1)");
  if (!forget.ok()) return db_error(m_db, "update_held");
  forget.bind(1, replica);
  if (forget.step() != SQLITE_DONE) return db_error(m_db, "update_held");
  if (auto r = number_held(replica, sent); !r) return r;
  Stmt add(m_db, "INSERT INTO held (replica, ticket, since) VALUES (" LINLI_REPLICA_N ", " LINLI_TICKET_N
                 ", ?3) ON CONFLICT DO UPDATE SET since = excluded.since, dropped = NULL");
  Stmt drop(m_db, "UPDATE held SET dropped = ?3 WHERE replica = " LINLI_REPLICA_N " AND ticket = " LINLI_TICKET_N);
  if (!add.ok() || !drop.ok()) return db_error(m_db, "update_held");
  for (auto [stmt, tickets] : {std::pair{&add, &sent}, std::pair{&drop, &dropped}})
    for (const std::string& t : *tickets) {
      stmt->reset();
      stmt->bind(1, replica);
      stmt->bind(2, t);
      stmt->bind(3, answer_cursor);
      if (stmt->step() != SQLITE_DONE) return db_error(m_db, "update_held");
    }
  return Ok{};
}

Result<AnswerChain> ServerState::take_answer(const std::string& replica, int64_t answer, int64_t cursor) {
  AnswerChain chain;
  int64_t floor = 0;
  {
    Stmt get(m_db, "SELECT taken, restart_floor, unsure_until FROM replica_cursors WHERE replica = ?");
    if (!get.ok()) return db_error(m_db, "take_answer");
    get.bind(1, replica);
    const int rc = get.step();
    if (rc == SQLITE_ROW) {
      chain.taken = get.int64(0);
      floor = get.int64(1);
      chain.unsure_until = get.int64(2);
    } else if (rc != SQLITE_DONE) {
      return db_error(m_db, "take_answer");
    }
  }
  // Most pulls write nothing: they name no answer, or the one counted already.
  if (answer == 0) return chain.took = Took::Nothing, chain;
  if (answer <= floor) return chain.took = Took::Restarted, chain;
  if (answer < chain.taken) return chain.took = Took::Stale, chain;
  if (answer == chain.taken) return chain.took = Took::Again, chain;
  PendingAnswer pending;
  {
    Stmt get(
        m_db,
        "SELECT parent, from_cursor, next_cursor, sent, dropped FROM replica_answers WHERE id = ? AND replica = ?");
    if (!get.ok()) return db_error(m_db, "take_answer");
    get.bind(1, answer);
    get.bind(2, replica);
    const int rc = get.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(m_db, "take_answer");
    if (rc == SQLITE_DONE || get.int64(0) != chain.taken || get.int64(2) > cursor)
      return chain.took = Took::Unknown, chain;
    pending = PendingAnswer{get.int64(0), get.int64(1), get.int64(2), split_ids(get.text(3)), split_ids(get.text(4))};
  }
  if (auto r = exec("BEGIN IMMEDIATE", "take_answer"); !r) return r.error();
  auto write = [&]() -> Result<void> {
    if (auto r = number_held(replica, pending.sent); !r) return r;
    Stmt add(m_db, "INSERT INTO held (replica, ticket, since) VALUES (" LINLI_REPLICA_N ", " LINLI_TICKET_N
                   ", 0) ON CONFLICT DO UPDATE SET since = 0, dropped = NULL");
    Stmt drop(m_db, "DELETE FROM held WHERE replica = " LINLI_REPLICA_N " AND ticket = " LINLI_TICKET_N);
    if (!add.ok() || !drop.ok()) return db_error(m_db, "take_answer");
    for (auto [stmt, tickets] : {std::pair{&add, &pending.sent}, std::pair{&drop, &pending.dropped}})
      for (const std::string& t : *tickets) {
        stmt->reset();
        stmt->bind(1, replica);
        stmt->bind(2, t);
        if (stmt->step() != SQLITE_DONE) return db_error(m_db, "take_answer");
      }
    // Answers from before its next: the replica's cursor is past their `from`, it takes none of them.
    Stmt forget(m_db, "DELETE FROM replica_answers WHERE replica = ? AND from_cursor < ?");
    Stmt taken(m_db,
               "INSERT INTO replica_cursors (replica, cursor, taken) VALUES (?, 0, ?) "
               "ON CONFLICT DO UPDATE SET taken = excluded.taken");
    if (!forget.ok() || !taken.ok()) return db_error(m_db, "take_answer");
    forget.bind(1, replica);
    forget.bind(2, pending.next);
    taken.bind(1, replica);
    taken.bind(2, answer);
    if (forget.step() != SQLITE_DONE || taken.step() != SQLITE_DONE) return db_error(m_db, "take_answer");
    return exec("COMMIT", "take_answer");
  };
  if (auto r = write(); !r) {
    exec("ROLLBACK", "take_answer").ok();
    return r.error();
  }
  chain.took = Took::Applied;
  chain.taken = answer;
  return chain;
}

Result<int64_t> ServerState::record_answer(const std::string& replica, const PendingAnswer& a, int keep) {
  if (auto r = exec("BEGIN IMMEDIATE", "record_answer"); !r) return r.error();
  auto write = [&]() -> Result<int64_t> {
    Stmt ins(m_db,
             "INSERT INTO replica_answers (replica, parent, from_cursor, next_cursor, sent, dropped) "
             "VALUES (?, ?, ?, ?, ?, ?)");
    if (!ins.ok()) return db_error(m_db, "record_answer");
    ins.bind(1, replica);
    ins.bind(2, a.parent);
    ins.bind(3, a.from);
    ins.bind(4, a.next);
    ins.bind(5, join_ids(a.sent));
    ins.bind(6, join_ids(a.dropped));
    if (ins.step() != SQLITE_DONE) return db_error(m_db, "record_answer");
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    Stmt evict(m_db,
               "DELETE FROM replica_answers WHERE replica = ?1 AND id <= "
               "(SELECT id FROM replica_answers WHERE replica = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)");
    if (!evict.ok()) return db_error(m_db, "record_answer");
    evict.bind(1, replica);
    evict.bind(2, int64_t{keep});
    if (evict.step() != SQLITE_DONE) return db_error(m_db, "record_answer");
    if (auto r = exec("COMMIT", "record_answer"); !r) return r.error();
    return id;
  };
  auto id = write();
  if (!id) exec("ROLLBACK", "record_answer").ok();
  return id;
}

Result<void> ServerState::start_over(const std::string& replica, int64_t unsure_until) {
  if (auto r = exec("BEGIN IMMEDIATE", "start_over"); !r) return r;
  auto write = [&]() -> Result<void> {
    // Every id given so far is from before: the answers of the restarted chain have higher ones.
    Stmt chain(
        m_db,
        "INSERT INTO replica_cursors (replica, cursor, taken, restart_floor, unsure_until) "
        "VALUES (?1, 0, 0, (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'replica_answers'), ?2) "
        "ON CONFLICT DO UPDATE SET taken = 0, restart_floor = excluded.restart_floor, "
        "unsure_until = max(unsure_until, excluded.unsure_until)");
    Stmt forget(m_db, "DELETE FROM replica_answers WHERE replica = ?");
    if (!chain.ok() || !forget.ok()) return db_error(m_db, "start_over");
    chain.bind(1, replica);
    chain.bind(2, unsure_until);
    forget.bind(1, replica);
    if (chain.step() != SQLITE_DONE || forget.step() != SQLITE_DONE) return db_error(m_db, "start_over");
    return exec("COMMIT", "start_over");
  };
  auto r = write();
  if (!r) exec("ROLLBACK", "start_over").ok();
  return r;
}

Result<bool> ServerState::answered_since_start(const std::string& replica) {
  Stmt q(m_db,
         "SELECT EXISTS (SELECT 1 FROM replica_cursors WHERE replica = ?1 AND taken > 0) OR "
         "EXISTS (SELECT 1 FROM replica_answers WHERE replica = ?1)");
  if (!q.ok()) return db_error(m_db, "answered_since_start");
  q.bind(1, replica);
  if (q.step() != SQLITE_ROW) return db_error(m_db, "answered_since_start");
  return q.int64(0) != 0;
}

Result<void> ServerState::record_rejection(const Rejection& r) {
  Stmt s(m_db, "INSERT INTO rejected_changes (replica, counter, user, code, reason, at) VALUES (?,?,?,?,?,?)");
  if (!s.ok()) return db_error(m_db, "record_rejection");
  s.bind(1, r.replica);
  s.bind(2, static_cast<int64_t>(r.counter));
  s.bind(3, r.user);
  s.bind(4, r.code);
  s.bind(5, r.reason);
  s.bind(6, r.at_ms);
  if (s.step() != SQLITE_DONE) return db_error(m_db, "record_rejection");
  return Ok{};
}

Result<std::vector<Rejection>> ServerState::rejections(int limit) {
  Stmt s(m_db, "SELECT replica, counter, user, code, reason, at FROM rejected_changes ORDER BY id DESC LIMIT ?");
  if (!s.ok()) return db_error(m_db, "rejections");
  s.bind(1, int64_t{limit});
  std::vector<Rejection> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    out.push_back({s.text(0), static_cast<uint64_t>(s.int64(1)), s.text(2), s.text(3), s.text(4), s.int64(5)});
  if (rc != SQLITE_DONE) return db_error(m_db, "rejections");
  return out;
}

Result<std::optional<Rejection>> ServerState::rejection(const std::string& replica, uint64_t counter) {
  Stmt s(m_db, "SELECT replica, counter, user, code, reason, at FROM rejected_changes "
               "WHERE replica = ? AND counter = ? ORDER BY id DESC LIMIT 1");  // The last judgement: see record_rejection.
  if (!s.ok()) return db_error(m_db, "rejection");
  s.bind(1, replica);
  s.bind(2, static_cast<int64_t>(counter));
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<Rejection>{};
  if (rc != SQLITE_ROW) return db_error(m_db, "rejection");
  return std::optional<Rejection>{Rejection{s.text(0), static_cast<uint64_t>(s.int64(1)), s.text(2), s.text(3), s.text(4), s.int64(5)}};
}

Result<std::optional<std::string>> ServerState::intake_ticket(const std::string& hotline_number) {
  Stmt s(m_db, "SELECT ticket FROM intake_tickets WHERE hotline_number = ?");
  if (!s.ok()) return db_error(m_db, "intake_ticket");
  s.bind(1, hotline_number);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return db_error(m_db, "intake_ticket");
  return std::optional<std::string>{s.text(0)};
}

Result<void> ServerState::record_intake(const std::string& hotline_number, const std::string& ticket, int64_t now) {
  Stmt s(m_db, "INSERT INTO intake_tickets (hotline_number, ticket, at) VALUES (?,?,?)");
  if (!s.ok()) return db_error(m_db, "record_intake");
  s.bind(1, hotline_number);
  s.bind(2, ticket);
  s.bind(3, now);
  if (s.step() != SQLITE_DONE) return db_error(m_db, "record_intake");
  return Ok{};
}

Result<std::string> ServerState::official_number(const std::string& ticket, int64_t now_ms) {
  const int month = shanghai_yyyymmdd(now_ms) / 100;  // yyyymm
  Stmt ins(m_db,
           "INSERT INTO official_numbers (ticket, month, seq) "
           "SELECT ?1, ?2, coalesce(max(seq), 0) + 1 FROM official_numbers WHERE month = ?2 "
           "ON CONFLICT (ticket) DO NOTHING");
  if (!ins.ok()) return db_error(m_db, "official_number");
  ins.bind(1, ticket);
  ins.bind(2, int64_t{month});
  if (ins.step() != SQLITE_DONE) return db_error(m_db, "official_number");
  Stmt get(m_db, "SELECT month, seq FROM official_numbers WHERE ticket = ?");
  if (!get.ok()) return db_error(m_db, "official_number");
  get.bind(1, ticket);
  if (get.step() != SQLITE_ROW) return db_error(m_db, "official_number");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%04d", static_cast<int>(get.int64(0) / 100),
                static_cast<int>(get.int64(0) % 100), static_cast<int>(get.int64(1)));
  return std::string(buf);
}

Result<std::vector<std::string>> ServerState::official_numbers(const std::vector<std::string>& tickets, int64_t now_ms) {
  std::vector<std::string> out;
  if (tickets.empty()) return out;
  if (auto r = exec("BEGIN IMMEDIATE", "official_numbers"); !r) return r.error();
  for (const std::string& t : tickets) {
    auto n = official_number(t, now_ms);
    if (!n) {
      exec("ROLLBACK", "official_numbers").ok();
      return n.error();
    }
    out.push_back(std::move(n).value());
  }
  if (auto r = exec("COMMIT", "official_numbers"); !r) {
    exec("ROLLBACK", "official_numbers").ok();
    return r.error();
  }
  return out;
}

}  // namespace linli

#undef LINLI_REPLICA_N
#undef LINLI_TICKET_N
