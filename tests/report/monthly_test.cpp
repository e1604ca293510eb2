// The monthly report over a small hand-made March 2020 (docs/metrics.md, the worked example): five
// tickets whose every figure is counted by hand below, one of February that does not count, and
// the demo street's March with its 300 epidemic tickets.
#include "report/monthly.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "core/civil_time.h"
#include "core/demo_data.h"
#include "sync/calendar_json.h"

namespace linli::report {
namespace {

int64_t sh(const char* text) { return *parse_shanghai_minute(text); }

// Writes one ticket's changes as its people would, each based on what was there (as demo_data.cpp).
class Builder {
 public:
  Builder(int n, const char* received, Source source, Category category, const char* community,
          Urgency urgency = Urgency::Normal) {
    char id[40];
    std::snprintf(id, sizeof id, "feed%028d", n);
    m_id = id;
    m_at = sh(received) + 60'000;  // Typed in a minute into the call.
    Change c = draft(received, ChangeKind::CreateTicket);
    Ticket& t = c.ticket;
    t.id = m_id;
    t.source = source;
    t.category = category;
    t.urgency = urgency;
    t.received_at_ms = sh(received);
    t.created_at_ms = t.updated_at_ms = c.stamp.ms;
    if (source != Source::Patrol) {
      t.citizen_name = "王女士";
      t.citizen_phone = "13900000000";
    }
    t.community = community;
    t.address = std::string(community) + "1号";
    t.title = "工单" + std::to_string(n);
    emit(std::move(c));
  }
  const std::string& id() const { return m_id; }

  Builder& contact(const char* at) {
    entry(at, EntryKind::Contact);
    return move(at, WorkflowAction::ContactCitizen);
  }
  Builder& assign(const char* at, const char* department) {
    Change c = draft(at, ChangeKind::SetField);
    c.field = EditableField::LeadDepartment;
    c.value = department;
    c.base = m_state.fields[static_cast<size_t>(EditableField::LeadDepartment)].id;
    emit(std::move(c));
    return move(at, WorkflowAction::Assign);
  }
  Builder& start(const char* at) { return by_handler([&] { move(at, WorkflowAction::Start); }); }
  Builder& handle(const char* at) {
    return by_handler([&] {
      entry(at, EntryKind::HandlingNote);
      move(at, WorkflowAction::Handle);
    });
  }
  // 直接答复办结: the centre answers the citizen itself and handles the ticket, no dispatch.
  Builder& answer(const char* at) {
    entry(at, EntryKind::HandlingNote);
    return move(at, WorkflowAction::Handle);
  }
  Builder& visit(const char* at, Satisfaction s) {
    Entry e;
    e.kind = EntryKind::ReturnVisit;
    e.satisfaction = s;
    add(at, e);
    return move(at, WorkflowAction::ReturnVisit);
  }
  Builder& close(const char* at) { return move(at, WorkflowAction::Close); }
  Builder& reopen(const char* at) { return move(at, WorkflowAction::Reopen); }
  Builder& ask_return(const char* at) {
    return by_handler([&] { m_request = entry(at, EntryKind::ReturnRequest); });
  }
  Builder& approve_return(const char* at) {
    decide(at, true);
    return move(at, WorkflowAction::ApproveReturn);
  }
  Builder& ask_extension(const char* at, int days) {
    Entry e;
    e.kind = EntryKind::ExtensionRequest;
    e.days = days;
    return by_handler([&] { m_request = add(at, e); });
  }
  Builder& decide(const char* at, bool approved) {
    Entry e;
    e.kind = EntryKind::Decision;
    e.request = m_request;
    e.approved = approved;
    add(at, e);
    return *this;
  }
  Builder& link(const char* at, const std::string& earlier) {
    Change c = draft(at, ChangeKind::LinkTickets);
    c.link = Link{earlier, LinkKind::Rebound};
    emit(std::move(c));
    return *this;
  }
  // 联合处置: the centre adds a co-handler; it replies (as a handler) or is removed.
  Builder& add_co_handler(const char* at, const char* department) {
    Entry e;
    e.kind = EntryKind::CoHandlerAdded;
    e.text = department;
    m_co_handler = add(at, e);
    return *this;
  }
  Builder& co_reply(const char* at) {
    Entry e;
    e.kind = EntryKind::CoReply;
    e.text = "已处理";
    e.request = m_co_handler;
    return by_handler([&] { add(at, e); });
  }
  Builder& remove_co_handler(const char* at, const char* department) {
    Entry e;
    e.kind = EntryKind::CoHandlerRemoved;
    e.text = department;
    e.request = m_co_handler;
    add(at, e);
    return *this;
  }
  TicketFacts facts() const { return facts_of(m_changes); }
  const std::vector<Change>& changes() const { return m_changes; }

 private:
  Change draft(const char* at, ChangeKind kind) {
    Change c;
    c.id = ChangeId{ReplicaId{1, 2}, ++m_counter};
    m_at = std::max(m_at, sh(at));
    c.stamp = Hlc{m_at, 0};
    m_at += 1000;  // The next change of a step a second later.
    c.ticket_id = m_id;
    c.author = m_author;
    c.kind = kind;
    return c;
  }
  ChangeId emit(Change c) {
    const MergeOutcome o = merge_change(m_state, c);
    EXPECT_FALSE(o.conflict) << m_id << " " << to_string(c.id) << ": " << (o.conflict ? o.conflict->reason : "");
    m_changes.push_back(c);
    return c.id;
  }
  ChangeId add(const char* at, Entry e) {
    Change c = draft(at, ChangeKind::AddEntry);
    c.entry = std::move(e);
    return emit(std::move(c));
  }
  ChangeId entry(const char* at, EntryKind kind) {
    Entry e;
    e.kind = kind;
    e.text = "记录";
    return add(at, e);
  }
  Builder& move(const char* at, WorkflowAction action) {
    Change c = draft(at, ChangeKind::Transition);
    c.action = action;
    c.from = m_state.ticket.status;
    c.to = workflow_target(c.from, action).value_or(c.from);
    c.base = m_state.status.id;
    c.seen_work = m_state.work_count;
    emit(std::move(c));
    return *this;
  }

  // The lead department's handler takes the handler's steps; the centre the rest.
  template <typename F>
  Builder& by_handler(F steps) {
    m_author = Author{"handler", Role::Department};
    steps();
    m_author = Author{"zhang.bin", Role::Centre};
    return *this;
  }

  std::string m_id;
  Author m_author{"zhang.bin", Role::Centre};
  int64_t m_at = 0;
  uint64_t m_counter = 0;
  TicketState m_state;
  std::vector<Change> m_changes;
  ChangeId m_request;
  ChangeId m_co_handler;
};

// The worked example of docs/metrics.md.
std::vector<TicketFacts> march_2020() {
  Builder t0(10, "2020-02-20 10:00", Source::Hotline, Category::HoardingRefuse, "中华新路927弄");
  t0.contact("2020-02-20 10:30").assign("2020-02-20 10:40", "管理办").handle("2020-02-21 16:00");
  // T1: urgent, everything in time, satisfied.
  Builder t1(1, "2020-03-02 09:00", Source::Hotline, Category::EpidemicControl, "河滨花园", Urgency::Urgent);
  t1.contact("2020-03-02 09:20").assign("2020-03-02 09:30", "河滨花园居委会").start("2020-03-02 10:00");
  t1.add_co_handler("2020-03-02 10:10", "城管中队").remove_co_handler("2020-03-02 10:20", "城管中队");  // Not kept.
  t1.handle("2020-03-02 15:00").visit("2020-03-02 17:00", Satisfaction::Satisfied).close("2020-03-02 17:10");
  // T2: contacted two days later (due the end of Wednesday 4 March); dissatisfied, reopened
  // (预警 on Friday 6 March: rehandling due the end of Wednesday 11 March), handled again on the 12th.
  Builder t2(2, "2020-03-03 10:00", Source::Phone, Category::EpidemicControl, "普善路小区");
  t2.contact("2020-03-05 09:00").assign("2020-03-05 09:10", "平安办").start("2020-03-05 10:00");
  t2.handle("2020-03-06 11:00").visit("2020-03-06 15:00", Satisfaction::Dissatisfied).reopen("2020-03-06 15:10");
  t2.handle("2020-03-12 10:00").visit("2020-03-12 15:00", Satisfaction::BasicallySatisfied).close("2020-03-12 15:10");
  // T3: returned by 市场监管所 (退单), reassigned to 营商办 (重派), 3 days' extension approved:
  // first handling due the end of 11 March + 3 working days = the end of Monday 16 March.
  Builder t3(3, "2020-03-04 14:00", Source::WalkIn, Category::BusinessSupport, "长安路");
  t3.contact("2020-03-04 14:10").assign("2020-03-04 14:20", "市场监管所").ask_return("2020-03-04 16:00");
  t3.approve_return("2020-03-04 16:30").assign("2020-03-04 16:40", "营商办").start("2020-03-05 09:00");
  // A co-handler added Thursday 5 March (reply due the end of Thursday 12 March) replies on the 6th.
  t3.add_co_handler("2020-03-05 09:30", "城管中队").co_reply("2020-03-06 16:00");
  t3.ask_extension("2020-03-10 09:00", 3).decide("2020-03-10 10:00", true).handle("2020-03-13 11:00");
  t3.visit("2020-03-13 15:00", Satisfaction::Satisfied).close("2020-03-13 15:10");
  // T4: a patrol finding, started, not handled: first handling due the end of Monday 16 March.
  Builder t4(4, "2020-03-09 09:00", Source::Patrol, Category::PestControl, "天目西路小区");
  t4.assign("2020-03-09 09:30", "除害站").start("2020-03-09 10:00");
  t4.add_co_handler("2020-03-09 10:30", "物业公司");  // Due the end of Monday 16 March: never replied.
  // T5: the hoarder again, at 23:00 on the month's last day: a rebound, not yet contacted (due the
  // end of 1 April, after the report's instant).
  Builder t5(5, "2020-03-31 23:00", Source::Hotline, Category::HoardingRefuse, "中华新路927弄");
  t5.link("2020-03-31 23:05", t0.id());
  return {t0.facts(), t1.facts(), t2.facts(), t3.facts(), t4.facts(), t5.facts()};
}

const int64_t kAsOf = sh("2020-04-01 00:00");

TEST(MonthlyReport, MonthBoundsAreShanghaiMidnights) {
  const auto [from, to] = month_bounds(2020, 3);
  EXPECT_EQ(from, sh("2020-03-01 00:00"));
  EXPECT_EQ(to, sh("2020-04-01 00:00"));
  EXPECT_EQ(month_bounds(2020, 12).second, sh("2021-01-01 00:00"));
  EXPECT_EQ(parse_month("2020-03"), (std::pair{2020, 3}));
  for (const char* bad : {"2020-3", "2020-13", "2020-00", "20x0-03", "2020/03", "2020-03-01", ""})
    EXPECT_FALSE(parse_month(bad)) << bad;
}

TEST(MonthlyReport, CountsTheMonthsTicketsByCategoryCommunitySourceAndDepartment) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  EXPECT_EQ(r.received, 5);  // T0 was received in February.
  EXPECT_EQ(r.by_category, (std::map<Category, int>{{Category::EpidemicControl, 2}, {Category::BusinessSupport, 1},
                                                    {Category::PestControl, 1}, {Category::HoardingRefuse, 1}}));
  EXPECT_EQ(r.by_community.size(), 5u);
  EXPECT_EQ(r.by_community.at("中华新路927弄"), 1);
  EXPECT_EQ(r.by_source, (std::map<Source, int>{{Source::Hotline, 2}, {Source::Phone, 1}, {Source::WalkIn, 1},
                                                {Source::Patrol, 1}}));
  EXPECT_EQ(r.by_department, (std::map<std::string, int>{{"河滨花园居委会", 1}, {"平安办", 1}, {"营商办", 1},
                                                         {"除害站", 1}, {"", 1}}));
}

// An inquiry the centre answered on the call counts as handled on time and contacted on time, under
// the centre, not under 未派单, and in no dispatch rate.
TEST(MonthlyReport, ATicketTheCentreAnsweredItselfIsHandledByTheCentre) {
  Builder t(1, "2020-03-02 09:00", Source::Hotline, Category::EpidemicControl, "河滨花园", Urgency::Urgent);
  t.answer("2020-03-02 09:05").visit("2020-03-02 09:06", Satisfaction::Satisfied).close("2020-03-02 09:07");
  Builder waiting(2, "2020-03-02 10:00", Source::Hotline, Category::EpidemicControl, "河滨花园");
  const MonthlyReport r = compute_monthly(2020, 3, {t.facts(), waiting.facts()}, builtin_calendar(), kAsOf);
  EXPECT_EQ(r.by_department, (std::map<std::string, int>{{kCentreAnswered, 1}, {"", 1}}));
  EXPECT_EQ(r.handled, (Rate{1, 2}));
  EXPECT_EQ(r.handled_on_time.count, 1);
  EXPECT_EQ(r.contacted_on_time.count, 1);
  EXPECT_EQ(r.satisfied, (Rate{1, 1}));
  EXPECT_EQ(r.reassigned, (Rate{0, 0}));
}

TEST(MonthlyReport, TheRatesAreTheHandCountedOnesOfTheWorkedExample) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  EXPECT_EQ(r.handled, (Rate{3, 5}));            // 办结率: T1, T2, T3 of five.
  EXPECT_EQ(r.handled_on_time, (Rate{2, 3}));    // 按时办结率: T2 rehandled a day late.
  EXPECT_EQ(r.contacted_on_time, (Rate{2, 3}));  // 先行联系及时率: T1, T3; T2 late; T5 not yet due; T4 a patrol.
  EXPECT_EQ(r.satisfied, (Rate{2, 3}));          // 满意率: first visits of T1, T3 (T2's was 不满意).
  EXPECT_EQ(r.resolved, (Rate{3, 3}));           // 解决率: last visits, T2's 基本满意 included.
  EXPECT_EQ(r.reassigned, (Rate{1, 4}));         // 重派率: T3, of the four assigned.
  EXPECT_EQ(r.extended, (Rate{1, 4}));           // 延期率: T3.
  EXPECT_EQ(r.rebound, (Rate{1, 5}));            // 反弹率: T5.
  EXPECT_DOUBLE_EQ(r.handled_on_time.value(), 2.0 / 3);
  EXPECT_EQ(Rate{}.value(), 0.0);
  EXPECT_FALSE(r.calendar_missing);
}

TEST(MonthlyReport, TheOverdueListHasTheOpenOneAndTheOneMetLateByDueTime) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  ASSERT_EQ(r.overdue.size(), 2u);
  EXPECT_EQ(r.overdue[0].title, "工单2");  // Contacted after the end of 4 March.
  EXPECT_EQ(r.overdue[0].stage, DeadlineStage::Contact);
  EXPECT_EQ(r.overdue[0].due_ms, sh("2020-03-05 00:00"));
  EXPECT_FALSE(r.overdue[0].open);
  EXPECT_EQ(r.overdue[1].title, "工单4");  // Still not handled.
  EXPECT_EQ(r.overdue[1].stage, DeadlineStage::FirstHandling);
  EXPECT_EQ(r.overdue[1].due_ms, sh("2020-03-17 00:00"));
  EXPECT_TRUE(r.overdue[1].open);
  // A week earlier T4 was not yet overdue: the list is as of the report's instant.
  const MonthlyReport before = compute_monthly(2020, 3, march_2020(), builtin_calendar(), sh("2020-03-16 12:00"));
  EXPECT_EQ(before.overdue.size(), 1u);
}

// Working hours count only working days' time (docs/metrics.md): a weekend and a holiday do not.
TEST(MonthlyReport, WorkingTimeSkipsWeekendsAndHolidays) {
  const auto& cal = builtin_calendar();
  constexpr int64_t kHour = 3'600'000;
  EXPECT_EQ(working_ms_between(cal, sh("2020-03-02 09:00"), sh("2020-03-02 09:20")), 20 * 60'000);
  // Friday 20:00 to Monday 02:00: four hours on Friday, two on Monday.
  EXPECT_EQ(working_ms_between(cal, sh("2020-03-06 20:00"), sh("2020-03-09 02:00")), 6 * kHour);
  // 清明 2020: Saturday 4 to Monday 6 April off. Friday 23:00 to Tuesday 01:00: one hour each side.
  EXPECT_EQ(working_ms_between(cal, sh("2020-04-03 23:00"), sh("2020-04-07 01:00")), 2 * kHour);
  EXPECT_EQ(working_ms_between(cal, sh("2020-03-02 10:00"), sh("2020-03-02 09:00")), 0);
  EXPECT_FALSE(working_ms_between(cal, sh("1990-03-02 10:00"), sh("1990-03-03 09:00")));
}

TEST(MonthlyReport, TheAverageTimeToFirstContactIsInWorkingHours) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  // T1 20 minutes; T2 Tuesday 10:00 to Thursday 09:00, 47 hours of working days; T3 10 minutes.
  // T4 is a patrol finding, T5 not yet contacted.
  EXPECT_EQ(r.contact_time.of, 3);
  EXPECT_EQ(r.contact_time.total_work_ms, (20 + 47 * 60 + 10) * 60'000LL);
  EXPECT_DOUBLE_EQ(r.contact_time.average_hours(), 47.5 / 3);
}

TEST(MonthlyReport, TheSameDayReplyRateCountsFirstContactsBeforeTheDayIsOut) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  // T1 and T3 heard back the day they called; T2 two days later (in time for its deadline all
  // the same); T5 not yet, and the day it called is out at midnight; T4 is a patrol finding.
  EXPECT_EQ(r.replied_same_day, (Rate{2, 4}));
  // Half an hour before, T5's day was not out: it could still hear back that night, and is left out.
  const MonthlyReport before = compute_monthly(2020, 3, march_2020(), builtin_calendar(), sh("2020-03-31 23:30"));
  EXPECT_EQ(before.replied_same_day, (Rate{2, 3}));
}

// A deadline rate judges a ticket once its deadline is met or out (docs/metrics.md): one still
// within its time is in neither the count nor the "of", mid-month as at the month's end.
TEST(MonthlyReport, ATicketStillWithinItsTimeCountsNeitherForNorAgainstTheDeadlineRates) {
  // T5 (received 31 March 23:00, contact due the end of 1 April) is left out while its time runs,
  // and counts against 先行联系及时率 once it is out, not contacted.
  EXPECT_EQ(compute_monthly(2020, 3, march_2020(), builtin_calendar(), sh("2020-04-01 12:00")).contacted_on_time,
            (Rate{2, 3}));
  EXPECT_EQ(compute_monthly(2020, 3, march_2020(), builtin_calendar(), sh("2020-04-02 00:00")).contacted_on_time,
            (Rate{2, 4}));
  // A co-handler that has not replied counts only once its reply is due: T4's (added 9 March, due
  // the end of the 16th) is left out on the 12th and counts against from the 17th; T3's replied.
  EXPECT_EQ(compute_monthly(2020, 3, march_2020(), builtin_calendar(), sh("2020-03-12 12:00")).co_replied_on_time,
            (Rate{1, 1}));
  EXPECT_EQ(compute_monthly(2020, 3, march_2020(), builtin_calendar(), sh("2020-03-17 00:00")).co_replied_on_time,
            (Rate{1, 2}));
}

TEST(MonthlyReport, IntakeAndHandledPerDayFillEveryDayOfTheMonth) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  ASSERT_EQ(r.days.size(), 31u);
  std::vector<DayFlow> expected(31);
  expected[1].received = 1;   // T1, 2 March; handled the same day.
  expected[1].handled = 1;
  expected[2].received = 1;   // T2, 3 March; first handled 6 March (again on the 12th: not counted twice).
  expected[5].handled = 1;
  expected[3].received = 1;   // T3, 4 March; handled 13 March.
  expected[12].handled = 1;
  expected[8].received = 1;   // T4, 9 March; not handled.
  expected[30].received = 1;  // T5, 31 March 23:00.
  EXPECT_EQ(r.days, expected);
  EXPECT_EQ(compute_monthly(2020, 2, march_2020(), builtin_calendar(), kAsOf).days.size(), 29u);
}

TEST(MonthlyReport, CoHandlingCountsTicketsWithACoHandlerAndRepliesByTheirDeadline) {
  const MonthlyReport r = compute_monthly(2020, 3, march_2020(), builtin_calendar(), kAsOf);
  EXPECT_EQ(r.co_handled, 2);  // T3 and T4; T1's co-handler was removed.
  EXPECT_EQ(r.co_replied_on_time, (Rate{1, 2}));  // T3's replied in a day; T4's never did.
}

class VectorReader : public TicketReader {
 public:
  explicit VectorReader(std::vector<TicketFacts> t) : m_tickets(std::move(t)) {}
  Result<std::vector<TicketFacts>> received_between(int64_t from, int64_t to) override {
    std::vector<TicketFacts> out;
    for (const TicketFacts& f : m_tickets)
      if (f.state.ticket.received_at_ms >= from && f.state.ticket.received_at_ms < to) out.push_back(f);
    return out;
  }

 private:
  std::vector<TicketFacts> m_tickets;
};

TEST(MonthlyReport, TheReportCarriesThePreviousMonthsRates) {
  VectorReader reader(march_2020());
  auto r = monthly_report(reader, 2020, 3, builtin_calendar(), kAsOf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->handled, (Rate{3, 5}));
  // February holds T0 only: contacted in 30 minutes, handled the next day, in time.
  EXPECT_EQ(r->previous.handled, (Rate{1, 1}));
  EXPECT_EQ(r->previous.handled_on_time, (Rate{1, 1}));
  EXPECT_EQ(r->previous.contacted_on_time, (Rate{1, 1}));
  EXPECT_EQ(r->previous.contact_time.total_work_ms, 30 * 60'000);
  EXPECT_EQ(r->previous.satisfied, (Rate{0, 0}));
  EXPECT_EQ(previous_month(2020, 1), (std::pair{2019, 12}));
}

TEST(MonthlyReport, TheDemoStreetsMarch2020ShowsItsThreeHundredEpidemicTickets) {
  std::map<std::string, std::vector<Change>> by_ticket;
  for (const Change& c : demo_changes(1'795'960'000'000, ReplicaId{1, 1}, 1)) by_ticket[c.ticket_id].push_back(c);
  std::vector<TicketFacts> all;
  for (const auto& [id, changes] : by_ticket) all.push_back(facts_of(changes));
  VectorReader reader(std::move(all));
  auto r = monthly_report(reader, 2020, 3, builtin_calendar(), 1'795'960'000'000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->by_category.at(Category::EpidemicControl), 300);
  EXPECT_EQ(r->handled.count, r->received) << "every March 2020 ticket is closed";
  EXPECT_GT(r->satisfied.value(), 0.85);
  EXPECT_GT(r->resolved.value(), r->satisfied.value());
  EXPECT_GT(r->contacted_on_time.value(), 0.9);
  EXPECT_GT(r->reassigned.count, 0);
  EXPECT_GT(r->extended.count, 0);
  EXPECT_FALSE(r->calendar_missing);
  auto feb = monthly_report(reader, 2020, 2, builtin_calendar(), 1'795'960'000'000);
  ASSERT_TRUE(feb);
  EXPECT_EQ(feb->by_category.at(Category::EpidemicControl), 156);
  EXPECT_EQ(feb->rebound.count, 1) << "the hoarder at 927弄, 15 February";
}

}  // namespace
}  // namespace linli::report
