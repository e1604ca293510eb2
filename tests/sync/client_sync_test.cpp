// Client and server sync state over real stores: lost, repeated and stale messages do no harm;
// a scoped client forgets dropped tickets and keeps the changes the server refused.
#include "sync/client_sync.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "store/backup.h"
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
  ASSERT_TRUE(client.take_push_response(*res, kNow));
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
  ASSERT_TRUE(w.a.take_push_response(*again, kNow));
  EXPECT_EQ(w.a.build_push()->changes.size(), 1u);  // Still unsent: no number yet.
  auto pull = w.server.take_pull(w.a.build_pull());
  ASSERT_TRUE(w.a.take_pull_response(*pull, kNow));
  EXPECT_TRUE(w.a.build_push()->changes.empty());
  EXPECT_EQ(*w.a_store.canonical_dump(), *w.server_store.canonical_dump());
}

TEST(ClientSync, APullNotStartingAtTheCursorIsIgnoredWhetherItLeavesAHoleOrRepeatsAnOldOne) {
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
  EXPECT_FALSE(*w.b.take_pull_response(*full, kNow));  // Delivered twice: from an older cursor now.
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

// A ticket A made, synced to the server and to B.
std::string share_new_ticket(World& w) {
  const std::string t = test::ticket_id(1);
  EXPECT_TRUE(w.a.record({draft_create(t)}, kNow));
  sync_once(w.a, w.server);
  sync_once(w.b, w.server);
  return t;
}

// What a scoped server would answer: `dropped` tickets, or a ticket's whole history as it comes
// into the scope, from the client's cursor.
PullResponse scoped_answer(ClientSync& client, std::vector<std::string> dropped,
                           std::vector<SequencedChange> history = {}) {
  PullResponse p;
  p.from = client.build_pull().cursor;
  p.took = client.build_pull().took;
  p.next = history.empty() ? p.from : history.back().seq;
  p.changes = std::move(history);
  p.dropped = std::move(dropped);
  return p;
}

std::vector<SequencedChange> history_of(Store& server, const std::string& ticket) {
  auto h = server.changes_of_ticket(ticket, INT64_MAX);
  EXPECT_TRUE(h);
  return *h;
}

TEST(ClientSync, ARefusedChangeLeavesTheOutboxIsKeptForTheUserAndTheNextChangeFollowsItsNumber) {
  World w;
  const std::string t = test::ticket_id(1);
  ASSERT_TRUE(w.a.record({draft_create(t)}, kNow));
  sync_once(w.a, w.server);
  auto note = w.a.record({draft_note(t, "居委会已上门")}, kNow);
  ASSERT_TRUE(note);
  PushResponse refused;
  refused.results.push_back(PushResult{(*note)[0].id, ApplyStatus::Invalid, 0, {}, 0,
                                       "ticket is outside hebin.li's scope", "out_of_scope"});
  ASSERT_TRUE(w.a.take_push_response(refused, kNow + 1));
  EXPECT_TRUE(w.a.build_push()->changes.empty());
  auto kept = w.a_store.refused_changes();
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].change.id, (*note)[0].id);
  EXPECT_EQ((*kept)[0].code, "out_of_scope");
  EXPECT_EQ((*kept)[0].detail, "ticket is outside hebin.li's scope");
  EXPECT_EQ((*kept)[0].refused_at_ms, kNow + 1);
  // The server consumed the number (as linli-server does): the next change follows without a gap.
  ASSERT_TRUE(w.server_store.skip_change((*note)[0].id));
  ASSERT_TRUE(w.a.record({draft_note(t, "已清理")}, kNow));
  sync_once(w.a, w.server);
  EXPECT_TRUE(w.a.build_push()->changes.empty());
  EXPECT_EQ(*w.a_store.canonical_dump(), *w.server_store.canonical_dump());
}

TEST(ClientSync, ADroppedTicketIsForgottenAndComesBackWholeWhenItReentersTheScope) {
  World w;
  const std::string t = test::ticket_id(1), other = test::ticket_id(2);
  ASSERT_TRUE(w.a.record({draft_create(t), draft_create(other), draft_note(t, "一")}, kNow));
  sync_once(w.a, w.server);
  sync_once(w.b, w.server);
  ASSERT_TRUE(*w.b.take_pull_response(scoped_answer(w.b, {t}), kNow));
  EXPECT_FALSE(w.b_store.get_ticket_state(t)->has_value());
  EXPECT_EQ(*w.b_store.canonical_dump(other), *w.server_store.canonical_dump(other));
  ASSERT_TRUE(w.a.record({draft_note(t, "二")}, kNow));  // While it is out of B's scope.
  sync_once(w.a, w.server);
  ASSERT_TRUE(*w.b.take_pull_response(scoped_answer(w.b, {}, history_of(w.server_store, t)), kNow));
  EXPECT_EQ(*w.b_store.canonical_dump(), *w.server_store.canonical_dump());
}

TEST(ClientSync, UnsentChangesToADroppedTicketArePushedAndItIsForgottenOnceTheyAreAnswered) {
  World w;
  const std::string t = share_new_ticket(w);
  auto note = w.b.record({draft_note(t, "科室已处理")}, kNow);
  ASSERT_TRUE(note);
  ASSERT_TRUE(*w.b.take_pull_response(scoped_answer(w.b, {t}), kNow));
  EXPECT_TRUE(w.b_store.get_ticket_state(t)->has_value());  // Kept: the note is not answered yet.
  EXPECT_EQ(w.b_store.leaving_tickets(), std::vector<std::string>{t});
  auto push = w.b.build_push();
  ASSERT_EQ(push->changes.size(), 1u);
  PushResponse refused;
  refused.results.push_back(PushResult{(*note)[0].id, ApplyStatus::Invalid, 0, {}, 0, "outside the scope", "out_of_scope"});
  ASSERT_TRUE(w.b.take_push_response(refused, kNow));
  EXPECT_FALSE(w.b_store.get_ticket_state(t)->has_value());
  EXPECT_TRUE(w.b_store.leaving_tickets().empty());
  EXPECT_EQ(w.b_store.refused_changes()->size(), 1u);
  EXPECT_EQ(*w.b_store.count_changes(), 0);
}

TEST(ClientSync, AnOldPullAnswerTakenAgainCannotForgetATicketThatCameBack) {
  World w;
  const std::string t = share_new_ticket(w);
  ASSERT_TRUE(w.a.record({draft_note(t, "又反弹了")}, kNow));
  sync_once(w.a, w.server);
  PullResponse gone = scoped_answer(w.b, {t});
  gone.next = gone.from + 1;  // The server looked at the change that moved it out.
  ASSERT_TRUE(*w.b.take_pull_response(gone, kNow));
  ASSERT_TRUE(*w.b.take_pull_response(scoped_answer(w.b, {}, history_of(w.server_store, t)), kNow));
  EXPECT_FALSE(*w.b.take_pull_response(gone, kNow));
  EXPECT_TRUE(w.b_store.get_ticket_state(t)->has_value());
  EXPECT_EQ(*w.b_store.canonical_dump(), *w.server_store.canonical_dump());
}

// A scoped answer's id is kept with the cursor it brought (in the same transaction), survives a
// restart of the client, and is named in the next pull; an answer without one leaves it.
TEST(ClientSync, TheIdOfTheAnswerTakenIsKeptWithTheCursorAndNamedInTheNextPull) {
  World w;
  const std::string t = share_new_ticket(w);
  EXPECT_EQ(w.b.build_pull().took, 0);
  PullResponse gone = scoped_answer(w.b, {t});
  gone.next = gone.from + 1;
  gone.answer = 41;
  ASSERT_TRUE(*w.b.take_pull_response(gone, kNow));
  EXPECT_EQ(w.b.build_pull().cursor, gone.next);
  EXPECT_EQ(w.b.build_pull().took, 41);
  PullResponse quiet = scoped_answer(w.b, {});
  quiet.next = quiet.from + 5;  // An empty long poll moved the cursor on: it recorded nothing.
  ASSERT_TRUE(*w.b.take_pull_response(quiet, kNow));
  EXPECT_EQ(w.b.build_pull().took, 41);
  auto reopened = Store::open(w.dir.file("b.db"));
  ASSERT_TRUE(reopened);
  ClientSync again{*reopened, test::replica(2), Author{"市容所", Role::Department}};
  EXPECT_EQ(again.build_pull().cursor, gone.next + 5);
  EXPECT_EQ(again.build_pull().took, 41);
}

// An answer computed for a request that named another answer (a late one from before a start
// over that happens to share the cursor) counts on a state this store is not in: ignored.
TEST(ClientSync, AnAnswerComputedForAnotherAnswerTakenIsIgnored) {
  World w;
  const std::string t = share_new_ticket(w);
  PullResponse other = scoped_answer(w.b, {t});
  other.took = 12;
  other.answer = 13;
  EXPECT_FALSE(*w.b.take_pull_response(other, kNow));
  EXPECT_TRUE(w.b_store.get_ticket_state(t)->has_value());
  EXPECT_EQ(w.b.build_pull().took, 0);
}

TEST(ClientSync, StartingOverSetsTheCursorBackToZeroAndKeepsEveryTicket) {
  World w;
  const std::string t = share_new_ticket(w);
  PullResponse named = scoped_answer(w.b, {});
  named.next = named.from + 3;
  named.answer = 7;
  ASSERT_TRUE(*w.b.take_pull_response(named, kNow));
  const std::string before = *w.b_store.canonical_dump();
  PullResponse over = scoped_answer(w.b, {});
  over.start_over = true;
  ASSERT_TRUE(*w.b.take_pull_response(over, kNow));
  EXPECT_EQ(w.b.build_pull().cursor, 0);
  EXPECT_EQ(w.b.build_pull().took, 0);
  EXPECT_EQ(*w.b_store.canonical_dump(), before);
  EXPECT_FALSE(*w.b.take_pull_response(over, kNow));  // Delivered again: from a cursor it has left.
  // The scan from 0 sends the ticket's changes again: duplicates, harmless.
  ASSERT_TRUE(*w.b.take_pull_response(scoped_answer(w.b, {}, history_of(w.server_store, t)), kNow));
  EXPECT_EQ(*w.b_store.canonical_dump(), *w.server_store.canonical_dump());
}

// A server put back from a copy (backup_database) lacks what it acknowledged after the copy. Its
// numbers go on far past the copy's last; the author's device, told 409 gap, sends its changes again
// from the counter asked for (acknowledged ones too), and every replica takes the new numbers: the
// author's acknowledgements and another replica's scan from 0 renumber what they held, and all
// three fold the same tickets.
TEST(ClientSync, AfterARestoreTheLostChangesGoAgainAndEveryReplicaTakesTheNewNumbers) {
  World w;
  const std::string t = test::ticket_id(1);
  ASSERT_TRUE(w.a.record({draft_create(t), draft_note(t, "已联系物业")}, kNow));
  sync_once(w.a, w.server);
  ASSERT_TRUE(backup_database(w.dir.file("server.db"), w.dir.file("copy.db")));
  ASSERT_TRUE(w.a.record({draft_note(t, "物业已清运一半"), draft_note(t, "下午继续")}, kNow));
  sync_once(w.a, w.server);
  sync_once(w.b, w.server);
  const int64_t old_seq = w.b_store.sequenced_change(ChangeId{test::replica(1), 4}).value()->seq;

  Store copy = std::move(Store::open(w.dir.file("copy.db")).value());
  auto gap = copy.skip_numbers_after_copy();
  ASSERT_TRUE(gap) << gap.error().detail;
  ASSERT_TRUE(gap->has_value());
  EXPECT_EQ((*gap)->after, 2);
  EXPECT_EQ((*gap)->until, 2 + Store::kMinSkip + 1);
  EXPECT_FALSE(*copy.skip_numbers_after_copy()) << "the mark is gone once the gap is noted";
  ServerSync restored{copy};

  ASSERT_TRUE(w.a.record({draft_note(t, "已清运完毕")}, kNow));
  auto lone = restored.take_push(*w.a.build_push(), kNow);
  ASSERT_TRUE(lone);
  ASSERT_EQ(lone->results.size(), 1u);
  EXPECT_EQ(lone->results[0].status, ApplyStatus::Gap);  // Over HTTP: 409 gap, expected_counter 3.
  ASSERT_TRUE(w.a.take_push_response(*lone, kNow));
  ASSERT_TRUE(w.a.resend_from(3));
  EXPECT_TRUE(w.a.resending());
  auto again = w.a.build_push();
  ASSERT_TRUE(again);
  ASSERT_EQ(again->changes.size(), 3u);  // 3 and 4 (acknowledged by the lost server) and 5.
  EXPECT_EQ(again->changes.front().id.counter, 3u);
  auto taken = restored.take_push(*again, kNow);
  ASSERT_TRUE(taken);
  for (const auto& r : taken->results) EXPECT_EQ(r.status, ApplyStatus::Applied);
  EXPECT_GE(taken->results[0].seq, (*gap)->until);
  ASSERT_TRUE(w.a.take_push_response(*taken, kNow));
  EXPECT_TRUE(w.a.build_push()->changes.empty());
  EXPECT_FALSE(w.a.resending());
  EXPECT_EQ(w.a_store.sequenced_change(ChangeId{test::replica(1), 4}).value()->seq, taken->results[1].seq);

  // B pulled past the copy from the old server: told to start over, it scans from 0 again.
  // The answer names the numbers skipped: what B holds of others numbered in them is gone from
  // the server, and is taken out until it comes back (here: sent again by A, numbered anew).
  PullResponse over;
  over.from = w.b.build_pull().cursor;
  over.next = over.from;
  over.start_over = true;
  over.skipped_after = (*gap)->after;
  over.skipped_until = (*gap)->until;
  ASSERT_TRUE(*w.b.take_pull_response(over, kNow));
  EXPECT_FALSE(w.b.resending()) << "nothing of its own to send again";
  EXPECT_FALSE(w.b_store.sequenced_change(ChangeId{test::replica(1), 4}).value()) << "taken out with the gap";
  EXPECT_TRUE(w.b_store.sequenced_change(ChangeId{test::replica(1), 2}).value()) << "before the gap: kept";
  for (int i = 0; i < 3; ++i) {
    auto pull = restored.take_pull(w.b.build_pull());
    ASSERT_TRUE(pull);
    ASSERT_TRUE(*w.b.take_pull_response(*pull, kNow));
  }
  EXPECT_NE(w.b_store.sequenced_change(ChangeId{test::replica(1), 4}).value()->seq, old_seq);
  EXPECT_EQ(w.b_store.sequenced_change(ChangeId{test::replica(1), 4}).value()->seq, taken->results[1].seq);
  auto a_pull = restored.take_pull(w.a.build_pull());
  ASSERT_TRUE(a_pull);
  ASSERT_TRUE(w.a.take_pull_response(*a_pull, kNow));
  EXPECT_EQ(*w.a_store.canonical_dump(), *copy.canonical_dump());
  EXPECT_EQ(*w.b_store.canonical_dump(), *copy.canonical_dump());
}

// After a start over, the first push sends the last acknowledged change again: a server that has
// it answers duplicate (nothing more is sent); one that lacks it says which counter it expects.
TEST(ClientSync, AStartOverSendsTheLastAcknowledgedChangeAgainOnce) {
  World w;
  const std::string t = test::ticket_id(1);
  ASSERT_TRUE(w.a.record({draft_create(t), draft_note(t, "已联系物业")}, kNow));
  sync_once(w.a, w.server);
  EXPECT_FALSE(w.a.resending());
  PullResponse over;
  over.from = w.a.build_pull().cursor;
  over.next = over.from;
  over.took = w.a.build_pull().took;
  over.start_over = true;
  ASSERT_TRUE(*w.a.take_pull_response(over, kNow));
  EXPECT_TRUE(w.a.resending());
  auto probe = w.a.build_push();
  ASSERT_TRUE(probe);
  ASSERT_EQ(probe->changes.size(), 1u);
  EXPECT_EQ(probe->changes[0].id.counter, 2u);
  auto answer = w.server.take_push(*probe, kNow);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->results[0].status, ApplyStatus::Duplicate);
  ASSERT_TRUE(w.a.take_push_response(*answer, kNow));
  EXPECT_TRUE(w.a.build_push()->changes.empty());
  EXPECT_FALSE(w.a.resending());
  EXPECT_FALSE(w.a.resend_from(9)) << "a change this store never had cannot go again";
}

}  // namespace
}  // namespace linli
