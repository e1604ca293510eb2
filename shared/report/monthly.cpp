// The monthly report's arithmetic (docs/metrics.md). Pure: no I/O, no clock.
#include "report/monthly.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/civil_time.h"

namespace linli::report {
namespace {

bool applied(const MergeOutcome& o) { return o.effect == Effect::Applied || o.effect == Effect::Won; }
bool finished(TicketStatus s) {
  return s == TicketStatus::Handled || s == TicketStatus::Visited || s == TicketStatus::Closed;
}
bool content(Satisfaction s) { return s == Satisfaction::Satisfied || s == Satisfaction::BasicallySatisfied; }

// The ticket's entry in the overdue list, if it has one: a deadline passed and not met at as_of,
// or met after it. A patrol finding has no citizen: its contact deadline does not count.
// Fills `o`'s stage, due time and openness; false when the ticket has no entry (`o` untouched).
bool overdue_of(const TicketState& s, const Deadlines& d, int64_t as_of, OverdueTicket& o) {
  const bool needs_contact = s.ticket.source != Source::Patrol;
  auto passed = [&](int64_t due) { return due > 0 && due < as_of; };
  if (needs_contact && d.contacted_ms == 0 && passed(d.contact_due_ms)) {
    o.stage = DeadlineStage::Contact, o.due_ms = d.contact_due_ms, o.open = true;
  } else if (d.handled_ms == 0 && passed(d.handling_due_ms)) {
    o.stage = d.handling_stage, o.due_ms = d.handling_due_ms, o.open = true;
  } else if (needs_contact && d.contact_late) {
    o.stage = DeadlineStage::Contact, o.due_ms = d.contact_due_ms, o.open = false;
  } else if (d.handling_late) {
    o.stage = d.handling_stage, o.due_ms = d.handling_due_ms, o.open = false;
  } else {
    return false;
  }
  return true;
}

}  // namespace

TicketFacts facts_of(const std::vector<Change>& changes) {
  TicketFacts f;
  ReportTally& t = f.tally;
  std::set<ChangeId> extension_requests;
  for (const Change& c : changes) {
    const MergeOutcome o = merge_change(f.state, c);
    if (!applied(o) && o.effect != Effect::Inserted) continue;
    switch (c.kind) {
      case ChangeKind::Transition:
        if (c.action == WorkflowAction::Assign) ++t.assignments;
        if (c.action == WorkflowAction::ApproveReturn) ++t.returns;
        break;
      case ChangeKind::AddEntry:
        if (c.entry.kind == EntryKind::ReturnVisit) {
          if (t.visits++ == 0) t.first_visit = c.entry.satisfaction;
          t.last_visit = c.entry.satisfaction;
        }
        if (c.entry.kind == EntryKind::ExtensionRequest) extension_requests.insert(c.id);
        if (c.entry.kind == EntryKind::Decision && c.entry.approved && extension_requests.count(c.entry.request))
          ++t.extensions;
        break;
      case ChangeKind::LinkTickets:
        t.rebound |= c.link.kind == LinkKind::Rebound;
        break;
      default:
        break;
    }
  }
  return f;
}

std::pair<int64_t, int64_t> month_bounds(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year, next_month = month == 12 ? 1 : month + 1;
  return {shanghai_day_start_ms(days_from_civil(year, month, 1)),
          shanghai_day_start_ms(days_from_civil(next_year, next_month, 1))};
}

std::optional<int64_t> working_ms_between(const WorkdayCalendar& calendar, int64_t from_ms, int64_t to_ms) {
  int64_t total = 0;
  for (int64_t day = shanghai_days(from_ms); from_ms < to_ms && day <= shanghai_days(to_ms - 1); ++day) {
    const auto work = calendar.is_workday(day);
    if (!work) return std::nullopt;
    if (!*work) continue;
    const int64_t start = std::max(from_ms, shanghai_day_start_ms(day));
    const int64_t end = std::min(to_ms, shanghai_day_start_ms(day + 1));
    total += end - start;
  }
  return total;
}

std::pair<int, int> previous_month(int year, int month) {
  return month == 1 ? std::pair{year - 1, 12} : std::pair{year, month - 1};
}

namespace {

// The rates' share of one ticket at the instant `as_of` (docs/metrics.md, "Rates"). A deadline
// rate judges a ticket once it is met or its time is out: one still within its time (not yet
// contacted, its contact deadline to come) is in neither count nor "of", for it may yet be on time.
void count_rates(MonthlyRates& r, const TicketState& s, const ReportTally& k, const Deadlines& d,
                 const WorkdayCalendar& calendar, int64_t as_of, bool& calendar_missing) {
  const Ticket& t = s.ticket;
  const bool done = finished(t.status);
  r.handled.of += 1;
  r.handled.count += done;
  if (done) {
    r.handled_on_time.of += 1;
    r.handled_on_time.count += d.handled_ms > 0 && d.handling_due_ms > 0 && !d.handling_late;
  }
  if (t.source != Source::Patrol) {  // A patrol finding has no citizen to contact.
    const bool waiting = d.contacted_ms == 0;
    if (!(waiting && d.contact_due_ms > 0 && as_of < d.contact_due_ms)) {
      r.contacted_on_time.of += 1;
      r.contacted_on_time.count += d.contacted_ms > 0 && d.contact_due_ms > 0 && !d.contact_late;
    }
    // 不过夜: the citizen heard back before the day they called was out, whatever the deadline.
    const int64_t day = shanghai_days(t.received_at_ms);
    if (!(waiting && as_of < shanghai_day_start_ms(day + 1))) {
      r.replied_same_day.of += 1;
      r.replied_same_day.count += d.contacted_ms > 0 && shanghai_days(d.contacted_ms) == day;
    }
    if (d.contacted_ms > 0) {
      const auto work = working_ms_between(calendar, t.received_at_ms, d.contacted_ms);
      calendar_missing |= !work;
      if (work) {
        r.contact_time.of += 1;
        r.contact_time.total_work_ms += *work;
      }
    }
  }
  if (k.visits > 0) {
    r.satisfied.of += 1;
    r.satisfied.count += content(k.first_visit);
    r.resolved.of += 1;
    r.resolved.count += content(k.last_visit);
  }
  if (k.assignments > 0) {
    r.reassigned.of += 1;
    r.reassigned.count += k.assignments > 1;
    r.extended.of += 1;
    r.extended.count += k.extensions > 0;
  }
  r.rebound.of += 1;
  r.rebound.count += k.rebound;
  for (const CoHandler& h : s.co_handlers) {
    if (h.removed || h.added_at_ms == 0) continue;
    const auto due = co_handler_due(calendar, h);
    calendar_missing |= !due;
    if (h.replied_at_ms == 0 && due && as_of < *due) continue;  // Its time is not out yet.
    r.co_replied_on_time.of += 1;
    r.co_replied_on_time.count += due && h.replied_at_ms != 0 && h.replied_at_ms <= *due;
  }
}

bool received_in(const TicketState& s, int64_t from, int64_t to) {
  return s.exists && !s.deleted && s.ticket.received_at_ms >= from && s.ticket.received_at_ms < to;
}

}  // namespace

MonthlyCounter::MonthlyCounter(int year, int month, const WorkdayCalendar& calendar, int64_t as_of_ms)
    : m_calendar(calendar) {
  m_r.year = year;
  m_r.month = month;
  std::tie(m_r.from_ms, m_r.to_ms) = month_bounds(year, month);
  m_r.as_of_ms = as_of_ms;
  m_first_day = shanghai_days(m_r.from_ms);
  m_r.days.resize(static_cast<size_t>(shanghai_days(m_r.to_ms) - m_first_day));
}

void MonthlyCounter::add(const TicketState& s, const ReportTally& tally) {
  MonthlyReport& r = m_r;
  const Ticket& t = s.ticket;
  if (!received_in(s, r.from_ms, r.to_ms)) return;
  ++r.received;
  ++r.by_category[t.category];
  ++r.by_community[t.community];
  ++r.by_source[t.source];
  ++r.by_department[answered_by_centre(s) ? std::string(kCentreAnswered) : s.lead_department];
  ++r.days[static_cast<size_t>(shanghai_days(t.received_at_ms) - m_first_day)].received;
  if (const int64_t h = first_handled_ms(s); h >= r.from_ms && h < r.to_ms)
    ++r.days[static_cast<size_t>(shanghai_days(h) - m_first_day)].handled;
  r.co_handled += std::any_of(s.co_handlers.begin(), s.co_handlers.end(),
                              [](const CoHandler& h) { return !h.removed && h.added_at_ms != 0; });

  const Deadlines d = compute_deadlines(s, m_calendar);
  r.calendar_missing |= d.calendar_missing;
  count_rates(r, s, tally, d, m_calendar, r.as_of_ms, r.calendar_missing);
  // Built in place: a month of 100,000 tickets may list tens of thousands.
  if (OverdueTicket o; overdue_of(s, d, r.as_of_ms, o)) {
    OverdueTicket& e = r.overdue.emplace_back(std::move(o));
    e.id = t.id;
    e.official_number = t.official_number;
    e.title = t.title;
    e.community = t.community;
    e.lead_department = s.lead_department;
  }
}

MonthlyReport MonthlyCounter::take() {
  std::sort(m_r.overdue.begin(), m_r.overdue.end(), [](const OverdueTicket& a, const OverdueTicket& b) {
    return std::tie(a.due_ms, a.id) < std::tie(b.due_ms, b.id);
  });
  return std::move(m_r);
}

MonthlyReport compute_monthly(int year, int month, const std::vector<TicketFacts>& tickets,
                              const WorkdayCalendar& calendar, int64_t as_of_ms) {
  MonthlyCounter counter(year, month, calendar, as_of_ms);
  for (const TicketFacts& f : tickets) counter.add(f);
  return counter.take();
}

Result<void> TicketReader::each_received(int64_t from_ms, int64_t to_ms, const Visit& visit) {
  auto tickets = received_between(from_ms, to_ms);
  if (!tickets) return tickets.error();
  for (const TicketFacts& f : *tickets) visit(f.state, f.tally);
  return Ok{};
}

namespace {

Result<MonthlyReport> count_month(TicketReader& reader, int year, int month, const WorkdayCalendar& calendar,
                                  int64_t as_of_ms) {
  MonthlyCounter counter(year, month, calendar, as_of_ms);
  const auto [from, to] = month_bounds(year, month);
  auto read = reader.each_received(from, to, [&](const TicketState& s, const ReportTally& t) { counter.add(s, t); });
  if (!read) return read.error();
  return counter.take();
}

}  // namespace

Result<MonthlyReport> monthly_report(TicketReader& reader, int year, int month, const WorkdayCalendar& calendar,
                                     int64_t as_of_ms) {
  auto r = count_month(reader, year, month, calendar, as_of_ms);
  if (!r) return r.error();
  const auto [py, pm] = previous_month(year, month);
  auto before = count_month(reader, py, pm, calendar, as_of_ms);
  if (!before) return before.error();
  r->previous = std::move(before).value();
  auto field = reader.field_data();
  if (!field) return field.error();
  r->campaigns = campaigns_in_month(*field, year, month, reader.campaign_community());
  return r;
}

std::optional<std::pair<int, int>> parse_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0, month = 0;
  auto y = std::from_chars(text.data(), text.data() + 4, year);
  auto m = std::from_chars(text.data() + 5, text.data() + 7, month);
  if (y.ec != std::errc() || y.ptr != text.data() + 4 || m.ec != std::errc() || m.ptr != text.data() + 7) return std::nullopt;
  if (year < 2000 || year > 2999 || month < 1 || month > 12) return std::nullopt;
  return std::pair{year, month};
}

}  // namespace linli::report
