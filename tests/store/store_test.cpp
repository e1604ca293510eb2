// Store: a real SQLite file in a temp folder; schema, migrations, tickets in and out.
#include "store/store.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace linli {
namespace {

Ticket make_ticket(char tag, int64_t received_at_ms) {
  Ticket t;
  t.id = std::string(32, tag);
  t.provisional_number = std::string("临-20261129-000") + tag;
  t.source = Source::Hotline;
  t.received_at_ms = received_at_ms;
  t.citizen_name = "王女士";
  t.citizen_phone = "13917261234";
  t.community = "河滨花园";
  t.address = "河滨花园3号楼";
  t.category = Category::Noise;
  t.urgency = Urgency::Urgent;
  t.title = "夜间施工噪音";
  t.description = "晚上十一点后仍在施工。";
  t.created_at_ms = received_at_ms;
  t.updated_at_ms = received_at_ms;
  return t;
}

TEST(StoreOpen, CreatesTheSchemaAtTheCurrentVersion) {
  test::TempDir dir;
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store) << store.error().detail;
  EXPECT_EQ(store->user_version(), Store::schema_version());
  EXPECT_EQ(*store->count_tickets(), 0);
}

TEST(StoreOpen, ReopeningKeepsTicketsAndDoesNotMigrateAgain) {
  test::TempDir dir;
  {
    auto store = Store::open(dir.file("a.db"));
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create_ticket(make_ticket('a', 1000)));
  }
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store) << store.error().detail;
  EXPECT_EQ(*store->count_tickets(), 1);
}

TEST(StoreOpen, MigratesStepByStepFromAnOlderVersion) {
  test::TempDir dir;
  const std::vector<Migration> v1 = {{"1: one", "CREATE TABLE one (x INTEGER) STRICT;"}};
  const std::vector<Migration> v2 = {v1[0], {"2: two", "CREATE TABLE two (y TEXT) STRICT; INSERT INTO two VALUES ('ok');"}};
  {
    auto s = Store::open_with(dir.file("m.db"), {}, v1);
    ASSERT_TRUE(s) << s.error().detail;
    EXPECT_EQ(s->user_version(), 1);
  }
  auto s = Store::open_with(dir.file("m.db"), {}, v2);
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s->user_version(), 2);
}

TEST(StoreOpen, AFailingMigrationLeavesTheFileAtTheLastWholeVersion) {
  test::TempDir dir;
  const std::vector<Migration> good = {{"1: one", "CREATE TABLE one (x INTEGER) STRICT;"}};
  const std::vector<Migration> bad = {good[0], {"2: broken", "CREATE TABLE two (y TEXT); SELECT * FROM missing;"}};
  { ASSERT_TRUE(Store::open_with(dir.file("m.db"), {}, good)); }
  auto s = Store::open_with(dir.file("m.db"), {}, bad);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::Storage);
  EXPECT_NE(s.error().detail.find("in migration 2: broken"), std::string::npos) << s.error().detail;
  auto again = Store::open_with(dir.file("m.db"), {}, good);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->user_version(), 1);  // Table "two" was rolled back with the version bump.
}

TEST(StoreOpen, RefusesAFileFromANewerBuild) {
  test::TempDir dir;
  const std::vector<Migration> newer = {{"1", "SELECT 1;"}, {"2", "SELECT 1;"}, {"3", "SELECT 1;"}};
  { ASSERT_TRUE(Store::open_with(dir.file("n.db"), {}, newer)); }
  auto s = Store::open_with(dir.file("n.db"), {}, {newer[0]});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::Unsupported);
  EXPECT_NE(s.error().detail.find("schema version 3 is newer than this build's 1"), std::string::npos);
}

TEST(StoreOpen, ReportsAPathThatCannotBeOpened) {
  auto s = Store::open("/nonexistent-folder-linli/x.db");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::Storage);
  EXPECT_NE(s.error().detail.find("[store.open] /nonexistent-folder-linli/x.db"), std::string::npos);
}

TEST(StoreTickets, ATicketComesBackFieldForField) {
  test::TempDir dir;
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  const Ticket in = make_ticket('b', 1'764'400'000'000);
  ASSERT_TRUE(store->create_ticket(in));
  auto got = store->get_ticket(in.id);
  ASSERT_TRUE(got && got->has_value());
  const Ticket& out = **got;
  EXPECT_EQ(out.id, in.id);
  EXPECT_EQ(out.provisional_number, in.provisional_number);
  EXPECT_EQ(out.source, in.source);
  EXPECT_EQ(out.received_at_ms, in.received_at_ms);
  EXPECT_EQ(out.citizen_name, in.citizen_name);
  EXPECT_EQ(out.citizen_phone, in.citizen_phone);
  EXPECT_EQ(out.community, in.community);
  EXPECT_EQ(out.address, in.address);
  EXPECT_EQ(out.category, in.category);
  EXPECT_EQ(out.urgency, in.urgency);
  EXPECT_EQ(out.title, in.title);
  EXPECT_EQ(out.description, in.description);
  EXPECT_EQ(out.status, in.status);
}

TEST(StoreTickets, ListsNewestReceivedFirst) {
  test::TempDir dir;
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_ticket(make_ticket('a', 1000)));
  ASSERT_TRUE(store->create_ticket(make_ticket('c', 3000)));
  ASSERT_TRUE(store->create_ticket(make_ticket('b', 2000)));
  auto list = store->list_tickets();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id[0], 'c');
  EXPECT_EQ((*list)[1].id[0], 'b');
  EXPECT_EQ((*list)[2].id[0], 'a');
  auto page = store->list_tickets({.limit = 1, .offset = 1});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id[0], 'b');
}

TEST(StoreTickets, RejectsAnInvalidTicketAndSavesNothing) {
  test::TempDir dir;
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  Ticket t = make_ticket('a', 1000);
  t.title.clear();
  t.citizen_phone = "12345";
  auto r = store->create_ticket(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(r.error().detail, "[store.create_ticket] citizen_phone bad_format, title missing");
  EXPECT_EQ(*store->count_tickets(), 0);
}

TEST(StoreTickets, RejectsADuplicateId) {
  test::TempDir dir;
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_ticket(make_ticket('a', 1000)));
  auto r = store->create_ticket(make_ticket('a', 2000));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "[store.create_ticket] ticket aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa exists");
}

TEST(StoreTickets, AnUnknownCodeOnDiskIsReportedAsCorrupt) {
  test::TempDir dir;
  {
    auto store = Store::open(dir.file("a.db"));
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create_ticket(make_ticket('a', 1000)));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("a.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE tickets SET status = 'lost'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  auto list = store->list_tickets();
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::Corrupt);
}

TEST(StoreProvisional, SequencesCountPerDayAndSurviveReopening) {
  test::TempDir dir;
  {
    auto store = Store::open(dir.file("a.db"));
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->next_provisional_sequence(20261129), 1);
    EXPECT_EQ(*store->next_provisional_sequence(20261129), 2);
    EXPECT_EQ(*store->next_provisional_sequence(20261130), 1);
  }
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->next_provisional_sequence(20261129), 3);
}

TEST(StoreTickets, ABatchIsStoredWholeOrNotAtAll) {
  test::TempDir dir;
  auto store = Store::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  auto n = store->create_tickets({make_ticket('a', 1), make_ticket('b', 2)});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  Ticket broken = make_ticket('d', 4);
  broken.title.clear();
  auto refused = store->create_tickets({make_ticket('c', 3), broken});
  ASSERT_FALSE(refused);
  EXPECT_EQ(*store->count_tickets(), 2);  // 'c' went back out with the batch.
}

}  // namespace
}  // namespace linli
