// The page-tracking VFS shim. Only main database files are tracked; journals and temp files
// pass straight through. Version-1 io methods: no WAL and no memory map through this VFS.
#include "store/page_vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <set>
#include <string>

namespace linli {
namespace {

struct Tracker {
  std::string path;
  std::set<uint32_t> dirty;
  bool size_changed = false;
  bool whole = false;  // The next sync hands over every page (report_whole_file).
};

struct TrackedFile {
  sqlite3_file base;   // Must be first: SQLite sees this.
  sqlite3_file* real;  // The wrapped file, allocated right after this struct.
  Tracker* tracker;    // Null for files that are not tracked.
  PageSink* sink;
};

struct VfsData {
  sqlite3_vfs* base;
  PageSink* sink;
  std::set<std::string> whole;  // Files whose next open reports every page at its first sync.
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<TrackedFile*>(f)->real; }
Tracker* tracker_of(sqlite3_file* f) { return reinterpret_cast<TrackedFile*>(f)->tracker; }

int x_close(sqlite3_file* f) {
  auto* tf = reinterpret_cast<TrackedFile*>(f);
  const int rc = tf->real->pMethods ? tf->real->pMethods->xClose(tf->real) : SQLITE_OK;
  delete tf->tracker;
  tf->tracker = nullptr;
  return rc;
}
int x_read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, amt, off);
}
int x_write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  const int rc = real_of(f)->pMethods->xWrite(real_of(f), buf, amt, off);
  if (rc == SQLITE_OK && amt > 0) {
    if (Tracker* t = tracker_of(f)) {
      for (auto p = off / kPageSize; p <= (off + amt - 1) / kPageSize; ++p)
        t->dirty.insert(static_cast<uint32_t>(p));
    }
  }
  return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  const int rc = real_of(f)->pMethods->xTruncate(real_of(f), size);
  if (Tracker* t = tracker_of(f)) t->size_changed = true;
  return rc;
}
int x_sync(sqlite3_file* f, int flags) {
  sqlite3_file* real = real_of(f);
  const int rc = real->pMethods->xSync(real, flags);
  Tracker* t = tracker_of(f);
  PageSink* sink = reinterpret_cast<TrackedFile*>(f)->sink;
  if (rc != SQLITE_OK || !t || !sink || (t->dirty.empty() && !t->size_changed && !t->whole)) return rc;
  sqlite3_int64 size = 0;
  if (const int src = real->pMethods->xFileSize(real, &size); src != SQLITE_OK) return src;
  if (t->whole) {
    for (sqlite3_int64 p = 0; p < (size + kPageSize - 1) / kPageSize; ++p) t->dirty.insert(static_cast<uint32_t>(p));
    t->size_changed = true;
  }
  const bool read = !sink->reads_pages();
  std::string buffer(read ? t->dirty.size() * kPageSize : 0, '\0');
  std::vector<PageImage> pages;
  pages.reserve(t->dirty.size());
  size_t at = 0;
  for (uint32_t index : t->dirty) {
    const sqlite3_int64 off = sqlite3_int64{index} * kPageSize;
    if (off >= size) continue;  // Truncated away since it was written.
    if (!read) {
      pages.push_back({index, {}});
      continue;
    }
    char* dst = buffer.data() + at;
    const int rrc = real->pMethods->xRead(real, dst, kPageSize, off);
    if (rrc != SQLITE_OK && rrc != SQLITE_IOERR_SHORT_READ) return rrc;  // Short read zero-fills.
    pages.push_back({index, std::string_view(dst, kPageSize)});
    at += kPageSize;
  }
  sink->on_sync(t->path, size, pages);
  t->dirty.clear();
  t->size_changed = false;
  t->whole = false;
  return SQLITE_OK;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

const sqlite3_io_methods kIoMethods = {
    1, x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock,
    x_check_reserved_lock, x_file_control, x_sector_size, x_device_characteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* data = static_cast<VfsData*>(vfs->pAppData);
  auto* tf = reinterpret_cast<TrackedFile*>(f);
  tf->real = reinterpret_cast<sqlite3_file*>(tf + 1);
  tf->tracker = nullptr;
  tf->sink = data->sink;
  std::memset(tf->real, 0, static_cast<size_t>(data->base->szOsFile));
  const int rc = data->base->xOpen(data->base, name, tf->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    f->pMethods = nullptr;  // SQLite does not call xClose on a failed open.
    return rc;
  }
  if ((flags & SQLITE_OPEN_MAIN_DB) && name) {
    tf->tracker = new Tracker{name, {}, false, data->whole.erase(name) > 0};
  }
  f->pMethods = &kIoMethods;
  return SQLITE_OK;
}

// Everything but xOpen is the base VFS's own.
int x_delete(sqlite3_vfs* v, const char* n, int s) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xDelete(b, n, s); }
int x_access(sqlite3_vfs* v, const char* n, int fl, int* o) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xAccess(b, n, fl, o); }
int x_full_pathname(sqlite3_vfs* v, const char* n, int sz, char* o) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xFullPathname(b, n, sz, o); }
int x_randomness(sqlite3_vfs* v, int n, char* o) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xRandomness(b, n, o); }
int x_sleep(sqlite3_vfs* v, int us) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xSleep(b, us); }
int x_current_time(sqlite3_vfs* v, double* o) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xCurrentTime(b, o); }
int x_get_last_error(sqlite3_vfs* v, int n, char* o) { auto* b = static_cast<VfsData*>(v->pAppData)->base; return b->xGetLastError ? b->xGetLastError(b, n, o) : 0; }

}  // namespace

Result<void> register_page_vfs(const char* name, PageSink* sink) {
  if (sqlite3_initialize() != SQLITE_OK)
    return Error{ErrorCode::Storage, "[store.page_vfs] sqlite3_initialize failed"};
  if (sqlite3_vfs* existing = sqlite3_vfs_find(name)) {
    static_cast<VfsData*>(existing->pAppData)->sink = sink;
    return Ok{};
  }
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (!base) return Error{ErrorCode::Storage, "[store.page_vfs] no default VFS"};
  // Registered for the life of the process: SQLite keeps a pointer to it.
  auto* data = new VfsData{base, sink};
  auto* vfs = new sqlite3_vfs{};
  vfs->iVersion = 1;
  vfs->szOsFile = static_cast<int>(sizeof(TrackedFile)) + base->szOsFile;
  vfs->mxPathname = base->mxPathname;
  const size_t name_size = std::strlen(name) + 1;
  char* stored_name = new char[name_size];  // Kept by its start, so leak checkers see it reachable.
  std::memcpy(stored_name, name, name_size);
  vfs->zName = stored_name;
  vfs->pAppData = data;
  vfs->xOpen = x_open;
  vfs->xDelete = x_delete;
  vfs->xAccess = x_access;
  vfs->xFullPathname = x_full_pathname;
  vfs->xRandomness = x_randomness;
  vfs->xSleep = x_sleep;
  vfs->xCurrentTime = x_current_time;
  vfs->xGetLastError = x_get_last_error;
  if (sqlite3_vfs_register(vfs, 0) != SQLITE_OK)
    return Error{ErrorCode::Storage, "[store.page_vfs] sqlite3_vfs_register failed"};
  return Ok{};
}

bool report_whole_file(const char* vfs_name, const std::string& path) {
  sqlite3_vfs* vfs = vfs_name ? sqlite3_vfs_find(vfs_name) : nullptr;
  if (!vfs || vfs->xOpen != x_open) return false;
  static_cast<VfsData*>(vfs->pAppData)->whole.insert(path);
  return true;
}

}  // namespace linli
