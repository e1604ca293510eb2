// Random convergence over HTTP: client replicas (ClientSync over their own SQLite stores) sync
// through the real linli-server on 127.0.0.1, with random changes of every kind, requests and
// answers delivered in random order, lost or repeated, clients reopened from disk, the server
// restarted, device clocks up to a day off. Two runs. Centre clients see everything: at the end
// every client dumps the server's state. Scoped clients (partial replication) beside a centre that
// moves tickets between communities and departments: at the end each holds exactly the tickets of
// its scope, each as the server has it, and keeps every change the server refused, and no other.
// Seeded and replayable: LINLI_SEED=<n>; LINLI_HTTP_CHANGES=<n> sets the centre run's length
// (default 10,000); the scoped run goes over LINLI_HTTP_SEEDS seeds of LINLI_HTTP_SCOPED_CHANGES.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "policy/write_policy.h"
#include "store/server_state.h"
#include "support/client_replies.h"
#include "support/flaky_network.h"
#include "support/random_changes.h"
#include "support/sync_http.h"
#include "sync/client_sync.h"

namespace linli {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// Who a client signs in as.
struct Account {
  const char* user;
  Role role;
  const char* scope;  // The community or department; "" for the centre.
};

constexpr Account kCentre{"zhang.bin", Role::Centre, ""};
const char* const kCommunities[] = {"河滨花园", "中华新路927弄", "长安路101弄"};
const char* const kDepartments[] = {"管理办", "市容所", ""};

// Whether the account's scope holds the ticket, as docs/protocol.md states the rule (for the roles
// these runs use): the centre everything, a committee its community, a department what it leads.
// The scope as the write policy draws it (a department also sees what it co-handles, R12).
bool covers(const Account& a, const TicketState& t) { return may_see(Actor{a.role, a.scope}, t); }

class HttpSimulation {
 public:
  HttpSimulation(uint64_t seed, int64_t changes, const std::vector<Account>& accounts)
      : m_rng(seed), m_target(changes), m_clients(accounts.size()) {
    for (size_t i = 0; i < accounts.size(); ++i) {
      m_clients[i].account = accounts[i];
      m_scoped = m_scoped || accounts[i].role != Role::Centre;
    }
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

  // Adds the users, starts the server and signs every client in (from a copy of a database where
  // that was done once: each costs a password hash, and the scoped run goes over many seeds).
  void start() {
    const Prepared& prepared = prepare();
    if (::testing::Test::HasFailure()) return;
    for (const char* suffix : {"", "-wal"})
      if (std::filesystem::exists(prepared.db.string() + suffix))
        std::filesystem::copy_file(prepared.db.string() + suffix, m_db + suffix);
    start_server();
    for (int i = 0; i < clients(); ++i) {
      Client& c = m_clients[i];
      c.replica = ReplicaId{m_rng(), m_rng() | 1};
      c.skew = std::uniform_int_distribution<int64_t>(-kDayMs, kDayMs)(m_rng);
      c.token = prepared.tokens[static_cast<size_t>(i)];
      open_client(i);
    }
    if (m_scoped) sync_first();
  }

  void run();
  void drain();
  // Stops the server; empty when every client holds what the server says it should, else the first
  // difference.
  std::string compare();
  void print_stats();
  int64_t dropped() const { return m_dropped; }
  int64_t start_overs() const { return m_start_overs; }
  // How often a client kept a dropped ticket for its unsent changes (summed over pulls taken).
  int64_t leaving() const { return m_leaving; }
  // Refused changes the clients keep with `code` ("out_of_scope"; "out_of_scope (create)" for new tickets).
  int64_t refused(const std::string& code) const {
    auto it = m_refused.find(code);
    return it == m_refused.end() ? 0 : it->second;
  }

 private:
  struct Client {
    Account account = kCentre;
    ReplicaId replica;
    int64_t skew = 0;
    std::string token;
    std::unique_ptr<Store> store;
    std::unique_ptr<ClientSync> sync;
  };

  // A server database with the users of a set of accounts, each client signed in: made once per
  // set and process, removed at exit.
  struct Prepared {
    std::filesystem::path dir, db;
    std::vector<std::string> tokens;  // Per client.
    ~Prepared() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  };
  const Prepared& prepare() {
    static std::map<std::string, std::unique_ptr<Prepared>> made;
    std::string key;
    for (const Client& c : m_clients) key += std::string(c.account.user) + "/";
    std::unique_ptr<Prepared>& p = made[key];
    if (p) return *p;
    p = std::make_unique<Prepared>();
    p->dir =
        std::filesystem::path(test::scratch_dir()) / ("linli-http-users-" + std::to_string(std::random_device{}()));
    p->db = p->dir / "server.db";
    std::filesystem::create_directories(p->dir);
    std::set<std::string> added;
    for (const Client& c : m_clients) {
      if (!added.insert(c.account.user).second) continue;
      EXPECT_TRUE(
          test::add_user(p->db.string(), c.account.user, std::string(to_string(c.account.role)), c.account.scope));
    }
    test::ServerProcess server(test::server_args(p->dir, p->db.string()));
    EXPECT_GT(server.port(), 0);
    test::SyncHttp http(server.port());
    for (const Client& c : m_clients) {
      p->tokens.push_back(http.sign_in(c.account.user));
      EXPECT_FALSE(p->tokens.back().empty());
    }
    EXPECT_EQ(server.stop(), 0);
    return *p;
  }

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
    c.sync = std::make_unique<ClientSync>(*c.store, c.replica, Author{c.account.user, c.account.role});
  }

  int clients() const { return static_cast<int>(m_clients.size()); }
  int64_t client_now(int i) const { return test::wall_ms() + m_clients[i].skew; }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
  bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }

  void sync_first();
  void edit(int client);
  std::optional<Change> dispatch(Store& store);
  std::string compare_client(int i, Store& server, const std::string& server_dump, const std::vector<Rejection>& rejected);
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
  std::vector<Client> m_clients;
  bool m_scoped = false;  // Some client has a scope: the centre also moves tickets between scopes.
  test::FlakyNetwork m_net{m_rng};
  std::string m_server_dump;
  int64_t m_requests = 0, m_gaps = 0, m_client_restarts = 0, m_server_restarts = 0, m_stale = 0, m_dropped = 0,
          m_leaving = 0, m_start_overs = 0;
  std::map<std::string, int64_t> m_refused;  // Refused changes the clients keep, by code.
};

// Every client pulls before it edits, as the app does when a user signs in: the centre makes the
// first ticket and every client syncs past it.
void HttpSimulation::sync_first() {
  ASSERT_EQ(m_clients[0].account.role, Role::Centre);
  auto first = m_random.draft(*m_clients[0].store, Role::Centre);  // A new ticket: there is none yet.
  ASSERT_TRUE(first);
  auto r = m_clients[0].sync->record({*first}, client_now(0));
  ASSERT_TRUE(r) << r.error().detail;
  m_random.count(*r);
  drain();
  for (const Client& c : m_clients) ASSERT_GT(c.store->pull_cursor(), 0);
}

void HttpSimulation::edit(int client) {
  Client& c = m_clients[client];
  std::vector<Change> drafts;
  if (m_scoped && c.account.role == Role::Centre && chance(0.3)) {
    if (auto d = dispatch(*c.store)) drafts.push_back(std::move(*d));
  } else {
    drafts = m_random.batch(*c.store, c.account.role);
  }
  if (c.account.role != Role::Centre) {
    // A committee takes in tickets of its own community; a department now and then tries to (and
    // is refused): else every new ticket of theirs would be refused.
    auto not_taken = [&](Change& d) {
      if (d.kind != ChangeKind::CreateTicket) return false;
      if (c.account.role == Role::Committee) d.ticket.community = c.account.scope;
      return c.account.role == Role::Department && !chance(0.1);
    };
    drafts.erase(std::remove_if(drafts.begin(), drafts.end(), not_taken), drafts.end());
  }
  if (drafts.empty()) return;
  auto r = c.sync->record(drafts, client_now(client));
  ASSERT_TRUE(r) << r.error().detail;
  m_random.count(*r);
}

// The centre moves a ticket to another community or hands it to another department: what takes
// tickets into and out of scopes.
std::optional<Change> HttpSimulation::dispatch(Store& store) {
  auto tickets = store.list_tickets(TicketQuery{1'000'000, 0});
  if (!tickets || tickets->empty()) return std::nullopt;
  const std::string id = (*tickets)[static_cast<size_t>(pick(static_cast<int>(tickets->size())))].id;
  auto state = store.get_ticket_state(id);
  if (!state || !state->has_value()) return std::nullopt;
  Change c;
  c.kind = ChangeKind::SetField;
  c.ticket_id = id;
  const bool move = chance(0.6);
  c.field = move ? EditableField::Community : EditableField::LeadDepartment;
  c.value = move ? kCommunities[pick(3)] : kDepartments[pick(3)];
  c.base = (*state)->fields[static_cast<size_t>(c.field)].id;
  return c;
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
// taken by its client. A 409 without results (a gap: an earlier push was lost or overtaken) needs
// no answer: the client's next push starts from its oldest unsent change anyway. A push with
// refused changes is answered with its refusal's status, with every result.
void HttpSimulation::deliver(const test::Message& m) {
  Client& c = m_clients[m.client];
  ++m_requests;
  switch (m.kind) {
    case test::Message::Push: {
      auto res = m_http->post("/api/v1/sync/push", c.token, m.text);
      ASSERT_TRUE(res) << "push: " << httplib::to_string(res.error());
      const bool results = static_cast<bool>(decode_push_response(res->body));
      if (res->status == 409 && !results) {
        ++m_gaps;
        return;
      }
      // A push with refused changes is answered with the status of the refusal it names (403, 404
      // for a change to a ticket whose create was refused, 409, 422), and every result.
      const bool refused = res->status == 403 || res->status == 404 || res->status == 409 || res->status == 422;
      // The joint-handling rules (P8, P10) are judged against the server's state when the push
      // arrives: two offline desks adding the same co-handler, or closing while one is pending,
      // have one change refused (it never enters the log, so every client still converges).
      const bool co_handling = res->body.find("co-handl") != std::string::npos;
      // So is P11: a desk edits, offline, a ticket another desk has closed meanwhile (the centre
      // closes what it answered itself, 直接答复, so centre-only runs close tickets too).
      const bool closed = res->body.find("is closed: reopen it first") != std::string::npos;
      ASSERT_TRUE(results && (res->status == 200 || ((m_scoped || co_handling || closed) && refused)))
          << res->status << " " << res->body.substr(0, 400);
      m_net.send(test::Message{test::Message::PushReply, m.client, res->body});
      return;
    }
    case test::Message::PushReply:
      test::take_reply(*c.sync, m, client_now(m.client));
      return;
    case test::Message::Pull: {
      auto req = decode_pull_request(m.text);
      ASSERT_TRUE(req) << req.error().detail;
      auto res = m_http->pull(c.token, req->replica, req->cursor, req->limit, 0, req->took);
      ASSERT_TRUE(res) << "pull: " << httplib::to_string(res.error());
      ASSERT_EQ(res->status, 200) << res->body.substr(0, 400);
      m_net.send(test::Message{test::Message::PullReply, m.client, res->body});
      if (auto p = decode_pull_response(res->body)) {
        m_dropped += static_cast<int64_t>(p->dropped.size());
        m_start_overs += p->start_over ? 1 : 0;
      }
      return;
    }
    case test::Message::PullReply:
      if (!test::take_reply(*c.sync, m, client_now(m.client))) ++m_stale;
      m_leaving += static_cast<int64_t>(c.store->leaving_tickets().size());
      return;
  }
}

// Delivers one message from anywhere in flight, unless it was lost.
void HttpSimulation::deliver_some() {
  if (auto m = m_net.take()) deliver(*m);
}

void HttpSimulation::run() {
  while (m_random.made() < m_target && !::testing::Test::HasFailure()) {
    const int client = pick(clients());
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
    for (int i = 0; i < clients(); ++i) {
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
        more = res->more || res->start_over;  // Started over: pulls again from cursor 0.
        if (!res->changes.empty() || res->start_over) quiet = false;
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
  auto server_state = ServerState::open(m_db);
  if (!server_state) return server_state.error().detail;
  auto rejected = server_state->rejections(1'000'000);
  if (!rejected) return rejected.error().detail;
  for (int i = 0; i < clients(); ++i)
    if (std::string diff = compare_client(i, *server_store, *want, *rejected); !diff.empty()) return diff;
  return {};
}

// Empty when client i has sent everything, keeps every change the server refused of it (and no
// other), and holds the server's state: all of it for the centre, else exactly the tickets in its
// scope, each as the server has it.
std::string HttpSimulation::compare_client(int i, Store& server, const std::string& server_dump,
                                           const std::vector<Rejection>& rejected) {
  Client& c = m_clients[i];
  const std::string who = "client " + std::to_string(i) + " (" + c.account.user + ")";
  auto unsent = c.store->unsent_changes(c.replica, 1);
  if (!unsent || !unsent->empty()) return who + " has unsent changes";
  if (!c.store->leaving_tickets().empty()) return who + " still keeps tickets that left its scope";
  std::set<std::pair<uint64_t, std::string>> refused_here, refused_there;  // Counter and code.
  for (const Rejection& r : rejected)
    if (r.replica == to_hex(c.replica)) refused_there.emplace(r.counter, r.code);
  auto kept = c.store->refused_changes(1'000'000);
  if (!kept) return kept.error().detail;
  for (const RefusedChange& k : *kept) {
    refused_here.emplace(k.change.id.counter, k.code);
    ++m_refused[k.code + (k.change.kind == ChangeKind::CreateTicket ? " (create)" : "")];
  }
  if (refused_here != refused_there)
    return who + " keeps " + std::to_string(refused_here.size()) + " refused changes, the server refused " +
           std::to_string(refused_there.size());
  if (c.account.role == Role::Centre) {
    auto got = c.store->canonical_dump();
    return got ? test::first_difference(server_dump, *got, who) : got.error().detail;
  }
  auto all = server.list_tickets(TicketQuery{1'000'000, 0});
  auto held = c.store->list_tickets(TicketQuery{1'000'000, 0});
  if (!all || !held) return who + ": cannot list tickets";
  std::set<std::string> scope, holds;
  for (const Ticket& t : *all)
    if (auto st = server.get_ticket_state(t.id); st && st->has_value() && covers(c.account, **st)) scope.insert(t.id);
  for (const Ticket& t : *held) holds.insert(t.id);
  if (holds != scope) {
    std::vector<std::string> extra, missing;
    std::set_difference(holds.begin(), holds.end(), scope.begin(), scope.end(), std::back_inserter(extra));
    std::set_difference(scope.begin(), scope.end(), holds.begin(), holds.end(), std::back_inserter(missing));
    return who + " holds " + std::to_string(holds.size()) + " tickets, its scope has " + std::to_string(scope.size()) +
           (extra.empty() ? "" : "; holds " + extra[0] + " outside it") + (missing.empty() ? "" : "; lacks " + missing[0]);
  }
  for (const std::string& id : scope) {
    auto want = server.canonical_dump(id);
    auto got = c.store->canonical_dump(id);
    if (!want || !got) return who + ": cannot dump ticket " + id;
    if (std::string diff = test::first_difference(*want, *got, who + ", ticket " + id); !diff.empty()) return diff;
  }
  return {};
}

void HttpSimulation::print_stats() {
  test::print_run_figures(m_random, m_server_dump);
  if (m_scoped) {
    std::printf("scopes: tickets dropped %lld (kept leaving %lld); refused changes kept:", static_cast<long long>(m_dropped),
                static_cast<long long>(m_leaving));
    for (const auto& [code, n] : m_refused) std::printf(" %s %lld", code.c_str(), static_cast<long long>(n));
    std::printf("; tickets held:");
    for (const Client& c : m_clients) std::printf(" %s %lld", c.account.user, static_cast<long long>(*c.store->count_tickets()));
    std::printf("\n");
  }
  std::printf(
      "requests %lld (gaps %lld), drops %lld, duplicates %lld, stale pulls %lld, pulls told to start over "
      "%lld; restarts: clients %lld, server %lld\n",
      static_cast<long long>(m_requests), static_cast<long long>(m_gaps), static_cast<long long>(m_net.drops()),
      static_cast<long long>(m_net.duplicates()), static_cast<long long>(m_stale),
      static_cast<long long>(m_start_overs), static_cast<long long>(m_client_restarts),
      static_cast<long long>(m_server_restarts));
}

// One run of `accounts` from `seed` to its end: the first difference between a client and the
// server ("" when none). A protocol error (a request refused, a message that does not decode) fails
// the test at once; `check` sees the run's figures.
std::string simulate(const char* name, uint64_t seed, int64_t changes, const std::vector<Account>& accounts,
                     const std::function<void(const HttpSimulation&)>& check = {}) {
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay with LINLI_SEED=" + std::to_string(seed) + ")");
  const auto start = std::chrono::steady_clock::now();
  HttpSimulation sim(seed, changes, accounts);
  sim.start();
  if (::testing::Test::HasFailure()) return "failed";
  sim.run();
  if (::testing::Test::HasFailure()) return "failed";
  sim.drain();
  if (::testing::Test::HasFailure()) return "failed";
  const std::string diff = sim.compare();
  sim.print_stats();
  if (check) check(sim);
  std::printf("%s, seed %llu: %.1f s%s\n", name, static_cast<unsigned long long>(seed),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              diff.empty() ? "" : ", OUT OF STEP");
  return diff;
}

TEST(HttpConvergence, EveryClientEndsWithTheServersStateWhateverTheDeliveryOrder) {
  const int64_t changes = test::env_int("LINLI_HTTP_CHANGES", 10'000);
  const uint64_t seed = test::announce_seed("http convergence", changes);
  EXPECT_EQ(simulate("http convergence", seed, changes, {kCentre, kCentre, kCentre, kCentre}), "") << "seed " << seed;
}

// Scoped clients' pulls and pushes, and their answers, are lost, repeated and reordered like
// anyone's, on many seeds (LINLI_HTTP_SEEDS, default 30; consecutive from LINLI_SEED): each run is
// shorter than the centre's (LINLI_HTTP_SCOPED_CHANGES, default 700), so the entry stays near a
// minute and a half. A soak: LINLI_HTTP_SEEDS=200, or LINLI_HTTP_SCOPED_CHANGES=100000.
TEST(HttpConvergence, ScopedClientsEndWithExactlyTheirTicketsAsTheServerHasThemAndKeepEveryRefusal) {
  const int64_t changes = test::env_int("LINLI_HTTP_SCOPED_CHANGES", 700);
  const int64_t seeds = test::env_int("LINLI_HTTP_SEEDS", 30);
  const std::vector<Account> accounts = {kCentre,
                                         {"hebin.li", Role::Committee, kCommunities[0]},
                                         {"zhonghua.zhou", Role::Committee, kCommunities[1]},
                                         {"guanli.wang", Role::Department, kDepartments[0]}};
  const uint64_t first = test::announce_seed("http convergence with scopes", changes);
  int64_t dropped = 0, leaving = 0, start_overs = 0;
  std::map<std::string, int64_t> refused;
  std::vector<std::string> out_of_step;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < seeds && !::testing::Test::HasFailure(); ++i) {
    const uint64_t seed = first + static_cast<uint64_t>(i);
    // One seed in three the server keeps one pending answer per replica (16 by default): a replica
    // that takes an answer whose sibling came later names one the server no longer has, and is
    // told to start over.
    if (seed % 3 == 2)
      setenv("LINLI_KEPT_ANSWERS", "1", 1);
    else
      unsetenv("LINLI_KEPT_ANSWERS");
  unsetenv("LINLI_FEED_KIB");
    // One seed in four the server keeps 1 KiB of the newest changes in memory (4 MiB by default,
    // which holds every change of a run): scoped pulls read their window from the log, not the feed.
    if (seed % 4 == 1)
      setenv("LINLI_FEED_KIB", "1", 1);
    else
      unsetenv("LINLI_FEED_KIB");
    const std::string diff =
        simulate("http convergence with scopes", seed, changes, accounts, [&](const HttpSimulation& sim) {
          dropped += sim.dropped();
          leaving += sim.leaving();
          start_overs += sim.start_overs();
          for (const char* code : {"out_of_scope", "out_of_scope (create)", "forbidden"})
            refused[code] += sim.refused(code);
        });
    if (!diff.empty())
      out_of_step.push_back("seed " + std::to_string(seed) + (seed % 3 == 2 ? " (LINLI_KEPT_ANSWERS=1)" : "") +
                            (seed % 4 == 1 ? " (LINLI_FEED_KIB=1)" : "") + ": " +
                            diff);
  }
  unsetenv("LINLI_KEPT_ANSWERS");
  unsetenv("LINLI_FEED_KIB");
  std::printf(
      "http convergence with scopes: %lld seeds from %llu, %lld out of step, %lld pulls told to start over, "
      "%.1f s\n",
      static_cast<long long>(seeds), static_cast<unsigned long long>(first), static_cast<long long>(out_of_step.size()),
      static_cast<long long>(start_overs),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const std::string& d : out_of_step) ADD_FAILURE() << d << " (replay with LINLI_SEED=<seed> LINLI_HTTP_SEEDS=1)";
  if (seeds * changes < 10'000) return;  // A short run may not move a ticket out of a scope at all.
  EXPECT_GT(dropped, 0) << "no ticket left a scope";
  EXPECT_GT(leaving, 0) << "no ticket left a scope with own changes to it unsent";
  EXPECT_GT(refused["out_of_scope"], 0) << "no edit raced a move out of its scope";
  EXPECT_GT(refused["out_of_scope (create)"], 0) << "no new ticket was refused";
  EXPECT_GT(refused["forbidden"], 0) << "no edit was forbidden";
}

}  // namespace
}  // namespace linli
