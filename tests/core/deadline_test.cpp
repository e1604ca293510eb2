// The official calendar (its data file as built in) and the working-day deadlines of a ticket.
#include <gtest/gtest.h>

#include "core/civil_time.h"
#include "core/deadline.h"
#include "support/changes.h"
#include "sync/calendar_json.h"

namespace linli {
namespace {

using test::Maker;
using S = TicketStatus;
using A = WorkflowAction;

int64_t day(const char* iso) { return *parse_iso_day(iso); }
int64_t at(const char* shanghai_minute) { return *parse_shanghai_minute(shanghai_minute); }
// 24:00 Shanghai at the end of a day.
int64_t end_of(const char* iso) { return shanghai_day_start_ms(day(iso) + 1); }

TEST(Calendar, TheBuiltInFileHasTheThreeYearsOfTheNotices) {
  const WorkdayCalendar& c = builtin_calendar();
  EXPECT_EQ(c.years(), (std::vector<int>{2020, 2025, 2026}));
  EXPECT_NE(c.year(2026)->source.find("2026"), std::string::npos);
}

TEST(Calendar, HolidaysMakeUpDaysAndWeekends) {
  const WorkdayCalendar& c = builtin_calendar();
  EXPECT_EQ(c.is_workday(day("2026-10-01")), false);  // 国庆.
  EXPECT_EQ(c.is_workday(day("2026-10-10")), true);   // A Saturday worked (调休).
  EXPECT_EQ(c.is_workday(day("2026-10-11")), false);  // Sunday.
  EXPECT_EQ(c.is_workday(day("2026-11-30")), true);   // Monday.
  EXPECT_EQ(c.is_workday(day("2020-02-01")), false);  // The make-up day the 2020 extension cancelled.
  EXPECT_EQ(c.is_workday(day("2027-01-04")), std::nullopt);  // No notice for 2027: unknown.
}

TEST(Calendar, CountingWorkingDaysSkipsTheHolidayAndTakesTheMakeUpSaturday) {
  const WorkdayCalendar& c = builtin_calendar();
  EXPECT_EQ(c.add_workdays(day("2026-09-30"), 1), day("2026-10-08"));
  EXPECT_EQ(c.add_workdays(day("2026-10-09"), 1), day("2026-10-10"));
  EXPECT_EQ(c.add_workdays(day("2020-01-23"), 1), day("2020-02-03"));  // Spring Festival, extended.
  EXPECT_EQ(c.add_workdays(day("2020-04-03"), 5), day("2020-04-13"));  // 清明 4-6 April.
  EXPECT_EQ(c.add_workdays(day("2026-12-31"), 1), std::nullopt);       // Runs into 2027.
  EXPECT_EQ(c.workdays_between(day("2026-09-30"), day("2026-10-10")), 3);  // 10-08, 10-09, 10-10.
}

TEST(Calendar, AYearIsCheckedBeforeItIsAddedAndReplacesTheOldOne) {
  WorkdayCalendar c;
  auto bad = parse_calendar_year_json(2027, R"({"holidays": [["2027-01-03", "2027-01-01"]], "workdays": []})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("ends before"), std::string::npos);
  EXPECT_FALSE(parse_calendar_year_json(2027, R"({"holidays": [], "workdays": ["2026-12-27"]})"));
  EXPECT_FALSE(parse_calendar_year_json(2027, R"({"holidays": [["2027-02-30", "2027-03-01"]], "workdays": []})"));
  EXPECT_FALSE(parse_calendar_year_json(2027, "not json"));
  auto y = parse_calendar_year_json(2027, R"({"source": "test", "holidays": [["2027-01-01", "2027-01-01"]], "workdays": []})");
  ASSERT_TRUE(y) << y.error().detail;
  ASSERT_TRUE(c.add_year(*y));
  EXPECT_EQ(c.is_workday(day("2027-01-01")), false);
  y->holidays.clear();
  ASSERT_TRUE(c.add_year(*y));
  EXPECT_EQ(c.is_workday(day("2027-01-01")), true);  // Friday, no longer a holiday.
}

TEST(Calendar, ItsJsonGoesRoundTrip) {
  auto back = parse_calendar_json(calendar_to_json(builtin_calendar()));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(*back, builtin_calendar());
}

class Deadline : public ::testing::Test {
 protected:
  // A ticket taken in at `received` (Shanghai time), folded from changes like any replica does.
  void take_in(const char* received, Urgency urgency = Urgency::Normal) {
    Change c = centre.create(kT, at(received));
    c.ticket.received_at_ms = at(received);
    c.ticket.urgency = urgency;
    ASSERT_EQ(merge_change(state, c).effect, Effect::Applied);
  }
  void apply(const Change& c) { ASSERT_NE(merge_change(state, c).effect, Effect::Rejected); }
  void move(Maker& who, const char* when, A action) {
    apply(who.move(kT, at(when), action, state.ticket.status, state.status.id, state.work_count));
  }
  Deadlines now() const { return compute_deadlines(state, builtin_calendar()); }
  // 回访 不满意 at `when` (Shanghai, "YYYY-MM-DD HH:MM"), then the visit and reopen steps 5 and 10
  // minutes later: the usual way back to work.
  void visit_dissatisfied_and_reopen(const std::string& when) {
    const int64_t t = at(when.c_str());
    Change visit = centre.note(kT, t, EntryKind::ReturnVisit, "市民表示仍有异味");
    visit.entry.satisfaction = Satisfaction::Dissatisfied;
    apply(visit);
    apply(centre.move(kT, t + 5 * 60000, A::ReturnVisit, state.ticket.status, state.status.id, state.work_count));
    apply(centre.move(kT, t + 10 * 60000, A::Reopen, state.ticket.status, state.status.id, state.work_count));
  }

  const std::string kT = test::ticket_id(7);
  TicketState state;
  Maker centre{test::replica(1), Role::Centre};
  Maker department{test::replica(2), Role::Department, "市容所"};
};

TEST_F(Deadline, AFridayAfternoonTicketIsContactedByMondayNightAndHandledInFiveWorkingDays) {
  take_in("2026-11-27 15:00");  // Friday.
  const Deadlines d = now();
  EXPECT_EQ(d.stage, DeadlineStage::Contact);
  EXPECT_EQ(d.contact_due_ms, end_of("2026-11-30"));
  EXPECT_EQ(d.due_ms, end_of("2026-11-30"));
  EXPECT_EQ(d.handling_due_ms, end_of("2026-12-04"));
  EXPECT_FALSE(d.calendar_missing);
}

TEST_F(Deadline, AnUrgentTicketIsAnsweredTheSameDayEvenOnAHoliday) {
  take_in("2026-10-02 21:40", Urgency::Urgent);
  EXPECT_EQ(now().due_ms, end_of("2026-10-02"));
  EXPECT_EQ(now().handling_due_ms, end_of("2026-10-13"));  // 10-08, 09, 10 (a Saturday worked), 12, 13.
}

// 中途汇报: an urgent ticket reports progress every calendar day from the day after it came in
// until it is handled; each report moves the next one to 24:00 of the day after it.
TEST_F(Deadline, AnUrgentTicketReportsProgressEveryDayUntilItIsHandled) {
  take_in("2026-10-02 21:40", Urgency::Urgent);  // 国庆: the days count all the same.
  Deadlines d = now();
  EXPECT_TRUE(d.report_needed);
  EXPECT_EQ(d.report_due_ms, end_of("2026-10-03"));
  EXPECT_EQ(d.stage, DeadlineStage::Contact);  // The same-day reply comes first.
  apply(centre.note(kT, at("2026-10-02 22:10"), EntryKind::Contact, "已电话联系市民，今晚派人查看"));
  d = now();
  EXPECT_EQ(d.stage, DeadlineStage::ProgressReport);
  EXPECT_EQ(d.due_ms, end_of("2026-10-03"));
  EXPECT_EQ(d.reported_ms, 0);
  // Not a handling note, nor a comment: only a progress report meets it.
  apply(department.note(kT, at("2026-10-03 09:00"), EntryKind::HandlingNote, "已到现场"));
  EXPECT_EQ(now().due_ms, end_of("2026-10-03"));
  apply(department.note(kT, at("2026-10-04 23:30"), EntryKind::ProgressReport, "下水道已疏通一半"));
  d = now();
  EXPECT_EQ(d.reported_ms, at("2026-10-04 23:30"));
  EXPECT_EQ(d.due_ms, end_of("2026-10-05"));
  EXPECT_EQ(d.stage, DeadlineStage::ProgressReport);
  // Handled: nothing more to report. A dissatisfied visit sends it back to work, and the reports
  // with it, counted from the visit that began the new stage.
  move(centre, "2026-10-05 08:00", A::ContactCitizen);
  move(centre, "2026-10-05 08:10", A::Assign);
  move(department, "2026-10-05 10:00", A::Handle);
  d = now();
  EXPECT_FALSE(d.report_needed);
  EXPECT_EQ(d.stage, DeadlineStage::None);
  visit_dissatisfied_and_reopen("2026-10-08 10:00");
  d = now();
  EXPECT_TRUE(d.report_needed);
  EXPECT_EQ(d.report_due_ms, end_of("2026-10-09"));
  EXPECT_EQ(d.stage, DeadlineStage::ProgressReport);
  EXPECT_EQ(d.handling_due_ms, end_of("2026-10-12"));  // 10-09, 10-10 (a Saturday worked), 10-12.
}

TEST_F(Deadline, AnOrdinaryTicketOwesNoProgressReports) {
  take_in("2026-11-27 15:00");
  apply(centre.note(kT, at("2026-11-27 16:00"), EntryKind::Contact, "已联系"));
  EXPECT_FALSE(now().report_needed);
  EXPECT_EQ(now().stage, DeadlineStage::FirstHandling);
}

TEST_F(Deadline, AContactEntryMeetsTheContactStageAndHandlingIsDueNext) {
  take_in("2026-09-30 09:00");
  apply(centre.note(kT, at("2026-10-08 10:00"), EntryKind::Contact, "已电话联系市民"));
  const Deadlines d = now();
  EXPECT_EQ(d.contacted_ms, at("2026-10-08 10:00"));
  EXPECT_FALSE(d.contact_late);
  EXPECT_EQ(d.stage, DeadlineStage::FirstHandling);
  EXPECT_EQ(d.due_ms, end_of("2026-10-13"));
}

// 直接答复: an inquiry the centre answered on the call ("我是租客，能预约口罩吗？") is handled with
// no dispatch, and the answer was the 先行联系 too: met on time, nothing owed but the visit.
TEST_F(Deadline, TheCentresDirectAnswerContactsTheCitizenAndHandlesTheTicket) {
  take_in("2026-02-10 20:05", Urgency::Urgent);
  move(centre, "2026-02-10 20:12", A::Handle);
  ASSERT_EQ(state.ticket.status, S::Handled);
  const Deadlines d = now();
  EXPECT_EQ(d.contacted_ms, at("2026-02-10 20:12"));
  EXPECT_FALSE(d.contact_late);
  EXPECT_EQ(d.handled_ms, at("2026-02-10 20:12"));
  EXPECT_FALSE(d.report_needed);
  EXPECT_EQ(d.stage, DeadlineStage::None);
}

// The centre does not finish a dispatched ticket for its department: R7 keeps it with the handler.
TEST_F(Deadline, TheCentresHandleOfADispatchedTicketIsRejected) {
  take_in("2026-11-23 09:00");
  move(centre, "2026-11-23 10:00", A::Assign);
  const MergeOutcome out = merge_change(
      state, centre.move(kT, at("2026-11-23 11:00"), A::Handle, state.ticket.status, state.status.id, state.work_count));
  EXPECT_EQ(out.effect, Effect::Rejected);
  ASSERT_TRUE(out.conflict);
  EXPECT_NE(out.conflict->reason.find("[merge.R7] [workflow] centre may not handle from assigned"), std::string::npos)
      << out.conflict->reason;
  EXPECT_EQ(state.ticket.status, S::Assigned);
}

TEST_F(Deadline, HandlingEndsTheDeadlineAndADissatisfiedVisitStartsThreeWorkingDaysOfRehandling) {
  take_in("2026-11-23 09:00");  // Monday.
  move(centre, "2026-11-23 10:00", A::ContactCitizen);
  move(centre, "2026-11-23 11:00", A::Assign);
  move(department, "2026-12-01 16:00", A::Handle);  // Past Friday 11-27 + ... due 11-30: late.
  Deadlines d = now();
  EXPECT_EQ(d.stage, DeadlineStage::None);
  EXPECT_EQ(d.handling_due_ms, end_of("2026-11-30"));
  EXPECT_TRUE(d.handling_late);
  visit_dissatisfied_and_reopen("2026-12-02 09:00");
  d = now();
  EXPECT_EQ(d.stage, DeadlineStage::Rehandling);
  EXPECT_EQ(d.due_ms, end_of("2026-12-07"));  // Thu 12-03, Fri 12-04, Mon 12-07.
  move(department, "2026-12-04 10:00", A::Handle);
  d = now();
  EXPECT_EQ(d.stage, DeadlineStage::None);
  EXPECT_EQ(d.handled_ms, at("2026-12-04 10:00"));
  EXPECT_FALSE(d.handling_late);
}

// 中华新路927弄: handled, visited, closed; weeks later the hoard is back and the centre reopens
// the ticket. The reopen begins a 再次处置 stage of its own (3 working days from it), not the
// long-met first handling, so the reopened ticket is due and can be late like any other.
TEST_F(Deadline, AReopenAfterAClosedTicketReboundedStartsThreeWorkingDaysOfRehandling) {
  take_in("2026-11-02 09:00");  // Monday.
  move(centre, "2026-11-02 10:00", A::ContactCitizen);
  move(centre, "2026-11-02 11:00", A::Assign);
  move(department, "2026-11-04 16:00", A::Handle);
  Change visit = centre.note(kT, at("2026-11-05 09:00"), EntryKind::ReturnVisit, "市民满意");
  visit.entry.satisfaction = Satisfaction::Satisfied;
  apply(visit);
  move(centre, "2026-11-05 09:05", A::ReturnVisit);
  move(centre, "2026-11-05 09:10", A::Close);
  EXPECT_EQ(now().stage, DeadlineStage::None);
  move(centre, "2026-11-26 14:00", A::Reopen);  // Thursday: 反弹.
  Deadlines d = now();
  EXPECT_EQ(d.stage, DeadlineStage::Rehandling);
  EXPECT_EQ(d.due_ms, end_of("2026-12-01"));  // Fri 11-27, Mon 11-30, Tue 12-01.
  EXPECT_EQ(d.handled_ms, 0);
  EXPECT_FALSE(d.warning);
  move(department, "2026-12-02 10:00", A::Handle);
  d = now();
  EXPECT_EQ(d.handled_ms, at("2026-12-02 10:00"));
  EXPECT_TRUE(d.handling_late);
  EXPECT_EQ(d.stage, DeadlineStage::None);
}

// A handled ticket sent to review (merge rule R5: a note came in after the handling it preceded)
// met its handling stage: it owes nothing until the centre reopens it.
TEST_F(Deadline, AHandledTicketInReviewOwesNoHandling) {
  take_in("2026-11-02 09:00");
  move(centre, "2026-11-02 10:00", A::ContactCitizen);
  move(centre, "2026-11-02 11:00", A::Assign);
  move(department, "2026-11-04 16:00", A::Handle);
  Maker committee{test::replica(3), Role::Committee, "李主任"};
  apply(committee.note(kT, at("2026-11-04 15:00"), EntryKind::HandlingNote, "地下室补记"));
  ASSERT_EQ(state.ticket.status, S::Review);
  Deadlines d = now();
  EXPECT_EQ(d.stage, DeadlineStage::None);
  EXPECT_EQ(d.handled_ms, at("2026-11-04 16:00"));
  EXPECT_FALSE(d.handling_late);
  move(centre, "2026-11-30 09:00", A::Reopen);
  d = now();
  EXPECT_EQ(d.stage, DeadlineStage::Rehandling);
  EXPECT_EQ(d.due_ms, end_of("2026-12-03"));
}

TEST_F(Deadline, APatrolFindingHasNoCitizenToCallBackSoNoContactStage) {
  take_in("2026-11-23 09:00");
  state.ticket.source = Source::Patrol;
  Deadlines d = now();
  EXPECT_FALSE(d.contact_needed);
  EXPECT_EQ(d.contact_due_ms, 0);
  EXPECT_FALSE(d.calendar_missing);
  EXPECT_EQ(d.stage, DeadlineStage::FirstHandling);
  EXPECT_EQ(d.due_ms, end_of("2026-11-30"));
}

TEST_F(Deadline, ADissatisfiedVisitRaisesAWarningThatStaysThroughRehandlingUntilASatisfiedVisit) {
  take_in("2026-11-23 09:00");
  move(centre, "2026-11-23 10:00", A::ContactCitizen);
  move(centre, "2026-11-23 11:00", A::Assign);
  move(department, "2026-11-24 16:00", A::Handle);
  EXPECT_FALSE(now().warning);
  Change visit = centre.note(kT, at("2026-11-25 09:00"), EntryKind::ReturnVisit, "门口仍堆满纸箱");
  visit.entry.satisfaction = Satisfaction::Dissatisfied;
  apply(visit);
  move(centre, "2026-11-25 09:05", A::Reopen);  // Handled -> in progress: 再次处置.
  Deadlines d = now();
  EXPECT_TRUE(d.warning);
  EXPECT_EQ(d.stage, DeadlineStage::Rehandling);
  EXPECT_EQ(d.due_ms, end_of("2026-11-30"));  // Thu 11-26, Fri 11-27, Mon 11-30.
  move(department, "2026-11-27 10:00", A::Handle);
  EXPECT_TRUE(now().warning);  // Handled again, the citizen not yet asked.
  Change again = centre.note(kT, at("2026-11-27 15:00"), EntryKind::ReturnVisit, "已清理，基本满意");
  again.entry.satisfaction = Satisfaction::BasicallySatisfied;
  apply(again);
  EXPECT_FALSE(now().warning);
  // A comment is no visit; a second dissatisfied visit raises it again, and closing ends it.
  apply(centre.note(kT, at("2026-11-27 16:00"), EntryKind::Comment, "备注"));
  EXPECT_FALSE(now().warning);
  Change third = centre.note(kT, at("2026-11-28 09:00"), EntryKind::ReturnVisit, "又堆起来了");
  third.entry.satisfaction = Satisfaction::Dissatisfied;
  apply(third);
  EXPECT_TRUE(now().warning);
  move(centre, "2026-11-28 09:10", A::ReturnVisit);
  move(centre, "2026-11-28 09:20", A::Close);
  EXPECT_FALSE(now().warning);
}

TEST_F(Deadline, AnApprovedExtensionMovesTheHandlingDeadlineARefusedOneDoesNot) {
  take_in("2026-11-23 09:00");
  move(centre, "2026-11-23 10:00", A::ContactCitizen);
  move(centre, "2026-11-23 11:00", A::Assign);
  Change ask = department.note(kT, at("2026-11-25 09:00"), EntryKind::ExtensionRequest, "需协调产权单位");
  ask.entry.days = 3;
  apply(ask);
  Change refuse = centre.note(kT, at("2026-11-25 10:00"), EntryKind::Decision, "不同意");
  refuse.entry.request = ask.id;
  apply(refuse);
  EXPECT_EQ(now().due_ms, end_of("2026-11-30"));
  Change approve = centre.note(kT, at("2026-11-25 11:00"), EntryKind::Decision, "同意延期");
  approve.entry.request = ask.id;
  approve.entry.approved = true;
  apply(approve);
  apply(approve);  // The store never applies one change twice; even so the days count once.
  EXPECT_EQ(now().extension_days, 3);
  EXPECT_EQ(now().due_ms, end_of("2026-12-03"));
  // A department cannot approve its own request: its "decision" moves nothing.
  Change self = department.note(kT, at("2026-11-25 12:00"), EntryKind::Decision, "同意");
  self.entry.request = ask.id;
  self.entry.approved = true;
  apply(self);
  EXPECT_EQ(now().extension_days, 3);
}

TEST_F(Deadline, ADateInAYearWithoutANoticeIsReportedNotGuessed) {
  take_in("2026-12-28 09:00");  // Monday: contact by 12-29; handling runs into 2027.
  const Deadlines d = now();
  EXPECT_TRUE(d.calendar_missing);
  EXPECT_EQ(d.stage, DeadlineStage::Contact);
  EXPECT_EQ(d.handling_due_ms, 0);
}

TEST_F(Deadline, FoldOrderDoesNotChangeTheDeadline) {
  take_in("2026-11-23 09:00");
  const Change contact_late = centre.note(kT, at("2026-11-24 10:00"), EntryKind::Contact, "第二次联系");
  const Change contact_early = department.note(kT, at("2026-11-23 12:00"), EntryKind::Contact, "第一次联系");
  TicketState other = state;
  apply(contact_late);
  apply(contact_early);
  merge_change(other, contact_early);
  merge_change(other, contact_late);
  EXPECT_EQ(compute_deadlines(other, builtin_calendar()).contacted_ms, now().contacted_ms);
  EXPECT_EQ(now().contacted_ms, at("2026-11-23 12:00"));
}

}  // namespace
}  // namespace linli
