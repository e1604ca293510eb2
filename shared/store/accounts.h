// Accounts and sign-in tokens of the sync server, kept in the server's database file beside the
// replicated store. Stores only hashes (a password's Argon2id string, a token's SHA-256); hashing
// itself is the server's (libsodium), so this stays free of crypto. The only owner of its sqlite3*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/workflow.h"

struct sqlite3;

namespace linli {

struct User {
  int64_t id = 0;
  std::string name;          // Sign-in name: lower-case letters, digits, '.', '_' or '-'.
  std::string display_name;  // "张斌", shown in the timeline.
  Role role = Role::Centre;
  std::string scope;         // The committee's community, or the department; empty for the centre.
  bool disabled = false;
  int64_t created_at_ms = 0;
};

struct TokenRecord {
  std::string token_hash;  // Hex SHA-256 of the token; the token itself is never stored.
  int64_t user_id = 0;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// The user the server's own changes name (official numbers, intake): no account may take it.
inline constexpr std::string_view kServerUserName = "server";
// A user name may be used: 2-32 characters of [a-z0-9._-], starting with a letter; not "server".
bool is_valid_user_name(std::string_view name);

class AccountStore {
 public:
  // Opens the accounts tables in the file at `path` (creating them if needed).
  static Result<AccountStore> open(const std::string& path);
  AccountStore(AccountStore&& other) noexcept;
  AccountStore& operator=(AccountStore&& other) noexcept;
  AccountStore(const AccountStore&) = delete;
  AccountStore& operator=(const AccountStore&) = delete;
  ~AccountStore();

  // InvalidArgument for a bad name, a scope the role needs but lacks, or a name in use.
  Result<User> add_user(const User& user, const std::string& password_hash, int64_t now_ms);
  Result<std::vector<User>> list_users();
  Result<std::optional<User>> find_user(const std::string& name);
  Result<std::string> password_hash_of(int64_t user_id);
  // Disabling a user also revokes every token it holds.
  Result<void> set_disabled(const std::string& name, bool disabled, int64_t now_ms);
  // A new password revokes every token too: whoever had the old one is signed out.
  Result<void> set_password_hash(const std::string& name, const std::string& password_hash, int64_t now_ms);

  Result<void> add_token(const TokenRecord& token);
  // The user a token signs in, if the token is known, unexpired, unrevoked and its user enabled.
  Result<std::optional<User>> user_for_token(const std::string& token_hash, int64_t now_ms);
  // True if a live token was revoked.
  Result<bool> revoke_token(const std::string& token_hash, int64_t now_ms);
  void leave_checkpoints_to_others();  // As Store::leave_checkpoints_to_others.

 private:
  explicit AccountStore(sqlite3* db) : m_db(db) {}
  Result<void> exec(const char* sql, const char* where);
  Result<int> revoke_tokens_of(int64_t user_id, int64_t now_ms);
  sqlite3* m_db = nullptr;
};

}  // namespace linli
