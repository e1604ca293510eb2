// The demo street as a script: each ticket's intake and the steps the centre and the departments
// took on it. Data only, read by demo_data.cpp, which turns the steps into change records.
// Pure: no I/O, no clock. Step times are relative to the ticket's receipt.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/change.h"
#include "core/ticket.h"

namespace linli::demo {

// One step of a ticket's timeline. Who takes it follows from the step: the centre (zhang.bin)
// contacts, dispatches, decides, visits and closes; the current lead department's handler starts,
// notes, reports, handles and asks for 退单 or 延期 (see the handler table in demo_data.cpp).
enum class Do {
  Contact,    // Centre: a contact entry; the contact_citizen move if the ticket is still received.
  Urgent,     // Centre: marks the ticket urgent (紧急件) after classifying it.
  Assign,     // Centre: lead_department := text, then the assign move (派单, or 重派).
  Start,      // Handler: the start move (处置中).
  Note,       // Handler: a handling note (处置记录).
  Progress,   // Handler: a progress report (中途汇报).
  Handle,     // Handler: a handling note with text, then the handle move (办结).
  Visit,      // Centre: a return-visit entry (satisfaction = arg), then the return_visit move.
  Close,      // Centre: the close move (结案).
  Reopen,     // Centre: a comment with text, then the reopen move (再次处置).
  ReturnAsk,  // Handler: a 退单 request with its reason.
  ReturnYes,  // Centre: approves the last 退单 request, then the approve_return move; the lead is cleared.
  ExtendAsk,  // Handler: a 延期 request for arg days.
  ExtendYes,  // Centre: approves the last 延期 request.
  ExtendNo,   // Centre: refuses the last 延期 request.
  Link,       // Centre: a rebound link (反弹) to demo ticket number arg (1-based, received earlier).
  Comment,    // Centre: a comment (备注).
  Photo,      // Handler: attaches the demo photo (demo_photos.h) of phase arg (a PhotoPhase).
  CoAdd,      // Centre: adds the department `text` as a co-handler (联合处置).
  CoReply,    // The co-handler the last CoAdd added: its reply (协办回复) with text.
  Urge,       // Centre: presses the handler (催办) with text.
};

struct Step {
  int minutes;  // After the ticket was received.
  Do what;
  std::string text = "";  // The entry's text; for Assign, the department.
  int arg = 0;  // Visit: a Satisfaction; ExtendAsk: days; Link: a demo ticket number; Photo: a PhotoPhase.
};

// Step times are minutes after receipt; a day of them, for scripts that span days.
inline constexpr int kDay = 24 * 60;
inline constexpr int kSatisfied = static_cast<int>(Satisfaction::Satisfied);
inline constexpr int kBasically = static_cast<int>(Satisfaction::BasicallySatisfied);
inline constexpr int kDissatisfied = static_cast<int>(Satisfaction::Dissatisfied);
inline constexpr int kBefore = static_cast<int>(PhotoPhase::Before);
inline constexpr int kAfter = static_cast<int>(PhotoPhase::After);

// When a ticket was received: on a day before today at a Shanghai clock time, or (today's) so
// long before now, or at a fixed Shanghai time in the past (the 2020 epidemic, dated as the seed
// dates it). A ticket on an earlier day keeps its whole timeline before the midnight that began
// today, so it is all in the past whatever the time of day now is.
struct When {
  int days_ago = 0;   // 0: today, `minutes` before now.
  int minutes = 0;    // Since Shanghai midnight of that day; today: before now.
  int64_t at_ms = 0;  // Not 0: this instant (UTC ms), whatever now is; the other two are unused.
};
constexpr When on(int days_ago, int hour, int minute = 0) { return When{days_ago, hour * 60 + minute}; }
constexpr When ago(int hours, int minutes = 0) { return When{0, hours * 60 + minutes}; }
// A fixed Shanghai date and clock time, e.g. at(2020, 2, 7, 9, 10).
When at(int year, int month, int day, int hour, int minute = 0);

struct DemoTicket {
  Source source;
  Category category;
  Urgency urgency;
  When received;
  std::string name;
  std::string phone;
  std::string community;
  std::string address;
  std::string title;
  std::string description;
  std::vector<Step> steps;
};

// The two halves of the street, in ticket-number order: 河滨花园 and 中华新路 first, then the rest.
std::vector<DemoTicket> demo_street_north();
std::vector<DemoTicket> demo_street_south();
// Tickets from before the epidemic that the stories link back to (the hoarder's first clearance).
std::vector<DemoTicket> demo_street_history();
// The hotline of February and March 2020 (demo_epidemic.cpp): generated, deterministic.
std::vector<DemoTicket> demo_epidemic_2020();

}  // namespace linli::demo
