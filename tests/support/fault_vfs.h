// A test VFS over the default one that fails the Nth write (SQLite's own fault-injection way):
// arm(n) makes the nth xWrite from then on return SQLITE_IOERR_WRITE, and every one after it too
// (a disk that went away), until disarm(). For tests only.
#pragma once

#include <sqlite3.h>

#include <cstring>

namespace linli::test {

class FaultVfs {
 public:
  static constexpr const char* kName = "linli-fault";

  static void install() {
    static bool done = false;
    if (done) return;
    done = true;
    sqlite3_initialize();
    base() = sqlite3_vfs_find(nullptr);
    static sqlite3_vfs vfs{};
    vfs = *base();
    vfs.zName = kName;
    vfs.szOsFile = static_cast<int>(sizeof(File)) + base()->szOsFile;
    vfs.xOpen = x_open;
    vfs.pNext = nullptr;
    sqlite3_vfs_register(&vfs, 0);
  }
  static void arm(int nth) { state() = {nth, 0, 0}; }
  static void disarm() { state() = {0, 0, state().failed}; }
  static int writes() { return state().writes; }
  static int failed() { return state().failed; }

 private:
  struct State {
    int fail_at;  // 0: never.
    int writes;
    int failed;
  };
  struct File {
    sqlite3_file base;
    sqlite3_file* real;
  };
  static State& state() {
    static State s{0, 0, 0};
    return s;
  }
  static sqlite3_vfs*& base() {
    static sqlite3_vfs* b = nullptr;
    return b;
  }
  static sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

  static int x_write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
    State& s = state();
    ++s.writes;
    if (s.fail_at > 0 && s.writes >= s.fail_at) {
      ++s.failed;
      return SQLITE_IOERR_WRITE;
    }
    return real(f)->pMethods->xWrite(real(f), buf, amt, off);
  }
  static int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
  static int x_read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), b, n, o); }
  static int x_truncate(sqlite3_file* f, sqlite3_int64 n) { return real(f)->pMethods->xTruncate(real(f), n); }
  static int x_sync(sqlite3_file* f, int fl) { return real(f)->pMethods->xSync(real(f), fl); }
  static int x_size(sqlite3_file* f, sqlite3_int64* n) { return real(f)->pMethods->xFileSize(real(f), n); }
  static int x_lock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
  static int x_unlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
  static int x_check(sqlite3_file* f, int* o) { return real(f)->pMethods->xCheckReservedLock(real(f), o); }
  static int x_control(sqlite3_file* f, int op, void* a) { return real(f)->pMethods->xFileControl(real(f), op, a); }
  static int x_sector(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
  static int x_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
  static int x_shm_map(sqlite3_file* f, int i, int sz, int e, void volatile** p) { return real(f)->pMethods->xShmMap(real(f), i, sz, e, p); }
  static int x_shm_lock(sqlite3_file* f, int o, int n, int fl) { return real(f)->pMethods->xShmLock(real(f), o, n, fl); }
  static void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
  static int x_shm_unmap(sqlite3_file* f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); }

  static int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out) {
    static const sqlite3_io_methods methods = {
        2, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_check, x_control,
        x_sector, x_device, x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, nullptr, nullptr};
    auto* file = reinterpret_cast<File*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    std::memset(file->real, 0, static_cast<size_t>(base()->szOsFile));
    const int rc = base()->xOpen(base(), name, file->real, flags, out);
    f->pMethods = rc == SQLITE_OK ? &methods : nullptr;
    return rc;
  }
};

}  // namespace linli::test
