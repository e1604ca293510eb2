// Random convergence: five client replicas and a server, random changes of every kind, delivered
// through the JSON wire in random order with drops, duplicates and retries, replicas restarted
// from disk, device clocks up to a day off. At the end every replica dumps the same state.
// Seeded and replayable: LINLI_SEED=<n> replays a run; LINLI_SOAK_CHANGES=<n> sets its length.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

#include "support/client_replies.h"
#include "support/flaky_network.h"
#include "support/random_changes.h"
#include "sync/client_sync.h"

namespace linli {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// Under the sanitizers (asan preset) the default run is shorter: they slow it about fivefold.
#if defined(__SANITIZE_ADDRESS__)
constexpr int64_t kDefaultChanges = 10'000;
#else
constexpr int64_t kDefaultChanges = 100'000;
#endif
constexpr int kClients = 5;

class Simulation {
 public:
  Simulation(uint64_t seed, int64_t changes) : m_rng(seed), m_target(changes) {
    m_dir = std::filesystem::path(test::scratch_dir()) / ("linli-converge-" + std::to_string(seed) + "-" +
                                                 std::to_string(std::random_device{}()));
    std::filesystem::create_directories(m_dir);
    open_server();
    const Role roles[kClients] = {Role::Centre, Role::Centre, Role::Department, Role::Committee, Role::Field};
    for (int i = 0; i < kClients; ++i) {
      m_clients[i].role = roles[i];
      m_clients[i].replica = ReplicaId{m_rng(), m_rng() | 1};
      m_clients[i].skew = std::uniform_int_distribution<int64_t>(-kDayMs, kDayMs)(m_rng);
      open_client(i);
    }
  }
  ~Simulation() {
    m_server.reset();
    m_server_store.reset();
    for (auto& c : m_clients) {
      c.sync.reset();
      c.store.reset();
    }
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  void run();
  void drain();
  // Empty when every replica dumps the server's state; otherwise the first difference.
  std::string compare();
  void print_stats();

 private:
  struct Client {
    Role role = Role::Centre;
    ReplicaId replica;
    int64_t skew = 0;
    std::unique_ptr<Store> store;
    std::unique_ptr<ClientSync> sync;
  };

  void open_server() {
    m_server.reset();
    m_server_store.reset();
    auto s = Store::open((m_dir / "server.db").string(), {.use = StoreUse::Server});  // As linli-server opens it.
    ASSERT_TRUE(s) << s.error().detail;
    m_server_store = std::make_unique<Store>(std::move(s).value());
    m_server = std::make_unique<ServerSync>(*m_server_store);
  }
  void open_client(int i) {
    Client& c = m_clients[i];
    c.sync.reset();
    c.store.reset();
    // Clients keep their file as the browser does (one file, journal in memory); the server uses WAL.
    StoreOptions o;
    o.durability = Durability::PageSink;
    auto s = Store::open((m_dir / ("client" + std::to_string(i) + ".db")).string(), o);
    ASSERT_TRUE(s) << s.error().detail;
    c.store = std::make_unique<Store>(std::move(s).value());
    c.sync = std::make_unique<ClientSync>(*c.store, c.replica, Author{"user" + std::to_string(i), c.role});
  }

  int64_t client_now(int i) const { return m_now + m_clients[i].skew; }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
  bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }

  void edit(int client);
  void send_push(int client, int limit);
  void send_pull(int client, int limit);
  void deliver(test::Message m);
  void deliver_some();

  std::mt19937_64 m_rng;
  test::RandomChanges m_random{m_rng, test::ServerRefusals::Include};
  int64_t m_target;
  int64_t m_now = 1'772'000'000'000;
  std::filesystem::path m_dir;
  std::unique_ptr<Store> m_server_store;
  std::unique_ptr<ServerSync> m_server;
  Client m_clients[kClients];
  test::FlakyNetwork m_net{m_rng};
  int64_t m_restarts = 0, m_stale = 0;
};

void Simulation::edit(int client) {
  std::vector<Change> drafts = m_random.batch(*m_clients[client].store, m_clients[client].role);
  if (drafts.empty()) return;
  auto r = m_clients[client].sync->record(drafts, client_now(client));
  ASSERT_TRUE(r) << r.error().detail;
  m_random.count(*r);
}

void Simulation::send_push(int client, int limit) {
  auto push = m_clients[client].sync->build_push(limit);
  ASSERT_TRUE(push) << push.error().detail;
  if (!push->changes.empty()) m_net.send(test::Message{test::Message::Push, client, encode(*push)});
}

void Simulation::send_pull(int client, int limit) {
  m_net.send(test::Message{test::Message::Pull, client, encode(m_clients[client].sync->build_pull(limit))});
}

void Simulation::deliver(test::Message m) {
  Client& c = m_clients[m.client];
  switch (m.kind) {
    case test::Message::Push: {
      auto req = decode_push_request(m.text);
      ASSERT_TRUE(req) << req.error().detail;
      auto res = m_server->take_push(*req, m_now);
      ASSERT_TRUE(res) << res.error().detail;
      m_net.send(test::Message{test::Message::PushReply, m.client, encode(*res)});
      break;
    }
    case test::Message::PushReply:
      test::take_reply(*c.sync, m, client_now(m.client));
      break;
    case test::Message::Pull: {
      auto req = decode_pull_request(m.text);
      ASSERT_TRUE(req) << req.error().detail;
      auto res = m_server->take_pull(*req);
      ASSERT_TRUE(res) << res.error().detail;
      m_net.send(test::Message{test::Message::PullReply, m.client, encode(*res)});
      break;
    }
    case test::Message::PullReply:
      if (!test::take_reply(*c.sync, m, client_now(m.client))) ++m_stale;
      break;
  }
}

// Delivers one message from anywhere in flight, unless it was lost.
void Simulation::deliver_some() {
  if (auto m = m_net.take()) deliver(*m);
}

void Simulation::run() {
  while (m_random.made() < m_target && !::testing::Test::HasFailure()) {
    m_now += pick(3000);
    const int client = pick(kClients);
    const int roll = pick(100);
    if (roll < 55) edit(client);
    else if (roll < 68) send_push(client, 1 + pick(300));
    else if (roll < 80) send_pull(client, 1 + pick(500));
    else if (roll < 99) {
      for (int k = 0; k < 3; ++k) deliver_some();
    } else if (chance(0.85)) {
      ++m_restarts;
      open_client(client);
    } else {
      ++m_restarts;
      open_server();
    }
  }
  while (!m_net.empty() && !::testing::Test::HasFailure()) deliver_some();
}

// No more loss or duplication: every client sends until its outbox is empty and pulls to the end.
void Simulation::drain() {
  for (int round = 0; round < 1000 && !::testing::Test::HasFailure(); ++round) {
    bool quiet = true;
    for (int i = 0; i < kClients; ++i) {
      auto push = m_clients[i].sync->build_push(1000);
      ASSERT_TRUE(push);
      if (!push->changes.empty()) {
        quiet = false;
        deliver(test::Message{test::Message::Push, i, encode(*push)});
        deliver(m_net.take_last());
      }
      for (bool more = true; more;) {
        auto res = m_server->take_pull(m_clients[i].sync->build_pull(2000));
        ASSERT_TRUE(res);
        more = res->more;
        if (!res->changes.empty()) quiet = false;
        deliver(test::Message{test::Message::PullReply, i, encode(*res)});
      }
    }
    if (quiet) return;
  }
  ADD_FAILURE() << "did not drain";
}

std::string Simulation::compare() {
  auto want = m_server_store->canonical_dump();
  if (!want) return want.error().detail;
  for (int i = 0; i < kClients; ++i) {
    auto got = m_clients[i].store->canonical_dump();
    if (!got) return got.error().detail;
    if (std::string diff = test::first_difference(*want, *got, "client " + std::to_string(i)); !diff.empty()) return diff;
  }
  return {};
}

void Simulation::print_stats() {
  test::print_run_figures(m_random, *m_server_store->canonical_dump());
  std::printf("restarts %lld, drops %lld, duplicates %lld, stale pulls %lld\n", static_cast<long long>(m_restarts),
              static_cast<long long>(m_net.drops()), static_cast<long long>(m_net.duplicates()), static_cast<long long>(m_stale));
}

TEST(Convergence, EveryReplicaEndsWithTheSameStateWhateverTheDeliveryOrder) {
  const int64_t changes = test::env_int("LINLI_SOAK_CHANGES", kDefaultChanges);
  const uint64_t seed = test::announce_seed("convergence", changes);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay with LINLI_SEED=" + std::to_string(seed) + ")");
  const auto start = std::chrono::steady_clock::now();
  Simulation sim(seed, changes);
  sim.run();
  ASSERT_FALSE(HasFailure());
  sim.drain();
  ASSERT_FALSE(HasFailure());
  const std::string diff = sim.compare();
  EXPECT_EQ(diff, "") << "seed " << seed;
  sim.print_stats();
  std::printf("convergence: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace
}  // namespace linli
