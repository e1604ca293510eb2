// The schema, as an ordered list of migrations. PRAGMA user_version counts those applied.
// Never edit a migration that has shipped: add a new one.
#include "store/store.h"

namespace linli {

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {
      {"1: tickets and replica metadata", R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE tickets (
  id                 TEXT PRIMARY KEY CHECK (length(id) = 32),
  provisional_number TEXT NOT NULL,
  official_number    TEXT NOT NULL DEFAULT '',
  source             TEXT NOT NULL,
  received_at        INTEGER NOT NULL,
  citizen_name       TEXT NOT NULL,
  citizen_phone      TEXT NOT NULL,
  community          TEXT NOT NULL,
  address            TEXT NOT NULL,
  category           TEXT NOT NULL,
  urgency            TEXT NOT NULL,
  title              TEXT NOT NULL,
  description        TEXT NOT NULL,
  status             TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT;

CREATE INDEX tickets_by_received ON tickets (received_at DESC, id);
)sql"},
  };
  return migrations;
}

}  // namespace linli
