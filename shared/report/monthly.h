// The monthly report (issue 12): tickets received in a Shanghai calendar month, counted by category,
// community, source and department, and the centre's rates (docs/metrics.md defines each, with a
// worked example). Pure: the tickets come from a TicketFacts list a reader gives (the store, on the
// server), the calendar and the report's instant are arguments; no clock, no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/change.h"
#include "core/deadline.h"
#include "core/merge.h"
#include "core/report_tally.h"
#include "core/result.h"
#include "report/campaign.h"

namespace linli::report {

// by_department's key for the tickets the centre answered itself (直接答复办结).
inline constexpr const char* kCentreAnswered = "城运中心（直接答复）";

// What the report needs of one ticket: its folded state and what its log says happened (the
// tally: assignments, returns, extensions, rebound, first and last return visit).
struct TicketFacts {
  TicketState state;
  ReportTally tally;
};

// Folds one ticket's changes (in log order) into its facts. Pure. The reference: the store keeps
// each ticket's tally as its fold goes (core/report_tally.h), and tests hold the two equal.
TicketFacts facts_of(const std::vector<Change>& changes);

// Where the report reads tickets from: those received in [from_ms, to_ms) that the reader's scope
// holds (the server's reader applies the caller's scope, as a pull does).
class TicketReader {
 public:
  // One ticket as read: its state and its tally, valid during the call only.
  using Visit = std::function<void(const TicketState& state, const ReportTally& tally)>;
  virtual ~TicketReader() = default;
  virtual Result<std::vector<TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) = 0;
  // The same tickets handed to `visit` one by one as they are read, no list kept (the report's
  // way). This default reads the list.
  virtual Result<void> each_received(int64_t from_ms, int64_t to_ms, const Visit& visit);
  // The field work the report's campaigns are counted from (core/field.h), and the one community
  // they are limited to ("": all; policy F1, a committee's). The defaults: none.
  virtual Result<FieldData> field_data() { return FieldData{}; }
  virtual std::string campaign_community() const { return {}; }
};

// A rate: how many of how many (0 of 0 when nothing counts; the ratio is then 0).
struct Rate {
  int count = 0;
  int of = 0;
  double value() const { return of == 0 ? 0.0 : static_cast<double>(count) / of; }
  friend bool operator==(const Rate&, const Rate&) = default;
};

struct OverdueTicket {
  std::string id, official_number, title, community, lead_department;
  DeadlineStage stage = DeadlineStage::None;
  int64_t due_ms = 0;
  bool open = false;  // Still not met at the report's instant; else met after its deadline.
  friend bool operator==(const OverdueTicket&, const OverdueTicket&) = default;
};

// Time to first contact, in working hours (docs/metrics.md): only the time that falls on working
// days counts, as deadlines count (a working day runs 00:00 to 24:00, Shanghai).
struct ContactTime {
  int of = 0;                   // Tickets with a citizen, contacted, the calendar knowing the days between.
  int64_t total_work_ms = 0;    // Their working time from receipt to first contact, summed.
  double average_hours() const { return of == 0 ? 0.0 : static_cast<double>(total_work_ms) / of / 3'600'000; }
  friend bool operator==(const ContactTime&, const ContactTime&) = default;
};

// The figures a month is judged by, so this month can stand beside the last (the dashboard's cards).
struct MonthlyRates {
  Rate handled;            // 办结率
  Rate handled_on_time;    // 按时办结率
  Rate contacted_on_time;  // 先行联系及时率
  Rate replied_same_day;   // 当日回复率 (不过夜): first contact on the Shanghai day the ticket came in.
  Rate satisfied;          // 满意率
  Rate resolved;           // 解决率
  Rate reassigned;         // 重派率
  Rate extended;           // 延期率
  Rate rebound;            // 反弹率
  Rate co_replied_on_time; // 协办按时回复率: co-handlers that replied by their deadline, of all kept.
  ContactTime contact_time;
  friend bool operator==(const MonthlyRates&, const MonthlyRates&) = default;
};

// One day of the month: tickets received that day, and the month's tickets first handled that day.
struct DayFlow {
  int received = 0;
  int handled = 0;
  friend bool operator==(const DayFlow&, const DayFlow&) = default;
};

struct MonthlyReport : MonthlyRates {
  int year = 0, month = 0;
  int64_t from_ms = 0, to_ms = 0, as_of_ms = 0;
  int received = 0;
  std::map<Category, int> by_category;
  std::map<std::string, int> by_community;
  std::map<Source, int> by_source;
  // The lead department; kCentreAnswered for one the centre handled itself (直接答复, never
  // dispatched); "" for not yet assigned.
  std::map<std::string, int> by_department;
  std::vector<DayFlow> days;                 // One per day of the month, the 1st first.
  int co_handled = 0;                        // Tickets with at least one co-handler (not removed).
  MonthlyRates previous;                     // The month before, as of the same instant.
  std::vector<OverdueTicket> overdue;  // By due time.
  bool calendar_missing = false;       // Some deadline fell in a year the calendar lacks.
  std::vector<CampaignInMonth> campaigns;  // Inspection campaigns (巡查) overlapping the month.
  friend bool operator==(const MonthlyReport&, const MonthlyReport&) = default;
};

// Working time (ms) between two instants: the part of [from_ms, to_ms) on working days. nullopt
// when the calendar lacks a year between.
std::optional<int64_t> working_ms_between(const WorkdayCalendar& calendar, int64_t from_ms, int64_t to_ms);

// The year and month before.
std::pair<int, int> previous_month(int year, int month);

// [from, to) of a Shanghai month; month 1-12.
std::pair<int64_t, int64_t> month_bounds(int year, int month);

// The report of one month, counted one ticket at a time (tickets received outside the month are
// passed over): add each, then take the report.
class MonthlyCounter {
 public:
  MonthlyCounter(int year, int month, const WorkdayCalendar& calendar, int64_t as_of_ms);
  void add(const TicketState& state, const ReportTally& tally);
  void add(const TicketFacts& f) { add(f.state, f.tally); }
  MonthlyReport take();  // The overdue list sorted by due time.

 private:
  MonthlyReport m_r;
  const WorkdayCalendar& m_calendar;
  int64_t m_first_day = 0;
};

// The report over tickets already read (each received in the month).
MonthlyReport compute_monthly(int year, int month, const std::vector<TicketFacts>& tickets,
                              const WorkdayCalendar& calendar, int64_t as_of_ms);

// Reads the month's tickets and the month before's through `reader` and computes the report, with
// the previous month's rates in `previous` and the campaigns overlapping the month (campaigns_in_month).
Result<MonthlyReport> monthly_report(TicketReader& reader, int year, int month, const WorkdayCalendar& calendar,
                                     int64_t as_of_ms);

// "YYYY-MM" to year and month; nullopt for anything else.
std::optional<std::pair<int, int>> parse_month(std::string_view text);

}  // namespace linli::report
