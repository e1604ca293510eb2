// The blob folder with POSIX calls: open, write, fsync, rename. Nothing else writes there.
#include "blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace linli::server {
namespace {

constexpr std::string_view kTempPrefix = ".tmp-";

struct TypeExt {
  std::string_view type, ext;
};
constexpr std::array<TypeExt, 3> kTypes = {{{"image/jpeg", "jpg"}, {"image/png", "png"}, {"image/webp", "webp"}}};

Error io_error(std::string_view what, const std::string& path) {
  return Error{ErrorCode::Storage, "[server.blobs] " + std::string(what) + " " + path + ": " + std::strerror(errno)};
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Makes a rename in `dir` durable.
bool sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string random_hex(size_t bytes) {
  unsigned char raw[16];
  randombytes_buf(raw, bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, raw, bytes);
  return hex;
}

}  // namespace

bool is_blob_name(std::string_view name) {
  if (name.size() != 64) return false;
  for (char c : name)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::optional<std::string_view> blob_extension(std::string_view type) {
  for (const TypeExt& t : kTypes)
    if (t.type == type) return t.ext;
  return std::nullopt;
}

Result<void> BlobStore::prepare() const {
  std::error_code ec;
  std::filesystem::create_directories(m_dir, ec);
  if (ec) return Error{ErrorCode::Storage, "[server.blobs] cannot create " + m_dir + ": " + ec.message()};
  for (const auto& entry : std::filesystem::directory_iterator(m_dir, ec))
    if (entry.path().filename().string().rfind(kTempPrefix, 0) == 0) std::filesystem::remove(entry.path(), ec);
  return Ok{};
}

Result<std::optional<BlobInfo>> BlobStore::find(std::string_view sha256) const {
  for (const TypeExt& t : kTypes) {
    std::string path = m_dir + "/" + std::string(sha256) + "." + std::string(t.ext);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      if (!S_ISREG(st.st_mode)) return Error{ErrorCode::Corrupt, "[server.blobs] not a file: " + path};
      return std::optional<BlobInfo>{BlobInfo{std::move(path), std::string(t.type), static_cast<int64_t>(st.st_size)}};
    }
    if (errno != ENOENT && errno != ENOTDIR) return io_error("cannot look at", path);
  }
  return std::optional<BlobInfo>{};
}

Result<PutOutcome> BlobStore::put(std::string_view sha256, std::string_view bytes, std::string_view type) const {
  auto existing = find(sha256);
  if (!existing) return existing.error();
  if (*existing) return PutOutcome::Existed;
  const auto ext = blob_extension(type);
  if (!ext) return Error{ErrorCode::InvalidArgument, "[server.blobs] type not allowed: " + std::string(type)};
  std::error_code ec;
  std::filesystem::create_directories(m_dir, ec);
  if (ec) return Error{ErrorCode::Storage, "[server.blobs] cannot create " + m_dir + ": " + ec.message()};

  // A name of its own per writer: two uploads of the same photo never share a temp file.
  const std::string temp = m_dir + "/" + std::string(kTempPrefix) + std::string(sha256) + "-" + random_hex(8);
  const std::string final_path = m_dir + "/" + std::string(sha256) + "." + std::string(*ext);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create", temp);
  const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
  const int saved = errno;
  if (::close(fd) != 0 || !written) {
    if (!written) errno = saved;  // The write's reason, not close's.
    Error e = io_error("cannot write", temp);
    ::unlink(temp.c_str());
    return e;
  }
  // Same content, same name: if another upload got there first, this rename replaces it with
  // identical bytes, and a reader sees one or the other, whole.
  if (::rename(temp.c_str(), final_path.c_str()) != 0) {
    Error e = io_error("cannot rename to", final_path);
    ::unlink(temp.c_str());
    return e;
  }
  if (!sync_dir(m_dir)) return io_error("cannot sync the folder", m_dir);
  return PutOutcome::Created;
}

}  // namespace linli::server
