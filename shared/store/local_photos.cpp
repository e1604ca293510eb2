// Photos this device holds (local_photos, local_photo_bytes): taken here and waiting for their
// upload, uploaded, or fetched for display. App-local rows: no change record, never synced.
#include <sqlite3.h>

#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

constexpr const char* kStateCodes[] = {"waiting", "uploaded", "cached", "failed"};

Error storage_error(sqlite3* db, const char* where) { return sqlite_util::sqlite_error(db, "store", where); }

LocalPhotoState parse_state(const std::string& s) {
  if (s == "uploaded") return LocalPhotoState::Uploaded;
  if (s == "cached") return LocalPhotoState::Cached;
  if (s == "failed") return LocalPhotoState::Failed;
  return LocalPhotoState::Waiting;
}

constexpr const char* kColumns = "sha256, ticket_id, phase, type, size, width, height, state, created_at, failure";

LocalPhoto read_row(const Stmt& s) {
  LocalPhoto p;
  p.sha256 = s.text(0);
  p.ticket_id = s.text(1);
  p.phase = parse_photo_phase(s.text(2)).value_or(PhotoPhase::None);
  p.type = s.text(3);
  p.size = s.int64(4);
  p.width = static_cast<int>(s.int64(5));
  p.height = static_cast<int>(s.int64(6));
  p.state = parse_state(s.text(7));
  p.created_at_ms = s.int64(8);
  p.failure = s.text(9);
  return p;
}

}  // namespace

Result<void> Store::put_local_photo(const LocalPhoto& photo, std::string_view bytes) {
  {
    Stmt s(m_db, "INSERT INTO local_photos (sha256, ticket_id, phase, type, size, width, height, state, created_at) "
                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT (sha256) DO UPDATE SET state = 'uploaded' "
                 "WHERE local_photos.state = 'cached' AND excluded.state <> 'cached'");
    if (!s.ok()) return storage_error(m_db, "put_local_photo");
    s.bind(1, photo.sha256);
    s.bind(2, photo.ticket_id);
    s.bind(3, to_string(photo.phase));
    s.bind(4, photo.type);
    s.bind(5, photo.size);
    s.bind(6, int64_t{photo.width});
    s.bind(7, int64_t{photo.height});
    s.bind(8, kStateCodes[static_cast<int>(photo.state)]);
    s.bind(9, photo.created_at_ms);
    if (s.step() != SQLITE_DONE) return storage_error(m_db, "put_local_photo");
  }
  Stmt b(m_db, "INSERT INTO local_photo_bytes (sha256, bytes) VALUES (?1, ?2) ON CONFLICT (sha256) DO NOTHING");
  if (!b.ok()) return storage_error(m_db, "put_local_photo");
  b.bind(1, photo.sha256);
  b.bind_blob(2, bytes);
  if (b.step() != SQLITE_DONE) return storage_error(m_db, "put_local_photo");
  return Ok{};
}

Result<std::optional<LocalPhoto>> Store::local_photo(const std::string& sha256) {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM local_photos WHERE sha256 = ?1";
  Stmt s(m_db, sql);
  if (!s.ok()) return storage_error(m_db, "local_photo");
  s.bind(1, sha256);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<LocalPhoto>{};
  if (rc != SQLITE_ROW) return storage_error(m_db, "local_photo");
  return std::optional<LocalPhoto>{read_row(s)};
}

Result<std::optional<std::string>> Store::local_photo_bytes(const std::string& sha256) {
  Stmt s(m_db, "SELECT bytes FROM local_photo_bytes WHERE sha256 = ?1");
  if (!s.ok()) return storage_error(m_db, "local_photo_bytes");
  s.bind(1, sha256);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return storage_error(m_db, "local_photo_bytes");
  return std::optional<std::string>{s.text(0)};  // text() copies the column's bytes as they are.
}

Result<std::vector<LocalPhoto>> Store::waiting_photos() {
  const std::string sql =
      std::string("SELECT ") + kColumns + " FROM local_photos WHERE state = 'waiting' ORDER BY created_at, sha256";
  Stmt s(m_db, sql);
  if (!s.ok()) return storage_error(m_db, "waiting_photos");
  std::vector<LocalPhoto> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_row(s));
  if (rc != SQLITE_DONE) return storage_error(m_db, "waiting_photos");
  return out;
}

Result<void> Store::set_local_photo_state(const std::string& sha256, LocalPhotoState state) {
  Stmt s(m_db, "UPDATE local_photos SET state = ?2 WHERE sha256 = ?1");
  if (!s.ok()) return storage_error(m_db, "set_local_photo_state");
  s.bind(1, sha256);
  s.bind(2, kStateCodes[static_cast<int>(state)]);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "set_local_photo_state");
  return Ok{};
}

Result<void> Store::set_local_photo_failed(const std::string& sha256, const std::string& reason) {
  Stmt s(m_db, "UPDATE local_photos SET state = 'failed', failure = ?2 WHERE sha256 = ?1");
  if (!s.ok()) return storage_error(m_db, "set_local_photo_failed");
  s.bind(1, sha256);
  s.bind(2, reason);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "set_local_photo_failed");
  return Ok{};
}

Result<std::vector<LocalPhoto>> Store::failed_photos() {
  const std::string sql =
      std::string("SELECT ") + kColumns + " FROM local_photos WHERE state = 'failed' ORDER BY created_at, sha256";
  Stmt s(m_db, sql);
  if (!s.ok()) return storage_error(m_db, "failed_photos");
  std::vector<LocalPhoto> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_row(s));
  if (rc != SQLITE_DONE) return storage_error(m_db, "failed_photos");
  return out;
}

Result<void> Store::delete_local_photo(const std::string& sha256) {
  for (const char* sql : {"DELETE FROM local_photos WHERE sha256 = ?1", "DELETE FROM local_photo_bytes WHERE sha256 = ?1"}) {
    Stmt s(m_db, sql);
    if (!s.ok()) return storage_error(m_db, "delete_local_photo");
    s.bind(1, sha256);
    if (s.step() != SQLITE_DONE) return storage_error(m_db, "delete_local_photo");
  }
  return Ok{};
}

}  // namespace linli
