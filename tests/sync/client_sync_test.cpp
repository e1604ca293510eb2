// Client and server sync state over real stores: lost, repeated and stale messages do no harm.
#include "sync/client_sync.h"

#include <gtest/gtest.h>

#include "support/changes.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

constexpr int64_t kNow = 1'772'000'000'000;

struct World {
  test::TempDir dir;
  Store server_store = std::move(Store::open(dir.file("server.db")).value());
  Store a_store = std::move(Store::open(dir.file("a.db")).value());
  Store b_store = std::move(Store::open(dir.file("b.db")).value());
  ServerSync server{server_store};
  ClientSync a{a_store, test::replica(1), Author{"值班员甲", Role::Centre}};
  ClientSync b{b_store, test::replica(2), Author{"市容所", Role::Department}};
};

Change draft_create(const std::string& ticket) {
  Change c;
  c.kind = ChangeKind::CreateTicket;
  c.ticket_id = ticket;
  c.ticket = test::new_ticket(ticket);
  return c;
}

Change draft_note(const std::string& ticket, const std::string& text) {
  Change c;
  c.kind = ChangeKind::AddEntry;
  c.ticket_id = ticket;
  c.entry.kind = EntryKind::HandlingNote;
  c.entry.text = text;
  return c;
}

void sync_once(ClientSync& client, ServerSync& server) {
  auto push = client.build_push();
  ASSERT_TRUE(push);
  auto res = server.take_push(*push, kNow);
  ASSERT_TRUE(res) << res.error().detail;
  ASSERT_TRUE(client.take_push_response(*res));
  auto pull = server.take_pull(client.build_pull());
  ASSERT_TRUE(pull);
  ASSERT_TRUE(client.take_pull_response(*pull, kNow));
}

TEST(ClientSync, RecordGivesGapFreeIdsAndKeepsChangesUnsentUntilAcknowledged) {
  World w;
  const std::string t = test::ticket_id(1);
  auto recorded = w.a.record({draft_create(t), draft_note(t, "已到现场")}, kNow);
  ASSERT_TRUE(recorded) << recorded.error().detail;
  EXPECT_EQ((*recorded)[0].id.counter, 1u);
  EXPECT_EQ((*recorded)[1].id.counter, 2u);
  EXPECT_EQ(w.a.build_push()->changes.size(), 2u);
  sync_once(w.a, w.server);
  EXPECT_TRUE(w.a.build_push()->changes.empty());
}

TEST(ClientSync, ALostPushResponseIsMadeGoodByTheNextPull) {
  World w;
  const std::string t = test::ticket_id(1);
  ASSERT_TRUE(w.a.record({draft_create(t)}, kNow));
  auto push = w.a.build_push();
  ASSERT_TRUE(w.server.take_push(*push, kNow));  // The response is lost on the way back.
  auto again = w.server.take_push(*w.a.build_push(), kNow);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->results[0].status, ApplyStatus::Duplicate);
  ASSERT_TRUE(w.a.take_push_response(*again));
  EXPECT_EQ(w.a.build_push()->changes.size(), 1u);  // Still unsent: no number yet.
  auto pull = w.server.take_pull(w.a.build_pull());
  ASSERT_TRUE(w.a.take_pull_response(*pull, kNow));
  EXPECT_TRUE(w.a.build_push()->changes.empty());
  EXPECT_EQ(*w.a_store.canonical_dump(), *w.server_store.canonical_dump());
}

TEST(ClientSync, APullThatWouldLeaveAHoleIsIgnoredAndARepeatedOneIsHarmless) {
  World w;
  const std::string t = test::ticket_id(1);
  ASSERT_TRUE(w.a.record({draft_create(t)}, kNow));
  sync_once(w.a, w.server);
  ASSERT_TRUE(w.a.record({draft_note(t, "一"), draft_note(t, "二")}, kNow));
  sync_once(w.a, w.server);
  auto late = w.server.take_pull(PullRequest{test::replica(2), 2, 10});  // Starts past B's cursor 0.
  ASSERT_TRUE(late);
  EXPECT_FALSE(*w.b.take_pull_response(*late, kNow));
  auto full = w.server.take_pull(w.b.build_pull());
  EXPECT_TRUE(*w.b.take_pull_response(*full, kNow));
  EXPECT_TRUE(*w.b.take_pull_response(*full, kNow));  // Delivered twice.
  EXPECT_EQ(*w.b_store.canonical_dump(), *w.server_store.canonical_dump());
}

TEST(ClientSync, APullThatSkippedChangesMovesTheCursorPastThem) {
  World w;
  PullResponse skipped;
  skipped.from = 0;
  skipped.next = 500;  // The server looked at 1..500 and none was for this caller.
  auto taken = w.a.take_pull_response(skipped, kNow);
  ASSERT_TRUE(taken) << taken.error().detail;
  EXPECT_TRUE(*taken);
  EXPECT_EQ(w.a.build_pull().cursor, 500);
  PullResponse older;
  older.next = 100;
  ASSERT_TRUE(w.a.take_pull_response(older, kNow));
  EXPECT_EQ(w.a.build_pull().cursor, 500);  // Never back.
}

TEST(ClientSync, ThePullIsPagedWithMore) {
  World w;
  const std::string t = test::ticket_id(1);
  std::vector<Change> drafts = {draft_create(t)};
  for (int i = 0; i < 9; ++i) drafts.push_back(draft_note(t, std::to_string(i)));
  ASSERT_TRUE(w.a.record(drafts, kNow));
  sync_once(w.a, w.server);
  int pulls = 0;
  for (bool more = true; more; ++pulls) {
    auto p = w.server.take_pull(w.b.build_pull(4));
    ASSERT_TRUE(p);
    more = p->more;
    ASSERT_TRUE(w.b.take_pull_response(*p, kNow));
  }
  EXPECT_EQ(pulls, 3);
  EXPECT_EQ(*w.b_store.canonical_dump(), *w.server_store.canonical_dump());
}

TEST(ClientSync, AServerRefusesChangesPushedInAnotherReplicasName) {
  World w;
  ASSERT_TRUE(w.a.record({draft_create(test::ticket_id(1))}, kNow));
  auto push = w.a.build_push();
  push->replica = test::replica(2);
  auto r = w.server.take_push(*push, kNow);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("is not the pusher's"), std::string::npos);
}

TEST(ClientSync, RecordRefusesAnInvalidDraftAndAppliesNothing) {
  World w;
  Change bad = draft_create(test::ticket_id(1));
  bad.ticket.title.clear();
  auto r = w.a.record({bad}, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(w.a_store.applied_counter(test::replica(1)), 0u);
}

}  // namespace
}  // namespace linli
