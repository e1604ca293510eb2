// A replica's image: a whole store the server built for a new replica (docs/protocol.md, "Image"),
// taken as this store's contents in one step instead of a first sync's hundred thousand changes.
#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

#include "store/apply_internal.h"
#include "store/page_vfs.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

Error image_error(std::string detail) { return Error{ErrorCode::InvalidArgument, "[store.image] " + std::move(detail)}; }

// The image's own connection, closed however adopt_image ends.
struct ImageDb {
  sqlite3* db = nullptr;
  ~ImageDb() { sqlite_util::close(db); }
};

int64_t single_int(sqlite3* db, const char* sql, int64_t fallback) {
  Stmt s(db, sql);
  return s.ok() && s.step() == SQLITE_ROW ? s.int64(0) : fallback;
}

}  // namespace

Result<void> Store::check_pages(const std::string& path) {
  ImageDb file;
  if (sqlite3_open_v2(path.c_str(), &file.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    return sqlite_util::sqlite_error(file.db, "store", "check_pages", "open");
  Stmt check(file.db, "PRAGMA quick_check(1)");
  if (!check.ok() || check.step() != SQLITE_ROW) return sqlite_util::sqlite_error(file.db, "store", "check_pages");
  if (const std::string verdict = check.text(0); verdict != "ok")
    return Error{ErrorCode::Corrupt, "[store.check_pages] " + path + ": " + verdict};
  return Ok{};
}

Result<int64_t> Store::adopt_image(const std::string& path) {
  // This store first: only a replica that holds nothing of its own takes an image.
  if (single_int(m_db, "SELECT EXISTS (SELECT 1 FROM changes)", 1) != 0 ||
      single_int(m_db, "SELECT EXISTS (SELECT 1 FROM refused_changes)", 1) != 0 ||
      single_int(m_db, "SELECT EXISTS (SELECT 1 FROM local_photos)", 1) != 0 ||
      single_int(m_db, "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.cursor'), 0)", 1) != 0)
    return image_error("this store is not a fresh replica: it holds changes, refusals, photos or a cursor");

  int64_t file_size = 0;
  {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return image_error("no image at " + path);
    const auto size = static_cast<int64_t>(in.tellg());
    file_size = size;
    char header[16] = {};
    in.seekg(0);
    in.read(header, sizeof header);
    if (size < 512 || size % kPageSize != 0 || !in || std::memcmp(header, "SQLite format 3", 16) != 0)
      return image_error("not a store file (" + std::to_string(size) + " bytes)");
  }
  // A connection of its own, reading the file (the default VFS: in the browser, Emscripten's
  // in-memory file the download was written to).
  ImageDb image;
  if (sqlite3_open_v2(path.c_str(), &image.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    return sqlite_util::sqlite_error(image.db, "store", "image", "open");
  const int64_t version = single_int(image.db, "PRAGMA user_version", -1);
  if (version != schema_version())
    return image_error("the image is of schema " + std::to_string(version) + ", this build's " +
                       std::to_string(schema_version()));
  if (single_int(image.db, "PRAGMA page_size", 0) != kPageSize) return image_error("the image's pages are not 4096 bytes");
  if (single_int(image.db, "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'store.use' OR key LIKE 'app.%')", 1) != 0)
    return image_error("the image is not a new replica's store (a server's, or one an app has used)");
  // The pages' structure is checked where the file is made (PRAGMA quick_check, by the server):
  // here, in the browser, it cost a first sync of 100,000 changes a quarter of its time. What the
  // download could get wrong (a file cut short) is caught above, by its size.
  if (single_int(image.db, "PRAGMA page_count", 0) * kPageSize != file_size)
    return image_error("the image's header does not match its size (" + std::to_string(file_size) + " bytes)");
  const int64_t changes = single_int(image.db, "SELECT count(*) FROM changes", 0);

  sqlite_util::close(image.db);  // Before the file moves.
  image.db = nullptr;

  // What this device keeps under "app." (its session, its replica id, whose data it holds).
  std::vector<std::pair<std::string, std::string>> kept;
  {
    Stmt q(m_db, "SELECT key, value FROM meta WHERE key LIKE 'app.%'");
    if (!q.ok()) return sqlite_util::sqlite_error(m_db, "store", "image", "app values");
    while (q.step() == SQLITE_ROW) kept.emplace_back(q.text(0), q.text(1));
  }
  const std::string mine = this->path();
  const StoreOptions options = m_options;
  const WorkdayCalendar* calendar = m_calendar;

  // The file moves into place while no connection has it open; then it is opened as this store was.
  m_sync.reset();
  sqlite_util::close(m_db);
  m_db = nullptr;
  for (const char* left : {"-wal", "-shm", "-journal"}) std::remove((mine + left).c_str());  // None after a clean close.
  if (std::rename(path.c_str(), mine.c_str()) != 0) {
    auto again = Store::open(mine, options);  // The store as it was.
    if (again) *this = std::move(again).value();
    return Error{ErrorCode::Storage, "[store.image] the image could not be moved into place: " + std::string(std::strerror(errno))};
  }
  if (options.vfs) report_whole_file(options.vfs, mine);
  auto opened = Store::open(mine, options);
  if (!opened) return opened.error();
  *this = std::move(opened).value();

  if (auto r = in_one_transaction([&]() -> Result<void> {
        Stmt put(m_db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
        if (!put.ok()) return sqlite_util::sqlite_error(m_db, "store", "image", "app values");
        for (const auto& [key, value] : kept) {
          put.reset();
          put.bind(1, key);
          put.bind(2, value);
          if (put.step() != SQLITE_DONE) return sqlite_util::sqlite_error(m_db, "store", "image", "app values");
        }
        // A marker written in every case, so that this commit happens (the sink gets the file).
        put.reset();
        put.bind(1, "store.image");
        put.bind(2, std::to_string(changes));
        if (put.step() != SQLITE_DONE) return sqlite_util::sqlite_error(m_db, "store", "image", "marker");
        return Ok{};
      });
      !r)
    return r.error();
  if (calendar)
    if (auto c = set_calendar(*calendar, Paced::InSteps); !c) return c.error();
  return changes;
}

}  // namespace linli
