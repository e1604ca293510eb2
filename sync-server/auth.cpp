// Crypto and the rate limiter. libsodium only; nothing here touches the database.
#include "auth.h"

#include <sodium.h>

namespace linli::server {

Result<void> init_crypto() {
  if (sodium_init() < 0) return Error{ErrorCode::Unsupported, "[server.auth] libsodium could not start"};
  return Ok{};
}

Result<std::string> hash_password(const std::string& password) {
  if (password.size() < kMinPasswordLength)
    return Error{ErrorCode::InvalidArgument, "[server.auth] a password needs at least " +
                                                 std::to_string(kMinPasswordLength) + " characters"};
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Error{ErrorCode::Storage, "[server.auth] out of memory while hashing a password"};
  return std::string(out);
}

bool verify_password(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_hash(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

void RateLimiter::prune(std::deque<int64_t>& q, int64_t now_ms) const {
  const int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(m_window).count();
  while (!q.empty() && q.front() <= now_ms - window_ms) q.pop_front();
}

int64_t RateLimiter::retry_after(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  auto it = m_failures.find(key);
  if (it == m_failures.end()) return 0;
  prune(it->second, now_ms);
  if (it->second.empty()) {
    m_failures.erase(it);
    return 0;
  }
  if (static_cast<int>(it->second.size()) < m_limit) return 0;
  const int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(m_window).count();
  return (it->second.front() + window_ms - now_ms + 999) / 1000;
}

void RateLimiter::record_failure(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  auto& q = m_failures[key];
  prune(q, now_ms);
  q.push_back(now_ms);
}

void RateLimiter::reset(const std::string& key) {
  std::lock_guard lock(m_mutex);
  m_failures.erase(key);
}

}  // namespace linli::server
