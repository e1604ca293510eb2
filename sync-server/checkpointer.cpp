#include "checkpointer.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <thread>
#include <utility>

namespace linli::server {

namespace {

int64_t wal_bytes(const std::string& db_path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(db_path + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::vector<File>& files, Options options) {
  std::vector<Db> dbs;
  auto close_all = [&dbs] {
    for (Db& d : dbs) sqlite3_close(d.db);
  };
  for (const File& file : files) {
    const std::string& path = file.path;
    sqlite3* db = nullptr;
    // Not CREATE: the server has made and migrated each file before.
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      Error e{ErrorCode::Storage, "[checkpointer.start] " + path + ": " + sqlite3_errmsg(db)};
      sqlite3_close(db);
      close_all();
      return e;
    }
    // A connection learns that a file is in WAL mode when it first reads it: until then a
    // checkpoint does nothing and says SQLITE_OK. Asked here, so a file not in WAL mode is an error.
    sqlite3_stmt* mode = nullptr;
    std::string journal;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &mode, nullptr) == SQLITE_OK && sqlite3_step(mode) == SQLITE_ROW)
      journal = reinterpret_cast<const char*>(sqlite3_column_text(mode, 0));
    sqlite3_finalize(mode);
    if (journal != "wal") {
      Error e{ErrorCode::Storage, "[checkpointer.start] " + path + ": not in WAL mode (" + journal + ")"};
      sqlite3_close(db);
      close_all();
      return e;
    }
    // Its own commits (it makes none) would checkpoint too: off, as on the server's connections.
    sqlite3_wal_autocheckpoint(db, 0);
    int64_t page_bytes = 4096;
    sqlite3_stmt* size = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &size, nullptr) == SQLITE_OK && sqlite3_step(size) == SQLITE_ROW)
      page_bytes = sqlite3_column_int64(size, 0);
    sqlite3_finalize(size);
    dbs.push_back(Db{path, file.writer, db, page_bytes});
  }
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(dbs), options));
}

Checkpointer::Checkpointer(std::vector<Db> dbs, Options options) : m_options(options), m_dbs(std::move(dbs)) {
  m_thread = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
  for (Db& d : m_dbs) sqlite3_close(d.db);
}

Checkpointer::Figures Checkpointer::figures() const {
  std::lock_guard lock(m_mutex);
  return m_figures;
}

void Checkpointer::look_now() {
  std::lock_guard lock(m_mutex);
  for (Db& d : m_dbs) look(d);
}

void Checkpointer::run() {
  std::unique_lock lock(m_mutex);
  while (!m_stop) {
    m_wake.wait_for(lock, m_options.interval, [this] { return m_stop; });
    if (m_stop) break;
    for (Db& d : m_dbs) look(d);
  }
}

void Checkpointer::look(Db& d) {
  if (wal_bytes(d.path) < m_options.copy_bytes) return;
  // Copies what no reader still needs, waiting for no one. `log`: frames in the WAL; `copied`:
  // frames copied so far, this checkpoint's and earlier ones' since the WAL last started again.
  int log = 0, copied = 0;
  int rc = sqlite3_wal_checkpoint_v2(d.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  if (rc == SQLITE_OK && d.writer && copied == log && int64_t{log} * d.page_bytes >= m_options.copy_bytes) {
    // Everything up to the start of that copy: now the frames committed meanwhile, while the writer
    // waits, so that its next write finds every frame copied and starts the WAL again. Only once
    // the WAL holds `copy_bytes` of frames: its file keeps its size when it starts again, and the
    // writer should not wait for a copy and a sync at every look.
    std::lock_guard writing(*d.writer);
    rc = sqlite3_wal_checkpoint_v2(d.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  }
  if (rc == SQLITE_OK || rc == SQLITE_BUSY) {  // BUSY: another checkpoint was running; nothing lost.
    if (copied < d.copied_to) d.copied_to = 0;  // The WAL started again since the last look.
    if (copied > d.copied_to) {
      ++m_figures.copied;
      m_figures.pages += copied - d.copied_to;
      d.copied_to = copied;
    }
    return;
  }
  ++m_figures.failed;
  std::fprintf(stderr, "linli-server: checkpoint of %s failed: %s\n", d.path.c_str(), sqlite3_errmsg(d.db));
}

}  // namespace linli::server
