// AccountStore: users and tokens. Its tables carry their own version (accounts_schema), apart
// from the replicated store's user_version, so either can migrate without the other.
#include "store/accounts.h"

#include "store/sqlite_util.h"

#include <utility>

namespace linli {
namespace {

using sqlite_util::Stmt;

Error db_error(sqlite3* db, std::string_view where, std::string_view what = {}) {
  return sqlite_util::sqlite_error(db, "accounts", where, what);
}

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS accounts_schema (version INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL,
  scope         TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens (user_id);
)sql";

constexpr const char* kUserColumns =
    "users.id, users.name, users.display_name, users.role, users.scope, users.disabled, users.created_at";

Result<User> read_user(const Stmt& s) {
  User u;
  u.id = s.int64(0);
  u.name = s.text(1);
  u.display_name = s.text(2);
  const auto role = parse_role(s.text(3));
  if (!role) return Error{ErrorCode::Corrupt, "[accounts.read_user] " + u.name + ": unknown role"};
  u.role = *role;
  u.scope = s.text(4);
  u.disabled = s.int64(5) != 0;
  u.created_at_ms = s.int64(6);
  return u;
}

}  // namespace

bool is_valid_user_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 32 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  if (name == kServerUserName) return false;  // The author of the server's own changes.
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

Result<AccountStore> AccountStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = db_error(db, "open", path);
    sqlite3_close(db);
    return e;
  }
  AccountStore store(db);
  sqlite3_extended_result_codes(db, 1);
  sqlite_util::wait_when_busy(db);
  if (auto r = store.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", "open"); !r)
    return r.error();
  const std::string migrate = std::string("BEGIN IMMEDIATE;") + kSchemaV1 +
                              "INSERT INTO accounts_schema (version) SELECT 1 WHERE NOT EXISTS "
                              "(SELECT 1 FROM accounts_schema); COMMIT;";
  if (auto r = store.exec(migrate.c_str(), "open"); !r) {
    store.exec("ROLLBACK", "open").ok();
    return r.error();
  }
  Stmt v(db, "SELECT max(version) FROM accounts_schema");
  if (!v.ok() || v.step() != SQLITE_ROW) return db_error(db, "open", path);
  if (v.int64(0) > 1)
    return Error{ErrorCode::Unsupported, "[accounts.open] " + path + ": accounts schema " +
                                             std::to_string(v.int64(0)) + " is newer than this build's 1"};
  return store;
}

void AccountStore::leave_checkpoints_to_others() { sqlite_util::leave_checkpoints_to_others(m_db); }

AccountStore::AccountStore(AccountStore&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
AccountStore& AccountStore::operator=(AccountStore&& other) noexcept {
  if (this != &other) {
    sqlite_util::close(m_db);
    m_db = std::exchange(other.m_db, nullptr);
  }
  return *this;
}
AccountStore::~AccountStore() { sqlite_util::close(m_db); }

Result<void> AccountStore::exec(const char* sql, const char* where) {
  return sqlite_util::exec(m_db, sql, "accounts", where);
}

Result<User> AccountStore::add_user(const User& u, const std::string& password_hash, int64_t now_ms) {
  if (!is_valid_user_name(u.name))
    return Error{ErrorCode::InvalidArgument,
                 "[accounts.add_user] \"" + u.name + "\": a user name is 2-32 of a-z 0-9 . _ - and starts with a letter (and is not \"server\")"};
  if (u.role != Role::Centre && u.scope.empty())
    return Error{ErrorCode::InvalidArgument, "[accounts.add_user] " + u.name + ": a " +
                                                 std::string(to_string(u.role)) +
                                                 " user needs a scope (its community or department)"};
  Stmt s(m_db,
         "INSERT INTO users (name, display_name, role, scope, password_hash, created_at) VALUES (?,?,?,?,?,?) "
         "RETURNING id");
  if (!s.ok()) return db_error(m_db, "add_user");
  s.bind(1, u.name);
  s.bind(2, u.display_name.empty() ? u.name : u.display_name);
  s.bind(3, to_string(u.role));
  s.bind(4, u.scope);
  s.bind(5, password_hash);
  s.bind(6, now_ms);
  const int rc = s.step();
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    return Error{ErrorCode::InvalidArgument, "[accounts.add_user] user \"" + u.name + "\" exists"};
  if (rc != SQLITE_ROW) return db_error(m_db, "add_user", u.name);
  User out = u;
  out.id = s.int64(0);
  if (out.display_name.empty()) out.display_name = u.name;
  out.created_at_ms = now_ms;
  out.disabled = false;
  return out;
}

Result<std::vector<User>> AccountStore::list_users() {
  const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name";
  Stmt s(m_db, sql);
  if (!s.ok()) return db_error(m_db, "list_users");
  std::vector<User> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto u = read_user(s);
    if (!u) return u.error();
    out.push_back(std::move(u).value());
  }
  if (rc != SQLITE_DONE) return db_error(m_db, "list_users");
  return out;
}

Result<std::optional<User>> AccountStore::find_user(const std::string& name) {
  const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?";
  Stmt s(m_db, sql);
  if (!s.ok()) return db_error(m_db, "find_user");
  s.bind(1, name);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<User>{};
  if (rc != SQLITE_ROW) return db_error(m_db, "find_user", name);
  auto u = read_user(s);
  if (!u) return u.error();
  return std::optional<User>{std::move(u).value()};
}

Result<std::string> AccountStore::password_hash_of(int64_t user_id) {
  Stmt s(m_db, "SELECT password_hash FROM users WHERE id = ?");
  if (!s.ok()) return db_error(m_db, "password_hash_of");
  s.bind(1, user_id);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return Error{ErrorCode::NotFound, "[accounts.password_hash_of] no user " + std::to_string(user_id)};
  if (rc != SQLITE_ROW) return db_error(m_db, "password_hash_of");
  return s.text(0);
}

Result<int> AccountStore::revoke_tokens_of(int64_t user_id, int64_t now_ms) {
  Stmt s(m_db, "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
  if (!s.ok()) return db_error(m_db, "revoke_tokens_of");
  s.bind(1, now_ms);
  s.bind(2, user_id);
  if (s.step() != SQLITE_DONE) return db_error(m_db, "revoke_tokens_of");
  return sqlite3_changes(m_db);
}

Result<void> AccountStore::set_disabled(const std::string& name, bool disabled, int64_t now_ms) {
  auto user = find_user(name);
  if (!user) return user.error();
  if (!user->has_value()) return Error{ErrorCode::NotFound, "[accounts.set_disabled] no user \"" + name + "\""};
  if (auto r = exec("BEGIN IMMEDIATE", "set_disabled"); !r) return r.error();
  Stmt s(m_db, "UPDATE users SET disabled = ? WHERE id = ?");
  s.bind(1, int64_t{disabled ? 1 : 0});
  s.bind(2, (*user)->id);
  Result<void> step = Ok{};
  if (!s.ok() || s.step() != SQLITE_DONE) step = db_error(m_db, "set_disabled", name);
  if (step && disabled) {
    if (auto n = revoke_tokens_of((*user)->id, now_ms); !n) step = n.error();
  }
  if (step) step = exec("COMMIT", "set_disabled");
  if (!step) exec("ROLLBACK", "set_disabled").ok();
  return step;
}

Result<void> AccountStore::set_password_hash(const std::string& name, const std::string& hash, int64_t now_ms) {
  auto user = find_user(name);
  if (!user) return user.error();
  if (!user->has_value()) return Error{ErrorCode::NotFound, "[accounts.set_password_hash] no user \"" + name + "\""};
  if (auto r = exec("BEGIN IMMEDIATE", "set_password_hash"); !r) return r.error();
  Stmt s(m_db, "UPDATE users SET password_hash = ? WHERE id = ?");
  s.bind(1, hash);
  s.bind(2, (*user)->id);
  Result<void> step = Ok{};
  if (!s.ok() || s.step() != SQLITE_DONE) step = db_error(m_db, "set_password_hash", name);
  if (step) {
    if (auto n = revoke_tokens_of((*user)->id, now_ms); !n) step = n.error();
  }
  if (step) step = exec("COMMIT", "set_password_hash");
  if (!step) exec("ROLLBACK", "set_password_hash").ok();
  return step;
}

Result<void> AccountStore::add_token(const TokenRecord& t) {
  Stmt s(m_db, "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)");
  if (!s.ok()) return db_error(m_db, "add_token");
  s.bind(1, t.token_hash);
  s.bind(2, t.user_id);
  s.bind(3, t.created_at_ms);
  s.bind(4, t.expires_at_ms);
  if (s.step() != SQLITE_DONE) return db_error(m_db, "add_token");
  return Ok{};
}

Result<std::optional<User>> AccountStore::user_for_token(const std::string& token_hash, int64_t now_ms) {
  // Every request asks: made once, so the connection keeps it prepared (a literal's lifetime).
  static const std::string sql = std::string("SELECT ") + kUserColumns +
                                 " FROM tokens JOIN users ON users.id = tokens.user_id"
                                 " WHERE tokens.token_hash = ? AND tokens.revoked_at IS NULL AND tokens.expires_at > ?"
                                 " AND users.disabled = 0";
  Stmt s(m_db, sql.c_str());
  if (!s.ok()) return db_error(m_db, "user_for_token");
  s.bind(1, token_hash);
  s.bind(2, now_ms);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<User>{};
  if (rc != SQLITE_ROW) return db_error(m_db, "user_for_token");
  auto u = read_user(s);
  if (!u) return u.error();
  return std::optional<User>{std::move(u).value()};
}

Result<bool> AccountStore::revoke_token(const std::string& token_hash, int64_t now_ms) {
  Stmt s(m_db, "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL");
  if (!s.ok()) return db_error(m_db, "revoke_token");
  s.bind(1, now_ms);
  s.bind(2, token_hash);
  if (s.step() != SQLITE_DONE) return db_error(m_db, "revoke_token");
  return sqlite3_changes(m_db) > 0;
}

}  // namespace linli
