// The store's inbox pages (sort, filters, search, keyset paging) and the deadlines it keeps per
// ticket, computed by the fold with the store's calendar.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <sqlite3.h>

#include "core/civil_time.h"
#include "support/changes.h"
#include "support/stores.h"
#include "sync/calendar_json.h"

namespace linli {
namespace {

using test::Maker;

int64_t at(const char* minute) { return *parse_shanghai_minute(minute); }
int64_t end_of(const char* iso) { return shanghai_day_start_ms(*parse_iso_day(iso) + 1); }
InboxQuery filtered(const InboxFilter& f) {
  InboxQuery q;
  q.filter = f;
  return q;
}

class Inbox : public ::testing::Test {
 protected:
  Inbox() { EXPECT_TRUE(store.set_calendar(builtin_calendar())); }

  Change create(int n, const char* received, Category category = Category::Other, const char* community = "河滨花园",
                Urgency urgency = Urgency::Normal) {
    Change c = centre.create(test::ticket_id(n), at(received));
    c.ticket.received_at_ms = at(received);
    c.ticket.category = category;
    c.ticket.community = community;
    c.ticket.urgency = urgency;
    char number[32];
    std::snprintf(number, sizeof number, "临-20261130-%04d", n);
    c.ticket.provisional_number = number;
    c.ticket.title = "工单" + std::to_string(n);
    return c;
  }
  void apply(std::vector<Change> cs) {
    auto r = store.apply_changes(cs, ApplyMode::Local, cs.back().stamp.ms);
    ASSERT_TRUE(r) << r.error().detail;
  }
  std::vector<InboxRow> page(InboxQuery q) {
    auto r = store.inbox_page(q);
    EXPECT_TRUE(r) << r.error().detail;
    return r ? *r : std::vector<InboxRow>{};
  }

  test::TempDir dir;
  Store store = test::open_store(dir, "inbox.db");
  Maker centre{test::replica(1), Role::Centre};
};

TEST_F(Inbox, ATicketKeepsTheDeadlineDueFirstAndItMovesWhenTheCitizenIsContacted) {
  apply({create(1, "2026-11-27 15:00")});  // Friday.
  auto rows = page({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].due_stage, "contact");
  EXPECT_EQ(rows[0].due_at_ms, end_of("2026-11-30"));
  apply({centre.note(test::ticket_id(1), at("2026-11-30 09:00"), EntryKind::Contact, "已联系")});
  rows = page({});
  EXPECT_EQ(rows[0].due_stage, "first_handling");
  EXPECT_EQ(rows[0].due_at_ms, end_of("2026-12-04"));
}

TEST_F(Inbox, OverdueAndDueTodayAreCountedFromTheKeptDeadlines) {
  apply({create(1, "2026-11-20 09:00"), create(2, "2026-11-27 15:00"), create(3, "2026-11-30 08:00", Category::Other,
                                                                              "河滨花园", Urgency::Urgent)});
  // At 2026-11-30 10:00: #1 (contact due 11-23) overdue; #2 contact due tonight; #3 urgent, due tonight.
  auto counts = store.deadline_counts(at("2026-11-30 10:00"));
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->overdue, 1);
  EXPECT_EQ(counts->due_today, 2);
  InboxFilter overdue;
  overdue.overdue = true;
  overdue.now_ms = at("2026-11-30 10:00");
  EXPECT_EQ(store.inbox_count(overdue).value(), 1);
  EXPECT_EQ(page(filtered(overdue))[0].id, test::ticket_id(1));
}

// 待复核/有冲突 lists a field conflict while it waits for someone, and no longer once anyone has set
// the field again (either value, or a third): the chip's count and the row's tag say what is left.
TEST_F(Inbox, AFieldConflictNeedsReviewUntilTheFieldIsSetAgain) {
  Maker committee{test::replica(2), Role::Committee};
  const Change made = create(1, "2026-11-30 08:00");
  apply({made, create(2, "2026-11-30 08:10")});
  // Two edits of the title as made (no version yet): the later stamp wins, the other is kept.
  const Change lost = committee.set(made.ticket_id, at("2026-11-30 09:00"), EditableField::Title, "楼道堆物（居委）");
  const Change won = centre.set(made.ticket_id, at("2026-11-30 09:01"), EditableField::Title, "楼道堆物（中心）");
  apply({lost, won});
  InboxFilter review;
  review.needs_review = true;
  review.now_ms = at("2026-11-30 10:00");
  EXPECT_EQ(store.inbox_count(review).value(), 1);
  EXPECT_EQ(store.deadline_counts(at("2026-11-30 10:00"))->needs_review, 1);
  auto rows = page(filtered(review));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, made.ticket_id);
  EXPECT_TRUE(rows[0].conflict);
  auto conflicts = store.field_conflicts(made.ticket_id);
  ASSERT_TRUE(conflicts);
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_TRUE((*conflicts)[0].open);
  EXPECT_EQ((*conflicts)[0].winner_author.user, won.author.user);
  EXPECT_EQ((*conflicts)[0].winner_at_ms, won.stamp.ms);

  // Someone takes the kept value: decided, in the list's row and in the counts.
  apply({centre.set(made.ticket_id, at("2026-11-30 09:30"), EditableField::Title, "楼道堆物（居委）", won.id)});
  EXPECT_EQ(store.inbox_count(review).value(), 0);
  EXPECT_EQ(store.deadline_counts(at("2026-11-30 10:00"))->needs_review, 0);
  EXPECT_FALSE(store.field_conflicts(made.ticket_id)->at(0).open);
  InboxFilter all;
  all.now_ms = review.now_ms;
  for (const InboxRow& r : page(filtered(all))) EXPECT_FALSE(r.conflict) << r.id;
}

TEST_F(Inbox, AYearWithoutANoticeLeavesTheDeadlineUnknownAndAddingTheYearComputesIt) {
  apply({create(1, "2026-12-30 09:00")});  // Contact due 12-31; handling runs into 2027.
  auto rows = page({});
  EXPECT_EQ(rows[0].due_stage, "contact");  // The earlier stage is known.
  apply({centre.note(test::ticket_id(1), at("2026-12-30 10:00"), EntryKind::Contact, "已联系")});
  rows = page({});
  EXPECT_EQ(rows[0].due_stage, "unknown");
  EXPECT_EQ(rows[0].due_at_ms, 0);
  EXPECT_EQ(store.deadline_counts(at("2026-12-30 11:00"))->unknown, 1);
  WorkdayCalendar with_2027 = builtin_calendar();
  auto y = parse_calendar_year_json(2027, R"({"holidays": [["2027-01-01", "2027-01-03"]], "workdays": []})");
  ASSERT_TRUE(y);
  ASSERT_TRUE(with_2027.add_year(*y));
  ASSERT_TRUE(store.set_calendar(with_2027));
  rows = page({});
  EXPECT_EQ(rows[0].due_stage, "first_handling");
  EXPECT_EQ(rows[0].due_at_ms, end_of("2027-01-07"));  // 12-31, then 01-04 to 01-07 after the holiday.
}

TEST_F(Inbox, KeysetPagesWalkEverySortWithoutGapsOrRepeats) {
  std::vector<Change> cs;
  const Category cats[] = {Category::Sanitation, Category::PestControl, Category::Noise, Category::Other};
  const char* communities[] = {"河滨花园", "中华新路", "宝山路"};
  for (int n = 1; n <= 230; ++n) {
    char when[32];
    std::snprintf(when, sizeof when, "2026-11-%02d %02d:%02d", 1 + n % 28, n % 24, n % 60);
    cs.push_back(create(n, when, cats[n % 4], communities[n % 3], n % 7 == 0 ? Urgency::Urgent : Urgency::Normal));
  }
  apply(cs);
  for (int s = 0; s < kInboxSortCount; ++s)
    for (bool desc : {false, true}) {
      InboxQuery q;
      q.sort = static_cast<InboxSort>(s);
      q.descending = desc;
      q.limit = 100;
      // One page of everything, for the order.
      InboxQuery all = q;
      all.limit = 1000;
      const auto whole = page(all);
      ASSERT_EQ(whole.size(), 230u);
      std::vector<std::string> expected;
      for (const auto& r : whole) expected.push_back(r.id);
      // Either plan (along the sort's index, or found and sorted) walks the same order.
      for (int64_t rows_expected : {int64_t{1}, int64_t{1'000'000}}) {
        InboxQuery walk = q;
        walk.rows_expected = rows_expected;
        std::vector<std::string> walked;
        for (;;) {
          const auto p = page(walk);
          for (const auto& r : p) walked.push_back(r.id);
          if (p.size() < 100) break;
          walk.after = p.back().key;
        }
        EXPECT_EQ(walked, expected) << "sort " << s << (desc ? " desc" : " asc") << ", " << rows_expected << " rows";
      }
      // A jump by offset lands where the walk does.
      InboxQuery jump = q;
      jump.after.reset();
      jump.offset = 150;
      jump.limit = 5;
      const auto j = page(jump);
      ASSERT_EQ(j.size(), 5u);
      EXPECT_EQ(j[0].id, expected[150]);
    }
}

TEST_F(Inbox, FiltersAndSearchByTextNumberAndCitizen) {
  Change a = create(1, "2026-11-23 09:00", Category::PestControl, "河滨花园");
  a.ticket.title = "地下室老鼠出没";
  a.ticket.citizen_name = "李阿姨";
  Change b = create(2, "2026-11-24 09:00", Category::Noise, "中华新路");
  b.ticket.title = "夜间施工噪音";
  b.ticket.description = "工地晚上十点后仍在施工";
  apply({a, b});
  InboxFilter f;
  f.text = "老鼠";  // Two characters: scanned.
  EXPECT_EQ(store.inbox_count(f).value(), 1);
  f.text = "晚上十点";  // Trigram index, in the description.
  EXPECT_EQ(page(filtered(f)).at(0).id, test::ticket_id(2));
  f.text = "0002";  // Part of the provisional number.
  EXPECT_EQ(page(filtered(f)).at(0).id, test::ticket_id(2));
  f.text = "李阿姨";
  EXPECT_EQ(page(filtered(f)).at(0).id, test::ticket_id(1));
  f = {};
  f.category = Category::Noise;
  EXPECT_EQ(store.inbox_count(f).value(), 1);
  f = {};
  f.community = "河滨花园";
  EXPECT_EQ(page(filtered(f)).at(0).id, test::ticket_id(1));
  EXPECT_EQ(store.distinct_communities().value(), (std::vector<std::string>{"中华新路", "河滨花园"}));
}

TEST_F(Inbox, OneOrTwoCharactersAreFoundAnywhereInAFieldThroughTheIndex) {
  Change a = create(1, "2026-11-23 09:00");
  a.ticket.title = "小区门口的井盖";  // At the very end of the field.
  a.ticket.citizen_name = "周喆";
  a.ticket.citizen_phone = "13812345678";
  Change b = create(2, "2026-11-24 09:00");
  b.ticket.title = "井盖缺失";
  b.ticket.description = "夜间噪音";
  b.ticket.address = "普善路12号";
  apply({a, b});
  const auto count = [&](const char* text) {
    InboxFilter f;
    f.text = text;
    return store.inbox_count(f).value();
  };
  EXPECT_EQ(count("井盖"), 2);
  EXPECT_EQ(count("井"), 2);
  EXPECT_EQ(count("盖"), 2) << "the last character of a field";
  EXPECT_EQ(count("噪音"), 1);
  EXPECT_EQ(count("音"), 1);
  EXPECT_EQ(count("喆"), 1) << "a name";
  EXPECT_EQ(count("火警"), 0);
  EXPECT_EQ(count("普善路"), 1);
  EXPECT_EQ(count("78"), 1) << "the end of a phone number";
  EXPECT_EQ(count("5678"), 1);
  EXPECT_EQ(count("12"), 2) << "the phone of one, the address of the other";
  EXPECT_EQ(count(" 井盖 "), 2) << "spaces around are not searched for";
  EXPECT_EQ(count("\""), 0);
  // An edit is searched as it is now.
  apply({centre.set(test::ticket_id(2), at("2026-11-24 10:00"), EditableField::Title, "路灯不亮")});
  EXPECT_EQ(count("井盖"), 1);
  EXPECT_EQ(count("路灯"), 1);
}

// A search's matches are found once and kept for its count and pages; a write, here or through
// another connection to the file, has them found again, so nothing written is missed.
TEST_F(Inbox, ASearchsKeptMatchesNeverOutliveAWrite) {
  Change a = create(1, "2026-11-23 09:00");
  a.ticket.title = "井盖缺失";
  apply({a});
  InboxFilter f;
  f.text = "井盖缺";
  InboxQuery q;
  q.filter = f;
  EXPECT_EQ(store.inbox_count(f).value(), 1);
  EXPECT_EQ(store.inbox_page(q).value().size(), 1u);
  Change b = create(2, "2026-11-24 09:00");
  b.ticket.title = "又见井盖缺失";
  apply({b});
  EXPECT_EQ(store.inbox_count(f).value(), 2) << "a new ticket that matches";
  EXPECT_EQ(store.inbox_page(q).value().size(), 2u);
  apply({centre.set(test::ticket_id(1), at("2026-11-24 10:00"), EditableField::Title, "路灯不亮")});
  EXPECT_EQ(store.inbox_count(f).value(), 1) << "an edit that no longer matches";
  {
    Store other = test::open_store(dir, "inbox.db");
    Maker elsewhere{test::replica(2), Role::Centre};
    std::vector<Change> late = {elsewhere.set(test::ticket_id(1), at("2026-11-24 11:00"), EditableField::Title, "井盖缺失，已报修")};
    ASSERT_TRUE(other.apply_changes(late, ApplyMode::Local, late.back().stamp.ms));
  }
  EXPECT_EQ(store.inbox_count(f).value(), 2) << "a write through another connection";
  const auto rows = store.inbox_page(q).value();
  ASSERT_EQ(rows.size(), 2u);
  f.text = "路灯";
  EXPECT_EQ(store.inbox_count(f).value(), 0) << "another text, found afresh";
  f.text = "";
  EXPECT_EQ(store.inbox_count(f).value(), 2);
}

TEST_F(Inbox, ManyRowsAreReadAlongTheSortsIndexAndFewAreFoundByTheFilter) {
  std::vector<Change> cs;
  for (int n = 1; n <= 50; ++n) cs.push_back(create(n, "2026-11-20 09:00", n % 2 ? Category::Noise : Category::Other));
  apply(cs);
  const auto plan = [&](InboxQuery q, int64_t rows) {
    std::string all;
    const auto lines = store.inbox_plan(q, rows);
    for (const std::string& line : lines.value()) all += line + "\n";
    return all;
  };
  for (int s = 0; s < kInboxSortCount; ++s) {
    InboxQuery q;
    q.sort = static_cast<InboxSort>(s);
    q.filter.category = Category::Noise;
    const auto first = page(q);
    ASSERT_FALSE(first.empty());
    q.after = first.back().key;
    // Many: a range of the sort's own index, never a sort of the matching rows.
    const std::string many = plan(q, 100000);
    EXPECT_NE(many.find("SEARCH tickets USING INDEX inbox_by_"), std::string::npos) << many;
    EXPECT_EQ(many.find("SCAN tickets"), std::string::npos) << many;
    EXPECT_EQ(many.find("TEMP B-TREE FOR ORDER BY\nSCAN k"), std::string::npos) << many;
    // Few: found by the category's index, then sorted.
    const std::string few = plan(q, 10);
    EXPECT_NE(few.find("inbox_by_category (category=?"), std::string::npos) << few;
  }
}

// A search alone is counted from its hits less the deleted tickets among them, and its page is
// read along the sort's index within a budget, then found and sorted when the matches lie further
// along. Both must give what the same search gives beside another filter (read the general way).
TEST_F(Inbox, ASearchAloneCountsAndPagesAsTheGeneralReadingDoesWhereverItsMatchesLie) {
  std::vector<Change> cs;
  constexpr int kTickets = 12000;
  for (int n = 1; n <= kTickets; ++n) {
    char minute[32];
    std::snprintf(minute, sizeof minute, "2026-11-%02d %02d:%02d", 1 + n / 1440, n / 60 % 24, n % 60);
    Change c = create(n, minute);
    // 井盖: the 600 oldest tickets (newest first, 11,400 entries before the first match) and
    // every 12th (a match every few entries).
    if (n <= 600 || n % 12 == 0) c.ticket.title = "井盖缺失" + std::to_string(n);
    cs.push_back(std::move(c));
  }
  apply(cs);
  apply({centre.set(test::ticket_id(12), at("2026-11-29 10:00"), EditableField::Deleted, "1"),
         centre.set(test::ticket_id(5), at("2026-11-29 10:01"), EditableField::Deleted, "1")});
  const auto walk = [&](InboxQuery q) {
    std::vector<std::string> ids;
    for (;;) {
      const auto rows = page(q);
      for (const InboxRow& r : rows) ids.push_back(r.id);
      if (rows.size() < static_cast<size_t>(q.limit)) return ids;
      q.after = rows.back().key;
    }
  };
  InboxFilter alone;
  alone.text = "井盖缺失";
  InboxFilter beside = alone;
  beside.community = "河滨花园";  // Every ticket's: the same rows, read the general way.
  const int64_t expected = 600 + kTickets / 12 - 50 - 2;  // 50 of every 12th are among the oldest.
  ASSERT_EQ(store.inbox_count(beside).value(), expected);
  EXPECT_EQ(store.inbox_count(alone).value(), expected);
  for (int s = 0; s < kInboxSortCount; ++s) {
    for (bool descending : {true, false}) {
      InboxQuery a = filtered(alone), b = filtered(beside);
      a.sort = b.sort = static_cast<InboxSort>(s);
      a.descending = b.descending = descending;
      a.rows_expected = b.rows_expected = expected;
      const auto along = walk(a);
      EXPECT_EQ(along.size(), static_cast<size_t>(expected)) << "sort " << s << (descending ? " desc" : " asc");
      EXPECT_EQ(along, walk(b)) << "sort " << s << (descending ? " desc" : " asc");
    }
  }
  // The oldest alone (600 less one deleted): newest first, past the budget before the first match.
  alone.text = "井盖缺失1";  // 1, 10-19, 100-199 and 1000-1999 of the every-12th: found the same.
  beside.text = alone.text;
  const int64_t ones = store.inbox_count(beside).value();
  EXPECT_EQ(store.inbox_count(alone).value(), ones);
  InboxQuery a = filtered(alone), b = filtered(beside);
  a.rows_expected = b.rows_expected = ones;
  EXPECT_EQ(walk(a), walk(b));
}

// The app's way (Paced::InSteps): a new calendar lists the tickets, a step recomputes a few, and
// the calendar counts as the store's only once the last is done; a store closed half-way starts
// again at its next open. The deadlines end as an all-at-once refold leaves them.
TEST_F(Inbox, ANewCalendarInStepsEndsAsAllAtOnceAndAStoreClosedHalfWayStartsAgain) {
  // Sixty tickets contacted on 29 December: their handling runs into 2027, a year not yet known.
  const auto fill = [&](Store& into, Maker& by) {
    std::vector<Change> cs;
    for (int n = 1; n <= 60; ++n) {
      Change c = by.create(test::ticket_id(n), at("2026-12-29 09:00"));
      c.ticket.received_at_ms = at("2026-12-29 09:00");
      c.ticket.community = "河滨花园";
      cs.push_back(c);
    }
    for (int n = 1; n <= 60; ++n) cs.push_back(by.note(test::ticket_id(n), at("2026-12-29 10:00"), EntryKind::Contact, "已联系"));
    auto r = into.apply_changes(cs, ApplyMode::Local, cs.back().stamp.ms);
    ASSERT_TRUE(r) << r.error().detail;
  };
  fill(store, centre);
  EXPECT_EQ(store.deadline_counts(at("2026-12-29 11:00"))->unknown, 60);
  WorkdayCalendar with_2027 = builtin_calendar();
  auto y = parse_calendar_year_json(2027, R"({"holidays": [["2027-01-01", "2027-01-03"]], "workdays": []})");
  ASSERT_TRUE(y);
  ASSERT_TRUE(with_2027.add_year(*y));

  ASSERT_TRUE(store.set_calendar(with_2027, Store::Paced::InSteps));
  EXPECT_EQ(store.refold_total(), 60);
  EXPECT_EQ(store.refold_left(), 60);
  EXPECT_EQ(store.refold_step(25).value(), 35);
  EXPECT_EQ(store.deadline_counts(at("2026-12-29 11:00"))->unknown, 35);  // Those done show at once.
  // Closed half-way: the store has not taken the calendar as its own, so the next open lists all.
  {
    Store reopened = test::open_store(dir, "inbox.db");
    ASSERT_TRUE(reopened.set_calendar(with_2027, Store::Paced::InSteps));
    EXPECT_EQ(reopened.refold_left(), 60);
  }
  EXPECT_EQ(store.refold_step(25).value(), 10);
  EXPECT_EQ(store.refold_step(25).value(), 0);
  EXPECT_EQ(store.refold_left(), 0);
  EXPECT_EQ(store.refold_total(), 0);
  EXPECT_EQ(store.deadline_counts(at("2026-12-29 11:00"))->unknown, 0);
  InboxQuery all;
  all.limit = 100;
  const auto stepped = page(all);
  ASSERT_EQ(stepped.size(), 60u);
  EXPECT_EQ(stepped[0].due_stage, "first_handling");
  EXPECT_EQ(stepped[0].due_at_ms, end_of("2027-01-06"));  // 12-30, 12-31, then 01-04 to 01-06.

  // The same tickets refolded all at once, in another store: the same rows.
  Store other = test::open_store(dir, "inbox-all-now.db");
  ASSERT_TRUE(other.set_calendar(builtin_calendar()));
  Maker again_centre{test::replica(1), Role::Centre};
  fill(other, again_centre);
  ASSERT_TRUE(other.set_calendar(with_2027));
  EXPECT_EQ(other.refold_left(), 0);
  auto all_now = other.inbox_page(all);
  ASSERT_TRUE(all_now);
  ASSERT_EQ(all_now->size(), stepped.size());
  for (size_t i = 0; i < stepped.size(); ++i) {
    EXPECT_EQ((*all_now)[i].id, stepped[i].id);
    EXPECT_EQ((*all_now)[i].due_at_ms, stepped[i].due_at_ms);
    EXPECT_EQ((*all_now)[i].due_stage, stepped[i].due_stage);
  }

  // Done: the calendar is the store's now, so opening with it again lists nothing.
  Store again = test::open_store(dir, "inbox.db");
  ASSERT_TRUE(again.set_calendar(with_2027, Store::Paced::InSteps));
  EXPECT_EQ(again.refold_left(), 0);
}

TEST_F(Inbox, AStoreFromBeforeDeadlinesFoldsItsTicketsAgainOnce) {
  apply({create(1, "2026-11-23 09:00")});
  apply({centre.note(test::ticket_id(1), at("2026-11-23 10:00"), EntryKind::Contact, "已联系")});
  const std::string before = test::dump(store);
  const auto due_before = page({}).at(0).due_at_ms;
  // As an earlier build left the row: no versions or clock events kept beside it, no deadline;
  // migration 4 asks for the refold.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("inbox.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE tickets SET versions = x'', due_at = 0, due_stage = ''; "
                               "INSERT INTO meta (key, value) VALUES ('deadlines.refold', '1');",
                           nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  Store reopened = test::open_store(dir, "inbox.db");
  ASSERT_TRUE(reopened.set_calendar(builtin_calendar()));
  EXPECT_EQ(test::dump(reopened), before);
  auto rows = reopened.inbox_page({});
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->at(0).due_at_ms, due_before);
  EXPECT_EQ(rows->at(0).due_stage, "first_handling");
}

}  // namespace
}  // namespace linli

namespace linli {
namespace {

// 反弹 and 预警 as the store answers them: suggestions, chains, hot spots and warned tickets.
class Rebound : public Inbox {
 protected:
  // Takes the ticket through the workflow steps, each from the status it has now.
  void walk(int n, const char* when, std::initializer_list<WorkflowAction> steps) {
    for (WorkflowAction a : steps) {
      auto st = store.get_ticket_state(test::ticket_id(n));
      ASSERT_TRUE(st && *st);
      Maker& who = a == WorkflowAction::Handle || a == WorkflowAction::Start ? dept : centre;
      apply({who.move(test::ticket_id(n), at(when), a, (*st)->ticket.status, (*st)->status.id, (*st)->work_count)});
    }
  }
  void place(int n, const char* address) {
    apply({centre.set(test::ticket_id(n), at("2026-11-02 08:00"), EditableField::Address, address)});
  }
  Maker dept{test::replica(2), Role::Department};
};

// 待回访 and 待结案: the centre's own next steps have no deadline, so the due sort lists them among
// the closed; their counts are the status filter's.
TEST_F(Rebound, HandledAndVisitedTicketsAreCountedForTheCentresNextSteps) {
  apply({create(1, "2026-11-02 09:00"), create(2, "2026-11-02 09:10"), create(3, "2026-11-02 09:20"),
         create(4, "2026-11-02 09:30")});
  walk(1, "2026-11-05 10:00", {WorkflowAction::Assign, WorkflowAction::Handle});
  walk(2, "2026-11-05 10:00", {WorkflowAction::Assign, WorkflowAction::Handle, WorkflowAction::ReturnVisit});
  walk(3, "2026-11-05 10:00", {WorkflowAction::Assign, WorkflowAction::Handle, WorkflowAction::ReturnVisit,
                                WorkflowAction::Close});
  walk(4, "2026-11-05 10:00", {WorkflowAction::Assign});
  // Handled while a co-handler's reply is pending (已办结·待协办回复, R12): no visit yet.
  apply({create(5, "2026-11-02 09:40")});
  walk(5, "2026-11-05 10:00", {WorkflowAction::Assign});
  apply({centre.co(test::ticket_id(5), at("2026-11-05 11:00"), EntryKind::CoHandlerAdded, "党群办")});
  walk(5, "2026-11-06 10:00", {WorkflowAction::Handle});
  auto counts = store.deadline_counts(at("2026-11-30 10:00"));
  ASSERT_TRUE(counts) << counts.error().detail;
  EXPECT_EQ(counts->to_visit, 1) << "ticket 5 waits for its co-handler's reply, not for the visit";
  EXPECT_EQ(counts->to_close, 1);
  InboxFilter f;
  f.now_ms = at("2026-11-30 10:00");
  f.status = TicketStatus::Handled;
  EXPECT_EQ(page(filtered(f)).size(), 2u) << "the status filter: every handled ticket";
  f.no_reply_pending = true;  // The 待回访 chip's.
  ASSERT_EQ(page(filtered(f)).size(), 1u);
  EXPECT_EQ(page(filtered(f)).at(0).id, test::ticket_id(1));
  f.no_reply_pending = false;
  f.status = TicketStatus::Visited;
  EXPECT_EQ(page(filtered(f)).at(0).id, test::ticket_id(2));
}

TEST_F(Rebound, AClosedTicketOfTheSameKindAtThePlaceIsSuggestedAndTheChainReadsBothWays) {
  apply({create(1, "2026-09-01 09:00", Category::HoardingRefuse, "中华新路927弄"),
         create(2, "2026-11-01 09:00", Category::HoardingRefuse, "中华新路927弄"),
         create(3, "2026-11-01 10:00", Category::Noise, "中华新路927弄"),
         create(4, "2026-11-01 11:00", Category::HoardingRefuse, "中华新路927弄")});
  place(1, "中华新路927弄");
  place(2, "中华新路 927弄 12号");
  place(3, "中华新路927弄");
  place(4, "中华新路927弄");
  walk(1, "2026-11-05 10:00", {WorkflowAction::Assign, WorkflowAction::Handle, WorkflowAction::ReturnVisit,
                                WorkflowAction::Close});
  walk(3, "2026-11-05 10:00", {WorkflowAction::Assign, WorkflowAction::Handle, WorkflowAction::ReturnVisit,
                                WorkflowAction::Close});
  const int64_t since = at("2026-11-20 09:00") - 90LL * 86'400'000;
  // A longer address at the same place, and the same category: #1. Not #3 (noise), not #4 (open).
  auto s = store.rebound_candidates("中华新路927弄12号", Category::HoardingRefuse, since);
  ASSERT_TRUE(s) << s.error().detail;
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].id, test::ticket_id(1));
  EXPECT_EQ((*s)[0].key.number, at("2026-11-05 10:00")) << "when it was closed";
  EXPECT_TRUE(store.rebound_candidates("中华新路927弄", Category::HoardingRefuse, at("2026-11-06 00:00"))->empty())
      << "closed before the period";
  EXPECT_TRUE(store.rebound_candidates("中华", Category::HoardingRefuse, since)->empty()) << "too short to name a place";
  EXPECT_TRUE(store.rebound_candidates("中华新路927弄", Category::HoardingRefuse, since, test::ticket_id(1))->empty());
  // 可能重复: the open ones at the place, any category, newest first (#4, then #2 at 12号); not the
  // closed #1 and #3.
  auto open = store.open_at_address("中华新路927弄12号");
  ASSERT_TRUE(open) << open.error().detail;
  std::vector<std::string> open_ids;
  for (const InboxRow& r : *open) open_ids.push_back(r.id);
  EXPECT_EQ(open_ids, (std::vector<std::string>{test::ticket_id(4), test::ticket_id(2)}));
  EXPECT_TRUE(store.open_at_address("中华")->empty()) << "too short to name a place";
  EXPECT_EQ(store.open_at_address("中华新路927弄", 1)->size(), 1u);

  EXPECT_TRUE(store.link_chain(test::ticket_id(2))->empty());
  apply({centre.link(test::ticket_id(2), at("2026-11-06 09:00"), test::ticket_id(1)),
         centre.link(test::ticket_id(4), at("2026-11-06 09:10"), test::ticket_id(2))});
  for (int n : {1, 2, 4}) {
    auto chain = store.link_chain(test::ticket_id(n));
    ASSERT_TRUE(chain);
    ASSERT_EQ(chain->size(), 3u) << n;
    EXPECT_EQ((*chain)[0].id, test::ticket_id(1));
    EXPECT_EQ((*chain)[1].id, test::ticket_id(2));
    EXPECT_EQ((*chain)[2].id, test::ticket_id(4));
  }
  auto hot = store.hot_spots(at("2026-08-01 00:00"));
  ASSERT_TRUE(hot);
  ASSERT_FALSE(hot->empty());
  EXPECT_EQ((*hot)[0].address, "中华新路927弄");
  EXPECT_EQ((*hot)[0].tickets, 3);  // #1, #3, #4 (#2 is written otherwise).
  EXPECT_EQ((*hot)[0].open, 1);
  EXPECT_EQ((*hot)[0].linked, 1);  // #4 links to #2.
}

TEST_F(Rebound, ADissatisfiedVisitWarnsTheTicketInTheInboxUntilASatisfiedOne) {
  apply({create(1, "2026-11-23 09:00"), create(2, "2026-11-23 09:30")});
  walk(1, "2026-11-24 10:00", {WorkflowAction::Assign, WorkflowAction::Handle});
  Change visit = centre.note(test::ticket_id(1), at("2026-11-25 09:00"), EntryKind::ReturnVisit, "仍有异味");
  visit.entry.satisfaction = Satisfaction::Dissatisfied;
  apply({visit});
  InboxFilter warned;
  warned.warning = true;
  auto rows = page(filtered(warned));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, test::ticket_id(1));
  EXPECT_TRUE(rows[0].warning);
  EXPECT_EQ(store.deadline_counts(at("2026-11-25 10:00"))->warnings, 1);
  walk(1, "2026-11-25 09:05", {WorkflowAction::Reopen, WorkflowAction::Handle});
  EXPECT_EQ(page(filtered(warned)).size(), 1u) << "handled again, the citizen not asked yet";
  Change again = centre.note(test::ticket_id(1), at("2026-11-26 09:00"), EntryKind::ReturnVisit, "满意");
  again.entry.satisfaction = Satisfaction::Satisfied;
  apply({again});
  EXPECT_TRUE(page(filtered(warned)).empty());
  EXPECT_EQ(store.deadline_counts(at("2026-11-26 10:00"))->warnings, 0);
}

// 待审批: a 退单 or 延期 request the centre has not decided, until its decision (either way), and
// never on a closed ticket; the filter finds what the count says.
TEST_F(Rebound, ARequestWaitsForTheCentresDecisionInTheInboxUntilItIsDecided) {
  apply({create(1, "2026-11-23 09:00"), create(2, "2026-11-23 09:30"), create(3, "2026-11-23 10:00")});
  for (int n : {1, 2, 3}) walk(n, "2026-11-24 10:00", {WorkflowAction::Assign});
  Change extend = dept.note(test::ticket_id(1), at("2026-11-24 11:00"), EntryKind::ExtensionRequest, "需协调产权单位");
  extend.entry.days = 3;
  Change give_back = dept.note(test::ticket_id(2), at("2026-11-24 11:05"), EntryKind::ReturnRequest, "不属本部门");
  apply({extend, give_back, centre.note(test::ticket_id(3), at("2026-11-24 11:10"), EntryKind::Comment, "备注")});
  InboxFilter pending;
  pending.pending_request = true;
  const auto ids = [&] {
    std::set<std::string> out;
    for (const InboxRow& r : page(filtered(pending))) out.insert(r.id);
    return out;
  };
  EXPECT_EQ(ids(), (std::set<std::string>{test::ticket_id(1), test::ticket_id(2)}));
  // Each row says so itself (its 待审批 tag), in any list it is in.
  std::set<std::string> tagged;
  for (const InboxRow& r : page(filtered(InboxFilter{})))
    if (r.pending_request) tagged.insert(r.id);
  EXPECT_EQ(tagged, (std::set<std::string>{test::ticket_id(1), test::ticket_id(2)}));
  EXPECT_EQ(store.deadline_counts(at("2026-11-24 12:00"))->pending_requests, 2);
  EXPECT_EQ(*store.inbox_count(pending), 2);

  Change refuse = centre.note(test::ticket_id(2), at("2026-11-24 13:00"), EntryKind::Decision, "请继续处置");
  refuse.entry.request = give_back.id;
  apply({refuse});
  EXPECT_EQ(ids(), (std::set<std::string>{test::ticket_id(1)})) << "refused is decided too";
  for (const InboxRow& r : page(filtered(InboxFilter{}))) EXPECT_EQ(r.pending_request, r.id == test::ticket_id(1)) << r.id;
  walk(1, "2026-11-25 09:00", {WorkflowAction::Handle});
  EXPECT_TRUE(ids().empty()) << "handled while its 延期 waited: nothing is left to extend, the request has lapsed";
  EXPECT_FALSE(page(filtered(InboxFilter{}))[0].pending_request);
  EXPECT_EQ(store.deadline_counts(at("2026-11-25 10:00"))->pending_requests, 0);
  walk(1, "2026-11-25 09:30", {WorkflowAction::ReturnVisit, WorkflowAction::Close});
  EXPECT_TRUE(ids().empty()) << "a closed ticket waits for no decision";
}

// By time left: running deadlines first, soonest first; then the open tickets that have none (a
// handled one waiting for its visit), newest first; then the closed ones, newest first. Before, the
// ones without a deadline came oldest first, open and closed together: a department's ticket
// waiting for the centre's visit sank under years of closed tickets.
TEST_F(Rebound, ByTimeLeftOpenTicketsWithoutADeadlineComeBeforeClosedOnesNewestFirst) {
  apply({create(1, "2026-11-02 09:00"), create(2, "2026-11-09 09:00"), create(3, "2026-11-16 09:00"),
         create(4, "2026-11-23 09:00"), create(5, "2026-11-24 09:00")});
  walk(1, "2026-11-25 09:00", {WorkflowAction::Assign, WorkflowAction::Handle, WorkflowAction::ReturnVisit, WorkflowAction::Close});
  walk(2, "2026-11-25 09:10", {WorkflowAction::Assign, WorkflowAction::Handle, WorkflowAction::ReturnVisit, WorkflowAction::Close});
  walk(3, "2026-11-25 09:20", {WorkflowAction::Assign, WorkflowAction::Handle});
  walk(4, "2026-11-25 09:30", {WorkflowAction::Assign, WorkflowAction::Handle});
  InboxQuery q;
  q.sort = InboxSort::Due;
  q.descending = false;  // As the app sorts by time left: the soonest first.
  std::vector<std::string> order;
  for (const InboxRow& r : page(q)) order.push_back(r.id);
  EXPECT_EQ(order, (std::vector<std::string>{test::ticket_id(5), test::ticket_id(4), test::ticket_id(3), test::ticket_id(2),
                                             test::ticket_id(1)}));
  // Read along the index (many rows) as well as sorted (few): the same order.
  q.filter.community = "河滨花园";
  std::vector<std::string> filtered_order;
  for (const InboxRow& r : page(q)) filtered_order.push_back(r.id);
  EXPECT_EQ(filtered_order, order);
}

// Migration 19 drops the time-left index whose key changed; a replica's store makes it again, with
// the key the inbox sorts by, when it opens (Store::shape_for), and one made before it too.
TEST(InboxShape, AReplicaStoreWithoutTheDueIndexMakesItAgainWhenItOpens) {
  test::TempDir dir;
  const auto due_index_sql = [&] {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(dir.file("r.db").c_str(), &db), SQLITE_OK);
    std::string sql;
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE name = 'inbox_by_due'", -1, &q, nullptr);
    if (sqlite3_step(q) == SQLITE_ROW) sql = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return sql;
  };
  { Store s = test::open_store(dir, "r.db"); }
  EXPECT_NE(due_index_sql().find(LINLI_DUE_KEY), std::string::npos) << due_index_sql();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("r.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP INDEX inbox_by_due", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_EQ(due_index_sql(), "");
  { Store s = test::open_store(dir, "r.db"); }
  EXPECT_NE(due_index_sql().find(LINLI_DUE_KEY), std::string::npos) << "made again: " << due_index_sql();
}

// 催办: a ticket the centre urged shows so (its tag, the filter, the count) until anyone but the centre
// writes to it again, or it leaves the handler's hands; an urge of the centre's after that shows again.
TEST_F(Rebound, AnUrgeShowsUntilTheHandlerWritesOrTheTicketLeavesItsHands) {
  apply({create(1, "2026-11-23 09:00"), create(2, "2026-11-23 09:30"), create(3, "2026-11-23 10:00")});
  for (int n : {1, 2}) walk(n, "2026-11-24 10:00", {WorkflowAction::Assign});
  apply({centre.note(test::ticket_id(1), at("2026-11-24 15:00"), EntryKind::Urge, "请今日内处理并回复市民"),
         centre.note(test::ticket_id(2), at("2026-11-24 15:05"), EntryKind::Urge, ""),
         centre.note(test::ticket_id(3), at("2026-11-24 15:10"), EntryKind::Comment, "备注")});
  InboxFilter urged;
  urged.urged = true;
  const auto ids = [&] {
    std::set<std::string> out;
    for (const InboxRow& r : page(filtered(urged))) out.insert(r.id);
    return out;
  };
  const auto tagged = [&] {
    std::set<std::string> out;
    for (const InboxRow& r : page(filtered(InboxFilter{})))
      if (r.urged) out.insert(r.id);
    return out;
  };
  const std::set<std::string> both{test::ticket_id(1), test::ticket_id(2)};
  EXPECT_EQ(ids(), both);
  EXPECT_EQ(tagged(), both);
  EXPECT_EQ(store.deadline_counts(at("2026-11-24 16:00"))->urged, 2);
  EXPECT_EQ(*store.inbox_count(urged), 2);

  // The centre's own comment answers nothing; the department's progress report does.
  apply({centre.note(test::ticket_id(1), at("2026-11-24 15:30"), EntryKind::Comment, "再次来电")});
  EXPECT_EQ(ids(), both);
  apply({dept.note(test::ticket_id(1), at("2026-11-24 16:00"), EntryKind::ProgressReport, "已上门，明日清运")});
  EXPECT_EQ(ids(), (std::set<std::string>{test::ticket_id(2)}));
  EXPECT_EQ(tagged(), (std::set<std::string>{test::ticket_id(2)}));
  // Urged again after the answer: shown again.
  apply({centre.note(test::ticket_id(1), at("2026-11-24 17:00"), EntryKind::Urge, "市民再次来电")});
  EXPECT_EQ(ids(), both);
  // Handled: out of the handler's hands, nothing to press for.
  walk(2, "2026-11-24 18:00", {WorkflowAction::Handle});
  EXPECT_EQ(ids(), (std::set<std::string>{test::ticket_id(1)}));
  EXPECT_EQ(store.deadline_counts(at("2026-11-24 19:00"))->urged, 1);
}

}  // namespace
}  // namespace linli
