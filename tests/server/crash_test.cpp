// Crash test: kill -9 the real server at random moments while several clients push, restart it on
// the same database, let the clients retry. No change the server acknowledged may be lost or
// renumbered, none may be applied twice, and every change made is in the log in the end.
// LINLI_CRASH_TRIALS=<n> sets the number of kills (default 20); LINLI_SEED=<n> replays the timing.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support/changes.h"
#include "support/random_changes.h"
#include "support/sync_http.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

constexpr int kPushers = 4;
constexpr const char* kUser = "zhang.bin";

// The server of the moment: a new process (and port) after each kill.
class CrashingServer {
 public:
  explicit CrashingServer(std::vector<std::string> args) : m_args(std::move(args)) { restart(); }

  int port() {
    std::lock_guard lock(m_mutex);
    return m_server ? m_server->port() : 0;
  }
  void crash() {
    std::lock_guard lock(m_mutex);
    m_server->crash();
  }
  void restart() {
    std::lock_guard lock(m_mutex);
    m_server.reset();
    m_server = std::make_unique<test::ServerProcess>(m_args);
  }
  int stop() {
    std::lock_guard lock(m_mutex);
    return m_server->stop();
  }

 private:
  std::vector<std::string> m_args;
  std::mutex m_mutex;
  std::unique_ptr<test::ServerProcess> m_server;
};

// What the pushers saw, checked against the log after the last restart.
struct Ledger {
  std::mutex mutex;
  std::map<std::pair<std::string, uint64_t>, int64_t> acknowledged;  // (replica, counter) -> seq.
  std::vector<std::string> violations;
  std::set<std::string> tickets;
  int64_t made = 0, pushes = 0, failed_requests = 0;

  void violation(std::string what) {
    std::lock_guard lock(mutex);
    if (violations.size() < 20) violations.push_back(std::move(what));
  }
};

// One client: makes changes, pushes its unacknowledged ones oldest first, retries on any failure.
class Pusher {
 public:
  Pusher(CrashingServer& server, Ledger& ledger, std::string token, int index, uint64_t seed)
      : m_server(server), m_ledger(ledger), m_token(std::move(token)),
        m_maker(test::replica(seed * kPushers + static_cast<uint64_t>(index) + 1), Role::Centre, kUser),
        m_rng(seed + static_cast<uint64_t>(index)), m_index(index + 1) {}

  // Pushes until `stop` and then until everything made is acknowledged (or `give_up` passes).
  void run(const std::atomic<bool>& stop, std::chrono::steady_clock::time_point give_up) {
    while (std::chrono::steady_clock::now() < give_up) {
      if (!stop && m_changes.size() - m_confirmed < 20) make_some();
      if (m_confirmed == m_changes.size()) {
        if (stop) return;
        continue;
      }
      push_once();
    }
  }

 private:
  void make_some() {
    const int n = 1 + std::uniform_int_distribution<int>(0, 7)(m_rng);
    for (int i = 0; i < n; ++i) {
      if (m_tickets.empty() || m_rng() % 6 == 0) {
        m_tickets.push_back(test::ticket_id(m_index * 10'000'000 + static_cast<int>(m_changes.size())));
        m_changes.push_back(m_maker.create(m_tickets.back(), test::wall_ms()));
        std::lock_guard lock(m_ledger.mutex);
        m_ledger.tickets.insert(m_tickets.back());
      } else {
        m_changes.push_back(m_maker.note(m_tickets[m_rng() % m_tickets.size()], test::wall_ms()));
      }
    }
    std::lock_guard lock(m_ledger.mutex);
    m_ledger.made += n;
  }

  void push_once() {
    const int port = m_server.port();
    if (port <= 0) {  // Between a kill and the next start.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return;
    }
    if (port != m_port || !m_http) {
      m_http = std::make_unique<test::SyncHttp>(port, 2);
      m_port = port;
    }
    PushRequest p;
    p.replica = m_maker.replica_id();
    p.client_time_ms = test::wall_ms();
    const size_t end = std::min(m_changes.size(), m_confirmed + 1 + m_rng() % 16);
    p.changes.assign(m_changes.begin() + static_cast<std::ptrdiff_t>(m_confirmed),
                     m_changes.begin() + static_cast<std::ptrdiff_t>(end));
    auto res = m_http->push(m_token, p);
    {
      std::lock_guard lock(m_ledger.mutex);
      ++m_ledger.pushes;
    }
    if (!res || (res->status != 200 && res->status != 409)) {  // The server is down: wait, send again.
      {
        std::lock_guard lock(m_ledger.mutex);
        ++m_ledger.failed_requests;
      }
      if (res) m_ledger.violation("push answered " + std::to_string(res->status) + ": " + res->body.substr(0, 200));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      m_http.reset();
      return;
    }
    if (res->status == 409) return take_gap(res->body);
    auto decoded = decode_push_response(res->body);
    if (!decoded || decoded->results.size() != p.changes.size())
      return m_ledger.violation("a push answer that does not match its push: " + res->body.substr(0, 200));
    for (const PushResult& r : decoded->results) take_result(r);
    m_confirmed = end;
  }

  // A 409 names the counter the server expects next. Below ours, it lost what it acknowledged.
  void take_gap(const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    const uint64_t expected = j.is_object() ? j["error"].value("expected_counter", uint64_t{0}) : 0;
    if (expected == 0 || expected - 1 > m_changes.size())
      return m_ledger.violation("a 409 without a usable expected_counter: " + body.substr(0, 200));
    if (expected - 1 < m_confirmed)
      m_ledger.violation("the server forgot counters " + std::to_string(expected) + ".." +
                         std::to_string(m_confirmed) + " of " + to_hex(m_maker.replica_id()) + " it had taken");
    m_confirmed = expected - 1;
  }

  void take_result(const PushResult& r) {
    if (r.status == ApplyStatus::Duplicate) return;
    if (r.status != ApplyStatus::Applied || r.seq <= 0)
      return m_ledger.violation("change " + to_string(r.id) + " answered " + std::string(to_string(r.status)));
    std::lock_guard lock(m_ledger.mutex);
    auto [it, fresh] = m_ledger.acknowledged.emplace(std::make_pair(to_hex(r.id.replica), r.id.counter), r.seq);
    if (!fresh && m_ledger.violations.size() < 20)
      m_ledger.violations.push_back("change " + to_string(r.id) + " applied twice: seq " + std::to_string(it->second) +
                                    " and " + std::to_string(r.seq));
  }

  CrashingServer& m_server;
  Ledger& m_ledger;
  std::string m_token;
  test::Maker m_maker;
  std::mt19937_64 m_rng;
  int m_index;
  std::vector<Change> m_changes;
  std::vector<std::string> m_tickets;
  size_t m_confirmed = 0;  // m_changes[0 .. m_confirmed) are the server's.
  int m_port = -1;
  std::unique_ptr<test::SyncHttp> m_http;
};

// Checks the log of the stopped server's database against what was acknowledged and made.
// Counts into `unnumbered` the tickets made that have no official number.
void check_log(const std::string& db, Ledger& ledger, int64_t& unnumbered) {
  auto store = Store::open(db);
  ASSERT_TRUE(store) << store.error().detail;
  auto log = store->changes_after(0, 100'000'000);
  ASSERT_TRUE(log) << log.error().detail;
  std::map<std::pair<std::string, uint64_t>, int64_t> in_log;
  int64_t last_seq = 0, clients = 0;
  for (const SequencedChange& sc : *log) {
    EXPECT_GT(sc.seq, last_seq) << "sequence numbers must rise strictly";
    last_seq = sc.seq;
    const bool fresh = in_log.emplace(std::make_pair(to_hex(sc.change.id.replica), sc.change.id.counter), sc.seq).second;
    EXPECT_TRUE(fresh) << "change " << to_string(sc.change.id) << " is in the log twice";
    clients += sc.change.author.user == kUser;
  }
  int64_t lost = 0, renumbered = 0;
  for (const auto& [id, seq] : ledger.acknowledged) {
    auto it = in_log.find(id);
    if (it == in_log.end()) ++lost;
    else if (it->second != seq) ++renumbered;
  }
  EXPECT_EQ(lost, 0) << "acknowledged changes lost";
  EXPECT_EQ(renumbered, 0) << "acknowledged changes with another seq after restart";
  EXPECT_EQ(clients, ledger.made) << "every change made is in the log once";
  for (const std::string& t : ledger.tickets) {
    auto ticket = store->get_ticket(t);
    ASSERT_TRUE(ticket && ticket->has_value()) << "ticket " << t << " is missing";
    unnumbered += (*ticket)->official_number.empty();
  }
  std::printf("crash: %zu acknowledged, %lld in the log, %zu tickets (%lld without an official number)\n",
              ledger.acknowledged.size(), static_cast<long long>(log->size()), ledger.tickets.size(),
              static_cast<long long>(unnumbered));
}

// Runs `trials` kills under kPushers pushing clients and checks the log; returns how many tickets
// made have no official number.
int64_t run_crash_trials(int trials) {
  const uint64_t seed = static_cast<uint64_t>(test::env_int("LINLI_SEED", static_cast<int64_t>(std::random_device{}())));
  int64_t unnumbered = 0;
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay the timing with LINLI_SEED=" + std::to_string(seed) + ")");
  std::printf("crash: seed %llu, %d kills (replay the timing with LINLI_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), trials, static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  test::TempDir dir;
  const std::string db = dir.file("linli.db");
  EXPECT_TRUE(test::add_user(db, kUser, "centre"));
  CrashingServer server(test::server_args(dir.path(), db));
  if (server.port() <= 0) {
    ADD_FAILURE() << "the server did not start";
    return -1;
  }

  Ledger ledger;
  std::vector<std::unique_ptr<Pusher>> pushers;
  for (int i = 0; i < kPushers; ++i) {
    const std::string token = test::SyncHttp(server.port()).sign_in(kUser);
    EXPECT_FALSE(token.empty());
    pushers.push_back(std::make_unique<Pusher>(server, ledger, token, i, seed));
  }
  std::atomic<bool> stop{false};
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60 + 3 * trials);
  std::vector<std::thread> threads;
  for (auto& p : pushers) threads.emplace_back([&, p = p.get()] { p->run(stop, give_up); });

  int restarted = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 280));
    server.crash();
    server.restart();
    restarted += server.port() > 0;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(restarted, trials) << "the server did not come back after every kill";
  EXPECT_LT(std::chrono::steady_clock::now(), give_up) << "the pushers did not finish";
  EXPECT_EQ(server.stop(), 0);
  std::printf("crash: %lld changes made, %lld pushes (%lld failed while the server was down)\n",
              static_cast<long long>(ledger.made), static_cast<long long>(ledger.pushes),
              static_cast<long long>(ledger.failed_requests));
  for (const std::string& v : ledger.violations) ADD_FAILURE() << v;
  check_log(db, ledger, unnumbered);
  return unnumbered;
}

TEST(Crash, KillNineDuringPushesLosesNoAcknowledgedChangeAndAppliesNoneTwice) {
  run_crash_trials(static_cast<int>(test::env_int("LINLI_CRASH_TRIALS", 20)));
}

// Issue 4: the server gives each new ticket its official number on first sync. A kill between the
// commit of a push and the numbering change must not leave a ticket without a number for good
// (the retry finds the ticket a duplicate, and duplicates are not numbered).
TEST(Crash, ATicketCreatedJustBeforeAKillStillGetsItsOfficialNumber) {
  EXPECT_EQ(run_crash_trials(5), 0) << "tickets whose official number was lost to a crash";
}

}  // namespace
}  // namespace linli
