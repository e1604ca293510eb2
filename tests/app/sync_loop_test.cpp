// The app's sign-in session and background sync loop (app/client), natively, against the real
// linli-server with the demo street on a free loopback port. The transport carries each request
// over real HTTP and hands the answer back on the next deliver(), as the browser would between
// frames; the loop's clock is the test's, so back-off and push delays are exact.
#include <httplib.h>

#include <gtest/gtest.h>

#include <cstdlib>

#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/demo_data.h"
#include "client/records.h"
#include "client/session.h"
#include "client/sync_loop.h"
#include "app/test_transport.h"
#include "store/server_state.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client_sync.h"

namespace linli::test {
namespace {

// The demo street's tickets, all of them or of one community (the server seeds the same street).
int demo_total() { return demo_ticket_count(); }
int demo_in(const char* community) {
  int n = 0;
  for (const Ticket& t : demo_tickets(0)) n += t.community == community;
  return n;
}

using app::HttpRequest;
using app::HttpResponse;

app::Session sign_in(int port, const std::string& user) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Post("/api/v1/login", R"({"user":")" + user + R"(","password":"linli-demo"})", "application/json");
  EXPECT_TRUE(res && res->status == 200);
  auto s = app::parse_login_answer(res ? res->body : "");
  EXPECT_TRUE(s) << (s ? "" : s.error().detail);
  return s ? *s : app::Session{};
}

// A device: its store, replica, client state and sync loop.
struct Device {
  Device(TempDir& dir, const std::string& name, int port, const app::Session& s, app::SyncOptions o = quick())
      : transport(port), store(*Store::open(dir.file(name + ".db"))) {
    uint8_t random[16];
    for (int i = 0; i < 16; ++i) random[i] = static_cast<uint8_t>(name[static_cast<size_t>(i) % name.size()] + i);
    replica = *app::device_replica(store, random);
    client = std::make_unique<ClientSync>(store, replica, Author{s.user, s.role});
    loop = std::make_unique<app::SyncLoop>(store, *client, transport, s.token, o);
  }
  static app::SyncOptions quick() {
    app::SyncOptions o;
    o.long_poll_s = 0;  // A real wait would stall the test: the loop's own pacing is what is tested.
    return o;
  }
  // Ticks and delivers until `done` or `steps` frames of 100 ms.
  bool run_until(const std::function<bool()>& done, int steps = 200) {
    for (int i = 0; i < steps; ++i) {
      if (done()) return true;
      transport.advance(100);
      loop->tick();
      transport.deliver();
    }
    return done();
  }
  bool settled() {
    const auto& s = loop->status();
    return s.unsent == 0 && s.caught_up && !loop->busy();
  }
  Change create(const std::string& id, const std::string& community) {
    Change c;
    c.ticket_id = id;
    c.kind = ChangeKind::CreateTicket;
    Ticket& t = c.ticket;
    t.id = id;
    t.provisional_number = "临-20261129-0001";
    t.source = Source::WalkIn;
    t.received_at_ms = transport.now_ms();
    t.created_at_ms = t.updated_at_ms = t.received_at_ms;
    t.citizen_name = "王女士";
    t.citizen_phone = "13917261234";
    t.community = community;
    t.address = community + "3号楼";
    t.title = "楼道堆物影响通行";
    auto rec = client->record({c}, transport.now_ms());
    EXPECT_TRUE(rec) << (rec ? "" : rec.error().detail);
    loop->edited();
    return rec ? rec->front() : c;
  }

  TestTransport transport;
  Store store;
  ReplicaId replica;
  std::unique_ptr<ClientSync> client;
  std::unique_ptr<app::SyncLoop> loop;
};

class SyncLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir.path() / "web");
    std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--db", dir.file("server.db"), "--web", dir.file("web"), "--seed-demo"});
    ASSERT_GT(server->port(), 0);
  }
  // Starts the server again on the same database and port, as an operator's restart would.
  void restart(int port) {
    server = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--db", dir.file("server.db"), "--web", dir.file("web"), "--seed-demo", "--port", std::to_string(port)});
    ASSERT_EQ(server->port(), port);
  }
  // The same server started again making images for any log, however short (LINLI_IMAGE_FROM=0).
  void restart_making_images() {
    ASSERT_EQ(::setenv("LINLI_IMAGE_FROM", "0", 1), 0);
    const int port = server->port();
    server.reset();
    restart(port);
    ::unsetenv("LINLI_IMAGE_FROM");
  }
  // The server's whole log, read by a new centre replica from cursor 0.
  std::vector<SequencedChange> server_log() {
    const app::Session zhang = sign_in(server->port(), "zhang.bin");
    httplib::Client c("127.0.0.1", server->port());
    const std::string reader = "5e0000000000000000000000000000" + std::to_string(10 + ++m_readers);
    std::vector<SequencedChange> log;
    int64_t cursor = 0;
    for (bool more = true; more;) {
      auto res = c.Get("/api/v1/sync/pull?replica=" + reader + "&cursor=" + std::to_string(cursor) + "&took=0&limit=1000",
                       httplib::Headers{{"Authorization", "Bearer " + zhang.token}});
      if (!res || res->status != 200) {
        ADD_FAILURE() << "pull of the log failed";
        break;
      }
      auto answer = decode_pull_response(res->body);
      if (!answer) {
        ADD_FAILURE() << answer.error().detail;
        break;
      }
      for (auto& sc : answer->changes) log.push_back(std::move(sc));
      cursor = answer->next;
      more = answer->more;
    }
    return log;
  }
  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  int m_readers = 0;
};

// The id of a test's i-th ticket: each test its own series, so that their tickets never meet.
std::string series_id(int series, int i) {
  char id[33];
  std::snprintf(id, sizeof id, "7a1c0000000000000000000000%04d%02d", series, i);
  return id;
}

// Each change id at most once in `log`; how many are of `replica`.
size_t count_once(const std::vector<SequencedChange>& log, const ReplicaId& replica) {
  std::set<std::pair<std::string, uint64_t>> seen;
  size_t mine = 0;
  for (const SequencedChange& sc : log) {
    EXPECT_TRUE(seen.insert({to_hex(sc.change.id.replica), sc.change.id.counter}).second)
        << "change " << to_string(sc.change.id) << " twice in the log (seq " << sc.seq << ")";
    mine += sc.change.id.replica == replica;
  }
  return mine;
}

// Every ticket of `a` is in `b` alike, and they hold as many.
void expect_same_tickets(Store& a, Store& b) {
  auto list = a.list_tickets({.limit = 1000, .offset = 0});
  ASSERT_TRUE(list);
  EXPECT_EQ(*a.count_tickets(), *b.count_tickets());
  for (const Ticket& t : *list) EXPECT_EQ(*a.canonical_dump(t.id), *b.canonical_dump(t.id)) << t.id;
}

TEST(Session, LoginAnswerParsesAndIsKeptInTheStore) {
  auto s = app::parse_login_answer(
      R"({"token":"tok","expires_at":1796565000000,"user":{"name":"hebin.li","display_name":"李主任（河滨花园居委）","role":"committee","scope":"河滨花园"}})");
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s->user, "hebin.li");
  EXPECT_EQ(s->role, Role::Committee);
  EXPECT_EQ(s->scope, "河滨花园");
  EXPECT_EQ(s->expires_at_ms, 1796565000000);
  EXPECT_FALSE(app::parse_login_answer(R"({"token":"t","user":{"name":"x","role":"mayor","display_name":"","scope":""}})"));
  EXPECT_FALSE(app::parse_login_answer("not json"));
  EXPECT_FALSE(app::parse_login_answer(R"({"user":{"name":"x","role":"centre","display_name":"","scope":""}})"));

  TempDir dir;
  {
    auto store = Store::open(dir.file("device.db"));
    ASSERT_TRUE(store);
    EXPECT_FALSE(*app::load_session(*store));
    ASSERT_TRUE(app::save_session(*store, *s));
    uint8_t r1[16] = {1, 2, 3};
    uint8_t r2[16] = {9, 9, 9};
    const ReplicaId first = *app::device_replica(*store, r1);
    EXPECT_EQ(*app::device_replica(*store, r2), first) << "the device keeps its replica id";
    ASSERT_TRUE(app::set_data_owner(*store, "hebin.li"));
    EXPECT_FALSE(store->write_value("sync.cursor", "7")) << "the app cannot touch the sync bookkeeping";
  }
  // Closed and opened again, as a browser restarted with no network: still signed in.
  auto store = Store::open(dir.file("device.db"));
  ASSERT_TRUE(store);
  auto kept = app::load_session(*store);
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ(**kept, *s);
  EXPECT_EQ(*app::data_owner(*store), "hebin.li");
}

TEST_F(SyncLoopTest, FirstSyncBringsTheScopeAndAnEditReachesTheCentreWithItsOfficialNumber) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  const app::Session zhang = sign_in(server->port(), "zhang.bin");
  Device committee(dir, "committee", server->port(), li);
  Device centre(dir, "centre", server->port(), zhang);

  ASSERT_TRUE(committee.run_until([&] { return committee.settled(); }));
  ASSERT_TRUE(centre.run_until([&] { return centre.settled(); }));
  EXPECT_EQ(*committee.store.count_tickets(), demo_in("河滨花园")) << "河滨花园's demo tickets";
  EXPECT_EQ(*centre.store.count_tickets(), demo_total());
  EXPECT_EQ(committee.loop->status().link, app::Link::Online);
  EXPECT_GT(committee.loop->status().pulled_this_session, 0);
  EXPECT_TRUE(committee.loop->take_changed());

  const std::string id = "7a1c0000000000000000000000000001";
  committee.create(id, "河滨花园");
  EXPECT_EQ(committee.loop->status().unsent, 1);
  // The push waits for the edit's short delay, then goes.
  committee.loop->tick();
  committee.transport.deliver();
  EXPECT_EQ(committee.loop->status().unsent, 1) << "the push waits push_delay_ms for more edits";
  ASSERT_TRUE(committee.run_until([&] { return committee.settled(); }));
  EXPECT_EQ(committee.loop->status().pushed_this_session, 1);

  centre.loop->retry_now();
  ASSERT_TRUE(centre.run_until([&] { return centre.store.get_ticket(id)->has_value(); }));
  const Ticket at_centre = **centre.store.get_ticket(id);
  EXPECT_FALSE(at_centre.official_number.empty()) << "the server numbered it";
  // The committee's own copy gives way to the official number too.
  ASSERT_TRUE(committee.run_until([&] { return !(*committee.store.get_ticket(id))->official_number.empty(); }));
  EXPECT_EQ((*committee.store.get_ticket(id))->official_number, at_centre.official_number);
  EXPECT_EQ((*committee.store.get_ticket(id))->provisional_number, "临-20261129-0001");
  EXPECT_EQ(*committee.store.canonical_dump(id), *centre.store.canonical_dump(id));
}

// A new replica's first sync as an image (docs/protocol.md, "Image"): the server builds the store
// with the pulls the replica would make and sends it whole. The replica then holds what pulling
// would have given it, ticket for ticket, and goes on by pulls and pushes from there, both ways.
TEST_F(SyncLoopTest, ANewReplicaStartsFromTheServersImageAndGoesOnAsIfItHadPulled) {
  restart_making_images();
  const app::Session li = sign_in(server->port(), "hebin.li");
  const app::Session zhang = sign_in(server->port(), "zhang.bin");
  Device committee(dir, "committee", server->port(), li);
  Device centre(dir, "centre", server->port(), zhang);
  app::SyncOptions pulls = Device::quick();
  pulls.ask_image = false;
  Device pulled(dir, "pulled", server->port(), li, pulls);

  ASSERT_TRUE(committee.run_until([&] { return committee.settled(); })) << committee.loop->status().problem << " " << committee.loop->status().unsent << " " << committee.loop->status().caught_up << " " << committee.loop->busy();
  ASSERT_TRUE(centre.run_until([&] { return centre.settled(); }));
  ASSERT_TRUE(pulled.run_until([&] { return pulled.settled(); }));
  EXPECT_TRUE(committee.loop->status().image_taken) << committee.loop->status().problem;
  EXPECT_TRUE(centre.loop->status().image_taken) << centre.loop->status().problem;
  EXPECT_FALSE(pulled.loop->status().image_taken);
  EXPECT_EQ(*committee.store.count_tickets(), demo_in("河滨花园"));
  EXPECT_EQ(*centre.store.count_tickets(), demo_total());
  expect_same_tickets(committee.store, pulled.store);
  EXPECT_EQ(committee.store.pull_cursor(), pulled.store.pull_cursor());
  // The device's own values stayed: its replica id is the one the image was built for.
  uint8_t unused[16] = {};
  EXPECT_EQ(*app::device_replica(committee.store, unused), committee.replica);

  // It goes on: its edit reaches the centre, the centre's reaches it.
  const std::string id = series_id(90, 1);
  const Change made = committee.create(id, "河滨花园");
  EXPECT_EQ(made.id.counter, 1u);
  ASSERT_TRUE(committee.run_until([&] { return committee.settled(); }));
  centre.loop->retry_now();
  ASSERT_TRUE(centre.run_until([&] { return centre.store.get_ticket(id)->has_value(); }));
  Change edit;
  edit.ticket_id = id;
  edit.kind = ChangeKind::SetField;
  edit.field = EditableField::Address;
  edit.value = "河滨花园5号楼";
  ASSERT_TRUE(centre.client->record({edit}, centre.transport.now_ms()));
  centre.loop->edited();
  ASSERT_TRUE(centre.run_until([&] { return centre.settled(); }));
  for (Device* d : {&committee, &pulled}) {
    d->loop->retry_now();
    ASSERT_TRUE(d->run_until([&] {
      auto t = d->store.get_ticket(id);
      return t && *t && (*t)->address == "河滨花园5号楼" && !(*t)->official_number.empty();
    }));
  }
  expect_same_tickets(committee.store, pulled.store);
}

// While the image comes, the status has its bytes so far and its length (the download's bar);
// once it has come, it waits for the screen to say so (a large one holds the page for seconds
// while it is taken), and is taken a second after it came whatever the screen.
TEST_F(SyncLoopTest, AnImageOnItsWayShowsItsBytesAndIsTakenOnceTheScreenHasSaidSo) {
  restart_making_images();
  const app::Session zhang = sign_in(server->port(), "zhang.bin");
  Device centre(dir, "centre", server->port(), zhang);
  const std::string path = "api/v1/sync/image?replica=" + to_hex(centre.replica) +
                           "&schema=" + std::to_string(Store::schema_version()) +
                           "&max_bytes=" + std::to_string(app::SyncOptions{}.image_max_bytes);
  centre.loop->tick(false);
  ASSERT_TRUE(centre.loop->status().image_in_flight);
  EXPECT_EQ(centre.transport.requests().back(), "GET api/v1/sync/image");
  centre.transport.set_received_bytes(path, 4096, 65536);
  centre.loop->tick(false);
  EXPECT_EQ(centre.loop->status().image_got, 4096);
  EXPECT_EQ(centre.loop->status().image_total, 65536);

  centre.transport.deliver();
  const app::SyncStatus& s = centre.loop->status();
  EXPECT_FALSE(s.image_in_flight);
  ASSERT_TRUE(s.image_arrived);
  EXPECT_GT(s.image_total, 4096) << "the file's own size once it has come";
  EXPECT_EQ(s.image_got, s.image_total);
  centre.transport.advance(500);
  centre.loop->tick(false);
  EXPECT_TRUE(s.image_arrived);
  EXPECT_FALSE(s.image_taken);
  EXPECT_EQ(*centre.store.count_tickets(), 0);
  EXPECT_FALSE(centre.loop->busy()) << "no pull while it waits";
  centre.transport.advance(500);
  centre.loop->tick(false);
  EXPECT_FALSE(s.image_arrived);
  EXPECT_TRUE(s.image_taken) << s.problem;
  EXPECT_EQ(*centre.store.count_tickets(), demo_total());
  ASSERT_TRUE(centre.run_until([&] { return centre.settled(); }));
}

// A server below its image threshold (or one without images) answers no image: the replica pulls.
TEST_F(SyncLoopTest, WithoutAnImageTheFirstSyncPulls) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  Device committee(dir, "committee", server->port(), li);
  ASSERT_TRUE(committee.run_until([&] { return committee.settled(); }));
  EXPECT_FALSE(committee.loop->status().image_taken);
  EXPECT_EQ(committee.loop->status().problem, "");
  EXPECT_EQ(*committee.store.count_tickets(), demo_in("河滨花园"));
}

TEST_F(SyncLoopTest, OfflineBacksOffWithJitterAndResumesByItself) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  Device d(dir, "committee", server->port(), li);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));

  d.transport.point_at(0);  // The basement: no signal.
  d.create("7a1c0000000000000000000000000002", "河滨花园");
  d.loop->retry_now();
  ASSERT_TRUE(d.run_until([&] { return d.loop->status().link == app::Link::Offline; }));
  EXPECT_EQ(d.loop->status().unsent, 1) << "nothing is lost";
  // The waits grow (1 s, 2 s, 4 s, ... up to a minute), each between half and all of its step.
  std::vector<int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    const int64_t due = d.loop->status().next_try_ms;
    waits.push_back(due - d.transport.now_ms());
    d.transport.advance(due - d.transport.now_ms());
    d.loop->tick();
    d.transport.deliver();
  }
  for (size_t i = 1; i < waits.size(); ++i) EXPECT_GE(waits[i], waits[i - 1]) << i;
  EXPECT_LE(waits.back(), 60000);
  EXPECT_GE(waits.back(), 30000);
  // Different jitter, different waits: devices that lost the server together come back apart.
  d.transport.m_random = 0.0;
  d.transport.advance(d.loop->status().next_try_ms - d.transport.now_ms());
  d.loop->tick();
  d.transport.deliver();
  EXPECT_EQ(d.loop->status().next_try_ms - d.transport.now_ms(), 30000);

  // The signal comes back: the next try (or the browser's 'online' event) sends the edit.
  d.transport.point_at(server->port());
  d.loop->retry_now();
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  EXPECT_EQ(d.loop->status().link, app::Link::Online);
  EXPECT_EQ(d.loop->status().failures, 0);
  EXPECT_EQ(*d.store.count_tickets(), demo_in("河滨花园") + 1);
}

TEST_F(SyncLoopTest, ARevokedTokenAsksForThePasswordAndLosesNothing) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  Device d(dir, "committee", server->port(), li);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  httplib::Client c("127.0.0.1", server->port());
  ASSERT_EQ(c.Post("/api/v1/logout", {{"Authorization", "Bearer " + li.token}}, "", "application/json")->status, 200);

  d.create("7a1c0000000000000000000000000003", "河滨花园");
  ASSERT_TRUE(d.run_until([&] { return d.loop->status().halt == app::Halt::SignInAgain; }));
  EXPECT_EQ(d.loop->status().unsent, 1);
  const int sent = d.transport.sent();
  d.run_until([] { return false; }, 20);
  EXPECT_EQ(d.transport.sent(), sent) << "halted: no request goes with a dead token";

  d.loop->set_token(sign_in(server->port(), "hebin.li").token);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  EXPECT_EQ(d.loop->status().halt, app::Halt::None);
  EXPECT_EQ(d.loop->status().pushed_this_session, 1);
}

TEST_F(SyncLoopTest, ARefusedChangeLeavesTheOutboxAndIsKeptForTheUser) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  Device d(dir, "committee", server->port(), li);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  d.create("7a1c0000000000000000000000000004", "锦绣花园");  // Another committee's community.
  d.create("7a1c0000000000000000000000000005", "河滨花园");
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  EXPECT_EQ(d.loop->status().refused, 1);
  EXPECT_EQ(d.loop->status().pushed_this_session, 1) << "the good change of the same push went through";
  auto refused = d.store.refused_changes();
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ(refused->front().code, "out_of_scope");
  ASSERT_TRUE(d.store.discard_refused(refused->front().change.id));
  EXPECT_EQ(*d.store.count_refused(), 0);
}

TEST_F(SyncLoopTest, LostAndRepeatedAnswersChangeNothingAndTheLoopConverges) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  const app::Session zhang = sign_in(server->port(), "zhang.bin");
  Device committee(dir, "committee", server->port(), li);
  Device centre(dir, "centre", server->port(), zhang);
  committee.transport.m_lose_every = 3;  // A third of the committee's answers never arrive...
  committee.transport.m_repeat = 2;      // ... and the others arrive twice.
  centre.transport.m_repeat = 3;
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    const std::string id = series_id(1, i);
    ids.push_back(id);
    committee.create(id, "河滨花园");
    committee.run_until([] { return false; }, 3);
  }
  // Settled, and the official numbers the server gave have come back to the committee too.
  auto both_settled = [&] {
    if (!committee.settled() || !centre.settled() || *centre.store.count_tickets() != demo_total() + 12) return false;
    for (const auto& id : ids)
      if (*committee.store.canonical_dump(id) != *centre.store.canonical_dump(id)) return false;
    return true;
  };
  for (int round = 0; round < 3000 && !both_settled(); ++round) {
    committee.run_until([] { return false; }, 1);
    centre.run_until([] { return false; }, 1);
    if (committee.loop->status().link == app::Link::Offline) committee.loop->retry_now();
  }
  ASSERT_TRUE(both_settled()) << "committee unsent " << committee.loop->status().unsent;
  EXPECT_EQ(*committee.store.count_tickets(), demo_in("河滨花园") + 12);
  for (const auto& id : ids) EXPECT_EQ(*committee.store.canonical_dump(id), *centre.store.canonical_dump(id)) << id;
  // Each create was taken once: the server's log holds twelve of this replica, no more.
  httplib::Client c("127.0.0.1", server->port());
  auto res = c.Get("/api/v1/sync/pull?replica=" + to_hex(centre.replica) + "&cursor=0&limit=10000",
                   httplib::Headers{{"Authorization", "Bearer " + zhang.token}});
  ASSERT_TRUE(res && res->status == 200);
  size_t mine = 0;
  for (size_t at = 0; (at = res->body.find(to_hex(committee.replica), at)) != std::string::npos; ++at) ++mine;
  EXPECT_EQ(mine, 12u) << "each change of the committee's device is in the log once";
}

TEST_F(SyncLoopTest, EveryAnswerSaysTheServersTime) {
  const app::Session li = sign_in(server->port(), "hebin.li");
  Device d(dir, "committee", server->port(), li);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  const std::string date = d.transport.last_date();
  // "Sun, 29 Nov 2026 23:59:46 GMT"
  ASSERT_EQ(date.size(), 29u) << date;
  EXPECT_EQ(date.substr(25), " GMT");
  EXPECT_TRUE(d.loop->status().clock_known);
}

// A first sync says how far it has come against the server's log (the pull answer's `head`):
// the cursor rises to the head, never past it, and is there when the sync is caught up.
TEST_F(SyncLoopTest, AFirstSyncCountsItsWayToTheServersHead) {
  const auto log = server_log();
  ASSERT_GT(log.size(), 100u) << "the demo street's changes";
  const int64_t last = log.back().seq;
  for (const char* user : {"zhang.bin", "hebin.li"}) {
    app::SyncOptions o = Device::quick();
    o.pull_limit = 40;  // Many answers: a bar that moves.
    Device d(dir, user, server->port(), sign_in(server->port(), user), o);
    std::vector<std::pair<int64_t, int64_t>> seen;  // (cursor, head) after each answer.
    for (int frame = 0; frame < 400 && !d.settled(); ++frame) {
      d.transport.advance(100);
      d.loop->tick();
      while (d.transport.deliver_one()) {
        const auto& s = d.loop->status();
        if (s.head > 0 && (seen.empty() || seen.back().first != s.cursor)) seen.emplace_back(s.cursor, s.head);
      }
    }
    ASSERT_TRUE(d.settled()) << user;
    ASSERT_GE(seen.size(), 3u) << user << ": answers of a first sync";
    for (size_t i = 0; i < seen.size(); ++i) {
      EXPECT_LE(seen[i].first, seen[i].second) << user << " answer " << i;
      EXPECT_EQ(seen[i].second, last) << user << ": the head is the log's last seq";
      if (i > 0) {
        EXPECT_GT(seen[i].first, seen[i - 1].first) << user;
      }
    }
    EXPECT_LT(seen.front().first, seen.front().second) << user << ": a bar that starts below full";
    EXPECT_EQ(d.loop->status().cursor, d.loop->status().head) << user << ": caught up at the head";
  }
}

// The server is killed (SIGKILL) during a committee's first sync, after it made an answer and
// before the replica heard it, and started again on the same database and port: the loop goes
// offline, backs off and resumes by itself, and ends with what a replica syncing afresh holds.
TEST_F(SyncLoopTest, AServerKilledDuringAFirstSyncAndRestartedIsResumedByTheLoopAlone) {
  const int port = server->port();
  app::SyncOptions o = Device::quick();
  o.pull_limit = 5;
  Device d(dir, "committee", port, sign_in(port, "hebin.li"), o);
  int pulls = 0;
  bool killed = false;
  d.transport.m_after_answer = [&](const HttpRequest& req, const HttpResponse&) {
    if (req.path.rfind("api/v1/sync/pull", 0) != 0 || ++pulls != 3) return false;
    server->crash();  // It made this answer (and recorded it pending); the replica never hears it.
    killed = true;
    return true;
  };
  ASSERT_TRUE(d.run_until([&] { return d.loop->status().link == app::Link::Offline; }));
  ASSERT_TRUE(killed);
  EXPECT_FALSE(d.loop->status().caught_up);
  const int64_t cursor = d.loop->status().cursor;
  EXPECT_GT(cursor, 0) << "two answers were taken before the kill";
  d.run_until([] { return false; }, 30);  // Down for three seconds: tries fail, waits grow.
  EXPECT_GE(d.loop->status().failures, 2);
  restart(port);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }, 600)) << "the loop resumed by itself";
  EXPECT_EQ(d.loop->status().link, app::Link::Online);
  EXPECT_EQ(*d.store.count_tickets(), demo_in("河滨花园"));

  Device fresh(dir, "fresh", port, sign_in(port, "hebin.li"));
  ASSERT_TRUE(fresh.run_until([&] { return fresh.settled(); }));
  expect_same_tickets(d.store, fresh.store);
  count_once(server_log(), d.replica);
}

// The server is killed while it answers a push (the changes are committed, the answer lost) and
// started again on the same port: the loop sends the same changes again, each is in the server's
// log once, and the replica's tickets are the server's.
TEST_F(SyncLoopTest, AServerKilledAfterTakingAPushAndRestartedHoldsEachChangeOnce) {
  const int port = server->port();
  app::SyncOptions o = Device::quick();
  o.push_batch = 4;
  Device d(dir, "centre", port, sign_in(port, "zhang.bin"), o);
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  int pushes = 0;
  d.transport.m_after_answer = [&](const HttpRequest& req, const HttpResponse& r) {
    if (req.path != "api/v1/sync/push" || ++pushes != 2) return false;
    EXPECT_EQ(r.status, 200) << "the server took the push before it died";
    server->crash();
    return true;
  };
  for (int i = 0; i < 10; ++i) d.create(series_id(2, i), i % 2 ? "河滨花园" : "锦绣花园");
  ASSERT_TRUE(d.run_until([&] { return d.loop->status().link == app::Link::Offline; }));
  EXPECT_EQ(pushes, 2);
  EXPECT_EQ(d.loop->status().unsent, 6) << "the first push acknowledged, the second's answer lost";
  d.run_until([] { return false; }, 20);
  restart(port);
  auto numbered = [&] {
    for (int i = 0; i < 10; ++i)
      if ((*d.store.get_ticket(series_id(2, i)))->official_number.empty()) return false;
    return true;
  };
  // Resumed by itself: every change sent, and every ticket back with its official number.
  ASSERT_TRUE(d.run_until([&] { return d.settled() && numbered(); }, 600)) << "unsent " << d.loop->status().unsent;
  EXPECT_EQ(d.loop->status().refused, 0);
  EXPECT_EQ(*d.store.count_tickets(), demo_total() + 10);

  const auto log = server_log();
  EXPECT_EQ(count_once(log, d.replica), 10u) << "each of the device's ten changes in the log once";
  Device fresh(dir, "fresh", port, sign_in(port, "zhang.bin"));
  ASSERT_TRUE(fresh.run_until([&] { return fresh.settled(); }));
  expect_same_tickets(d.store, fresh.store);
  size_t numbers = 0;
  for (const SequencedChange& sc : log)
    numbers += sc.change.kind == ChangeKind::SetField && sc.change.field == EditableField::OfficialNumber &&
               sc.change.ticket_id.rfind("7a1c00000000000000000000000002", 0) == 0;
  EXPECT_EQ(numbers, 10u) << "one official number a ticket, though four creates were pushed twice";
}

// The server's database put back from a copy `backup` made before the device's last tickets
// (deploy.md, 5), and the server started again on the same port: the device, which pulled past the
// copy, is told to start over, learns from the push after it that the server lacks its changes, and
// sends them again by itself. Every ticket is back on the server, numbered, and a new device holds
// the same tickets as the one that made them.
TEST_F(SyncLoopTest, AServerPutBackFromACopyGetsTheDevicesLostChangesBackByItself) {
  const int port = server->port();
  Device d(dir, "centre", port, sign_in(port, "zhang.bin"));
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  const std::string db = dir.file("server.db");
  auto [copied, out] = ServerProcess::run({"backup", "--to", dir.file("copy.db"), "--db", db});
  ASSERT_EQ(copied, 0) << out;
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    const std::string id = series_id(3, i);
    ids.push_back(id);
    d.create(id, "河滨花园");
  }
  auto numbered = [&] {
    for (const auto& id : ids)
      if ((*d.store.get_ticket(id))->official_number.empty()) return false;
    return true;
  };
  ASSERT_TRUE(d.run_until([&] { return d.settled() && numbered(); }));
  // One change among them the server refuses (only the server numbers tickets): kept for the user,
  // out of the log, and sent again with the others all the same.
  Change forbidden;
  forbidden.ticket_id = ids[1];
  forbidden.kind = ChangeKind::SetField;
  forbidden.field = EditableField::OfficialNumber;
  forbidden.value = "2026-11-0999";
  ASSERT_TRUE(d.client->record({forbidden}, d.transport.now_ms()));
  d.loop->edited();
  d.create(series_id(3, 4), "河滨花园");
  ids.push_back(series_id(3, 4));
  ASSERT_TRUE(d.run_until([&] { return d.settled() && numbered(); }));
  EXPECT_EQ(d.loop->status().refused, 1);
  const int64_t pushed = d.loop->status().pushed_this_session;

  server->stop();
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db + suffix);
    std::filesystem::remove(ServerState::held_path(db) + suffix);
  }
  std::filesystem::rename(dir.file("copy.db"), db);
  restart(port);
  ASSERT_TRUE(d.run_until([&] {
    return d.settled() && !d.client->resending() && d.loop->status().pushed_this_session >= pushed + 5;
  }, 600)) << d.loop->status().problem;
  EXPECT_EQ(d.loop->status().refused, 1) << "refused again, kept once";
  const auto log = server_log();
  EXPECT_EQ(count_once(log, d.replica), 5u) << "the five creates, sent again, each in the log once";
  Device fresh(dir, "fresh", port, sign_in(port, "zhang.bin"));
  ASSERT_TRUE(fresh.run_until([&] { return fresh.settled(); }));
  for (const auto& id : ids) EXPECT_FALSE((*fresh.store.get_ticket(id))->official_number.empty()) << id;
  ASSERT_TRUE(d.run_until([&] { return d.settled(); }));
  expect_same_tickets(d.store, fresh.store);
}

TEST(Records, ANewTicketTakesTheDaysNextProvisionalNumberAndIsAChange) {
  TempDir dir;
  auto store = Store::open(dir.file("device.db"));
  ASSERT_TRUE(store);
  const ReplicaId self{0x1234, 0x5678};
  ClientSync client(*store, self, Author{"hebin.li", Role::Committee});
  const int64_t now = 1'795'960'000'000;  // 2026-11-29 in Shanghai.
  auto make = [&](const std::string& id) {
    Ticket t;
    t.id = id;
    t.source = Source::Phone;
    t.received_at_ms = t.created_at_ms = t.updated_at_ms = now;
    t.citizen_name = "王女士";
    t.citizen_phone = "13917261234";
    t.community = "河滨花园";
    t.address = "河滨花园3号楼";
    t.title = "楼道堆物";
    return t;
  };
  auto first = app::record_new_ticket(*store, client, make("7a1c0000000000000000000000000011"), now);
  auto second = app::record_new_ticket(*store, client, make("7a1c0000000000000000000000000012"), now);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->ticket.provisional_number, "临-1129-AAA-001");  // The device 0x1234…: AAA.
  EXPECT_EQ(second->ticket.provisional_number, "临-1129-AAA-002");
  EXPECT_EQ(second->id.counter, 2u);
  EXPECT_EQ(*store->count_unsent(self), 2);
  // An invalid ticket records nothing and gives its number back with the rolled-back transaction.
  Ticket bad = make("7a1c0000000000000000000000000013");
  bad.address.clear();
  EXPECT_FALSE(app::record_new_ticket(*store, client, bad, now));
  EXPECT_EQ(*store->count_unsent(self), 2);
  EXPECT_EQ(*store->next_provisional_sequence(20261129), 3);
}

TEST(Records, TicketsOfAnEarlierBuildBecomeChangesOfThisReplicaWithNothingLost) {
  TempDir dir;
  auto store = Store::open(dir.file("device.db"));
  ASSERT_TRUE(store);
  // What an earlier build left: plain rows, no change names them.
  Ticket a;
  a.id = "01d00000000000000000000000000001";
  a.provisional_number = "临-20261120-0001";
  a.source = Source::Hotline;
  a.received_at_ms = a.created_at_ms = a.updated_at_ms = 1'795'100'000'000;
  a.citizen_name = "陈先生";
  a.citizen_phone = "13800000000";
  a.community = "河滨花园";
  a.address = "河滨花园大门";
  a.category = Category::LivingServices;
  a.urgency = Urgency::Urgent;
  a.title = "小区大门不代收快递";
  a.description = "居民不便。";
  Ticket b = a;
  b.id = "01d00000000000000000000000000002";
  b.provisional_number = "临-20261120-0002";
  b.status = TicketStatus::InProgress;
  ASSERT_TRUE(store->create_tickets({a, b}));
  ASSERT_EQ(store->tickets_outside_log()->size(), 2u);

  const ReplicaId self{0xabc, 0xdef};
  ClientSync client(*store, self, Author{"hebin.li", Role::Committee});
  auto adopted = app::adopt_tickets_outside_log(*store, client, 1'795'960'000'000);
  ASSERT_TRUE(adopted) << adopted.error().detail;
  EXPECT_EQ(*adopted, 2);
  EXPECT_TRUE(store->tickets_outside_log()->empty());
  EXPECT_EQ(*store->count_tickets(), 2);
  auto kept = *store->get_ticket(a.id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->title, a.title);
  EXPECT_EQ(kept->provisional_number, a.provisional_number);
  EXPECT_EQ(kept->urgency, Urgency::Urgent);
  auto outbox = *store->unsent_changes(self, 10);
  ASSERT_EQ(outbox.size(), 3u) << "two creates and the note of where b stood";
  EXPECT_EQ(outbox[0].kind, ChangeKind::CreateTicket);
  EXPECT_EQ(outbox[2].kind, ChangeKind::AddEntry);
  EXPECT_NE(outbox[2].entry.text.find("in_progress"), std::string::npos);
  // Adopting again finds nothing.
  EXPECT_EQ(*app::adopt_tickets_outside_log(*store, client, 1'795'960'000'000), 0);
}

}  // namespace
}  // namespace linli::test
