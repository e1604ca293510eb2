// Push and pull over HTTP against the real server: acknowledgements, duplicates, gaps, forged
// ids and authors, scopes on push and pull, official numbers, long polls.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <fstream>
#include <thread>

#include "core/change.h"
#include "store/server_state.h"
#include "store/store.h"
#include "support/sync_fixture.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/wire.h"

namespace linli {
namespace {

using nlohmann::json;
using test::Replica;
using test::ticket_id;
class SyncTest : public test::SyncFixture {
 protected:
  // Puts the database back from `copy` (made by the `backup` command) as deploy.md says: the server
  // stopped, its files aside, the copy in their place, the server started on it again.
  void put_back(const std::string& copy) {
    const std::string db = m_dir.file("linli.db");
    m_http.reset();
    ASSERT_EQ(m_server->stop(), 0);
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db + suffix);
      std::filesystem::remove(ServerState::held_path(db) + suffix);
    }
    std::filesystem::rename(copy, db);
    m_server = std::make_unique<test::ServerProcess>(
        std::vector<std::string>{"--db", db, "--web", m_dir.file("web"), seed_flag()});
    ASSERT_GT(m_server->port(), 0);
    m_http = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
  }
};

TEST_F(SyncTest, APushIsAcknowledgedWithSequenceNumbersAndAgainAsDuplicates) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  const std::vector<Change> batch = {centre.create(ticket_id(1), "河滨花园"), centre.note(ticket_id(1), "已联系市民")};
  auto r = push(centre, batch);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto results = decode_push_response(r->body);
  ASSERT_TRUE(results) << results.error().detail;
  ASSERT_EQ(results->results.size(), 2u);
  EXPECT_EQ(results->results[0].status, ApplyStatus::Applied);
  EXPECT_GT(results->results[1].seq, results->results[0].seq);
  auto again = push(centre, batch);
  auto dup = decode_push_response(again->body);
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->results[0].status, ApplyStatus::Duplicate);
  EXPECT_EQ(dup->results[1].status, ApplyStatus::Duplicate);
  // With the number and stamp first given: a client whose first answer was lost is acknowledged.
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(dup->results[i].seq, results->results[i].seq);
    EXPECT_EQ(dup->results[i].stamp, results->results[i].stamp);
  }
}

TEST_F(SyncTest, ANewTicketGetsItsOfficialNumberFromTheServer) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(2), "河滨花园")})->status, 200);
  const PullResponse p = pull(centre, 0);
  bool numbered = false;
  for (const auto& sc : p.changes)
    if (sc.change.kind == ChangeKind::SetField && sc.change.field == EditableField::OfficialNumber) {
      numbered = true;
      EXPECT_TRUE(is_valid_official_number(sc.change.value)) << sc.change.value;
      EXPECT_EQ(sc.change.value.substr(7), "-0001");
      EXPECT_EQ(sc.change.author.user, "server");
    }
  EXPECT_TRUE(numbered);
}

TEST_F(SyncTest, AGapIs409WithTheCounterExpected) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Change first = centre.create(ticket_id(3), "河滨花园");
  Change second = centre.note(ticket_id(3), "第二条");
  auto r = push(centre, {second});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(body(r)["error"]["code"], "gap");
  EXPECT_EQ(body(r)["error"]["expected_counter"], 1);
  EXPECT_EQ(push(centre, {first, second})->status, 200);
}

TEST_F(SyncTest, ForgedAuthorsAndReplicasAreRefusedWholeAndConsumeNothing) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  Change forged = committee.create(ticket_id(4), "河滨花园");
  forged.author = Author{"zhang.bin", Role::Centre};
  auto r = push(committee, {forged});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body(r)["error"]["code"], "forged_author");
  committee.counter = 0;  // Nothing was consumed: counter 1 is still the next.
  ASSERT_EQ(push(committee, {committee.create(ticket_id(4), "河滨花园")})->status, 200);
  // The committee's replica id under the centre's token.
  Replica impostor = centre;
  impostor.id = committee.id;
  impostor.counter = committee.counter;
  auto f = push(impostor, {impostor.create(ticket_id(5), "河滨花园")});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, 403);
  EXPECT_EQ(body(f)["error"]["code"], "forged_replica");
}

// The server's own replica (official numbers, intake) is nobody else's: a user who pulls or pushes
// with its id is refused as with any other user's replica. Nor is the all-zero id anybody's.
TEST_F(SyncTest, TheServersReplicaIdAndTheZeroIdAreNobodysToUse) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(40), "河滨花园")})->status, 200);
  const PullResponse p = pull(centre, 0);
  std::optional<ReplicaId> server;
  for (const auto& sc : p.changes)
    if (sc.change.author.user == "server") server = sc.change.id.replica;
  ASSERT_TRUE(server);
  Replica impostor = centre;
  impostor.id = *server;
  impostor.counter = 100;
  auto pulled = m_http->Get("/api/v1/sync/pull?replica=" + to_hex(*server) + "&cursor=0",
                            {{"Authorization", "Bearer " + centre.token}});
  ASSERT_TRUE(pulled);
  EXPECT_EQ(pulled->status, 403) << pulled->body;
  EXPECT_EQ(body(pulled)["error"]["code"], "forged_replica");
  auto pushed = push(impostor, {impostor.note(ticket_id(40), "冒用服务器的编号")});
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->status, 403) << pushed->body;
  EXPECT_EQ(body(pushed)["error"]["code"], "forged_replica");

  const std::string zeros(32, '0');
  auto zero_pull = m_http->Get("/api/v1/sync/pull?replica=" + zeros + "&cursor=0", {{"Authorization", "Bearer " + centre.token}});
  ASSERT_TRUE(zero_pull);
  EXPECT_EQ(zero_pull->status, 400) << zero_pull->body;
  EXPECT_EQ(body(zero_pull)["error"]["code"], "bad_request");
  Replica zero = centre;
  zero.id = ReplicaId{};
  zero.counter = 0;
  auto zero_push = push(zero, {});
  ASSERT_TRUE(zero_push);
  EXPECT_EQ(zero_push->status, 400) << zero_push->body;
  EXPECT_EQ(body(zero_push)["error"]["code"], "bad_request");
}

// A cursor past the end of the log names changes this server never gave (its database was put back
// from an older copy): the caller is told to start over, scoped or not, and from 0 it gets everything.
TEST_F(SyncTest, ACursorPastTheEndOfTheLogIsToldToStartOver) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(41), "河滨花园")})->status, 200);
  const PullResponse all = pull(centre, 0);
  ASSERT_FALSE(all.changes.empty());
  const int64_t end = all.next;
  for (Replica* r : {&centre, &committee}) {
    const PullResponse at_end = pull(*r, end, 0, r == &committee ? 0 : -1);
    EXPECT_FALSE(at_end.start_over) << r->user;
    const PullResponse past = pull(*r, end + 1000, 0, r == &committee ? 0 : -1);
    EXPECT_TRUE(past.start_over) << r->user;
    EXPECT_TRUE(past.changes.empty());
    EXPECT_EQ(past.from, end + 1000);
    EXPECT_EQ(past.head, end) << "head is the log's true end";
  }
  EXPECT_TRUE(tickets_in(pull(committee, 0, 0, 0)).count(ticket_id(41)));
}

// The database put back from a copy that `backup` made (deploy.md, 5): the next change is numbered
// far past the copy's last, so a device that pulled past the copy from the server before is told to
// start over even once the log has grown past its cursor, and the author of changes the copy lacks
// is answered 409 gap and sends them again (acknowledged before or not).
TEST_F(SyncTest, AfterARestoreDevicesPastTheCopyStartOverAndLostChangesAreAskedForAgain) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const std::vector<Change> before = {centre.create(ticket_id(60), "河滨花园")};
  ASSERT_EQ(push(centre, before)->status, 200);
  const int64_t copy_end = pull(centre, 0).next;
  const std::string db = m_dir.file("linli.db");
  auto [copied, c_out] = test::ServerProcess::run({"backup", "--to", m_dir.file("copy.db"), "--db", db});
  ASSERT_EQ(copied, 0) << c_out;
  const std::vector<Change> after = {centre.note(ticket_id(60), "已联系物业"), centre.create(ticket_id(61), "河滨花园")};
  ASSERT_EQ(push(centre, after)->status, 200);
  const PullResponse seen = pull(committee, 0, 0, 0);
  const int64_t past = seen.next;
  std::set<std::string> ids_before;  // Every change a device may hold from before the restore.
  for (const auto& sc : pull(centre, 0).changes) ids_before.insert(to_string(sc.change.id));
  ASSERT_GT(past, copy_end);
  ASSERT_TRUE(tickets_in(seen).count(ticket_id(61)));

  put_back(m_dir.file("copy.db"));
  if (HasFatalFailure()) return;

  // Another device's change: numbered past the numbers skipped, so the log now goes past `past`.
  Replica other = sign_in("zhang.bin", Role::Centre, 3);
  auto fresh = push(other, {other.create(ticket_id(62), "河滨花园")});
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  const int64_t numbered = body(fresh)["results"][0]["seq"];
  EXPECT_GT(numbered, copy_end + (int64_t{1} << 20));
  const PullResponse over = pull(committee, past, 0, seen.answer);
  EXPECT_TRUE(over.start_over) << "a cursor the old server gave, inside the numbers skipped";
  EXPECT_EQ(over.skipped_after, copy_end);
  EXPECT_EQ(over.skipped_until, copy_end + std::max(copy_end, int64_t{1} << 20) + 1);
  EXPECT_TRUE(over.changes.empty());
  EXPECT_GT(over.head, past);
  EXPECT_TRUE(pull(centre, past).start_over);
  const PullResponse from_copy = pull(centre, copy_end);
  EXPECT_FALSE(from_copy.start_over);
  EXPECT_TRUE(tickets_in(from_copy).count(ticket_id(62)));
  // The server's own changes (official numbers) under a new replica id: the copy's counter for the
  // old one is behind changes the devices hold, and an id never names two changes.
  bool numbered_anew = false;
  for (const auto& sc : from_copy.changes)
    if (sc.change.author.user == "server") {
      EXPECT_FALSE(ids_before.count(to_string(sc.change.id))) << to_string(sc.change.id) << " named a change before";
      numbered_anew = numbered_anew || (sc.change.ticket_id == ticket_id(62) && sc.change.field == EditableField::OfficialNumber);
    }
  EXPECT_TRUE(numbered_anew);
  EXPECT_FALSE(tickets_in(pull(committee, 0, 0, 0)).count(ticket_id(61))) << "lost with the copy";

  // The centre's next change: the server expects its first change after the copy, and takes the
  // lost ones sent again.
  const Change next = centre.note(ticket_id(60), "下午继续");
  auto gap = push(centre, {next});
  ASSERT_EQ(gap->status, 409) << gap->body;
  EXPECT_EQ(body(gap)["error"]["code"], "gap");
  EXPECT_EQ(body(gap)["error"]["expected_counter"], after.front().id.counter);
  auto again = push(centre, {after[0], after[1], next});
  ASSERT_EQ(again->status, 200) << again->body;
  for (const auto& r : body(again)["results"]) {
    EXPECT_EQ(r["status"], "applied");
    EXPECT_GT(r["seq"].get<int64_t>(), numbered);
  }
  EXPECT_TRUE(tickets_in(pull(committee, 0, 0, 0)).count(ticket_id(61)));

  // A restart keeps numbering past the gap, and a copy of the restored server keeps the gap.
  m_http.reset();
  ASSERT_EQ(m_server->stop(), 0);
  m_server = std::make_unique<test::ServerProcess>(
      std::vector<std::string>{"--db", db, "--web", m_dir.file("web"), seed_flag()});
  ASSERT_GT(m_server->port(), 0);
  m_http = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
  EXPECT_TRUE(pull(centre, past).start_over);
  EXPECT_FALSE(pull(centre, numbered).start_over);
}

TEST_F(SyncTest, ACommitteeWritesOnlyInItsCommunityAndARefusalDoesNotBlockItsNextChange) {
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  auto r = push(committee, {committee.create(ticket_id(6), "中华新路927弄")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body(r)["error"]["code"], "out_of_scope");
  EXPECT_EQ(body(r)["error"]["change"], 0);
  ASSERT_EQ(body(r)["results"].size(), 1u);
  EXPECT_EQ(body(r)["results"][0]["code"], "out_of_scope");
  auto next = push(committee, {committee.create(ticket_id(7), "河滨花园")});  // Counter 2: no gap.
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << next->body;
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  const auto seen = tickets_in(pull(centre, 0));
  EXPECT_FALSE(seen.count(ticket_id(6)));  // Never applied.
  EXPECT_TRUE(seen.count(ticket_id(7)));
}

// Its first answer lost, a client sends a refused change again: it hears the same refusal (else it
// would keep the change unsent for good), and the refusal is not recorded twice.
TEST_F(SyncTest, ARefusedChangeSentAgainHearsTheSameRefusal) {
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const Change outside = committee.create(ticket_id(6), "中华新路927弄");
  ASSERT_EQ(push(committee, {outside})->status, 403);
  auto again = push(committee, {outside});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403) << again->body;
  ASSERT_EQ(body(again)["results"].size(), 1u);
  EXPECT_EQ(body(again)["results"][0]["status"], "invalid");
  EXPECT_EQ(body(again)["results"][0]["code"], "out_of_scope");
  EXPECT_EQ(body(again)["error"]["code"], "out_of_scope");
  auto metrics = m_http->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("linli_changes_total{result=\"rejected\"} 1\n"), std::string::npos) << metrics->body;
}

// No commit checkpoints the WAL on its own thread (checkpointer.h): the server's checkpointer must
// copy it back into the database, or the WAL would grow for as long as the server runs.
TEST_F(SyncTest, TheServersCheckpointerCopiesTheWalBackIntoTheDatabase) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  const std::string db = m_dir.file("linli.db");
  const auto size = [](const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? uintmax_t{0} : n;
  };
  ASSERT_EQ(push(centre, {centre.create(ticket_id(90), "河滨花园")})->status, 200);
  const uintmax_t before = size(db);
  const std::string text(600, 'x');  // Some 6 MiB of log in all: past the 4 MiB the checkpointer copies at.
  for (int p = 0; p < 20; ++p) {
    std::vector<Change> notes;
    for (int i = 0; i < 500; ++i) notes.push_back(centre.note(ticket_id(90), text));
    ASSERT_EQ(push(centre, notes)->status, 200);
  }
  auto copied = [&] {
    auto m = m_http->Get("/metrics");
    if (!m) return -1;
    const std::string key = "linli_wal_checkpoints_total{result=\"copied\"} ";
    const auto at = m->body.find(key);
    return at == std::string::npos ? -1 : std::atoi(m->body.c_str() + at + key.size());
  };
  for (int i = 0; i < 100 && copied() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(copied(), 1);
  EXPECT_GT(size(db), before + (4u << 20)) << "the log's pages are still only in the WAL";
}

TEST_F(SyncTest, AFieldWorkerMayNotCloseATicket) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica field = sign_in("chuhai.chen", Role::Field, 3);
  Change create = centre.create(ticket_id(8), "河滨花园");
  Change lead = centre.next(ticket_id(8), ChangeKind::SetField);
  lead.field = EditableField::LeadDepartment;
  lead.value = "除害站";
  ASSERT_EQ(push(centre, {create, lead})->status, 200);
  Change close = field.next(ticket_id(8), ChangeKind::Transition);
  close.action = WorkflowAction::Close;
  close.from = TicketStatus::Visited;
  close.to = TicketStatus::Closed;
  auto r = push(field, {close});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body(r)["error"]["code"], "forbidden");
  EXPECT_EQ(body(r)["error"]["message"], "[policy] a field may not close a ticket");
}

TEST_F(SyncTest, OnlyTheServerGivesOfficialNumbers) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(9), "河滨花园")})->status, 200);
  Change number = centre.next(ticket_id(9), ChangeKind::SetField);
  number.field = EditableField::OfficialNumber;
  number.value = "2026-11-9999";
  auto r = push(centre, {number});
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body(r)["error"]["message"], "[policy] only the server gives official numbers");
}

TEST_F(SyncTest, ACommitteePullsOnlyItsCommunitysTickets) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(10), "河滨花园"), centre.create(ticket_id(11), "中华新路927弄")})->status, 200);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const PullResponse mine = pull(committee, 0);
  EXPECT_EQ(tickets_in(mine), std::set<std::string>{ticket_id(10)});
  for (const auto& sc : mine.changes) EXPECT_NE(sc.change.ticket.community, "中华新路927弄");
  EXPECT_EQ(tickets_in(pull(centre, 0)), (std::set<std::string>{ticket_id(10), ticket_id(11)}));
}

TEST_F(SyncTest, ATicketEnteringAScopeArrivesWholeAndOneLeavingIsAnnounced) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const std::string t = ticket_id(12);
  ASSERT_EQ(push(centre, {centre.create(t, "中华新路927弄"), centre.note(t, "第一次清理"), centre.note(t, "又反弹了")})->status, 200);
  PullResponse p = pull(committee, 0);
  EXPECT_FALSE(tickets_in(p).count(t));
  int64_t cursor = p.next;
  Change move = centre.next(t, ChangeKind::SetField);
  move.field = EditableField::Community;
  move.value = "河滨花园";
  ASSERT_EQ(push(centre, {move})->status, 200);
  p = pull(committee, cursor);
  int of_t = 0;
  bool has_create = false;
  for (const auto& sc : p.changes)
    if (sc.change.ticket_id == t) {
      ++of_t;
      has_create |= sc.change.kind == ChangeKind::CreateTicket;
    }
  EXPECT_TRUE(has_create) << "the ticket's history came with it";
  EXPECT_GE(of_t, 4);  // Create, two notes, the move (and the official number).
  for (size_t i = 1; i < p.changes.size(); ++i) EXPECT_LT(p.changes[i - 1].seq, p.changes[i].seq);
  cursor = p.next;
  Change back = centre.next(t, ChangeKind::SetField);
  back.field = EditableField::Community;
  back.value = "中华新路927弄";
  back.base = move.id;
  ASSERT_EQ(push(centre, {back})->status, 200);
  p = pull(committee, cursor);
  EXPECT_EQ(p.dropped, std::vector<std::string>{t});
}

TEST_F(SyncTest, ATicketACommitteeCreatedIsAnnouncedDroppedWhenItLeavesTheScopeBeforeTheCommitteePulls) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(14), "中华新路927弄")})->status, 200);
  const int64_t cursor = pull(committee, 0).next;
  ASSERT_GT(cursor, 0);
  const std::string t = ticket_id(13);
  ASSERT_EQ(push(committee, {committee.create(t, "河滨花园")})->status, 200);
  Change move = centre.next(t, ChangeKind::SetField);
  move.field = EditableField::Community;
  move.value = "中华新路927弄";
  ASSERT_EQ(push(centre, {move})->status, 200);
  const PullResponse p = pull(committee, cursor);
  EXPECT_FALSE(tickets_in(p).count(t));
  EXPECT_EQ(p.dropped, std::vector<std::string>{t});  // The committee has it: it made it.
}

// The same before the committee's very first pull: a pull from cursor 0 does not forget what the
// replica holds (it made the ticket), so it hears the ticket left.
TEST_F(SyncTest, ATicketACommitteeCreatedBeforeItsFirstPullIsAnnouncedDroppedToo) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const std::string t = ticket_id(15);
  ASSERT_EQ(push(committee, {committee.create(t, "河滨花园")})->status, 200);
  Change move = centre.next(t, ChangeKind::SetField);
  move.field = EditableField::Community;
  move.value = "中华新路927弄";
  ASSERT_EQ(push(centre, {move})->status, 200);
  PullResponse p = pull(committee, 0);
  std::vector<std::string> dropped = p.dropped;
  while (p.more) {
    p = pull(committee, p.next);
    dropped.insert(dropped.end(), p.dropped.begin(), p.dropped.end());
  }
  EXPECT_EQ(dropped, std::vector<std::string>{t});
}

// Two answers from one cursor both announce a ticket dropped, the second with a later `next`; the
// replica takes the first. The server counts the first (the ticket is gone from the replica), not
// the later one: when the ticket comes back it arrives whole. Counting the later answer, it would
// still think the replica held it until the second answer's next, and send only the change that
// brought it back.
TEST_F(SyncTest, OfTwoAnswersFromOneCursorTheServerCountsTheOneTheReplicaTook) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const std::string t = ticket_id(16), u = ticket_id(17);
  ASSERT_EQ(push(centre, {centre.create(t, "河滨花园"), centre.create(u, "河滨花园")})->status, 200);
  int64_t cursor = 0, took = 0;
  for (bool more = true; more;) {  // As ClientSync takes answers: the cursor and the answer's id.
    const PullResponse p = pull(committee, cursor, 0, took);
    EXPECT_EQ(p.took, took);
    cursor = p.next;
    if (p.answer > 0) took = p.answer;
    more = p.more;
  }
  ASSERT_GT(took, 0) << "tickets sent whole come in an answer with an id";
  Change out = centre.next(t, ChangeKind::SetField);
  out.field = EditableField::Community;
  out.value = "中华新路927弄";
  ASSERT_EQ(push(centre, {out})->status, 200);
  const PullResponse first = pull(committee, cursor, 0, took);
  EXPECT_EQ(first.dropped, std::vector<std::string>{t});
  ASSERT_GT(first.answer, 0);
  ASSERT_EQ(push(centre, {centre.note(u, "已派人清理")})->status, 200);
  const PullResponse second = pull(committee, cursor, 0, took);  // The same request, sent again.
  EXPECT_EQ(second.dropped, std::vector<std::string>{t});        // Nothing is counted before the replica says.
  ASSERT_GT(second.answer, 0);
  EXPECT_NE(second.answer, first.answer);
  EXPECT_GT(second.next, first.next);
  // The replica takes the first answer (the second arrives late and is ignored), and the ticket comes back.
  Change back = centre.next(t, ChangeKind::SetField);
  back.field = EditableField::Community;
  back.value = "河滨花园";
  back.base = out.id;
  ASSERT_EQ(push(centre, {back})->status, 200);
  const PullResponse p = pull(committee, first.next, 0, first.answer);
  EXPECT_EQ(p.took, first.answer);
  bool has_create = false;
  for (const auto& sc : p.changes) has_create |= sc.change.ticket_id == t && sc.change.kind == ChangeKind::CreateTicket;
  EXPECT_TRUE(has_create) << "the ticket it forgot comes back whole";
  EXPECT_GT(p.answer, 0);
  // Naming the second answer now (a confused client) does not count it: the replica is told to start over.
  const PullResponse confused = pull(committee, second.next, 0, second.answer);
  EXPECT_TRUE(confused.start_over);
  EXPECT_TRUE(confused.changes.empty());
}

TEST_F(SyncTest, ALongPollAnswersWhenAChangeArrives) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const int64_t cursor = pull(committee, 0).next;
  const auto start = std::chrono::steady_clock::now();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    httplib::Client other("127.0.0.1", m_server->port());
    PushRequest req;
    req.replica = centre.id;
    req.changes = {centre.create(ticket_id(13), "河滨花园")};
    other.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + centre.token}}, encode(req), "application/json");
  });
  const PullResponse p = pull(committee, cursor, 20);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writer.join();
  EXPECT_TRUE(tickets_in(p).count(ticket_id(13)));
  EXPECT_GT(waited, 0.3);
  EXPECT_LT(waited, 10.0);
}

// A committee's long poll sleeps through changes to other communities' tickets (the change feed
// tells it they do not concern it) and answers with the first one in its own.
TEST_F(SyncTest, AScopedLongPollSleepsThroughChangesOutsideItsScope) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const int64_t cursor = pull(committee, 0).next;
  const auto start = std::chrono::steady_clock::now();
  std::thread writer([&] {
    httplib::Client other("127.0.0.1", m_server->port());
    auto send = [&](Change c) {
      PushRequest req;
      req.replica = centre.id;
      req.changes = {std::move(c)};
      other.Post("/api/v1/sync/push", {{"Authorization", "Bearer " + centre.token}}, encode(req), "application/json");
    };
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    send(centre.create(ticket_id(21), "中华新路927弄"));
    std::this_thread::sleep_for(std::chrono::milliseconds(900));
    send(centre.create(ticket_id(22), "河滨花园"));
  });
  const PullResponse p = pull(committee, cursor, 20);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writer.join();
  EXPECT_EQ(tickets_in(p), std::set<std::string>{ticket_id(22)});
  EXPECT_GT(waited, 1.1);
  EXPECT_LT(waited, 10.0);
}

TEST_F(SyncTest, AClientOlderThanTheServerIsToldToUpgrade) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto r = push(centre, {centre.create(ticket_id(14), "河滨花园")}, 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 426);
  EXPECT_EQ(body(r)["error"]["code"], "upgrade_required");
}

// docs/protocol.md: every pull answer names `next` (the last sequence number it covers, the
// cursor when it covers nothing) and `dropped` ([] when none), whoever asks and however it ends.
// A replica that goes back to cursor 0 naming no answer, of its own accord, after an answer it
// took but never named: the server never counted that answer, yet the replica holds its ticket.
// When the ticket has left its scope meanwhile, the scan from 0 still announces it dropped.
TEST_F(SyncTest, AReplicaGoingBackToTheStartOfItsOwnAccordHearsOfATicketItNeverConfirmedThatLeftItsScope) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const std::string t = ticket_id(61);
  ASSERT_EQ(push(centre, {centre.create(t, "河滨花园")})->status, 200);
  const PullResponse first = pull(committee, 0, 0, 0);
  ASSERT_TRUE(tickets_in(first).count(t));
  ASSERT_GT(first.answer, 0);  // Sent whole: an answer to name, which the replica never names.
  Change move = centre.next(t, ChangeKind::SetField);
  move.field = EditableField::Community;
  move.value = "中华新路927弄";
  ASSERT_EQ(push(centre, {move})->status, 200);
  PullResponse p = pull(committee, 0, 0, 0);
  EXPECT_FALSE(p.start_over);  // It is scanning from 0 already.
  std::vector<std::string> dropped = p.dropped;
  while (p.more) {
    p = pull(committee, p.next, 0, p.answer);
    dropped.insert(dropped.end(), p.dropped.begin(), p.dropped.end());
  }
  EXPECT_EQ(dropped, std::vector<std::string>{t});
  // The scan's answers are counted as usual after it: the next pull is no start over.
  EXPECT_FALSE(pull(committee, p.next, 0, p.answer).start_over);
}

TEST_F(SyncTest, EveryPullAnswerNamesItsNextCursorAndItsDroppedTickets) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(31), "河滨花园")})->status, 200);  // Seq 1, its number 2.
  auto raw = [&](const Replica& r, int64_t cursor, int limit, int wait) {
    auto res = m_http->Get("/api/v1/sync/pull?replica=" + to_hex(r.id) + "&cursor=" + std::to_string(cursor) +
                               "&limit=" + std::to_string(limit) + "&wait=" + std::to_string(wait),
                           {{"Authorization", "Bearer " + r.token}});
    EXPECT_TRUE(res && res->status == 200);
    json j = res ? json::parse(res->body, nullptr, false) : json();
    EXPECT_TRUE(j.is_object() && j["next"].is_number_integer() && j["dropped"].is_array()) << j.dump();
    return j;
  };
  for (const Replica* r : {&centre, &committee}) {
    json all = raw(*r, 0, 500, 0);
    ASSERT_EQ(all["changes"].size(), 2u) << r->user;
    EXPECT_EQ(all["next"], all["changes"].back()["seq"]) << r->user;
    json first = raw(*r, 0, 1, 0);
    EXPECT_EQ(first["next"], first["changes"].back()["seq"]) << r->user;
    EXPECT_TRUE(first["more"].get<bool>()) << r->user;
    const int64_t cursor = all["next"];
    json none = raw(*r, cursor, 500, 0);  // Nothing new.
    EXPECT_TRUE(none["changes"].empty());
    EXPECT_EQ(none["next"], cursor) << r->user;
    json slept = raw(*r, cursor, 500, 1);  // A long poll that times out empty.
    EXPECT_EQ(slept["next"], cursor) << r->user;
  }
}


// GET /api/v1/sync/image (docs/protocol.md, "Image"): a store built with the pulls the replica
// would make, its cursor and answer inside; the replica's next pull goes on from them.
class ImageTest : public SyncTest {
 protected:
  void SetUp() override {
    ASSERT_EQ(::setenv("LINLI_IMAGE_FROM", "0", 1), 0);
    SyncTest::SetUp();
    ::unsetenv("LINLI_IMAGE_FROM");
  }
  httplib::Result image(const Replica& r, const std::string& schema) {
    return m_http->Get("/api/v1/sync/image?replica=" + to_hex(r.id) + "&schema=" + schema,
                       {{"Authorization", "Bearer " + r.token}});
  }
};

TEST_F(ImageTest, TheImageHoldsWhatPullsWouldGiveAndTheNextPullGoesOnFromIt) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(61), "河滨花园"), centre.create(ticket_id(62), "中华新路927弄"),
                          centre.note(ticket_id(61), "已联系市民")})->status, 200);
  const std::string schema = std::to_string(Store::schema_version());

  auto none = m_http->Get("/api/v1/sync/image?replica=" + to_hex(committee.id) + "&schema=" + schema);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  auto bad = image(committee, "x");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["code"], "bad_request");
  auto other = image(committee, std::to_string(Store::schema_version() + 1));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 409);
  EXPECT_EQ(body(other)["error"]["code"], "schema_mismatch");
  Replica impostor = centre;
  impostor.id = committee.id;
  ASSERT_EQ(image(committee, schema)->status, 200);  // The id is the committee's from now on.
  auto forged = image(impostor, schema);
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(body(forged)["error"]["code"], "forged_replica");

  // A file larger than the caller takes is not made: 204, pull instead. 0 bytes is no size.
  auto small = image(committee, schema + "&max_bytes=1000");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 204);
  auto zero = image(committee, schema + "&max_bytes=0");
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->status, 400);

  auto got = image(committee, schema + "&max_bytes=268435456");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("Content-Type"), "application/vnd.sqlite3");
  EXPECT_EQ(got->body.substr(0, 15), "SQLite format 3");
  std::ofstream(m_dir.file("image.db"), std::ios::binary) << got->body;
  auto store = Store::open(m_dir.file("image.db"), {.durability = Durability::PageSink});
  ASSERT_TRUE(store) << store.error().detail;
  EXPECT_EQ(*store->count_tickets(), 1) << "河滨花园's ticket only";
  EXPECT_TRUE(store->get_ticket(ticket_id(61))->has_value());
  EXPECT_EQ(std::to_string(store->pull_cursor()), got->get_header_value("X-Linli-Cursor"));
  EXPECT_EQ(got->get_header_value("X-Linli-Changes"), "3") << "the create, its official number, the note";
  EXPECT_GT(store->pull_answer(), 0) << "the ticket sent whole: an answer to name";
  EXPECT_EQ(got->get_header_value("Cache-Control"), "no-store");
  auto metrics = m_http->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("route=\"/api/v1/sync/image\",status=\"200\""), std::string::npos)
      << "the image is a route of its own in /metrics, not /api/other";

  // The next pull from the image's cursor, naming its answer, is served (not told to start over).
  ASSERT_EQ(push(centre, {centre.note(ticket_id(61), "第二次联系")})->status, 200);
  const PullResponse next = pull(committee, store->pull_cursor(), 0, store->pull_answer());
  EXPECT_FALSE(next.start_over);
  ASSERT_EQ(next.changes.size(), 1u);
  EXPECT_EQ(next.changes[0].change.ticket_id, ticket_id(61));
  EXPECT_TRUE(next.dropped.empty());
}

// After a restore the log's numbers jump by at least 2^20 (Store::skip_numbers_after_copy). The
// image's size is estimated from the changes the log holds, not from its last number: else a device
// asking for at most 256 MiB (262,144 changes at 1 KiB) would be told 204 for good.
TEST_F(ImageTest, AfterARestoreTheImageIsEstimatedFromTheChangesNotTheNumbers) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  ASSERT_EQ(push(centre, {centre.create(ticket_id(63), "河滨花园")})->status, 200);
  const std::string db = m_dir.file("linli.db");
  auto [copied, c_out] = test::ServerProcess::run({"backup", "--to", m_dir.file("copy.db"), "--db", db});
  ASSERT_EQ(copied, 0) << c_out;
  ASSERT_EQ(::setenv("LINLI_IMAGE_FROM", "0", 1), 0);
  put_back(m_dir.file("copy.db"));
  ::unsetenv("LINLI_IMAGE_FROM");
  if (HasFatalFailure()) return;

  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  auto fresh = push(centre, {centre.create(ticket_id(64), "河滨花园")});
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  ASSERT_GT(body(fresh)["results"][0]["seq"].get<int64_t>(), int64_t{1} << 20) << "numbered past the gap";
  auto got = image(committee, std::to_string(Store::schema_version()) + "&max_bytes=268435456");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200) << "a log of a few changes fits in 256 MiB, whatever its numbers";
  EXPECT_EQ(got->body.substr(0, 15), "SQLite format 3");
}

// Below the threshold (default 20,000 changes) there is no image: 204, and the replica pulls.
TEST_F(SyncTest, ASmallLogHasNoImage) {
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  auto r = m_http->Get("/api/v1/sync/image?replica=" + to_hex(committee.id) + "&schema=" +
                           std::to_string(Store::schema_version()),
                       {{"Authorization", "Bearer " + committee.token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_TRUE(r->body.empty());
}

}  // namespace
}  // namespace linli
