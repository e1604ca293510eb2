// What every route handler shares: the options, the stores (each behind its mutex), the static
// files, metrics and rate limits. Route files take a ServerContext&; none keeps state of its own.
#pragma once

#include <filesystem>
#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <semaphore>
#include <mutex>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "auth.h"
#include "change_feed.h"
#include "checkpointer.h"
#include "metrics.h"
#include "options.h"
#include "static_files.h"
#include "store/accounts.h"
#include "store/server_state.h"
#include "store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace linli::server {

// Connections for reading the log (pulls), apart from the one writer: in WAL mode readers see each
// commit and never wait for the writer, so a pull does not hold up a push. (Which tickets a
// replica holds is read on the held file's one connection, ServerContext::held: see scoped_pull.)
struct Reader {
  Store store;
  int slot = 0;  // Which of the pool's readers: names its page cache in /metrics.
};

class ReaderPool {
 public:
  void add(Reader reader) { m_free.push_back(std::make_unique<Reader>(std::move(reader))); }
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Reader> reader) : m_pool(pool), m_reader(std::move(reader)) {}
    ~Lease() { m_pool.give_back(std::move(m_reader)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Reader& get() { return *m_reader; }

   private:
    ReaderPool& m_pool;
    std::unique_ptr<Reader> m_reader;
  };
  // Waits for a free reader.
  Lease acquire() {
    std::unique_lock lock(m_mutex);
    m_available.wait(lock, [&] { return !m_free.empty(); });
    auto r = std::move(m_free.back());
    m_free.pop_back();
    return Lease(*this, std::move(r));
  }

 private:
  void give_back(std::unique_ptr<Reader> r) {
    {
      std::lock_guard lock(m_mutex);
      m_free.push_back(std::move(r));
    }
    m_available.notify_one();
  }
  std::mutex m_mutex;
  std::condition_variable m_available;
  std::vector<std::unique_ptr<Reader>> m_free;
};

// A counting semaphore as a lockable: a few threads at a time, one per core (at least two).
// Not std::counting_semaphore: libstdc++'s acquire spins with sched_yield before it sleeps, and a
// commit wakes every long poll at once, so hundreds of threads spun on two slots (a fifth of the
// server's CPU under bench/load went to sched_yield and the context switches it causes).
class PullWork {
 public:
  PullWork() : m_free(std::max(2u, std::thread::hardware_concurrency())) {}
  void lock() {
    std::unique_lock l(m_mutex);
    m_available.wait(l, [&] { return m_free > 0; });
    --m_free;
  }
  void unlock() {
    {
      std::lock_guard l(m_mutex);
      ++m_free;
    }
    m_available.notify_one();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_available;
  unsigned m_free;
};

// Lock order, where a handler needs more than one: pull_work, then store_mutex or a reader lease,
// then a replica's pull lock, then held_mutex, state_mutex, then accounts_mutex. Never hold one
// across password hashing or a long-poll wait.
struct ServerContext {
  ServerContext(Options o, Store s, AccountStore a, ServerState st, ServerState h)
      : options(std::move(o)), store(std::move(s)), accounts(std::move(a)), state(std::move(st)),
        held(std::move(h)), feed(static_cast<size_t>(options.feed_kib) * 1024), files(options.web) {}

  Options options;
  // The working-day calendar: built in, and the notices an administrator added (calendar add).
  // Set on the writer store, which keeps every ticket's deadline with it.
  WorkdayCalendar calendar;
  std::mutex store_mutex;  // One connection each, many handler threads.
  Store store;
  std::mutex accounts_mutex;
  AccountStore accounts;
  std::mutex state_mutex;
  ServerState state;
  // Which tickets each replica holds is written by scoped pulls, often: on a connection of its own
  // that does not fsync each commit (ServerState::open), so pulls do not queue behind pushes' fsyncs.
  // It is read there too: the only connection to the file, so no other's commit empties its page
  // cache (a reader's is emptied by every commit to its file).
  std::mutex held_mutex;
  ServerState held;
  // Per replica, the highest cursor it pulled from (routes_sync.cpp; also kept by update_held).
  std::unordered_map<std::string, int64_t> pulled_from;
  ReplicaId server_replica;  // The id of changes the server itself authors (official numbers, intake).
  // Numbers this log never gave (skipped after a restore, Store::skip_numbers_after_copy): a pull
  // from a cursor inside one is told to start over. Set at the start, read-only after.
  std::vector<Store::LogGap> log_gaps;
  ReaderPool readers;
  // Pulls of one replica go one at a time (striped by its id): a scoped pull reads which tickets
  // the replica holds, then records what it sent and dropped.
  std::array<std::mutex, 64> replica_pull_locks;
  std::mutex& replica_pull_lock(const std::string& replica) {
    return replica_pull_locks[std::hash<std::string>{}(replica) % replica_pull_locks.size()];
  }
  // The newest committed changes and the long polls waiting on them (change_feed.h).
  ChangeFeed feed;
  // After each commit of the writer, its caller still holding store_mutex: hands what was
  // committed to the feed, which wakes the long polls. A failure is logged, not the request's: the
  // commit stands, and the next publish reads from where this one stopped.
  void publish_commit();
  StaticFiles files;
  Metrics metrics;
  // Failed logins: 20 per address and 5 per user name in 5 minutes, then 429 until the oldest ages out.
  RateLimiter login_by_address{20, std::chrono::minutes(5)};
  RateLimiter login_by_user{5, std::chrono::minutes(5)};
  // Pulls that read and encode at once (routes_sync.cpp): as many as there are cores.
  PullWork pull_work;
  // Argon2id takes 64 MiB a hash: at most two at once, so a burst of sign-ins cannot exhaust memory.
  std::counting_semaphore<2> hashing{2};
  // The centre's image (GET /sync/image, routes_sync.cpp): the last one made, kept in a file of
  // this process's (the temporary folder; gone with it, so never older than this database), and
  // brought up to date from its cursor by the next one. One made at a time. Empty: none yet. Its
  // pages' structure is checked once, when it is made from nothing: what catches it up is SQLite's
  // own transactions on a file checked whole, as on the server's database.
  struct KeptImage {
    std::string path;
    bool checked = false;
    void forget() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove(path, ignored);
      path.clear();
      checked = false;
    }
    ~KeptImage() { forget(); }
  };
  std::mutex centre_image_mutex;
  KeptImage centre_image;
  // Checked against when a user is unknown, so a wrong name costs what a wrong password costs.
  std::string dummy_hash;
  // Checkpoints the database's and the held file's WALs on a thread of its own (checkpointer.h);
  // no commit does. Last: stopped before the connections above close.
  std::unique_ptr<Checkpointer> checkpointer;
};

int64_t now_ms();

// The signed-in user of a request, or nullopt after answering 401 itself.
std::optional<User> authenticate(ServerContext& ctx, const httplib::Request& req, httplib::Response& res);

// Changes the server authors (server_changes.cpp): the id from the server's own replica (the next
// counter after `already` others drafted for the same batch), the stamp from its clock, the author
// "server" with the centre's role. The first two need the caller to hold store_mutex.
Change server_change(ServerContext& ctx, Change draft, uint64_t already, int64_t now_ms);
// Takes the stamps of a push the server is about to apply into its clock (clamped as the store
// clamps them on accept, R11), so that the changes it drafts to follow them (official numbers) are
// stamped after them although they are drafted before the push is applied. The caller holds
// store_mutex and passes the `now_ms` the push will be applied with. Returns each change's stamp as
// kept: the push is applied with those (a clamped stamp depends on the clock it meets, R11, so it
// is clamped once, here, and the push's answer says the skew from here).
std::vector<ReceiveOutcome> receive_stamps(ServerContext& ctx, const std::vector<Change>& changes, int64_t now_ms);
// The official-number change of a new ticket; ServerState gives each ticket its number once.
Result<Change> official_number_change(ServerContext& ctx, const std::string& ticket_id, uint64_t already, int64_t now_ms);
// The same with the number already given (ServerState::official_numbers).
Change official_number_change(ServerContext& ctx, const std::string& ticket_id, const std::string& number,
                              uint64_t already, int64_t now_ms);
// Applies drafts in one transaction, each new ticket with its official number; takes store_mutex
// itself and wakes long polls.
Result<std::vector<ChangeResult>> apply_server_changes(ServerContext& ctx, std::vector<Change> drafts, int64_t now_ms);
Result<ChangeResult> apply_server_change(ServerContext& ctx, Change draft, int64_t now_ms);
// --seed-demo: the demo street (core/demo_data.h) as changes of the server's own replica, each
// ticket with its official number, in one transaction; takes store_mutex itself and wakes long
// polls. Once only: when the first demo ticket is here already it adds nothing. Returns how many
// tickets it added. The demo photos (core/demo_photos.h) go into the blob folder every time.
Result<int> seed_demo_street(ServerContext& ctx, int64_t now_ms);
// The demo street's spring campaign (core/demo_field.h): facilities and four weeks of rounds, once.
Result<int> seed_demo_field(ServerContext& ctx, int64_t now_ms);

void install_auth_routes(httplib::Server& http, ServerContext& ctx);
void install_sync_routes(httplib::Server& http, ServerContext& ctx);
// Makes the centre's image (GET /api/v1/sync/image) ahead of the first centre that asks, when the
// log is long enough to have one (LINLI_IMAGE_FROM) and not over 256 MiB of store: at start, on a
// thread of its own (Server::run).
void warm_centre_image(ServerContext& ctx);
void install_blob_routes(httplib::Server& http, ServerContext& ctx);
void install_intake_routes(httplib::Server& http, ServerContext& ctx);
void install_report_routes(httplib::Server& http, ServerContext& ctx);
void install_field_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace linli::server
