// Passwords, tokens and the login rate limit. Argon2id through libsodium; tokens are 256 random
// bits shown once to the client and stored only as their SHA-256.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "core/result.h"

namespace linli::server {

// Must be called once before any other function here.
Result<void> init_crypto();

// An Argon2id string ("$argon2id$v=19$m=...") with a fresh salt, at libsodium's interactive limits.
Result<std::string> hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);
// Passwords shorter than this are refused when set.
inline constexpr size_t kMinPasswordLength = 8;

// A new random token: 43 characters of URL-safe base64 (256 bits).
std::string new_token();
// Lower-case hex SHA-256 of a token, as stored.
std::string token_hash(const std::string& token);

// Counts failures per key in a sliding window; a key with `limit` failures in the window is
// refused until the oldest leaves it. Thread-safe.
class RateLimiter {
 public:
  RateLimiter(int limit, std::chrono::seconds window) : m_limit(limit), m_window(window) {}
  // Seconds to wait before trying again; 0 when the key may try now.
  int64_t retry_after(const std::string& key, int64_t now_ms);
  void record_failure(const std::string& key, int64_t now_ms);
  void reset(const std::string& key);

 private:
  void prune(std::deque<int64_t>& q, int64_t now_ms) const;
  std::mutex m_mutex;
  int m_limit;
  std::chrono::seconds m_window;
  std::map<std::string, std::deque<int64_t>> m_failures;
};

}  // namespace linli::server
