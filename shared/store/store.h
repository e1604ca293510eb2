// The SQLite store of one replica: schema and migrations, tickets in and out.
// The only owner of sqlite3*; callers see Result values, never SQL or exceptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/ticket.h"

struct sqlite3;

namespace linli {

// How the database file is kept durable.
enum class Durability {
  // Native server: WAL, synchronous=FULL; a commit is on disk when it returns.
  Wal,
  // Browser: one file whose changed pages are handed to a page sink at each commit
  // (see page_vfs.h); the rollback journal stays in memory and the sink's store is the durable copy.
  PageSink,
};

struct StoreOptions {
  Durability durability = Durability::Wal;
  const char* vfs = nullptr;  // sqlite3_vfs name; nullptr for the default.
};

struct TicketQuery {
  int limit = 200;
  int offset = 0;
};

// One migration step: SQL that takes the schema from version (index) to version (index + 1).
struct Migration {
  const char* name;
  const char* sql;
};

class Store {
 public:
  // The schema version this build writes; a file with a newer one is refused (Unsupported).
  static int schema_version();

  // Opens (creating if needed) and migrates the database at `path`.
  static Result<Store> open(const std::string& path, const StoreOptions& options = {});
  // The same with an explicit list of migrations; for tests of the migration mechanism.
  static Result<Store> open_with(const std::string& path, const StoreOptions& options,
                                 const std::vector<Migration>& migrations);

  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // Validates and inserts a new ticket. InvalidArgument when it breaks a rule or its id exists.
  Result<void> create_ticket(const Ticket& ticket);
  Result<std::optional<Ticket>> get_ticket(const std::string& id);
  // Newest received first.
  Result<std::vector<Ticket>> list_tickets(const TicketQuery& query = {});
  Result<int64_t> count_tickets();

  // Takes the next provisional sequence number for a day (1, 2, 3, ...), durably.
  Result<int> next_provisional_sequence(int day_yyyymmdd);

  // Adds the demo tickets that are not there yet, each with its own provisional number.
  // Returns how many were added (0 the second time).
  Result<int> seed_demo_tickets(int64_t now_ms);

  int user_version();

 private:
  explicit Store(sqlite3* db) : m_db(db) {}
  Result<void> exec(const char* sql, const char* where);
  Result<void> migrate(const std::vector<Migration>& migrations, const std::string& path);

  sqlite3* m_db = nullptr;
};

// The schema's migrations, in order (shared/store/migrations.cpp).
const std::vector<Migration>& schema_migrations();

}  // namespace linli
