// The store's co-handlers (merge rule R12): kept in the ticket's versions and in ticket_co_handlers,
// written in the fold's batch, the same after a refold and a reopen, and found by the inbox's
// "mine" filter for a department that co-handles.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <sqlite3.h>

#include "support/changes.h"
#include "support/stores.h"
#include "sync/calendar_json.h"

namespace linli {
namespace {

using test::Maker;
using E = EntryKind;

const std::string kT = test::ticket_id(1);
const std::string kU = test::ticket_id(2);
constexpr int64_t kNow = 1'772'000'100'000;

// The rows of ticket_co_handlers, as "ticket department state" lines.
std::vector<std::string> rows(const test::TempDir& dir, const char* name) {
  sqlite3* db = nullptr;
  std::vector<std::string> out;
  sqlite3_open(dir.file(name).c_str(), &db);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT ticket_id, department, state FROM ticket_co_handlers ORDER BY ticket_id, added", -1,
                     &q, nullptr);
  while (q && sqlite3_step(q) == SQLITE_ROW)
    out.push_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))).substr(30) + " " +
                  reinterpret_cast<const char*>(sqlite3_column_text(q, 1)) + " " +
                  reinterpret_cast<const char*>(sqlite3_column_text(q, 2)));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

class CoStore : public ::testing::Test {
 protected:
  std::vector<SequencedChange> log() {
    const Change add = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
    const Change add_u = centre.co(kU, 2100, E::CoHandlerAdded, "党群办");
    std::vector<Change> cs = {centre.create(kT, 1000),
                              centre.create(kU, 1001),
                              centre.set(kT, 1500, EditableField::LeadDepartment, "市容所"),
                              add,
                              add_u,
                              guanli.co(kT, 3000, E::CoReply, "已协助清理", add.id),
                              centre.co(kU, 3100, E::CoHandlerRemoved, "党群办", add_u.id)};
    std::vector<SequencedChange> out;
    for (size_t i = 0; i < cs.size(); ++i) out.push_back(SequencedChange{cs[i], static_cast<int64_t>(i + 1)});
    return out;
  }

  test::TempDir dir;
  Maker centre{test::replica(1), Role::Centre};
  Maker guanli{test::replica(3), Role::Department, "管理办甲"};
};

TEST_F(CoStore, R12_TheFoldWritesCoHandlerRowsAndTheyMatchAfterARefoldAndAReopen) {
  const auto in_order = log();
  {
    Store a = test::open_store(dir, "a.db");
    ASSERT_TRUE(a.apply_pulled(in_order, kNow));
    Store b = test::open_store(dir, "b.db");
    // The creates first (as a ticket always arrives), then newest first: every earlier change
    // arrives beneath one already folded, so R10 folds the ticket again.
    ASSERT_TRUE(b.apply_pulled({in_order[0], in_order[1]}, kNow));
    for (size_t i = in_order.size() - 1; i >= 2; --i) ASSERT_TRUE(b.apply_pulled({in_order[i]}, kNow));
    EXPECT_EQ(test::dump(a), test::dump(b));
    auto st = a.get_ticket_state(kT);
    ASSERT_TRUE(st && *st);
    ASSERT_EQ((*st)->co_handlers.size(), 1u);
    EXPECT_EQ((*st)->co_handlers[0].state(), CoHandlerState::Replied);
  }
  const std::vector<std::string> want = {"01 管理办 replied", "02 党群办 removed"};
  EXPECT_EQ(rows(dir, "a.db"), want);
  EXPECT_EQ(rows(dir, "b.db"), want);
  Store again = test::open_store(dir, "a.db");  // The versions keep the co-handlers across a reopen.
  auto st = again.get_ticket_state(kU);
  ASSERT_TRUE(st && *st);
  ASSERT_EQ((*st)->co_handlers.size(), 1u);
  EXPECT_TRUE((*st)->co_handlers[0].removed);
  EXPECT_EQ((*st)->co_handlers[0].department, "党群办");
}

TEST_F(CoStore, R12_MineForADepartmentIsWhatItLeadsOrCoHandles) {
  Store s = test::open_store(dir, "inbox.db");
  ASSERT_TRUE(s.apply_pulled(log(), kNow));
  const auto ids = [&](const std::string& department) {
    InboxQuery q;
    q.filter.lead_department = department;
    auto page = s.inbox_page(q);
    EXPECT_TRUE(page) << page.error().detail;
    std::vector<std::string> out;
    for (const InboxRow& r : *page) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids("管理办"), std::vector<std::string>{kT});  // Co-handles kT.
  EXPECT_EQ(ids("市容所"), std::vector<std::string>{kT});  // Leads it.
  EXPECT_TRUE(ids("党群办").empty());                      // Removed from kU.
  InboxFilter f;
  f.lead_department = "管理办";
  auto n = s.inbox_count(f);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
}

// A department's deadlines (InboxFilter::deadlines_of): the stages of the tickets it leads, and its
// own reply to each ticket it co-handles while that is pending (5 working days after it was added).
TEST_F(CoStore, R12_ADepartmentsOverdueAndDueTodayCountTheRepliesItOwesAsACoHandler) {
  constexpr int64_t kAdded = 1'772'417'100'000;      // Monday 2 March 2026, 10:05 Shanghai.
  constexpr int64_t kReplyDue = 1'773'072'000'000;   // The end of Monday 9 March: 5 working days on.
  constexpr int64_t kMonday9 = 1'773'028'800'000;    // 9 March, 12:00: the reply is due today.
  constexpr int64_t kTuesday10 = 1'773'104'400'000;  // The next morning: it is overdue.
  const auto sequenced = [](const std::vector<Change>& cs, int64_t first) {
    std::vector<SequencedChange> out;
    for (size_t i = 0; i < cs.size(); ++i) out.push_back(SequencedChange{cs[i], first + static_cast<int64_t>(i)});
    return out;
  };
  const Change add = centre.co(kT, kAdded, E::CoHandlerAdded, "管理办");
  // Both received on 25 February: their contact stage (1 working day) is long past.
  const std::vector<Change> cs = {centre.create(kT, kAdded - 600'000), centre.create(kU, kAdded - 500'000),
                                  centre.set(kT, kAdded - 400'000, EditableField::LeadDepartment, "市容所"),
                                  centre.set(kU, kAdded - 300'000, EditableField::LeadDepartment, "管理办"), add};
  Store s = test::open_store(dir, "due.db");
  ASSERT_TRUE(s.apply_pulled(sequenced(cs, 1), kNow));  // No calendar yet: no reply deadline known.
  ASSERT_TRUE(s.set_calendar(builtin_calendar()));       // Every deadline computed again (as after migration 11).

  const auto counts = [&](int64_t now, const std::string& of) {
    auto c = s.deadline_counts(now, of);
    EXPECT_TRUE(c) << c.error().detail;
    return std::pair{c->overdue, c->due_today};
  };
  EXPECT_EQ(counts(kMonday9, "管理办"), (std::pair<int64_t, int64_t>{1, 1})) << "kU's contact stage; its reply to kT";
  EXPECT_EQ(counts(kMonday9, ""), (std::pair<int64_t, int64_t>{2, 0})) << "each ticket's own stage";
  EXPECT_EQ(counts(kMonday9, "市容所"), (std::pair<int64_t, int64_t>{1, 0})) << "the lead of kT: its stage";
  EXPECT_EQ(counts(kTuesday10, "管理办"), (std::pair<int64_t, int64_t>{2, 0}));

  InboxQuery q;
  q.filter.now_ms = kMonday9;
  q.filter.deadlines_of = "管理办";
  q.filter.due_today = true;
  auto page = s.inbox_page(q);
  ASSERT_TRUE(page) << page.error().detail;
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, kT);
  EXPECT_EQ((*page)[0].due_stage, "co_reply");
  EXPECT_EQ((*page)[0].due_at_ms, kReplyDue);
  // By time left, the times the rows show: kU's stage (overdue since February) before the reply
  // owed on kT, whatever kT's own stage (市容所's, as old as kU's and received first).
  const auto by_due = [&](bool descending) {
    InboxQuery d;
    d.filter.now_ms = kMonday9;
    d.filter.deadlines_of = "管理办";
    d.sort = InboxSort::Due;
    d.descending = descending;
    auto rows = s.inbox_page(d);
    EXPECT_TRUE(rows) << rows.error().detail;
    std::vector<std::string> out;
    for (const InboxRow& r : *rows) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(by_due(false), (std::vector<std::string>{kU, kT}));
  EXPECT_EQ(by_due(true), (std::vector<std::string>{kT, kU}));

  // Replied: nothing more is due from it on kT, whatever the lead's stage.
  ASSERT_TRUE(s.apply_pulled(sequenced({guanli.co(kT, kAdded + 86'400'000, E::CoReply, "已协助清理", add.id)}, 6), kNow));
  EXPECT_EQ(counts(kTuesday10, "管理办"), (std::pair<int64_t, int64_t>{1, 0}));
  q.filter.due_today = false;
  q.filter.lead_department = "管理办";
  q.filter.now_ms = kTuesday10;
  page = s.inbox_page(q);
  ASSERT_TRUE(page) << page.error().detail;
  ASSERT_EQ(page->size(), 2u);
  for (const InboxRow& r : *page) {
    if (r.id != kT) continue;
    EXPECT_EQ(r.due_stage, "co_reply");
    EXPECT_EQ(r.due_at_ms, 0) << "nothing due from it";
  }
  // Nothing due from it sorts after every deadline it has, as it shows "-".
  q.sort = InboxSort::Due;
  q.descending = false;
  page = s.inbox_page(q);
  ASSERT_TRUE(page) << page.error().detail;
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, kU);
  EXPECT_EQ((*page)[1].id, kT);
}

// A field team works as lead every ticket found on patrol and those of the community it walks,
// whoever leads them (policy/write_policy.cpp co_handler_only): their stage deadlines are its own
// (InboxFilter::deadlines_of_field_team), where a department sees only what it leads, and a reply
// only on what it co-handles and does not work as lead.
TEST_F(CoStore, AFieldTeamsDeadlinesAreTheStagesOfThePatrolTicketsItWorksAsLeadWhoeverLeadsThem) {
  constexpr int64_t kAdded = 1'772'417'100'000;      // Monday 2 March 2026, 10:05 Shanghai.
  constexpr int64_t kReplyDue = 1'773'072'000'000;   // The end of Monday 9 March: 5 working days on.
  constexpr int64_t kMonday9 = 1'773'028'800'000;    // 9 March, 12:00: the reply is due today.
  const std::string kV = test::ticket_id(3), kW = test::ticket_id(4);
  const auto patrol = [](Change c) {
    c.ticket.source = Source::Patrol;
    c.ticket.citizen_name.clear();
    c.ticket.citizen_phone.clear();
    c.ticket.community = "天目西路小区";
    return c;
  };
  // kT: the hotline's, led by 市容所, 除害站 co-handling. kU: found on patrol, led by 管理办. kV: the
  // same, 除害站 co-handling too. kW: the hotline's in 天目西路小区, led by 管理办. All received on 25
  // February: their contact stage is long past.
  const std::vector<Change> cs = {
      centre.create(kT, kAdded - 900'000), patrol(centre.create(kU, kAdded - 800'000)),
      patrol(centre.create(kV, kAdded - 700'000)), centre.create(kW, kAdded - 600'000),
      centre.set(kT, kAdded - 500'000, EditableField::LeadDepartment, "市容所"),
      centre.set(kU, kAdded - 400'000, EditableField::LeadDepartment, "管理办"),
      centre.set(kV, kAdded - 300'000, EditableField::LeadDepartment, "管理办"),
      centre.set(kW, kAdded - 200'000, EditableField::LeadDepartment, "管理办"),
      centre.set(kW, kAdded - 100'000, EditableField::Community, "天目西路小区"),
      centre.co(kT, kAdded, E::CoHandlerAdded, "除害站"), centre.co(kV, kAdded + 1000, E::CoHandlerAdded, "除害站")};
  std::vector<SequencedChange> log;
  for (size_t i = 0; i < cs.size(); ++i) log.push_back(SequencedChange{cs[i], static_cast<int64_t>(i + 1)});
  Store s = test::open_store(dir, "field.db");
  ASSERT_TRUE(s.set_calendar(builtin_calendar()));
  ASSERT_TRUE(s.apply_pulled(log, kNow));

  const auto rows_of = [&](const std::string& of, bool field_team) {
    InboxQuery q;
    q.filter.now_ms = kMonday9;
    q.filter.deadlines_of = of;
    q.filter.deadlines_of_field_team = field_team;
    auto page = s.inbox_page(q);
    EXPECT_TRUE(page) << page.error().detail;
    std::map<std::string, std::pair<std::string, int64_t>> out;  // id: stage, due.
    for (const InboxRow& r : *page) out[r.id] = {r.due_stage, r.due_at_ms};
    return out;
  };
  const auto stages = rows_of("", false);  // Each ticket's own stage, as the centre sees it.
  for (const std::string& id : {kU, kV, kW}) ASSERT_GT(stages.at(id).second, 0) << id;
  const auto field = rows_of("除害站", true);
  EXPECT_EQ(field.at(kT), (std::pair<std::string, int64_t>{"co_reply", kReplyDue})) << "co-handled only";
  EXPECT_EQ(field.at(kU), stages.at(kU)) << "found on patrol: worked as lead";
  EXPECT_EQ(field.at(kV), stages.at(kV)) << "found on patrol and co-handled: worked as lead";
  const auto walking = rows_of("天目西路小区", true);  // A 网格 team walking 天目西路小区.
  EXPECT_EQ(walking.at(kW), stages.at(kW)) << "in the community it walks";
  EXPECT_EQ(walking.at(kT).second, 0) << "nothing due from it on a ticket it neither works as lead nor co-handles";
  const auto department = rows_of("除害站", false);  // The same name as a department: only what it leads.
  EXPECT_EQ(department.at(kU).second, 0);
  EXPECT_EQ(department.at(kV), (std::pair<std::string, int64_t>{"co_reply", kReplyDue}));

  const auto counts = [&](const std::string& of, bool field_team) {
    auto c = s.deadline_counts(kMonday9, of, field_team);
    EXPECT_TRUE(c) << c.error().detail;
    return std::pair{c->overdue, c->due_today};
  };
  EXPECT_EQ(counts("除害站", true), (std::pair<int64_t, int64_t>{2, 1})) << "kU and kV's stages; its reply to kT";
  EXPECT_EQ(counts("除害站", false), (std::pair<int64_t, int64_t>{0, 2})) << "its replies to kT and kV";
  EXPECT_EQ(counts("天目西路小区", true), (std::pair<int64_t, int64_t>{3, 0})) << "kU, kV (patrol) and kW (its community)";

  // The overdue filter lists what the count counts.
  InboxQuery q;
  q.filter.now_ms = kMonday9;
  q.filter.deadlines_of = "除害站";
  q.filter.deadlines_of_field_team = true;
  q.filter.overdue = true;
  auto page = s.inbox_page(q);
  ASSERT_TRUE(page) << page.error().detail;
  std::vector<std::string> ids;
  for (const InboxRow& r : *page) ids.push_back(r.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{kU, kV}));
}

}  // namespace
}  // namespace linli
