// Store: opening, migrating, and the ticket table. Every statement is prepared here and
// finalized before return; a failed step leaves the transaction rolled back.
#include "store/store.h"

#include <sqlite3.h>

#include <string_view>
#include <utility>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

Error db_error(sqlite3* db, std::string_view where, std::string_view what = {}) {
  return sqlite_util::sqlite_error(db, "store", where, what);
}

constexpr const char* kTicketColumns =
    "id, provisional_number, official_number, source, received_at, citizen_name, citizen_phone, "
    "community, address, category, urgency, title, description, status, created_at, updated_at";

Result<Ticket> read_ticket(const Stmt& s) {
  Ticket t;
  t.id = s.text(0);
  t.provisional_number = s.text(1);
  t.official_number = s.text(2);
  const auto source = parse_source(s.text(3));
  const auto category = parse_category(s.text(9));
  const auto urgency = parse_urgency(s.text(10));
  const auto status = parse_ticket_status(s.text(13));
  if (!source || !category || !urgency || !status)
    return Error{ErrorCode::Corrupt, "[store.read_ticket] ticket " + t.id + ": unknown code in a coded column"};
  t.source = *source;
  t.received_at_ms = s.int64(4);
  t.citizen_name = s.text(5);
  t.citizen_phone = s.text(6);
  t.community = s.text(7);
  t.address = s.text(8);
  t.category = *category;
  t.urgency = *urgency;
  t.title = s.text(11);
  t.description = s.text(12);
  t.status = *status;
  t.created_at_ms = s.int64(14);
  t.updated_at_ms = s.int64(15);
  return t;
}

std::string describe(const std::vector<FieldProblem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += ", ";
    out += std::string(to_string(p.field)) + " " + std::string(to_string(p.code));
  }
  return out;
}

}  // namespace

int Store::schema_version() { return static_cast<int>(schema_migrations().size()); }

Result<Store> Store::open(const std::string& path, const StoreOptions& options) {
  auto store = open_with(path, options, schema_migrations());
  if (store)
    if (auto r = store->shape_for(options.use); !r) return r.error();
  return store;
}

Result<Store> Store::open_with(const std::string& path, const StoreOptions& options,
                               const std::vector<Migration>& migrations) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, options.vfs) != SQLITE_OK) {
    Error e = db_error(db, "open", path);
    sqlite3_close(db);
    return e;
  }
  Store store(db);
  store.m_options = options;
  sqlite3_extended_result_codes(db, 1);
  sqlite_util::wait_when_busy(db);
  if (auto r = register_store_functions(db); !r) return r.error();
  const char* pragmas = options.durability == Durability::Wal
                            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                              "PRAGMA cache_size=-65536;"  // 64 MiB: the change log's indexes stay in memory.
                              // A checkpoint every 10,000 WAL pages (40 MiB), not SQLite's 1,000: a batch
                              // of 1,000 edits on as many tickets writes about 1,000 pages, so at 1,000
                              // every commit checkpointed (copied its pages into the database and synced
                              // it). Now a checkpoint copies each page once for about ten batches, however
                              // often they rewrote it (docs/benchmarks.md, "Checkpoints").
                              "PRAGMA wal_autocheckpoint=10000;"
                            : "PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; "
                              "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
  if (auto r = store.exec(pragmas, "open"); !r) return r.error();
  if (options.cache_pages > 0) {
    const std::string cache = "PRAGMA cache_size=" + std::to_string(options.cache_pages) + ";";
    if (auto r = store.exec(cache.c_str(), "open"); !r) return r.error();
  }
  if (auto r = store.migrate(migrations, path); !r) return r.error();
  return store;
}

Store::Store(sqlite3* db) : m_db(db) {}

std::string Store::path() const {
  const char* p = m_db ? sqlite3_db_filename(m_db, "main") : nullptr;
  return p ? p : "";
}

Store::Store(Store&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_options(other.m_options),
      m_sync(std::move(other.m_sync)),
      m_calendar(other.m_calendar),
      m_refold(std::move(other.m_refold)),
      m_hits(std::move(other.m_hits)) {}

Store& Store::operator=(Store&& other) noexcept {
  if (this != &other) {
    m_sync.reset();  // Finalizes its statements before the connection closes.
    sqlite_util::close(m_db);
    m_db = std::exchange(other.m_db, nullptr);
    m_options = other.m_options;
    m_sync = std::move(other.m_sync);
    m_calendar = other.m_calendar;
    m_refold = std::move(other.m_refold);
    m_hits = std::move(other.m_hits);
  }
  return *this;
}

Store::~Store() {
  m_sync.reset();
  sqlite_util::close(m_db);
}

Result<void> Store::exec(const char* sql, const char* where) {
  return sqlite_util::exec(m_db, sql, "store", where);
}

int Store::user_version() {
  Stmt s(m_db, "PRAGMA user_version");
  return s.ok() && s.step() == SQLITE_ROW ? static_cast<int>(s.int64(0)) : -1;
}

// Applies each migration past the file's user_version in its own transaction, bumping
// user_version in the same transaction, so a crash leaves the file at a whole version.
Result<void> Store::migrate(const std::vector<Migration>& migrations, const std::string& path) {
  const int have = user_version();
  const int want = static_cast<int>(migrations.size());
  if (have < 0) return db_error(m_db, "migrate", path);
  if (have > want)
    return Error{ErrorCode::Unsupported, "[store.migrate] " + path + ": schema version " +
                                             std::to_string(have) + " is newer than this build's " +
                                             std::to_string(want)};
  for (int v = have; v < want; ++v) {
    const std::string sql = std::string("BEGIN IMMEDIATE;") + migrations[static_cast<size_t>(v)].sql +
                            "PRAGMA user_version=" + std::to_string(v + 1) + "; COMMIT;";
    if (auto r = exec(sql.c_str(), "migrate"); !r) {
      exec("ROLLBACK", "migrate").ok();
      return Error{r.error().code, r.error().detail + " (in migration " +
                                       migrations[static_cast<size_t>(v)].name + ")"};
    }
  }
  return Ok{};
}

Result<void> Store::shape_for(StoreUse use) {
  // Whether it is shaped for `use` now. The meta key says how it was last shaped; a server's store
  // is looked at for the search triggers too, since a migration that makes them again (12) runs on
  // it as well; a replica's for the due index, which migration 19 drops to be made again here.
  const auto shaped = [&]() -> Result<bool> {
    Stmt s(m_db,
           "SELECT coalesce((SELECT value FROM meta WHERE key = 'store.use'), ''), "
           "EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = 'ticket_search_insert'), "
           "EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'inbox_by_due')");
    if (!s.ok() || s.step() != SQLITE_ROW) return db_error(m_db, "shape");
    const bool server_use = s.text(0) == "server";
    if (use == StoreUse::Server) return server_use && s.int64(1) == 0;
    return !server_use && s.int64(2) != 0;
  };
  const bool server = use == StoreUse::Server;
  if (auto now = shaped(); !now) return now.error();
  else if (*now) return Ok{};  // As wanted: no write lock taken (the server's readers open often).
  if (auto r = exec("BEGIN IMMEDIATE", "shape"); !r) return r;
  auto shape = [&]() -> Result<void> {
    auto now = shaped();  // Again under the lock: another connection may have shaped it meanwhile.
    if (!now) return now.error();
    if (*now) return Ok{};
    // Whatever it holds now (a server's store a migration gave triggers again has triggers and no
    // inbox indexes), first take out all of it, then make what this use wants.
    std::string sql = "DROP TRIGGER IF EXISTS ticket_search_insert; DROP TRIGGER IF EXISTS ticket_search_update; "
                      "DROP TRIGGER IF EXISTS ticket_search_delete; DELETE FROM search_pending; "
                      "INSERT INTO ticket_search (ticket_search) VALUES ('delete-all');";
    // Every index the inbox's part of migration 8 makes.
    const std::string_view made = kInboxIndexesSql;
    constexpr std::string_view kCreate = "CREATE INDEX ";
    for (size_t at = made.find(kCreate); at != std::string_view::npos; at = made.find(kCreate, at)) {
      at += kCreate.size();
      sql += "DROP INDEX IF EXISTS " + std::string(made.substr(at, made.find(' ', at) - at)) + ";";
    }
    if (server) sql += "INSERT INTO meta (key, value) VALUES ('store.use', 'server') "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value;";
    else sql += std::string(kInboxIndexesSql) + kSearchTriggersSql + kSearchFillSql + "DELETE FROM meta WHERE key = 'store.use';";
    return exec(sql.c_str(), "shape");
  };
  if (auto r = shape(); !r) {
    exec("ROLLBACK", "shape").ok();
    return r;
  }
  return exec("COMMIT", "shape");
}

Result<void> Store::create_ticket(const Ticket& t) {
  return in_write_transaction("create_ticket", [&]() -> Result<void> {
    if (auto r = insert_ticket(t); !r) return r;
    return write_search(m_db, sync());
  });
}

Result<void> Store::insert_ticket(const Ticket& t) {
  if (auto problems = validate_new_ticket(t); !problems.empty())
    return Error{ErrorCode::InvalidArgument, "[store.create_ticket] " + describe(problems)};
  Stmt s(m_db,
         "INSERT INTO tickets (id, provisional_number, official_number, source, received_at, "
         "citizen_name, citizen_phone, community, address, category, urgency, title, description, "
         "status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!s.ok()) return db_error(m_db, "create_ticket");
  s.bind(1, t.id);
  s.bind(2, t.provisional_number);
  s.bind(3, t.official_number);
  s.bind(4, to_string(t.source));
  s.bind(5, t.received_at_ms);
  s.bind(6, t.citizen_name);
  s.bind(7, t.citizen_phone);
  s.bind(8, t.community);
  s.bind(9, t.address);
  s.bind(10, to_string(t.category));
  s.bind(11, to_string(t.urgency));
  s.bind(12, t.title);
  s.bind(13, t.description);
  s.bind(14, to_string(t.status));
  s.bind(15, t.created_at_ms);
  s.bind(16, t.updated_at_ms);
  const int rc = s.step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error{ErrorCode::InvalidArgument, "[store.create_ticket] ticket " + t.id + " exists"};
  if (rc != SQLITE_DONE) return db_error(m_db, "create_ticket", t.id);
  return Ok{};
}

Result<int> Store::create_tickets(const std::vector<Ticket>& tickets) {
  return in_write_transaction("create_tickets", [&]() -> Result<int> {
    for (const Ticket& t : tickets)
      if (auto r = insert_ticket(t); !r) return r.error();
    if (auto r = write_search(m_db, sync()); !r) return r.error();
    return static_cast<int>(tickets.size());
  });
}

Result<std::optional<Ticket>> Store::get_ticket(const std::string& id) {
  const std::string sql = std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE id = ?";
  Stmt s(m_db, sql);
  if (!s.ok()) return db_error(m_db, "get_ticket");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<Ticket>{};
  if (rc != SQLITE_ROW) return db_error(m_db, "get_ticket", id);
  auto t = read_ticket(s);
  if (!t) return t.error();
  return std::optional<Ticket>{std::move(t).value()};
}

Result<std::vector<Ticket>> Store::list_tickets(const TicketQuery& q) {
  const std::string sql = std::string("SELECT ") + kTicketColumns +
                          " FROM tickets ORDER BY received_at DESC, id LIMIT ? OFFSET ?";
  Stmt s(m_db, sql);
  if (!s.ok()) return db_error(m_db, "list_tickets");
  s.bind(1, int64_t{q.limit});
  s.bind(2, int64_t{q.offset});
  std::vector<Ticket> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto t = read_ticket(s);
    if (!t) return t.error();
    out.push_back(std::move(t).value());
  }
  if (rc != SQLITE_DONE) return db_error(m_db, "list_tickets");
  return out;
}

Result<std::vector<std::string>> Store::ticket_ids_received(int64_t from_ms, int64_t to_ms) {
  Stmt s(m_db, "SELECT id FROM tickets WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id");
  if (!s.ok()) return db_error(m_db, "ticket_ids_received");
  s.bind(1, from_ms);
  s.bind(2, to_ms);
  std::vector<std::string> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.text(0));
  if (rc != SQLITE_DONE) return db_error(m_db, "ticket_ids_received");
  return out;
}

Result<int64_t> Store::count_tickets() {
  Stmt s(m_db, "SELECT count(*) FROM tickets");
  if (!s.ok() || s.step() != SQLITE_ROW) return db_error(m_db, "count_tickets");
  return s.int64(0);
}

Result<int> Store::next_provisional_sequence(int day) {
  // One statement: the upsert and the read happen in the same implicit transaction.
  Stmt s(m_db,
         "INSERT INTO meta (key, value) VALUES ('provisional:' || ?1, '1') "
         "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
         "RETURNING CAST(value AS INTEGER)");
  if (!s.ok()) return db_error(m_db, "next_provisional_sequence");
  s.bind(1, int64_t{day});
  if (s.step() != SQLITE_ROW) return db_error(m_db, "next_provisional_sequence");
  const auto seq = static_cast<int>(s.int64(0));
  if (s.step() != SQLITE_DONE) return db_error(m_db, "next_provisional_sequence");
  return seq;
}

template <class Body>
auto Store::in_write_transaction(const char* where, Body&& body) -> decltype(body()) {
  if (auto r = exec("BEGIN IMMEDIATE", where); !r) return r.error();
  auto result = body();
  if (result) {
    if (auto r = exec("COMMIT", where); !r) result = r.error();
  }
  if (!result) exec("ROLLBACK", where).ok();
  return result;
}

}  // namespace linli
