// ServerState: replica ownership, held tickets and pending answers, rejections, intake numbers,
// official numbers.
#include "store/server_state.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace linli {
namespace {

TEST(ServerState, TheServerReplicaIdIsMadeOnceAndKept) {
  test::TempDir dir;
  const uint8_t ra[16] = {1}, rb[16] = {2};
  const ReplicaId a = replica_id_from_bytes(ra), b = replica_id_from_bytes(rb);
  {
    auto s = ServerState::open(dir.file("s.db"));
    ASSERT_TRUE(s) << s.error().detail;
    EXPECT_EQ(*s->server_replica(a), a);
  }
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->server_replica(b), a);
}

TEST(ServerState, AReplicaBelongsToTheFirstUserWhoUsedIt) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->claim_replica("r1", "hebin.li", 1), "hebin.li");
  EXPECT_EQ(*s->claim_replica("r1", "zhang.bin", 2), "hebin.li");  // A forger learns who owns it.
}

TEST(ServerState, HeldTicketsAreTrackedPerReplica) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->update_held("r1", {"t1"}, {}, 0, 0));  // It made t1: held from the start.
  EXPECT_TRUE(*s->holds("r1", "t1", 0));
  EXPECT_FALSE(*s->holds("r2", "t1", 0));
  // Sent whole in the answer that takes the cursor to 10: held once the replica asks from 10.
  ASSERT_TRUE(s->update_held("r1", {"t2", "t3"}, {}, 10, 10));
  EXPECT_FALSE(*s->holds("r1", "t2", 4));  // That answer was lost: it asks from 4 again.
  EXPECT_TRUE(*s->holds("r1", "t2", 10));
  EXPECT_TRUE(*s->holds("r1", "t3", 12));
  // Dropped in the answer to 20: still held for an ask from before 20 (that answer was lost).
  ASSERT_TRUE(s->update_held("r1", {}, {"t1"}, 20, 20));
  EXPECT_TRUE(*s->holds("r1", "t1", 10));
  EXPECT_FALSE(*s->holds("r1", "t1", 20));
  // Back in scope, sent whole again in the answer to 30.
  ASSERT_TRUE(s->update_held("r1", {"t1"}, {}, 30, 30));
  EXPECT_FALSE(*s->holds("r1", "t1", 25));
  EXPECT_TRUE(*s->holds("r1", "t1", 30));
  EXPECT_EQ(*s->pulled_from("r1"), 30);
  EXPECT_EQ(*s->pulled_from("r2"), 0);
}

// The rows `held` keeps for one replica, as "ticket:since:dropped" ("-": not dropped).
std::vector<std::string> held_rows(const std::string& path, const std::string& replica) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return rows;
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT t.ticket, h.since, coalesce(h.dropped, '-') FROM held h "
                     "JOIN held_tickets t ON t.n = h.ticket JOIN held_replicas r ON r.n = h.replica "
                     "WHERE r.replica = ? ORDER BY t.ticket",
                     -1, &q, nullptr);
  sqlite3_bind_text(q, 1, replica.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(q) == SQLITE_ROW)
    rows.push_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))) + ":" +
                   reinterpret_cast<const char*>(sqlite3_column_text(q, 1)) + ":" +
                   reinterpret_cast<const char*>(sqlite3_column_text(q, 2)));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return rows;
}

// A dropped ticket's row stays while the replica may ask again from before the answer that dropped
// it (that answer lost), and goes once it has asked from that answer's cursor or later: from there
// on holds() says the same without the row.
TEST(ServerState, WhatReplicasHoldLivesBesideTheDatabaseAndAnOlderServersRowsMoveThereOnce) {
  EXPECT_EQ(ServerState::held_path("/var/lib/linli/linli.db"), "/var/lib/linli/linli.held.db");
  EXPECT_EQ(ServerState::held_path("data/store"), "data/store.held");
  test::TempDir dir;
  const std::string db = dir.file("linli.db");
  int64_t answer = 0;
  {  // An older server kept them in the log's file.
    auto old = ServerState::open(db);
    ASSERT_TRUE(old);
    ASSERT_TRUE(old->update_held("r1", {"t1", "t2"}, {}, 10, 10));
    auto id = old->record_answer("r1", PendingAnswer{0, 10, 20, {"t3"}, {}});
    ASSERT_TRUE(id) << id.error().detail;
    answer = *id;
  }
  auto held = ServerState::open(ServerState::held_path(db), false);
  ASSERT_TRUE(held);
  auto moved = held->adopt_held_from(db);
  ASSERT_TRUE(moved) << moved.error().detail;
  EXPECT_EQ(*moved, 2 + 2 + 1 + 1 + 1);  // Two rows, their tickets' and replica's numbers, the cursor, the answer.
  EXPECT_TRUE(*held->holds("r1", "t2", 10));
  EXPECT_EQ(*held->pulled_from("r1"), 10);
  auto chain = held->take_answer("r1", answer, 20);  // The pending answer came along: it counts.
  ASSERT_TRUE(chain);
  EXPECT_EQ(chain->took, Took::Applied);
  EXPECT_TRUE(*held->holds("r1", "t3", 20));
  auto main = ServerState::open(db);
  ASSERT_TRUE(main);
  EXPECT_FALSE(*main->holds("r1", "t1", 10));  // Gone from the log's file.
  EXPECT_EQ(*held->adopt_held_from(db), 0);      // Once: the file has its own rows now.
  EXPECT_TRUE(*held->holds("r1", "t1", 10));
}

// A held file of version 3 kept replica_tickets rows of two texts; version 4 numbers them, and
// every question holds() answered is answered the same.
TEST(ServerState, HeldRowsOfAnOlderVersionAreNumberedAndKeepTheirMeaning) {
  test::TempDir dir;
  const std::string path = dir.file("linli.held.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* v3 = R"sql(
      CREATE TABLE server_schema (version INTEGER NOT NULL) STRICT;
      INSERT INTO server_schema VALUES (3);
      CREATE TABLE replica_tickets (replica TEXT NOT NULL, ticket TEXT NOT NULL, since INTEGER NOT NULL DEFAULT 0,
        dropped INTEGER, PRIMARY KEY (replica, ticket)) STRICT, WITHOUT ROWID;
      CREATE TABLE replica_cursors (replica TEXT PRIMARY KEY, cursor INTEGER NOT NULL, taken INTEGER NOT NULL DEFAULT 0,
        restart_floor INTEGER NOT NULL DEFAULT 0, unsure_until INTEGER NOT NULL DEFAULT 0) STRICT;
      CREATE TABLE replica_answers (id INTEGER PRIMARY KEY AUTOINCREMENT, replica TEXT NOT NULL, parent INTEGER NOT NULL,
        from_cursor INTEGER NOT NULL, next_cursor INTEGER NOT NULL, sent TEXT NOT NULL, dropped TEXT NOT NULL) STRICT;
      INSERT INTO replica_tickets VALUES ('r1', 't1', 0, NULL), ('r1', 't2', 10, 20), ('r2', 't2', 5, NULL);
      INSERT INTO replica_cursors (replica, cursor) VALUES ('r1', 10);
    )sql";
    ASSERT_EQ(sqlite3_exec(db, v3, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto s = ServerState::open(path, false);
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_TRUE(*s->holds("r1", "t1", 0));
  EXPECT_FALSE(*s->holds("r1", "t2", 5));   // Not yet: since 10.
  EXPECT_TRUE(*s->holds("r1", "t2", 10));   // Held from 10, its drop at 20 not yet taken.
  EXPECT_FALSE(*s->holds("r1", "t2", 20));
  EXPECT_TRUE(*s->holds("r2", "t2", 5));
  EXPECT_FALSE(*s->holds("r2", "t1", 5));
  EXPECT_EQ(held_rows(path, "r1"), (std::vector<std::string>{"t1:0:-", "t2:10:20"}));
  EXPECT_EQ(*s->pulled_from("r1"), 10);
  // New rows after the old ones, and the file opens again as it is.
  ASSERT_TRUE(s->update_held("r2", {"t3"}, {}, 30, 30));
  EXPECT_TRUE(*s->holds("r2", "t3", 30));
  auto again = ServerState::open(path, false);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_TRUE(*again->holds("r2", "t3", 30));
  EXPECT_EQ(held_rows(path, "r2"), (std::vector<std::string>{"t2:5:-", "t3:30:-"}));
}

TEST(ServerState, ADroppedTicketIsForgottenOnceTheReplicaAsksFromPastTheDrop) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->update_held("r1", {"t1", "t2"}, {}, 10, 0));
  ASSERT_TRUE(s->update_held("r2", {"t1"}, {}, 10, 0));
  ASSERT_TRUE(s->update_held("r2", {}, {"t1"}, 15, 10));  // r2 never asks from 15: its row stays.
  ASSERT_TRUE(s->update_held("r1", {}, {"t1"}, 20, 10));
  // That answer was lost: r1 asks from 10 again and hears the drop again, in the answer to 25.
  EXPECT_TRUE(*s->holds("r1", "t1", 10));
  ASSERT_TRUE(s->update_held("r1", {}, {"t1"}, 25, 10));
  EXPECT_TRUE(*s->holds("r1", "t1", 10));
  EXPECT_FALSE(*s->holds("r1", "t1", 25));
  EXPECT_EQ(held_rows(dir.file("s.db"), "r1"), (std::vector<std::string>{"t1:10:25", "t2:10:-"}));
  // r1 took it: it asks from 25, and that answer sends t3. The drop of t1 can no longer matter.
  ASSERT_TRUE(s->update_held("r1", {"t3"}, {}, 30, 25));
  EXPECT_EQ(held_rows(dir.file("s.db"), "r1"), (std::vector<std::string>{"t2:10:-", "t3:30:-"}));
  for (int64_t cursor : {25, 30, 40}) {  // Every cursor r1 may still ask from: as before.
    EXPECT_FALSE(*s->holds("r1", "t1", cursor)) << cursor;
    EXPECT_TRUE(*s->holds("r1", "t2", cursor)) << cursor;
  }
  EXPECT_EQ(held_rows(dir.file("s.db"), "r2"), (std::vector<std::string>{"t1:10:15"}));
  // t1 comes back into r1's scope later: held again from the answer that sends it.
  ASSERT_TRUE(s->update_held("r1", {"t1"}, {}, 50, 30));
  EXPECT_FALSE(*s->holds("r1", "t1", 30));
  EXPECT_TRUE(*s->holds("r1", "t1", 50));
}

// Pending answers (version 3): a scoped replica holds what the answer it names sent, from then on.
TEST(ServerState, AnAnswerCountsOnlyOnceTheReplicaNamesItEvenAfterARestart) {
  test::TempDir dir;
  int64_t a = 0;
  {
    auto s = ServerState::open(dir.file("s.db"));
    ASSERT_TRUE(s);
    auto id = s->record_answer("r1", PendingAnswer{0, 10, 20, {"t1", "t2"}, {}});
    ASSERT_TRUE(id) << id.error().detail;
    a = *id;
    EXPECT_GT(a, 0);
    EXPECT_FALSE(*s->holds("r1", "t1", 20));  // Sent, not yet taken: a lost answer is as if never sent.
    auto none = s->take_answer("r1", 0, 10);  // A pull from 10 again, naming nothing.
    ASSERT_TRUE(none);
    EXPECT_EQ(none->took, Took::Nothing);
    EXPECT_FALSE(*s->holds("r1", "t1", 20));
  }
  auto s = ServerState::open(dir.file("s.db"));  // The server restarted (kill -9 keeps commits too).
  ASSERT_TRUE(s);
  auto took = s->take_answer("r1", a, 20);
  ASSERT_TRUE(took) << took.error().detail;
  EXPECT_EQ(took->took, Took::Applied);
  EXPECT_EQ(took->taken, a);
  EXPECT_TRUE(*s->holds("r1", "t1", 20));
  EXPECT_TRUE(*s->holds("r1", "t2", 0));
  EXPECT_FALSE(*s->holds("r2", "t1", 20));
  // Named again (the answer to that pull was lost): harmless.
  auto again = s->take_answer("r1", a, 20);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->took, Took::Again);
  EXPECT_TRUE(*s->holds("r1", "t1", 20));
  // Its next answer drops t1; named, t1 is gone and naming the first one now is stale.
  auto b = s->record_answer("r1", PendingAnswer{a, 20, 30, {}, {"t1"}});
  ASSERT_TRUE(b);
  EXPECT_EQ(s->take_answer("r1", *b, 35)->took, Took::Applied);  // Past its next: an empty long poll moved on.
  EXPECT_FALSE(*s->holds("r1", "t1", 35));
  EXPECT_TRUE(*s->holds("r1", "t2", 35));
  EXPECT_EQ(s->take_answer("r1", a, 20)->took, Took::Stale);
  EXPECT_FALSE(*s->holds("r1", "t1", 35));
}

TEST(ServerState, OfTwoAnswersFromOneCursorTheOneNamedCountsAndTheOtherNever) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->update_held("r1", {"t0"}, {}, 0, 0));  // It made t0.
  auto first = s->record_answer("r1", PendingAnswer{0, 10, 20, {"t1"}, {"t0"}});
  auto second = s->record_answer("r1", PendingAnswer{0, 10, 25, {"t2"}, {}});  // The same request, repeated later.
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_EQ(s->take_answer("r1", *first, 20)->took, Took::Applied);
  EXPECT_TRUE(*s->holds("r1", "t1", 20));
  EXPECT_FALSE(*s->holds("r1", "t0", 20));
  EXPECT_FALSE(*s->holds("r1", "t2", 20));
  // The other one went when the first was named: from its cursor, the replica takes no other.
  EXPECT_EQ(s->take_answer("r1", *second, 25)->took, Took::Unknown);
  EXPECT_FALSE(*s->holds("r1", "t2", 25));
}

TEST(ServerState, AnAnswerUnknownEvictedOrNotOnTopOfTheLastTakenIsUnknown) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  std::vector<int64_t> ids;
  for (int i = 0; i <= kKeptAnswers; ++i) {  // One more than kept, all from cursor 10.
    auto id = s->record_answer("r1", PendingAnswer{0, 10, 20, {"t" + std::to_string(i)}, {}});
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  EXPECT_EQ(s->take_answer("r1", ids.front(), 20)->took, Took::Unknown);  // Evicted.
  EXPECT_FALSE(*s->holds("r1", "t0", 20));
  EXPECT_EQ(s->take_answer("r1", ids.back() + 100, 20)->took, Took::Unknown);         // Never given.
  EXPECT_EQ(s->take_answer("r2", ids.back(), 20)->took, Took::Unknown);               // Another replica's.
  EXPECT_EQ(s->take_answer("r1", ids.back(), 15)->took, Took::Unknown);               // Its next is past the cursor.
  auto later = s->record_answer("r1", PendingAnswer{ids.back(), 20, 30, {"x"}, {}});  // On top of one not named yet.
  ASSERT_TRUE(later);
  EXPECT_EQ(s->take_answer("r1", *later, 30)->took, Took::Unknown);
  EXPECT_EQ(s->take_answer("r1", ids.back(), 20)->took, Took::Applied);  // The newest is kept.
  EXPECT_TRUE(*s->holds("r1", "t" + std::to_string(kKeptAnswers), 20));
  EXPECT_FALSE(*s->holds("r1", "x", 30));
}

TEST(ServerState, AReplicaToldToStartOverBeginsANewChainAndItsOldAnswersAreStale) {
  test::TempDir dir;
  int64_t old_answer = 0, pending = 0;
  {
    auto s = ServerState::open(dir.file("s.db"));
    ASSERT_TRUE(s);
    auto a = s->record_answer("r1", PendingAnswer{0, 0, 20, {"t1"}, {}});
    ASSERT_TRUE(a);
    old_answer = *a;
    ASSERT_EQ(s->take_answer("r1", old_answer, 20)->took, Took::Applied);
    auto p = s->record_answer("r1", PendingAnswer{old_answer, 20, 30, {"t2"}, {}});
    ASSERT_TRUE(p);
    pending = *p;
    ASSERT_TRUE(s->start_over("r1", 40));
  }
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  auto chain = s->take_answer("r1", 0, 0);
  ASSERT_TRUE(chain);
  EXPECT_EQ(chain->took, Took::Nothing);
  EXPECT_EQ(chain->taken, 0);
  EXPECT_EQ(chain->unsure_until, 40);
  // From before: a late request, or the answer telling it to start over was lost.
  EXPECT_EQ(s->take_answer("r1", old_answer, 20)->took, Took::Restarted);
  EXPECT_EQ(s->take_answer("r1", pending, 30)->took, Took::Restarted);
  EXPECT_FALSE(*s->holds("r1", "t2", 30));
  auto fresh = s->record_answer("r1", PendingAnswer{0, 0, 50, {"t3"}, {"t1"}});
  ASSERT_TRUE(fresh);
  EXPECT_GT(*fresh, pending);
  EXPECT_EQ(s->take_answer("r1", *fresh, 50)->took, Took::Applied);
  EXPECT_TRUE(*s->holds("r1", "t3", 50));
  EXPECT_FALSE(*s->holds("r1", "t1", 50));
}

// A file of version 1 (before held tickets counted from the answer that sent them) keeps what its
// replicas hold: as if taken from the start.
TEST(ServerState, HeldTicketsOfAVersion1FileStayHeld) {
  test::TempDir dir;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("s.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE server_schema (version INTEGER NOT NULL) STRICT;"
                         "INSERT INTO server_schema VALUES (1);"
                         "CREATE TABLE replica_tickets (replica TEXT NOT NULL, ticket TEXT NOT NULL,"
                         " PRIMARY KEY (replica, ticket)) STRICT, WITHOUT ROWID;"
                         "INSERT INTO replica_tickets VALUES ('r1', 't1');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_TRUE(*s->holds("r1", "t1", 0));
  auto again = ServerState::open(dir.file("s.db"));  // Opening again migrates nothing twice.
  ASSERT_TRUE(again) << again.error().detail;
}

TEST(ServerState, RejectionsAreKept) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->record_rejection({"r1", 7, "chuhai.chen", "forbidden", "field may not close", 5}));
  auto all = s->rejections(10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].code, "forbidden");
  EXPECT_EQ((*all)[0].counter, 7u);
}

TEST(ServerState, OfficialNumbersCountPerMonthAndNeverChange) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  const int64_t nov = 1'795'960'000'000;   // 2026-11-29 Shanghai.
  const int64_t dec = 1'796'054'400'000;   // 2026-12-01 Shanghai.
  EXPECT_EQ(*s->official_number("a", nov), "2026-11-0001");
  EXPECT_EQ(*s->official_number("b", nov), "2026-11-0002");
  EXPECT_EQ(*s->official_number("a", dec), "2026-11-0001");  // Given once.
  EXPECT_EQ(*s->official_number("c", dec), "2026-12-0001");
}

TEST(ServerState, AHotlineNumberMapsToOneTicket) {
  test::TempDir dir;
  auto s = ServerState::open(dir.file("s.db"));
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->intake_ticket("12345-001")->has_value());
  ASSERT_TRUE(s->record_intake("12345-001", "t1", 1));
  EXPECT_EQ(**s->intake_ticket("12345-001"), "t1");
  EXPECT_FALSE(s->record_intake("12345-001", "t2", 2));  // Unique.
}

}  // namespace
}  // namespace linli
