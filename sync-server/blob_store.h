// Photos on disk, content-addressed: DIR/<sha256>.<jpg|png|webp>, the extension keeping the type.
// A blob appears whole or not at all (temp file in the same folder, fsync, rename, fsync of the
// folder) and is never rewritten. No HTTP here: the routes are in routes_blobs.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace linli::server {

// True for 64 lowercase hex digits: the only names a blob may have.
bool is_blob_name(std::string_view name);
// Lowercase hex SHA-256 of `bytes` (libsodium).
std::string sha256_hex(std::string_view bytes);
// The file extension kept for an allowed image type ("image/jpeg" -> "jpg"); nullopt for others.
std::optional<std::string_view> blob_extension(std::string_view type);

struct BlobInfo {
  std::string path;
  std::string type;  // "image/jpeg", "image/png" or "image/webp".
  int64_t size = 0;
};

enum class PutOutcome { Created, Existed };

// Stateless: one may be made per request from the folder's name.
class BlobStore {
 public:
  explicit BlobStore(std::string dir) : m_dir(std::move(dir)) {}

  // Creates the folder and removes the temp files a crash left behind. Call before serving:
  // a temp file of a write in progress would go too.
  Result<void> prepare() const;
  // The stored blob named `sha256`, or nullopt.
  Result<std::optional<BlobInfo>> find(std::string_view sha256) const;
  // Stores `bytes` as `sha256` (the caller checked the name, the hash and the type). A blob that
  // is already there is left alone: Existed. Durable when it returns Created.
  Result<PutOutcome> put(std::string_view sha256, std::string_view bytes, std::string_view type) const;

 private:
  std::string m_dir;
};

}  // namespace linli::server
