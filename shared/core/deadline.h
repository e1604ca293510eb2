// Working-day deadlines (时限) of a ticket, as Shanghai streets publish them, computed from what the
// change log says happened (the clock events the merge rules keep, core/merge.h) and the official
// calendar. Pure. So a deadline is the same on every replica that holds the same changes, after
// offline edits and merges alike.
//
// The rules (DESIGN.md, "The ticket's life"):
//   先行联系  contact the citizen within 1 working day of receipt; an urgent ticket (紧急件) the
//             same day (不过夜), whatever the day.
//   首次处置  handled within 5 working days of receipt.
//   再次处置  after a dissatisfied return visit (预警), handled again within 3 working days of it;
//             so too after a reopen (重开: a rebound, a review sent back to work) not already
//             following such a visit, within 3 working days of the reopen.
//   中途汇报  an urgent ticket (紧急件) reports progress while work goes on: from the day after its
//             handling stage began (its receipt, or the visit or reopen that began a 再次处置) until
//             the stage is met, no calendar day ends without a 中途汇报 entry; each report moves
//             the next one's deadline to 24:00 of the day after it, whatever the day.
//   延期      each extension the centre approves adds its days (working days) to the handling
//             stage it was asked in.
// "Within n working days of day D" ends at 24:00 (Shanghai) of the n-th working day after D; D
// itself does not count, so a ticket taken in on a Friday afternoon is contacted by Monday night.
#pragma once

#include <cstdint>

#include "core/calendar.h"
#include "core/merge.h"

namespace linli {

inline constexpr int kContactWorkdays = 1;
inline constexpr int kFirstHandlingWorkdays = 5;
inline constexpr int kRehandlingWorkdays = 3;
// An urgent ticket not yet handled reports progress at least once a calendar day (中途汇报).
inline constexpr int kReportDays = 1;
// A co-handler (联合处置, merge rule R12) replies within 5 working days of being added, the same
// span as a first handling; its own deadline, apart from the ticket's stages (which the lead meets).
inline constexpr int kCoHandlingWorkdays = 5;

enum class DeadlineStage { None, Contact, FirstHandling, Rehandling, ProgressReport };
// "none", "contact", "first_handling", "rehandling", "progress_report"
std::string_view to_string(DeadlineStage s);

struct Deadlines {
  // The stage due first among those not yet met, and when it ends (UTC ms; 0 with None).
  DeadlineStage stage = DeadlineStage::None;
  int64_t due_ms = 0;
  // A date the rules needed fell in a year the calendar has no notice for: the deadline it gave
  // is unknown, not guessed (due_ms 0 for that stage).
  bool calendar_missing = false;

  bool contact_needed = true;   // A patrol finding has no citizen to call back: no contact stage.
  int64_t contact_due_ms = 0;   // 0: unknown (calendar), or not needed.
  int64_t contacted_ms = 0;     // First contact; 0: not yet.
  DeadlineStage handling_stage = DeadlineStage::FirstHandling;
  int64_t handling_due_ms = 0;  // Of the current handling stage; 0: unknown.
  int64_t handled_ms = 0;       // When that stage was met; 0: not yet.
  int extension_days = 0;       // Approved for the current handling stage.
  // 中途汇报: owed by an urgent ticket whose current handling stage is not met yet (and that is not
  // finished, deleted, or handled and in review); due 24:00 (Shanghai) of the day after the later of
  // the stage's beginning and the last progress report.
  bool report_needed = false;
  int64_t report_due_ms = 0;    // 0: not needed.
  int64_t reported_ms = 0;      // The last progress report; 0: none yet.
  bool contact_late = false;    // Contacted after its deadline (or not yet, and past it: see overdue()).
  bool handling_late = false;   // Handled after its deadline.
  // 预警: the citizen's last return visit was dissatisfied (or leaning so, 不满倾向), and the
  // ticket is not closed (nor deleted). It stays raised through re-handling until a later visit
  // finds the citizen satisfied or basically so.
  bool warning = false;
};

Deadlines compute_deadlines(const TicketState& state, const WorkdayCalendar& calendar);

// When a co-handler's reply is due (kCoHandlingWorkdays after its add); nullopt when the calendar
// lacks the year or the add is not folded yet.
std::optional<int64_t> co_handler_due(const WorkdayCalendar& calendar, const CoHandler& co_handler);

// End (24:00 Shanghai) of the day `n` working days after the day of `from_ms`; nullopt when the
// calendar lacks a year on the way.
std::optional<int64_t> workdays_after(const WorkdayCalendar& calendar, int64_t from_ms, int n);

}  // namespace linli
