// Copies the server's write-ahead logs back into their databases on a thread of its own, so that
// no commit waits for a checkpoint.
//
// SQLite copies a WAL into its database at a checkpoint, by default on the thread whose commit
// took the WAL past its threshold (1,000 pages; the store sets 10,000). That commit then also
// copies and syncs up to 40 MiB before its push is answered: with scoped pulls answered from the
// change feed, readers rarely hold the WAL, so those checkpoints run to the end, and bench/load's
// push p99 rose to about 300 ms (docs/benchmarks.md, "A scoped pull's window from the change
// feed"). Here no commit checkpoints (the server's connections leave_checkpoints_to_others()); a
// thread looks at each WAL's size every `interval` and past `copy_bytes` copies what it can
// without waiting for anyone (PASSIVE): writers and readers go on meanwhile. SQLite starts a WAL
// again from its first frame only at a write that begins when every frame has been copied, which
// a writer that commits all the time would never see; so the thread then takes the writer's lock
// and copies the few frames committed during the first copy, so that the next write starts the WAL
// again (when no reader still reads from it), and its file is cut back to the size limit set with
// leave_checkpoints_to_others. Writers wait only for that second, short copy.
//
// Durability is SQLite's: a commit was synced to the WAL before it was acknowledged; a checkpoint
// only moves pages from the WAL into the database and syncs the database before the WAL is reused.
// (A checkpoint that also waits for readers to empty the WAL, TRUNCATE, was tried and not kept:
// it held writers back while it waited; docs/benchmarks.md, 2026-12-03.)
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

struct sqlite3;

namespace linli::server {

class Checkpointer {
 public:
  struct Options {
    int64_t copy_bytes = 4 << 20;             // A WAL this long is copied back.
    std::chrono::milliseconds interval{250};  // Between looks at the WALs' sizes.
  };
  // What it did so far, for /metrics and tests.
  struct Figures {
    int64_t copied = 0;  // Checkpoints made.
    int64_t pages = 0;   // Pages they copied into a database.
    int64_t failed = 0;  // Checkpoints that failed (logged); the next look tries again.
  };

  // A database to keep short, and the lock its writer commits under (nullptr: none).
  struct File {
    std::string path;
    std::mutex* writer = nullptr;
  };
  // Opens a connection of its own to each database (which must exist, in WAL mode) and starts.
  static Result<std::unique_ptr<Checkpointer>> start(const std::vector<File>& files, Options options);
  static Result<std::unique_ptr<Checkpointer>> start(const std::vector<File>& files) { return start(files, Options{}); }
  ~Checkpointer();  // Stops the thread and closes its connections.
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  Figures figures() const;
  // Looks at every WAL now, on the caller's thread (tests; the thread does the same each interval).
  void look_now();

 private:
  struct Db {
    std::string path;
    std::mutex* writer = nullptr;
    sqlite3* db = nullptr;
    int64_t page_bytes = 4096;  // The database's page size: a WAL frame holds one page.
    int copied_to = 0;  // The WAL frame the last checkpoint copied up to (its pages counted once).
  };
  Checkpointer(std::vector<Db> dbs, Options options);
  void run();
  void look(Db& d);

  const Options m_options;
  std::vector<Db> m_dbs;
  mutable std::mutex m_mutex;  // Guards m_stop, m_figures, and a look (the thread's or look_now's).
  std::condition_variable m_wake;
  bool m_stop = false;
  Figures m_figures;
  std::thread m_thread;
};

}  // namespace linli::server
