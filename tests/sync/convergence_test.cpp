// Random convergence: five client replicas and a server, random changes of every kind, delivered
// through the JSON wire in random order with drops, duplicates and retries, replicas restarted
// from disk, device clocks up to a day off. At the end every replica dumps the same state.
// Seeded and replayable: LINLI_SEED=<n> replays a run; LINLI_SOAK_CHANGES=<n> sets its length.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <random>

#include "support/changes.h"
#include "support/temp_dir.h"
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

int64_t env_int(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoll(v, nullptr, 10) : fallback;
}

// The stores live on tmpfs when there is one: the test is about merging, not about fsync.
std::string base_dir() {
  if (std::filesystem::exists("/dev/shm")) return "/dev/shm";
  return std::filesystem::temp_directory_path().string();
}

struct Message {
  enum Kind { Push, PushReply, Pull, PullReply } kind;
  int client;
  std::string text;
};

class Simulation {
 public:
  Simulation(uint64_t seed, int64_t changes) : m_rng(seed), m_target(changes) {
    m_dir = std::filesystem::path(base_dir()) / ("linli-converge-" + std::to_string(seed) + "-" +
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
    auto s = Store::open((m_dir / "server.db").string());
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

  std::optional<Change> draft(int client);
  void edit(int client);
  void send_push(int client, int limit);
  void send_pull(int client, int limit);
  void deliver(Message m);
  void deliver_some();

  std::mt19937_64 m_rng;
  int64_t m_target;
  int64_t m_made = 0;
  int64_t m_now = 1'772'000'000'000;
  std::filesystem::path m_dir;
  std::unique_ptr<Store> m_server_store;
  std::unique_ptr<ServerSync> m_server;
  Client m_clients[kClients];
  std::vector<std::string> m_tickets;
  std::deque<Message> m_net;
  int64_t m_kinds[kChangeKindCount] = {};
  int64_t m_restarts = 0, m_drops = 0, m_dups = 0, m_stale = 0;
};

std::string random_ticket_id(std::mt19937_64& rng) {
  uint8_t b[16];
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return format_ticket_id(b);
}

std::optional<Change> Simulation::draft(int client) {
  static const char* kTitles[] = {"楼道堆物", "夜间施工噪音", "雨水井堵塞", "快递代收点", "鼠患", "垃圾未清运"};
  static const char* kAddresses[] = {"中华新路927弄", "河滨花园3号楼", "天目西路218号", "长安路101弄"};
  Change c;
  if (m_tickets.empty() || chance(0.08)) {
    c.kind = ChangeKind::CreateTicket;
    c.ticket_id = random_ticket_id(m_rng);
    c.ticket = test::new_ticket(c.ticket_id);
    c.ticket.title = kTitles[pick(6)];
    return c;
  }
  c.ticket_id = m_tickets[static_cast<size_t>(pick(static_cast<int>(m_tickets.size())))];
  auto got = m_clients[client].store->get_ticket_state(c.ticket_id);
  if (!got || !got->has_value()) return std::nullopt;  // Not arrived here yet.
  const TicketState& s = **got;
  const int roll = pick(100);
  if (roll < 30) {
    c.kind = ChangeKind::SetField;
    c.field = static_cast<EditableField>(pick(kEditableFieldCount));
    switch (c.field) {
      case EditableField::Category: c.value = to_string(static_cast<Category>(pick(kCategoryCount))); break;
      case EditableField::Urgency: c.value = to_string(static_cast<Urgency>(pick(kUrgencyCount))); break;
      case EditableField::Deleted: c.value = chance(0.5) ? "1" : "0"; break;
      case EditableField::CitizenPhone: c.value = chance(0.5) ? "13917261234" : "021-62981234"; break;
      case EditableField::Address: c.value = kAddresses[pick(4)]; break;
      case EditableField::OfficialNumber: c.value = "2026-11-" + std::to_string(1000 + pick(9000)); break;
      default: c.value = std::string(kTitles[pick(6)]) + std::to_string(pick(100)); break;
    }
    c.base = s.fields[static_cast<size_t>(c.field)].id;
  } else if (roll < 58) {
    c.kind = ChangeKind::Transition;
    std::vector<WorkflowAction> allowed;
    for (int a = 0; a < kWorkflowActionCount; ++a) {
      const auto action = static_cast<WorkflowAction>(a);
      if (role_may(m_clients[client].role, action) && workflow_target(s.ticket.status, action)) allowed.push_back(action);
    }
    // Now and then a move the workflow forbids, to exercise R7 everywhere.
    if (allowed.empty() || chance(0.05)) allowed = {static_cast<WorkflowAction>(pick(kWorkflowActionCount))};
    c.action = allowed[static_cast<size_t>(pick(static_cast<int>(allowed.size())))];
    c.from = s.ticket.status;
    c.to = workflow_target(c.from, c.action).value_or(TicketStatus::Closed);
    c.base = s.status.id;
    c.seen_work = s.work_count;
  } else if (roll < 88) {
    c.kind = ChangeKind::AddEntry;
    c.entry.kind = static_cast<EntryKind>(pick(kEntryKindCount));
    c.entry.text = "记录" + std::to_string(pick(1000));
    if (c.entry.kind == EntryKind::ReturnVisit) c.entry.satisfaction = static_cast<Satisfaction>(1 + pick(3));
    if (c.entry.kind == EntryKind::ExtensionRequest) c.entry.days = 1 + pick(10);
    if (c.entry.kind == EntryKind::Decision) {
      if (s.status.id.is_zero()) c.entry.kind = EntryKind::Comment;
      else {
        c.entry.request = s.status.id;
        c.entry.approved = chance(0.5);
      }
    }
  } else if (roll < 94) {
    c.kind = ChangeKind::AttachPhoto;
    c.photo = Photo{random_ticket_id(m_rng) + random_ticket_id(m_rng), 1000 + pick(100000), "image/jpeg"};
  } else {
    c.kind = ChangeKind::LinkTickets;
    c.link.other_ticket = m_tickets[static_cast<size_t>(pick(static_cast<int>(m_tickets.size())))];
    if (c.link.other_ticket == c.ticket_id) return std::nullopt;
  }
  return c;
}

void Simulation::edit(int client) {
  // One change per transaction, as a user edits, or a few on distinct tickets at once (a form saved).
  const int n = chance(0.5) ? 2 + pick(5) : 1;
  std::vector<Change> drafts;
  for (int i = 0; i < n; ++i) {
    auto d = draft(client);
    if (!d) continue;
    bool clash = false;
    for (const Change& o : drafts) clash = clash || o.ticket_id == d->ticket_id;
    if (!clash) drafts.push_back(std::move(*d));
  }
  if (drafts.empty()) return;
  auto r = m_clients[client].sync->record(drafts, client_now(client));
  ASSERT_TRUE(r) << r.error().detail;
  for (const Change& c : *r) {
    ++m_kinds[static_cast<int>(c.kind)];
    if (c.kind == ChangeKind::CreateTicket) m_tickets.push_back(c.ticket_id);
  }
  m_made += static_cast<int64_t>(r->size());
}

void Simulation::send_push(int client, int limit) {
  auto push = m_clients[client].sync->build_push(limit);
  ASSERT_TRUE(push) << push.error().detail;
  if (!push->changes.empty()) m_net.push_back(Message{Message::Push, client, encode(*push)});
}

void Simulation::send_pull(int client, int limit) {
  m_net.push_back(Message{Message::Pull, client, encode(m_clients[client].sync->build_pull(limit))});
}

void Simulation::deliver(Message m) {
  Client& c = m_clients[m.client];
  switch (m.kind) {
    case Message::Push: {
      auto req = decode_push_request(m.text);
      ASSERT_TRUE(req) << req.error().detail;
      auto res = m_server->take_push(*req, m_now);
      ASSERT_TRUE(res) << res.error().detail;
      m_net.push_back(Message{Message::PushReply, m.client, encode(*res)});
      break;
    }
    case Message::PushReply: {
      auto res = decode_push_response(m.text);
      ASSERT_TRUE(res) << res.error().detail;
      auto r = c.sync->take_push_response(*res);
      ASSERT_TRUE(r) << r.error().detail;
      break;
    }
    case Message::Pull: {
      auto req = decode_pull_request(m.text);
      ASSERT_TRUE(req) << req.error().detail;
      auto res = m_server->take_pull(*req);
      ASSERT_TRUE(res) << res.error().detail;
      m_net.push_back(Message{Message::PullReply, m.client, encode(*res)});
      break;
    }
    case Message::PullReply: {
      auto res = decode_pull_response(m.text);
      ASSERT_TRUE(res) << res.error().detail;
      auto r = c.sync->take_pull_response(*res, client_now(m.client));
      ASSERT_TRUE(r) << r.error().detail;
      if (!*r) ++m_stale;
      break;
    }
  }
}

// Takes one message from anywhere in flight: random order. Some are lost, some arrive twice.
void Simulation::deliver_some() {
  if (m_net.empty()) return;
  const size_t i = static_cast<size_t>(pick(static_cast<int>(m_net.size())));
  Message m = m_net[i];
  if (chance(0.1)) {
    ++m_dups;  // Delivered now and stays in flight for another delivery.
  } else {
    m_net.erase(m_net.begin() + static_cast<std::ptrdiff_t>(i));
    if (chance(0.1)) {
      ++m_drops;
      return;
    }
  }
  deliver(std::move(m));
}

void Simulation::run() {
  while (m_made < m_target && !::testing::Test::HasFatalFailure()) {
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
  while (!m_net.empty() && !::testing::Test::HasFatalFailure()) deliver_some();
}

// No more loss or duplication: every client sends until its outbox is empty and pulls to the end.
void Simulation::drain() {
  for (int round = 0; round < 1000 && !::testing::Test::HasFatalFailure(); ++round) {
    bool quiet = true;
    for (int i = 0; i < kClients; ++i) {
      auto push = m_clients[i].sync->build_push(1000);
      ASSERT_TRUE(push);
      if (!push->changes.empty()) {
        quiet = false;
        deliver(Message{Message::Push, i, encode(*push)});
        deliver(m_net.back());
        m_net.pop_back();
      }
      for (bool more = true; more;) {
        auto res = m_server->take_pull(m_clients[i].sync->build_pull(2000));
        ASSERT_TRUE(res);
        more = res->more;
        if (!res->changes.empty()) quiet = false;
        deliver(Message{Message::PullReply, i, encode(*res)});
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
    if (*got == *want) continue;
    size_t at = 0;
    while (at < got->size() && at < want->size() && (*got)[at] == (*want)[at]) ++at;
    const size_t line = want->rfind('\n', at) == std::string::npos ? 0 : want->rfind('\n', at) + 1;
    return "client " + std::to_string(i) + " differs from the server at byte " + std::to_string(at) +
           ":\n  server: " + want->substr(line, want->find('\n', at) - line) +
           "\n  client: " + got->substr(line, got->find('\n', at) - line);
  }
  return {};
}

void Simulation::print_stats() {
  const std::string dump = *m_server_store->canonical_dump();
  auto count_section = [&](const char* title) {
    const size_t from = dump.find(std::string("## ") + title + "\n");
    const size_t to = dump.find("## ", from + 3);
    int64_t lines = 0;
    for (size_t i = from; i < to && i < dump.size(); ++i) lines += dump[i] == '\n';
    return lines - 1;
  };
  std::printf("changes %lld (create %lld, set_field %lld, transition %lld, entry %lld, photo %lld, link %lld)\n",
              static_cast<long long>(m_made), static_cast<long long>(m_kinds[0]), static_cast<long long>(m_kinds[1]),
              static_cast<long long>(m_kinds[2]), static_cast<long long>(m_kinds[3]),
              static_cast<long long>(m_kinds[4]), static_cast<long long>(m_kinds[5]));
  std::printf("tickets %lld, timeline %lld, conflicts %lld; restarts %lld, drops %lld, duplicates %lld, stale pulls %lld\n",
              static_cast<long long>(count_section("tickets")), static_cast<long long>(count_section("timeline")),
              static_cast<long long>(count_section("conflicts")), static_cast<long long>(m_restarts),
              static_cast<long long>(m_drops), static_cast<long long>(m_dups), static_cast<long long>(m_stale));
}

TEST(Convergence, EveryReplicaEndsWithTheSameStateWhateverTheDeliveryOrder) {
  const uint64_t seed = static_cast<uint64_t>(env_int("LINLI_SEED", static_cast<int64_t>(std::random_device{}())));
  const int64_t changes = env_int("LINLI_SOAK_CHANGES", kDefaultChanges);
  std::printf("convergence: seed %llu, %lld changes (replay with LINLI_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<long long>(changes),
              static_cast<unsigned long long>(seed));
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay with LINLI_SEED=" + std::to_string(seed) + ")");
  const auto start = std::chrono::steady_clock::now();
  Simulation sim(seed, changes);
  sim.run();
  ASSERT_FALSE(HasFatalFailure());
  sim.drain();
  ASSERT_FALSE(HasFatalFailure());
  const std::string diff = sim.compare();
  EXPECT_EQ(diff, "") << "seed " << seed;
  sim.print_stats();
  std::printf("convergence: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace
}  // namespace linli
