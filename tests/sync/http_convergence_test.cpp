// Random convergence over HTTP: client replicas (ClientSync over their own SQLite stores) sync
// through the real linli-server on 127.0.0.1, with random changes of every kind, requests and
// answers delivered in random order, lost or repeated, clients reopened from disk, the server
// restarted, device clocks up to a day off. At the end every client dumps the server's state.
// Seeded and replayable: LINLI_SEED=<n>; LINLI_HTTP_CHANGES=<n> sets the length (default 10,000).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "support/client_replies.h"
#include "support/flaky_network.h"
#include "support/random_changes.h"
#include "support/sync_http.h"
#include "sync/client_sync.h"

namespace linli {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int kClients = 4;
// Centre users only: every client sees every ticket (the client store has no partial replication).
constexpr const char* kUser = "zhang.bin";

class HttpSimulation {
 public:
  HttpSimulation(uint64_t seed, int64_t changes) : m_rng(seed), m_target(changes) {
    m_dir = std::filesystem::path(test::scratch_dir()) /
            ("linli-http-converge-" + std::to_string(seed) + "-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(m_dir);
    m_db = (m_dir / "server.db").string();
  }
  ~HttpSimulation() {
    m_http.reset();
    m_server.reset();
    for (auto& c : m_clients) {
      c.sync.reset();
      c.store.reset();
    }
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  // Adds the user, starts the server and signs every client in.
  void start() {
    ASSERT_TRUE(test::add_user(m_db, kUser, "centre"));
    start_server();
    for (int i = 0; i < kClients; ++i) {
      Client& c = m_clients[i];
      c.replica = ReplicaId{m_rng(), m_rng() | 1};
      c.skew = std::uniform_int_distribution<int64_t>(-kDayMs, kDayMs)(m_rng);
      c.token = m_http->sign_in(kUser);
      ASSERT_FALSE(c.token.empty());
      open_client(i);
    }
  }

  void run();
  void drain();
  // Stops the server; empty when every client dumps the server's store, else the first difference.
  std::string compare();
  void print_stats();

 private:
  struct Client {
    ReplicaId replica;
    int64_t skew = 0;
    std::string token;
    std::unique_ptr<Store> store;
    std::unique_ptr<ClientSync> sync;
  };

  void start_server() {
    m_http.reset();
    m_server.reset();  // Stopped before the next one opens the file.
    m_server = std::make_unique<test::ServerProcess>(test::server_args(m_dir, m_db));
    ASSERT_GT(m_server->port(), 0);
    m_http = std::make_unique<test::SyncHttp>(m_server->port());
  }
  void open_client(int i) {
    Client& c = m_clients[i];
    c.sync.reset();
    c.store.reset();
    StoreOptions o;
    o.durability = Durability::PageSink;  // As the browser keeps it.
    auto s = Store::open((m_dir / ("client" + std::to_string(i) + ".db")).string(), o);
    ASSERT_TRUE(s) << s.error().detail;
    c.store = std::make_unique<Store>(std::move(s).value());
    c.sync = std::make_unique<ClientSync>(*c.store, c.replica, Author{kUser, Role::Centre});
  }

  int64_t client_now(int i) const { return test::wall_ms() + m_clients[i].skew; }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
  bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }

  void edit(int client);
  void send_push(int client, int limit);
  void send_pull(int client, int limit);
  void deliver(const test::Message& m);
  void deliver_some();

  std::mt19937_64 m_rng;
  test::RandomChanges m_random{m_rng, test::ServerRefusals::Exclude};
  int64_t m_target;
  std::filesystem::path m_dir;
  std::string m_db;
  std::unique_ptr<test::ServerProcess> m_server;
  std::unique_ptr<test::SyncHttp> m_http;
  Client m_clients[kClients];
  test::FlakyNetwork m_net{m_rng};
  std::string m_server_dump;
  int64_t m_requests = 0, m_gaps = 0, m_client_restarts = 0, m_server_restarts = 0,
          m_stale = 0;
};

void HttpSimulation::edit(int client) {
  Client& c = m_clients[client];
  std::vector<Change> drafts = m_random.batch(*c.store, Role::Centre);
  if (drafts.empty()) return;
  auto r = c.sync->record(drafts, client_now(client));
  ASSERT_TRUE(r) << r.error().detail;
  m_random.count(*r);
}

void HttpSimulation::send_push(int client, int limit) {
  auto push = m_clients[client].sync->build_push(limit);
  ASSERT_TRUE(push) << push.error().detail;
  push->client_time_ms = client_now(client);
  if (!push->changes.empty()) m_net.send(test::Message{test::Message::Push, client, encode(*push)});
}

void HttpSimulation::send_pull(int client, int limit) {
  m_net.send(test::Message{test::Message::Pull, client, encode(m_clients[client].sync->build_pull(limit))});
}

// A request goes to the server now and its answer joins the messages in flight; an answer is
// taken by its client. A 409 (a gap: an earlier push was lost or overtaken) needs no answer: the
// client's next push starts from its oldest unsent change anyway.
void HttpSimulation::deliver(const test::Message& m) {
  Client& c = m_clients[m.client];
  ++m_requests;
  switch (m.kind) {
    case test::Message::Push: {
      auto res = m_http->post("/api/v1/sync/push", c.token, m.text);
      ASSERT_TRUE(res) << "push: " << httplib::to_string(res.error());
      if (res->status == 409) {
        ++m_gaps;
        return;
      }
      ASSERT_EQ(res->status, 200) << res->body.substr(0, 400);
      m_net.send(test::Message{test::Message::PushReply, m.client, res->body});
      return;
    }
    case test::Message::PushReply:
      test::take_reply(*c.sync, m, client_now(m.client));
      return;
    case test::Message::Pull: {
      auto req = decode_pull_request(m.text);
      ASSERT_TRUE(req) << req.error().detail;
      auto res = m_http->pull(c.token, req->replica, req->cursor, req->limit);
      ASSERT_TRUE(res) << "pull: " << httplib::to_string(res.error());
      ASSERT_EQ(res->status, 200) << res->body.substr(0, 400);
      m_net.send(test::Message{test::Message::PullReply, m.client, res->body});
      return;
    }
    case test::Message::PullReply:
      if (!test::take_reply(*c.sync, m, client_now(m.client))) ++m_stale;
      return;
  }
}

// Delivers one message from anywhere in flight, unless it was lost.
void HttpSimulation::deliver_some() {
  if (auto m = m_net.take()) deliver(*m);
}

void HttpSimulation::run() {
  while (m_random.made() < m_target && !::testing::Test::HasFailure()) {
    const int client = pick(kClients);
    const int roll = pick(1000);
    if (roll < 550) edit(client);
    else if (roll < 680) send_push(client, 1 + pick(300));
    else if (roll < 800) send_pull(client, 1 + pick(500));
    else if (roll < 995) {
      for (int k = 0; k < 3; ++k) deliver_some();
    } else if (roll < 999) {
      ++m_client_restarts;
      open_client(client);
    } else {
      ++m_server_restarts;  // Requests in flight reach the next server process, on the same file.
      start_server();
    }
  }
  while (!m_net.empty() && !::testing::Test::HasFailure()) deliver_some();
}

// No more loss or duplication: every client sends until its outbox is empty and pulls to the end.
void HttpSimulation::drain() {
  for (int round = 0; round < 100 && !::testing::Test::HasFailure(); ++round) {
    bool quiet = true;
    for (int i = 0; i < kClients; ++i) {
      auto push = m_clients[i].sync->build_push(1000);
      ASSERT_TRUE(push) << push.error().detail;
      if (!push->changes.empty()) {
        quiet = false;
        deliver(test::Message{test::Message::Push, i, encode(*push)});
        if (!m_net.empty()) {
          deliver(m_net.take_last());
        }
      }
      for (bool more = true; more && !::testing::Test::HasFailure();) {
        deliver(test::Message{test::Message::Pull, i, encode(m_clients[i].sync->build_pull(1000))});
        ASSERT_FALSE(m_net.empty());
        const test::Message reply = m_net.take_last();
        auto res = decode_pull_response(reply.text);
        ASSERT_TRUE(res);
        more = res->more;
        if (!res->changes.empty()) quiet = false;
        deliver(reply);
      }
    }
    if (quiet) return;
  }
  ADD_FAILURE() << "did not drain";
}

std::string HttpSimulation::compare() {
  m_http.reset();
  if (m_server->stop() != 0) return "the server did not stop cleanly";
  auto server_store = Store::open(m_db);
  if (!server_store) return server_store.error().detail;
  auto want = server_store->canonical_dump();
  if (!want) return want.error().detail;
  m_server_dump = *want;
  for (int i = 0; i < kClients; ++i) {
    auto got = m_clients[i].store->canonical_dump();
    if (!got) return got.error().detail;
    if (std::string diff = test::first_difference(*want, *got, "client " + std::to_string(i)); !diff.empty())
      return diff;
  }
  return {};
}

void HttpSimulation::print_stats() {
  test::print_run_figures(m_random, m_server_dump);
  std::printf("requests %lld (gaps %lld), drops %lld, duplicates %lld, stale pulls %lld; restarts: clients %lld, "
              "server %lld\n",
              static_cast<long long>(m_requests), static_cast<long long>(m_gaps), static_cast<long long>(m_net.drops()),
              static_cast<long long>(m_net.duplicates()), static_cast<long long>(m_stale),
              static_cast<long long>(m_client_restarts), static_cast<long long>(m_server_restarts));
}

TEST(HttpConvergence, EveryClientEndsWithTheServersStateWhateverTheDeliveryOrder) {
  const int64_t changes = test::env_int("LINLI_HTTP_CHANGES", 10'000);
  const uint64_t seed = test::announce_seed("http convergence", changes);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay with LINLI_SEED=" + std::to_string(seed) + ")");
  const auto start = std::chrono::steady_clock::now();
  HttpSimulation sim(seed, changes);
  sim.start();
  ASSERT_FALSE(HasFailure());
  sim.run();
  ASSERT_FALSE(HasFailure());
  sim.drain();
  ASSERT_FALSE(HasFailure());
  const std::string diff = sim.compare();
  EXPECT_EQ(diff, "") << "seed " << seed;
  sim.print_stats();
  std::printf("http convergence: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace
}  // namespace linli
