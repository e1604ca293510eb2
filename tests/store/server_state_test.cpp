// ServerState: replica ownership, held tickets, rejections, intake numbers, official numbers.
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

// The rows replica_tickets keeps for one replica, as "ticket:since:dropped" ("-": not dropped).
std::vector<std::string> held_rows(const std::string& path, const std::string& replica) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return rows;
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT ticket, since, coalesce(dropped, '-') FROM replica_tickets WHERE replica = ? ORDER BY ticket",
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
