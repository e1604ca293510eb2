#include "core/deadline.h"

#include <algorithm>

#include "core/civil_time.h"

namespace linli {

std::string_view to_string(DeadlineStage s) {
  switch (s) {
    case DeadlineStage::None: return "none";
    case DeadlineStage::Contact: return "contact";
    case DeadlineStage::FirstHandling: return "first_handling";
    case DeadlineStage::Rehandling: return "rehandling";
    case DeadlineStage::ProgressReport: return "progress_report";
  }
  return "?";
}

std::optional<int64_t> workdays_after(const WorkdayCalendar& calendar, int64_t from_ms, int n) {
  const auto day = calendar.add_workdays(shanghai_days(from_ms), n);
  if (!day) return std::nullopt;
  return shanghai_day_start_ms(*day + 1);
}

Deadlines compute_deadlines(const TicketState& s, const WorkdayCalendar& calendar) {
  Deadlines d;
  if (!s.exists) return d;
  const Ticket& t = s.ticket;

  // 先行联系.
  for (const ClockEvent& e : s.clock)
    if (e.kind == ClockEventKind::Contact && (d.contacted_ms == 0 || e.at_ms < d.contacted_ms)) d.contacted_ms = e.at_ms;
  d.contact_needed = t.source != Source::Patrol;
  if (!d.contact_needed) {
    // Nobody to call back.
  } else if (t.urgency == Urgency::Urgent) {
    d.contact_due_ms = shanghai_day_start_ms(shanghai_days(t.received_at_ms) + 1);
  } else if (auto due = workdays_after(calendar, t.received_at_ms, kContactWorkdays)) {
    d.contact_due_ms = *due;
  }
  const bool contact_known = d.contact_due_ms != 0;
  d.contact_late = contact_known && d.contacted_ms > d.contact_due_ms;

  // 首次处置, or 再次处置 after the last dissatisfied return visit, or after the last reopen (重开:
  // a rebound, a review sent back to work) that no dissatisfied visit since the handling before it
  // had begun a stage for already.
  int64_t start = t.received_at_ms;
  int workdays = kFirstHandlingWorkdays;
  int64_t last_dissatisfied = 0;
  for (const ClockEvent& e : s.clock)
    if (e.kind == ClockEventKind::Dissatisfied) last_dissatisfied = std::max(last_dissatisfied, e.at_ms);
  int64_t restart = last_dissatisfied;
  for (const ClockEvent& r : s.clock) {
    if (r.kind != ClockEventKind::Reopened || r.at_ms <= restart) continue;
    int64_t handled_before = 0;
    for (const ClockEvent& e : s.clock)
      if (e.kind == ClockEventKind::Handled && e.at_ms <= r.at_ms) handled_before = std::max(handled_before, e.at_ms);
    const bool visit_began_it = last_dissatisfied > handled_before && last_dissatisfied <= r.at_ms;
    if (!visit_began_it) restart = r.at_ms;
  }
  if (restart > 0) {
    d.handling_stage = DeadlineStage::Rehandling;
    start = restart;
    workdays = kRehandlingWorkdays;
  }
  for (const ClockEvent& e : s.clock) {
    if (e.kind == ClockEventKind::Handled && e.at_ms >= start && (restart == 0 || e.at_ms > restart) &&
        (d.handled_ms == 0 || e.at_ms < d.handled_ms))
      d.handled_ms = e.at_ms;
    if (e.kind != ClockEventKind::ExtensionGranted) continue;
    // The days count for the stage the request was made in.
    for (const ClockEvent& asked : s.clock)
      if (asked.kind == ClockEventKind::ExtensionAsked && asked.ref == e.ref && asked.at_ms >= start) {
        d.extension_days += e.days;
        break;
      }
  }
  if (auto due = workdays_after(calendar, start, workdays + d.extension_days)) d.handling_due_ms = *due;
  const bool handling_known = d.handling_due_ms != 0;
  d.handling_late = handling_known && d.handled_ms > d.handling_due_ms;

  int64_t last_visit = 0, last_warned = last_dissatisfied;
  for (const ClockEvent& e : s.clock) {
    if (e.kind == ClockEventKind::Visited) last_visit = std::max(last_visit, e.at_ms);
    if (e.kind == ClockEventKind::Leaning) last_warned = std::max(last_warned, e.at_ms);
  }
  d.warning = last_warned > last_visit && t.status != TicketStatus::Closed && !s.deleted;

  for (const ClockEvent& e : s.clock)
    if (e.kind == ClockEventKind::Reported) d.reported_ms = std::max(d.reported_ms, e.at_ms);

  // What is due now: nothing on a finished or deleted ticket; else the earliest of an unmade
  // contact, an urgent ticket's next progress report and the handling.
  if (s.deleted || is_final(t.status)) return d;
  const bool handled_in_review = d.handled_ms != 0 && t.status == TicketStatus::Review;
  if (t.urgency == Urgency::Urgent && d.handled_ms == 0) {  // Work goes on: report it.
    d.report_needed = true;
    d.report_due_ms = shanghai_day_start_ms(shanghai_days(std::max(start, d.reported_ms)) + 1 + kReportDays);
  }
  if (d.contacted_ms == 0 && d.contact_needed) {
    if (contact_known) {
      d.stage = DeadlineStage::Contact;
      d.due_ms = d.contact_due_ms;
    } else {
      d.calendar_missing = true;
    }
  }
  if (!handling_known) {
    d.calendar_missing = true;
  } else if (handled_in_review) {
    // Handled, then sent to review (R5): the stage was met; the centre's decision has no deadline.
  } else if (d.stage == DeadlineStage::None || d.handling_due_ms < d.due_ms) {
    d.stage = d.handling_stage;
    d.due_ms = d.handling_due_ms;
  }
  if (d.report_needed && (d.stage == DeadlineStage::None || d.report_due_ms < d.due_ms)) {
    d.stage = DeadlineStage::ProgressReport;
    d.due_ms = d.report_due_ms;
  }
  return d;
}

std::optional<int64_t> co_handler_due(const WorkdayCalendar& calendar, const CoHandler& h) {
  if (h.added_at_ms == 0) return std::nullopt;
  return workdays_after(calendar, h.added_at_ms, kCoHandlingWorkdays);
}

}  // namespace linli
