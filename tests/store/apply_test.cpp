// The change log in a real SQLite file: batches, idempotence (R9), one fold order (R10), the
// server's clamp (R11), search, restarts, and a failing write in the middle of a batch.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "store/store.h"
#include "support/changes.h"
#include "support/fault_vfs.h"
#include "support/stores.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

using test::dump;
using test::Maker;
using test::open_store;
using test::pull_all;
using test::statuses;
using F = EditableField;
using A = WorkflowAction;
using S = TicketStatus;

constexpr int64_t kNow = 1'772'000'000'000;
const std::string kT = test::ticket_id(1);

TEST(StoreApply, ABatchIsLoggedAndFoldedIntoItsTicket) {
  test::TempDir dir;
  Store s = open_store(dir, "a.db");
  Maker m(test::replica(1));
  const Change create = m.create(kT, kNow);
  const Change urgent = m.set(kT, kNow + 1, F::Urgency, "urgent");
  const Change note = m.note(kT, kNow + 2, EntryKind::Contact, "已电话联系王女士");
  auto r = s.apply_changes({create, urgent, note}, ApplyMode::Local, kNow);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(statuses(*r), (std::vector<ApplyStatus>(3, ApplyStatus::Applied)));
  auto state = s.get_ticket_state(kT);
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->ticket.urgency, Urgency::Urgent);
  EXPECT_EQ((*state)->work_count, 1);
  EXPECT_EQ((*state)->fields[static_cast<size_t>(F::Urgency)].id, urgent.id);
  EXPECT_EQ(s.applied_counter(test::replica(1)), 3u);
  auto unsent = s.unsent_changes(test::replica(1), 10);
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 3u);
  EXPECT_EQ(encode_change_record((*unsent)[2]), encode_change_record(note));
  // The old ticket API sees the merged ticket.
  auto t = s.get_ticket(kT);
  ASSERT_TRUE(t && t->has_value());
  EXPECT_EQ((*t)->urgency, Urgency::Urgent);
}

TEST(MergeInStore, R9_ADuplicateChangeIsAppliedOnceWhateverTheBatch) {
  test::TempDir dir;
  Store s = open_store(dir, "a.db");
  Maker m(test::replica(1));
  const std::vector<Change> batch = {m.create(kT, kNow), m.note(kT, kNow + 1), m.set(kT, kNow + 2, F::Title, "新标题")};
  ASSERT_TRUE(s.apply_changes(batch, ApplyMode::Accept, kNow));
  const std::string before = *s.canonical_dump();
  auto again = s.apply_changes(batch, ApplyMode::Accept, kNow);
  ASSERT_TRUE(again);
  EXPECT_EQ(statuses(*again), (std::vector<ApplyStatus>(3, ApplyStatus::Duplicate)));
  auto mixed = s.apply_changes({batch[1], batch[1]}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(*s.canonical_dump(), before);
  EXPECT_EQ(*s.count_changes(), 3);
}

TEST(StoreApply, TheServerTakesNoChangeAfterAGapInItsReplicasCounter) {
  test::TempDir dir;
  Store s = open_store(dir, "server.db");
  Maker m(test::replica(1));
  const Change c1 = m.create(kT, kNow), c2 = m.note(kT, kNow + 1), c3 = m.note(kT, kNow + 2);
  auto r = s.apply_changes({c1, c3}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(statuses(*r), (std::vector<ApplyStatus>{ApplyStatus::Applied, ApplyStatus::Gap}));
  EXPECT_EQ((*r)[0].seq, 1);
  r = s.apply_changes({c2, c3}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(statuses(*r), (std::vector<ApplyStatus>{ApplyStatus::Applied, ApplyStatus::Applied}));
  EXPECT_EQ((*r)[1].seq, 3);
}

TEST(StoreApply, AnInvalidChangeIsRefusedWithItsReason) {
  test::TempDir dir;
  Store s = open_store(dir, "server.db");
  Maker m(test::replica(1));
  Change bad = m.set(kT, kNow, F::Urgency, "whenever");
  auto r = s.apply_changes({bad}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].status, ApplyStatus::Invalid);
  EXPECT_EQ((*r)[0].detail, "[change] " + to_string(bad.id) + ": bad value for urgency");
  EXPECT_EQ(*s.count_changes(), 0);
}

TEST(MergeInStore, R10_AnOlderServerChangeArrivingBeneathPendingOnesRefoldsTheTicket) {
  test::TempDir dir;
  Store server = open_store(dir, "server.db");
  Store a = open_store(dir, "a.db");
  Store b = open_store(dir, "b.db");
  Maker ma(test::replica(1)), mb(test::replica(2));
  // A creates; everyone gets it.
  const Change create = ma.create(kT, kNow);
  ASSERT_TRUE(a.apply_changes({create}, ApplyMode::Local, kNow));
  ASSERT_TRUE(server.apply_changes({create}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(a.apply_pulled(pull_all(server), kNow));
  ASSERT_TRUE(b.apply_pulled(pull_all(server), kNow));
  // Concurrent title edits on the created version: B's has the later clock, A's reaches the server first.
  const Change ta = ma.set(kT, kNow + 10, F::Title, "甲改的标题");
  const Change tb = mb.set(kT, kNow + 20, F::Title, "乙改的标题");
  ASSERT_TRUE(a.apply_changes({ta}, ApplyMode::Local, kNow));
  ASSERT_TRUE(b.apply_changes({tb}, ApplyMode::Local, kNow));
  ASSERT_TRUE(server.apply_changes({ta}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(server.apply_changes({tb}, ApplyMode::Accept, kNow));
  // B pulls A's edit beneath its own pending one, then gets its own back: same state as the server.
  ASSERT_TRUE(b.apply_pulled(pull_all(server, 1), kNow));
  ASSERT_TRUE(a.apply_pulled(pull_all(server, 1), kNow));
  EXPECT_EQ(*b.canonical_dump(), *server.canonical_dump());
  EXPECT_EQ(*a.canonical_dump(), *server.canonical_dump());
  auto st = server.get_ticket_state(kT);
  EXPECT_EQ((*st)->ticket.title, "乙改的标题");
  EXPECT_EQ(b.unsent_changes(test::replica(2), 10)->size(), 0u);
}

// The committee's basement note, written before the centre closed, reaches the server after the
// close: the ticket goes to review on the server, on the committee's replica (its note pulled back
// above the close) and on the centre's, with the review record kept; as when the note comes first.
TEST(MergeInStore, R5_ANoteWrittenBeforeTheCloseButPushedAfterItSendsTheTicketToReviewEverywhere) {
  test::TempDir dir;
  Store server = open_store(dir, "server.db");
  Store centre = open_store(dir, "centre.db");
  Store committee = open_store(dir, "committee.db");
  Maker mc(test::replica(1)), mk(test::replica(2), Role::Committee, "李主任"), md(test::replica(3), Role::Department, "管理办");
  std::vector<Change> steps = {mc.create(kT, kNow)};
  steps.push_back(mc.move(kT, kNow + 10, A::Assign, S::Received, {}));
  steps.push_back(md.move(kT, kNow + 20, A::Handle, S::Assigned, steps.back().id));
  ASSERT_TRUE(centre.apply_changes(steps, ApplyMode::Local, kNow));
  ASSERT_TRUE(server.apply_changes(steps, ApplyMode::Accept, kNow));
  ASSERT_TRUE(centre.apply_pulled(pull_all(server), kNow));
  ASSERT_TRUE(committee.apply_pulled(pull_all(server), kNow));
  // In the basement: a note at +30. At the centre: the return visit's step at +40, not seeing it.
  const Change note = mk.note(kT, kNow + 30, EntryKind::HandlingNote, "地下室补记：杂物已清运");
  ASSERT_TRUE(committee.apply_changes({note}, ApplyMode::Local, kNow));
  const Change visit = mc.move(kT, kNow + 40, A::ReturnVisit, S::Handled, steps.back().id, /*seen_work=*/0);
  ASSERT_TRUE(centre.apply_changes({visit}, ApplyMode::Local, kNow));
  ASSERT_TRUE(server.apply_changes({visit}, ApplyMode::Accept, kNow));
  EXPECT_EQ((*server.get_ticket_state(kT))->ticket.status, S::Visited);
  ASSERT_TRUE(server.apply_changes({note}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(committee.apply_pulled(pull_all(server, 3), kNow));
  ASSERT_TRUE(centre.apply_pulled(pull_all(server, 3), kNow));
  EXPECT_EQ((*server.get_ticket_state(kT))->ticket.status, S::Review);
  EXPECT_EQ(*committee.canonical_dump(), *server.canonical_dump());
  EXPECT_EQ(*centre.canonical_dump(), *server.canonical_dump());
  EXPECT_NE(server.canonical_dump()->find("[merge.R5] work made before visited came in after it"), std::string::npos);
  // What the app says of it: the note came late; the step it preceded, who took it and when.
  auto why = centre.review_cause(kT);
  ASSERT_TRUE(why && why->has_value());
  EXPECT_TRUE((*why)->late_work);
  EXPECT_EQ((*why)->meant, S::Visited);
  EXPECT_EQ((*why)->step, visit.id);
  EXPECT_EQ((*why)->step_author.user, "值班员甲");
  EXPECT_EQ((*why)->step_at_ms, kNow + 40);
  EXPECT_EQ((*why)->work, note.id);
  EXPECT_EQ((*why)->work_author.user, "李主任");
  EXPECT_EQ((*why)->work_entry, EntryKind::HandlingNote);
  // A step that missed work already folded: the step is the cause.
  const Change reopen = mc.move(kT, kNow + 50, A::Reopen, S::Review, note.id);
  const Change handle = md.move(kT, kNow + 60, A::Handle, S::InProgress, reopen.id, /*seen_work=*/1);
  const Change late = mk.note(kT, kNow + 55, EntryKind::Comment, "市民又来电");
  ASSERT_TRUE(server.apply_changes({reopen, late, handle}, ApplyMode::Accept, kNow));
  auto again = server.review_cause(kT);
  ASSERT_TRUE(again && again->has_value());
  EXPECT_FALSE((*again)->late_work);
  EXPECT_EQ((*again)->step, handle.id);
  EXPECT_EQ((*again)->meant, S::Handled);
  EXPECT_EQ((*again)->step_author.user, "管理办");
}

TEST(MergeInStore, R10_AnAcknowledgementThatPlacesAPendingChangeEarlierRefoldsTheTicket) {
  test::TempDir dir;
  Store server = open_store(dir, "server.db");
  Store a = open_store(dir, "a.db");
  Maker ma(test::replica(1)), mb(test::replica(2), Role::Centre);
  const Change create = mb.create(kT, kNow);
  ASSERT_TRUE(server.apply_changes({create}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(a.apply_pulled(pull_all(server), kNow));
  const Change mine = ma.move(kT, kNow + 50, A::Assign, S::Received, {});        // Pending at A.
  ASSERT_TRUE(a.apply_changes({mine}, ApplyMode::Local, kNow));
  auto accepted = server.apply_changes({mine}, ApplyMode::Accept, kNow);       // seq 2.
  const Change theirs = mb.move(kT, kNow + 10, A::ContactCitizen, S::Received, {});  // seq 3, concurrent.
  ASSERT_TRUE(server.apply_changes({theirs}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(a.apply_pulled({pull_all(server, 2)}, kNow));  // A folds theirs beneath its own pending one.
  ASSERT_TRUE(a.acknowledge({Ack{mine.id, (*accepted)[0].seq, (*accepted)[0].stamp, 0}}));
  EXPECT_EQ(*a.canonical_dump(), *server.canonical_dump());
}

TEST(MergeInStore, R11_TheServerClampsAStampFarAheadAndTheAuthorTakesTheClampedOne) {
  test::TempDir dir;
  Store server = open_store(dir, "server.db");
  Store a = open_store(dir, "a.db");
  Maker ahead(test::replica(1));
  const int64_t day = 86'400'000;
  const Change create = ahead.create(kT, kNow + day);  // A's clock is a day fast.
  ASSERT_TRUE(a.apply_changes({create}, ApplyMode::Local, kNow + day));
  auto r = server.apply_changes({create}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].stamp, (Hlc{kNow + kMaxClockAheadMs, 0}));
  EXPECT_EQ((*r)[0].skew_ms, day);
  EXPECT_EQ(server.max_clock_skew_ms(), day);
  ASSERT_TRUE(a.acknowledge({Ack{create.id, (*r)[0].seq, (*r)[0].stamp, (*r)[0].skew_ms}}));
  EXPECT_EQ(*a.canonical_dump(), *server.canonical_dump());
  EXPECT_EQ(pull_all(server)[0].change.stamp, (Hlc{kNow + kMaxClockAheadMs, 0}));
}

TEST(StoreApply, ReopeningKeepsTheVersionVectorClockCursorAndOutbox) {
  test::TempDir dir;
  Maker m(test::replica(1));
  Hlc last;
  {
    Store s = open_store(dir, "a.db");
    ASSERT_TRUE(s.apply_changes({m.create(kT, kNow), m.note(kT, kNow + 5)}, ApplyMode::Local, kNow));
    last = s.stamp_now(kNow);
    ASSERT_TRUE(s.apply_changes({m.note(kT, kNow + 6)}, ApplyMode::Local, kNow));
  }
  Store s = open_store(dir, "a.db");
  EXPECT_EQ(s.applied_counter(test::replica(1)), 3u);
  EXPECT_GT(s.stamp_now(0), last);
  EXPECT_EQ(s.unsent_changes(test::replica(1), 10)->size(), 3u);
  auto again = s.apply_changes({m.note(kT, kNow + 7)}, ApplyMode::Local, kNow);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0].status, ApplyStatus::Applied);
}

TEST(StoreSearch, FindsChineseTextInTitleDescriptionAndAddress) {
  test::TempDir dir;
  Store s = open_store(dir, "a.db");
  Maker m(test::replica(1));
  const std::string t2 = test::ticket_id(2);
  const Change c1 = m.create(kT, kNow);
  Change c2 = m.create(t2, kNow);
  c2.ticket.title = "夜间施工噪音";
  c2.ticket.address = "河滨花园3号楼";
  ASSERT_TRUE(s.apply_changes({c1, c2}, ApplyMode::Local, kNow));
  EXPECT_EQ(*s.search_tickets("施工噪音"), (std::vector<std::string>{t2}));
  EXPECT_EQ(*s.search_tickets("927弄"), (std::vector<std::string>{kT}));
  EXPECT_EQ(*s.search_tickets("噪音"), (std::vector<std::string>{t2}));  // Two characters: a scan.
  // A title edit moves the ticket in the index.
  ASSERT_TRUE(s.apply_changes({m.set(t2, kNow + 1, F::Title, "楼上漏水")}, ApplyMode::Local, kNow));
  EXPECT_TRUE(s.search_tickets("施工噪音")->empty());
  EXPECT_EQ(*s.search_tickets("楼上漏水"), (std::vector<std::string>{t2}));
  EXPECT_TRUE(s.search_tickets("\"")->empty());
}

// What the search index holds, read beside the store: the tickets in it and the bytes of its segments.
std::pair<int64_t, int64_t> search_index_size(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* q = nullptr;
  std::pair<int64_t, int64_t> out{-1, -1};
  const char* sql = "SELECT (SELECT count(*) FROM ticket_search_docsize), total(length(block)) FROM ticket_search_data";
  if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    out = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

TEST(StoreSearch, AnEditRewritesOnlyTheColumnsItChangedSoTheIndexMovesOnlyForSearchedText) {
  test::TempDir dir;
  Store s = open_store(dir, "a.db");
  Maker m(test::replica(1));
  const Change create = m.create(kT, kNow);
  ASSERT_TRUE(s.apply_changes({create}, ApplyMode::Local, kNow));
  const auto before = search_index_size(dir.file("a.db"));
  ASSERT_GT(before.first, 0);
  // Urgency, category and the lead department are not searched: the index is not touched.
  ASSERT_TRUE(s.apply_changes({m.set(kT, kNow + 1, F::Urgency, "urgent"), m.set(kT, kNow + 2, F::Category, "noise"),
                               m.set(kT, kNow + 3, F::LeadDepartment, "房管办")},
                              ApplyMode::Local, kNow));
  EXPECT_EQ(search_index_size(dir.file("a.db")), before);
  auto state = s.get_ticket_state(kT);
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->ticket.urgency, Urgency::Urgent);
  EXPECT_EQ((*state)->lead_department, "房管办");
  // The citizen's name is: the ticket moves in the index, in the same batch as an unsearched edit.
  ASSERT_TRUE(s.apply_changes({m.set(kT, kNow + 4, F::CitizenName, "陈堃"), m.set(kT, kNow + 5, F::Urgency, "normal")},
                              ApplyMode::Local, kNow));
  EXPECT_NE(search_index_size(dir.file("a.db")), before);
  EXPECT_EQ(*s.search_tickets("陈堃"), (std::vector<std::string>{kT}));
  EXPECT_TRUE(s.search_tickets(create.ticket.citizen_name)->empty());
  // The row on disk is the state folded (read again from the file, not the batch's memory).
  Store again = open_store(dir, "a.db");
  auto reread = again.get_ticket_state(kT);
  ASSERT_TRUE(reread && reread->has_value());
  EXPECT_EQ((*reread)->ticket.citizen_name, "陈堃");
  EXPECT_EQ((*reread)->ticket.urgency, Urgency::Normal);
  EXPECT_EQ((*reread)->ticket.category, Category::Noise);
}

// Each set of changed columns has an UPDATE of its own, up to 64; past them one statement sets
// every column. Stop 24's CI found that its caller still bound only the changed ones, so the others
// were set to NULL (a convergence seed failed on tickets.official_number NOT NULL).
TEST(StoreApply, EditsThatChangeMoreThan64DifferentSetsOfColumnsAreAllWritten) {
  test::TempDir dir;
  Store s = open_store(dir, "a.db");
  Maker m(test::replica(1));
  ASSERT_TRUE(s.apply_changes({m.create(kT, kNow)}, ApplyMode::Local, kNow));
  const F fields[] = {F::Title,       F::Description,  F::Address,  F::Community,
                      F::CitizenName, F::CitizenPhone, F::Urgency,  F::Category};
  int64_t ms = kNow;
  bool urgent = false, noise = false;
  std::string title;
  for (uint32_t set = 1; set < 256; ++set) {  // 255 different sets of columns, one batch each.
    std::vector<Change> batch;
    const std::string n = std::to_string(set);
    for (size_t b = 0; b < std::size(fields); ++b) {
      if (!(set & (1u << b))) continue;
      std::string value = "第" + n + "次";
      if (fields[b] == F::CitizenPhone) value = std::to_string(13'800'000'000 + set);
      if (fields[b] == F::Urgency) value = (urgent = !urgent) ? "urgent" : "normal";
      if (fields[b] == F::Category) value = (noise = !noise) ? "noise" : "other";
      if (fields[b] == F::Title) title = value;
      batch.push_back(m.set(kT, ++ms, fields[b], value));
    }
    auto r = s.apply_changes(batch, ApplyMode::Local, kNow);
    ASSERT_TRUE(r) << "set " << set << ": " << r.error().detail;
    for (const auto& x : *r) ASSERT_EQ(x.status, ApplyStatus::Applied) << "set " << set;
  }
  Store again = open_store(dir, "a.db");
  auto state = again.get_ticket_state(kT);
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->ticket.title, title);
  EXPECT_EQ((*state)->ticket.urgency, urgent ? Urgency::Urgent : Urgency::Normal);
  EXPECT_EQ((*state)->ticket.category, noise ? Category::Noise : Category::Other);
  EXPECT_EQ((*state)->ticket.citizen_phone, "13800000255");
  EXPECT_EQ(*again.search_tickets(title), (std::vector<std::string>{kT}));
}

// The names of the indexes and triggers in the file, sorted.
std::vector<std::string> schema_names(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* q = nullptr;
  std::vector<std::string> out;
  if (sqlite3_prepare_v2(db, "SELECT type || ' ' || name FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY 1",
                         -1, &q, nullptr) == SQLITE_OK)
    while (sqlite3_step(q) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

TEST(StoreSearch, AServersStoreKeepsNoInboxOrSearchIndexAndOpenedAsAReplicaMakesThemAgain) {
  test::TempDir dir;
  { Store fresh = open_store(dir, "replica.db"); }
  const std::vector<std::string> replica_schema = schema_names(dir.file("replica.db"));
  ASSERT_NE(std::find(replica_schema.begin(), replica_schema.end(), "index inbox_by_due"), replica_schema.end());
  ASSERT_NE(std::find(replica_schema.begin(), replica_schema.end(), "trigger ticket_search_update"), replica_schema.end());
  Maker m(test::replica(1));
  {
    Store server = open_store(dir, "server.db", {.use = StoreUse::Server});
    ASSERT_TRUE(server.apply_changes({m.create(kT, kNow), m.set(kT, kNow + 1, F::CitizenName, "陈堃")},
                                     ApplyMode::Accept, kNow));
    EXPECT_EQ(search_index_size(dir.file("server.db")).first, 0);
    for (const std::string& name : schema_names(dir.file("server.db"))) {
      EXPECT_EQ(name.find("inbox_"), std::string::npos) << name;
      EXPECT_EQ(name.find("ticket_search"), std::string::npos) << name;
    }
    // The server's folds and reads are as a replica's without them.
    auto state = server.get_ticket_state(kT);
    ASSERT_TRUE(state && state->has_value());
    EXPECT_EQ((*state)->ticket.citizen_name, "陈堃");
  }
  {
    Store reader = open_store(dir, "server.db", {.use = StoreUse::Server});  // Opened again: nothing to do.
  }
  EXPECT_EQ(search_index_size(dir.file("server.db")).first, 0);
  {
    Store replica = open_store(dir, "server.db");
    EXPECT_EQ(schema_names(dir.file("server.db")), replica_schema);
    EXPECT_EQ(*replica.search_tickets("陈堃"), (std::vector<std::string>{kT}));
    ASSERT_TRUE(replica.apply_changes({m.set(kT, kNow + 2, F::CitizenName, "王喆")}, ApplyMode::Accept, kNow));
    EXPECT_EQ(*replica.search_tickets("王喆"), (std::vector<std::string>{kT}));
    InboxQuery q;
    auto page = replica.inbox_page(q);
    ASSERT_TRUE(page) << page.error().detail;
    EXPECT_EQ(page->size(), 1u);
  }
  { Store server = open_store(dir, "server.db", {.use = StoreUse::Server}); }
  EXPECT_EQ(search_index_size(dir.file("server.db")).first, 0);
  EXPECT_EQ(schema_names(dir.file("server.db")).size() + 15, replica_schema.size());
}

// FTS5's count of the leaves it has written to level 0 (its structure record, rowid 10 of
// ticket_search_data: a cookie, the V2 mark, the numbers of levels and segments, then this).
int64_t search_leaves_written(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* q = nullptr;
  std::string block;
  if (sqlite3_prepare_v2(db, "SELECT block FROM ticket_search_data WHERE id = 10", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    block.assign(static_cast<const char*>(sqlite3_column_blob(q, 0)), static_cast<size_t>(sqlite3_column_bytes(q, 0)));
  sqlite3_finalize(q);
  sqlite3_close(db);
  size_t at = 4;
  if (block.compare(at, 4, std::string("\xFF\x00\x00\x01", 4)) == 0) at += 4;
  const auto varint = [&] {  // SQLite's varint: big-endian groups of 7 bits, a ninth byte of 8.
    uint64_t v = 0;
    for (int i = 0; i < 9 && at < block.size(); ++i) {
      const auto b = static_cast<uint8_t>(block[at++]);
      if (i == 8) return static_cast<int64_t>((v << 8) | b);
      v = (v << 7) | (b & 0x7F);
      if (!(b & 0x80)) break;
    }
    return static_cast<int64_t>(v);
  };
  if (block.size() < 8) return -1;
  varint();  // Levels.
  varint();  // Segments.
  return varint();
}

int64_t search_pending_rows(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  int64_t n = -1;
  sqlite3_exec(db, "SELECT count(*) FROM search_pending",
               [](void* out, int, char** v, char**) { *static_cast<int64_t*>(out) = std::atoll(v[0]); return 0; }, &n,
               nullptr);
  sqlite3_close(db);
  return n;
}

TEST(StoreSearch, ABatchOfNewTicketsWritesTheSearchIndexOnceNotTicketByTicket) {
  test::TempDir dir;
  Store s = open_store(dir, "a.db");
  Maker m(test::replica(1));
  ASSERT_TRUE(s.apply_changes({m.create(kT, kNow)}, ApplyMode::Accept, kNow));
  const int64_t leaves_before = search_leaves_written(dir.file("a.db"));
  ASSERT_GE(leaves_before, 1);
  // 300 new tickets in one batch, each with a name of its own, as a pull answer brings them.
  constexpr int kNew = 300;
  const auto name = [](int i, const char* family) {
    char b[32];
    std::snprintf(b, sizeof b, "%s%04d", family, i);
    return std::string(b);
  };
  std::vector<Change> batch;
  for (int i = 0; i < kNew; ++i) {
    const std::string t = test::ticket_id(1000 + i);
    batch.push_back(m.create(t, kNow + i));
    batch.push_back(m.set(t, kNow + i, F::CitizenName, name(i, "住户")));
    batch.push_back(m.note(t, kNow + i));
  }
  ASSERT_TRUE(s.apply_changes(batch, ApplyMode::Accept, kNow));
  // Written ticket by ticket, FTS5 flushed a segment of at least one leaf for each (its pending
  // terms go to disk at every statement's savepoint): 300 leaves and more. Written once, the 300
  // tickets' text fills a few dozen leaves.
  const int64_t leaves = search_leaves_written(dir.file("a.db")) - leaves_before;
  std::printf("leaves written for %d new tickets: %lld\n", kNew, static_cast<long long>(leaves));
  EXPECT_GT(leaves, 0);
  EXPECT_LT(leaves, kNew / 3);
  EXPECT_EQ(search_pending_rows(dir.file("a.db")), 0);
  for (int i : {0, 7, 150, 299})
    EXPECT_EQ(*s.search_tickets(name(i, "住户")), (std::vector<std::string>{test::ticket_id(1000 + i)})) << i;
  EXPECT_EQ(s.search_tickets("住户", 1000)->size(), static_cast<size_t>(kNew));
  // Renamed in one batch: found by the new name only, each once.
  std::vector<Change> renames;
  for (int i = 0; i < 10; ++i)
    renames.push_back(m.set(test::ticket_id(1000 + i), kNow + 1000 + i, F::CitizenName, name(i, "王喆")));
  ASSERT_TRUE(s.apply_changes(renames, ApplyMode::Accept, kNow));
  EXPECT_EQ(s.search_tickets("住户", 1000)->size(), static_cast<size_t>(kNew - 10));
  EXPECT_EQ(*s.search_tickets(name(3, "王喆")), (std::vector<std::string>{test::ticket_id(1003)}));
  EXPECT_TRUE(s.search_tickets(name(3, "住户"))->empty());
  // Tickets taken out of the store leave the index in the same transaction.
  ASSERT_TRUE(s.forget_tickets({test::ticket_id(1003), test::ticket_id(1200)}, kNow));
  EXPECT_TRUE(s.search_tickets(name(3, "王喆"))->empty());
  EXPECT_TRUE(s.search_tickets(name(200, "住户"))->empty());
  EXPECT_EQ(s.search_tickets("住户", 1000)->size(), static_cast<size_t>(kNew - 11));
  EXPECT_EQ(search_pending_rows(dir.file("a.db")), 0);
  // Reopened: the same answers from the file.
  Store again = open_store(dir, "a.db");
  EXPECT_EQ(again.search_tickets("住户", 1000)->size(), static_cast<size_t>(kNew - 11));
  EXPECT_EQ(*again.search_tickets(name(150, "住户")), (std::vector<std::string>{test::ticket_id(1150)}));
}

TEST(StoreSearch, AServersStoreFromBeforeTheBatchedSearchLosesTheTriggersTheMigrationMakesAgain) {
  test::TempDir dir;
  { Store fresh = open_store(dir, "replica.db"); }
  const std::vector<std::string> replica_schema = schema_names(dir.file("replica.db"));
  // A server's store as the build before migration 12 left it: shaped for the server at version 11.
  const std::vector<Migration> eleven(schema_migrations().begin(), schema_migrations().begin() + 11);
  ASSERT_TRUE(Store::open_with(dir.file("server.db"), {}, eleven));
  {
    std::string sql = "DROP TRIGGER ticket_search_insert; DROP TRIGGER ticket_search_update; "
                      "DROP TRIGGER ticket_search_delete; INSERT INTO meta (key, value) VALUES ('store.use', 'server');";
    for (const std::string& n : schema_names(dir.file("server.db")))
      if (n.rfind("index inbox_", 0) == 0) sql += "DROP INDEX " + n.substr(6) + ";";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("server.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  {
    Store server = open_store(dir, "server.db", {.use = StoreUse::Server});
    for (const std::string& n : schema_names(dir.file("server.db"))) {
      EXPECT_EQ(n.find("inbox_"), std::string::npos) << n;
      EXPECT_EQ(n.find("ticket_search"), std::string::npos) << n;
    }
    Maker m(test::replica(1));
    ASSERT_TRUE(server.apply_changes({m.create(kT, kNow)}, ApplyMode::Accept, kNow));
    EXPECT_EQ(search_pending_rows(dir.file("server.db")), 0);
    EXPECT_EQ(search_index_size(dir.file("server.db")).first, 0);
  }
  {
    Store replica = open_store(dir, "server.db");
    EXPECT_EQ(schema_names(dir.file("server.db")), replica_schema);
    auto state = replica.get_ticket_state(kT);
    ASSERT_TRUE(state && state->has_value());
    EXPECT_EQ(*replica.search_tickets((*state)->ticket.citizen_name), (std::vector<std::string>{kT}));
  }
}

// Fault injection: fail the 1st, 2nd, ... write of a batch until it gets through. Each failure
// must leave the store exactly as before, and the batch must apply cleanly afterwards.
TEST(StoreFaults, AWriteFailingInTheMiddleOfABatchLeavesNoPartialState) {
  test::FaultVfs::install();
  test::TempDir dir;
  StoreOptions o;
  o.vfs = test::FaultVfs::kName;
  o.cache_pages = 4;  // Spill pages mid-transaction so writes happen before the commit too.
  Maker m(test::replica(1));
  std::vector<Change> first, batch;
  first.push_back(m.create(kT, kNow));
  for (int i = 0; i < 20; ++i) {
    const std::string t = test::ticket_id(100 + i);
    batch.push_back(m.create(t, kNow + i));
    batch.push_back(m.note(t, kNow + i, EntryKind::HandlingNote, std::string(300, 'x')));
    batch.push_back(m.set(kT, kNow + i, F::Description, "第" + std::to_string(i) + "次更新"));
  }
  Store reference = open_store(dir, "ref.db");
  ASSERT_TRUE(reference.apply_changes(first, ApplyMode::Accept, kNow));
  ASSERT_TRUE(reference.apply_changes(batch, ApplyMode::Accept, kNow));
  const std::string want = *reference.canonical_dump();

  int failures = 0;
  for (int nth = 1; nth < 10000; ++nth) {
    const std::string name = "f" + std::to_string(nth) + ".db";
    Store s = open_store(dir, name, o);
    ASSERT_TRUE(s.apply_changes(first, ApplyMode::Accept, kNow));
    const std::string before = dump(s);
    test::FaultVfs::arm(nth);
    auto r = s.apply_changes(batch, ApplyMode::Accept, kNow);
    test::FaultVfs::disarm();
    if (r) {
      EXPECT_EQ(dump(s), want);
      break;
    }
    ++failures;
    EXPECT_EQ(r.error().code, ErrorCode::Storage);
    EXPECT_EQ(dump(s), before) << "after failing write " << nth;
    EXPECT_EQ(s.applied_counter(test::replica(1)), 1u);
    auto retry = s.apply_changes(batch, ApplyMode::Accept, kNow);  // Same connection, disk back.
    ASSERT_TRUE(retry) << retry.error().detail;
    EXPECT_EQ(dump(s), want) << "retry after failing write " << nth;
    s = open_store(dir, name, o);  // And from disk.
    EXPECT_EQ(dump(s), want) << "reopened after failing write " << nth;
  }
  EXPECT_GT(failures, 3) << "the batch should write several times before its commit";
  std::printf("failing writes tried: %d\n", failures);
}

TEST(StoreApply, ATicketsHistoryComesBackInSequenceOrderUpToAGivenNumber) {
  test::TempDir dir;
  Store s = open_store(dir, "server.db");
  Maker m(test::replica(1));
  const std::string other = test::ticket_id(2);
  // Two tickets' changes interleaved over several batches: each ticket's log is its own chain.
  ASSERT_TRUE(s.apply_changes({m.create(kT, kNow), m.create(other, kNow + 1)}, ApplyMode::Accept, kNow));  // 1, 2
  ASSERT_TRUE(s.apply_changes({m.set(other, kNow + 2, F::Title, "乙"), m.note(kT, kNow + 3)}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(s.apply_changes({m.set(kT, kNow + 4, F::Urgency, "urgent")}, ApplyMode::Accept, kNow));  // 5
  auto all = s.changes_of_ticket(kT, 100);
  ASSERT_TRUE(all) << all.error().detail;
  std::vector<int64_t> seqs;
  for (const auto& c : *all) {
    EXPECT_EQ(c.change.ticket_id, kT);
    seqs.push_back(c.seq);
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 4, 5}));
  EXPECT_EQ(s.changes_of_ticket(kT, 4)->size(), 2u);
  EXPECT_EQ(s.changes_of_ticket(test::ticket_id(9), 100)->size(), 0u);
  // And after a restart, from disk.
  s = open_store(dir, "server.db");
  EXPECT_EQ(s.changes_of_ticket(other, 100)->size(), 2u);
}

TEST(StoreApply, ChangesToATicketNotHereYetStayInItsLog) {
  test::TempDir dir;
  Store s = open_store(dir, "server.db");
  Maker ma(test::replica(1)), mb(test::replica(2));
  // B edits a ticket this store does not have: logged, rejected (R1), kept in the ticket's log.
  auto r = s.apply_changes({mb.set(kT, kNow, F::Title, "乙")}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].status, ApplyStatus::Applied);
  ASSERT_TRUE(s.apply_changes({ma.create(kT, kNow + 1), ma.note(kT, kNow + 2)}, ApplyMode::Accept, kNow));
  auto history = s.changes_of_ticket(kT, 100);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].change.id.replica, test::replica(2));
  EXPECT_EQ((*s.get_ticket_state(kT))->work_count, 1);
}

// Batches keep the tickets they committed in memory for the next batch; a write by anyone else
// must be seen, not overwritten with the remembered row.
TEST(StoreApply, ABatchSeesATicketRowAnotherConnectionChanged) {
  test::TempDir dir;
  Store s = open_store(dir, "server.db");
  Maker m(test::replica(1));
  ASSERT_TRUE(s.apply_changes({m.create(kT, kNow)}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(s.apply_changes({m.set(kT, kNow + 1, F::CitizenName, "王女士")}, ApplyMode::Accept, kNow));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("server.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE tickets SET citizen_phone = '021-62981234'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto second = s.apply_changes({m.set(kT, kNow + 2, F::Urgency, "urgent")}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(second) << second.error().detail;
  auto t = s.get_ticket(kT);
  ASSERT_TRUE(t && t->has_value());
  EXPECT_EQ((*t)->citizen_phone, "021-62981234");
  EXPECT_EQ((*t)->urgency, Urgency::Urgent);
  EXPECT_EQ((*t)->citizen_name, "王女士");
}

TEST(StoreApply, AFailedBatchLeavesNoTicketRememberedAsItsWrites) {
  test::TempDir dir;
  Store s = open_store(dir, "server.db");
  Maker m(test::replica(1));
  ASSERT_TRUE(s.apply_changes({m.create(kT, kNow)}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(s.apply_changes({m.set(kT, kNow + 1, F::Title, "新标题")}, ApplyMode::Accept, kNow));
  // A batch whose change log insert fails after its ticket was folded: the local order collides
  // with a row put there by another connection.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("server.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO changes (local_order, replica, counter, seq, prev, hlc, record) "
                             "VALUES (4, zeroblob(16), 1, NULL, 0, 0, x'00')", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_TRUE(s.apply_changes({m.set(kT, kNow + 2, F::Title, "再改")}, ApplyMode::Accept, kNow));  // Cached now.
  const Change urgent = m.set(kT, kNow + 3, F::Urgency, "urgent"), name = m.set(kT, kNow + 4, F::CitizenName, "李先生");
  auto r = s.apply_changes({urgent, name}, ApplyMode::Accept, kNow);  // Its second change is local order 4.
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Storage);
  EXPECT_EQ(s.applied_counter(test::replica(1)), 3u);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM changes WHERE local_order = 4", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  // The next batch folds on the ticket as committed, not as the failed batch left it in memory.
  ASSERT_TRUE(s.apply_changes({urgent}, ApplyMode::Accept, kNow));
  auto t = s.get_ticket_state(kT);
  ASSERT_TRUE(t && t->has_value());
  EXPECT_EQ((*t)->ticket.urgency, Urgency::Urgent);
  EXPECT_EQ((*t)->ticket.citizen_name, "王女士");
  EXPECT_EQ((*t)->ticket.title, "再改");
}

}  // namespace
}  // namespace linli
