// The merge rules: how one change lands on a ticket's state. Pure and deterministic: the same state
// and change give the same result on every replica, in the browser and in the server alike.
// No I/O here; the store loads the state, calls merge_change, and writes what it returns.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/change.h"

namespace linli {

/*
** THE MERGE RULES. Every replica folds a ticket's changes in one order (R10), applying each with
** merge_change (R1-R8) after the store has dropped duplicates (R9). A "version" is the id and
** stamp of the change that last set a field (or the status); a change's base is the version its
** author saw. "Later" compares (stamp, replica id, counter): a total order.
**
**  R1  Create. A create_ticket change makes the ticket. A second create of an existing ticket is
**      rejected; any other change to a ticket that does not exist is rejected ("unknown ticket").
**  R2  A set_field change whose base is the field's current version applies; the field's version
**      becomes the change.
**  R3  A set_field change whose base is not the current version was concurrent: the later of the
**      two wins, and the losing value is kept on the ticket as a field conflict for review.
**  R4  Timeline entries, photos and links are insert-only: always kept, never replaced, never
**      refused because of the ticket's status or deletion. Each counts as work (work_count + 1),
**      but an urge (催办): the centre pressing the handler is no work a finishing step must see.
**  R5  A transition to a final status (handled, visited, closed) that did not see all the work on
**      the ticket (its seen_work < work_count) sends the ticket to review instead; the intended
**      status is kept as a review record. The other way round too: a work item (R4) folded
**      while the status is final, stamped before the change that set that status, was made
**      without seeing it and not seen by it, so it sends the ticket to review as well (the status
**      version becomes the work item; the review record names that change as the loser). Which
**      device found signal first never decides whether work is buried.
**  R6  A transition whose base is not the status's current version was concurrent: a non-final
**      status beats a final one (work is never buried); between two of the same kind the later
**      wins. The loser is kept as a status conflict.
**  R7  A transition the workflow forbids is rejected with the reason: the author's role may not
**      take the action (or not from the status the author saw: handle from received or contacted
**      is the centre's, from assigned or in progress the handler's), or the table has no such
**      move from the status the author saw, or the
**      change claims a target the table does not give, or it claims to have seen the current
**      status version but names another status. Nothing changes but the rejection record.
**  R8  Delete is a soft flag: the "deleted" field, merged by R2/R3 like any field. A deleted
**      ticket keeps its data and history and still takes changes; restoring shows them all.
**  R9  Exactly once: a change already applied (same id) changes nothing. The server takes each
**      replica's changes in counter order without gaps, so there "applied" is "counter <= the
**      highest applied counter of its replica"; a replica with a scope sees only part of them, so
**      there a counter at or below the highest is looked up in the log (store/apply.cpp).
**  R10 One order: a ticket's changes are folded by server sequence number, then the replica's own
**      unsent changes in counter order on top. A change that arrives out of that order makes the
**      store fold the ticket again from its log (store/apply.cpp), so every replica that has the
**      same changes has the same ticket.
**  R11 Clocks lie: the server clamps a stamp more than 60 s ahead of its clock when it accepts the
**      change, records the skew, and the clamped stamp is the one every replica compares.
**  R12 Co-handlers (联合处置) are entries (R4) folded into a set keyed by the co_handler_added
**      entry's id: a co_handler_removed or co_reply names that id. A co-handler is removed once
**      any removal names it, replied once any reply names it (its reply time the earliest reply's
**      stamp), else pending; removed outranks replied. Each fact only ever turns on, so adds,
**      replies and removals give the same set in any order; one naming an id not yet folded keeps
**      its fact until the add arrives. A department is co-handling while one of its co-handlers is
**      not removed; the ticket waits for its co-handlers while one is pending.
**
** Field work (巡查, core/field.h): set_facility, set_campaign, set_round and set_round_item change
** registers, not tickets. They are logged, sequenced, deduplicated (R9) and clamped (R11) like
** every change; the store folds them with fold_field_change's rule, never with merge_change.
**
**  R13 Every member a field change sets is a last-writer-wins register per (entity, member): the
**      write with the later (stamp, replica id, counter) holds, whatever the order of arrival. A
**      round item's checked, treated and note are three registers: two workers filling one item
**      offline keep the later answer per member, not one worker's whole item. Field changes carry
**      no base and keep no conflict: there is no desk reviewing facilities. The round's finished
**      flag is a register too: a colleague may reopen a round and finish it later.
**  R14 Counts (rats_found, holes_filled, wells_dosed) are registers per (entity, member, author):
**      each worker's own latest count, and the item's count is their sum. Two workers who count
**      at one facility offline both keep their work; a worker correcting a count replaces only
**      their own (the same user on two devices is one worker: the later write holds).
**  R15 Identity by content, not by whoever came first: a round is (campaign, week's Monday,
**      community), an item is its round and a facility, so two workers opening "this week's round"
**      offline fill the same round. A facility's community is fixed by its first change: the
**      server refuses a set_facility naming another community than the facility has (invalid).
*/

struct Version {
  ChangeId id;  // Zero: as created.
  Hlc stamp;
  friend bool operator==(const Version&, const Version&) = default;
};

// What happened to a ticket that its deadlines depend on (core/deadline.h), kept by the fold in
// the order it folds. Each records the change's stamp (its author's time, clamped by the server).
enum class ClockEventKind : uint8_t {
  Contact = 1,           // A contact entry, or the contact_citizen step.
  Handled = 2,           // The ticket moved to handled (办结).
  Dissatisfied = 3,      // A return visit with the citizen dissatisfied (预警).
  ExtensionAsked = 4,    // A 延期 request: days asked; ref is the request's own id.
  ExtensionGranted = 5,  // The centre approved the request `ref`: its days.
  Visited = 6,           // A return visit with the citizen satisfied or basically so (ends a 预警).
  Leaning = 7,           // A return visit leaning dissatisfied (不满倾向): a 预警, no re-handling.
  Reopened = 8,          // The reopen step (重开): back to work, a 再次处置 stage unless a dissatisfied visit began one.
  Reported = 9,          // A progress report (中途汇报) entry: an urgent ticket's next one is due a day later.
};
struct ClockEvent {
  ClockEventKind kind = ClockEventKind::Contact;
  int64_t at_ms = 0;
  int32_t days = 0;
  ChangeId ref;
  friend bool operator==(const ClockEvent&, const ClockEvent&) = default;
};

// A co-handling department of a joint action (联合处置), as R12 folds it.
enum class CoHandlerState : uint8_t { Pending, Replied, Removed };
std::string_view to_string(CoHandlerState s);  // "pending", "replied", "removed"
struct CoHandler {
  ChangeId added;           // The co_handler_added entry: the co-handler's id.
  std::string department;   // As the add (or, before it arrives, a removal) names it.
  int64_t added_at_ms = 0;  // The add's stamp; 0 while only a removal or reply naming it is folded.
  int64_t replied_at_ms = 0;  // The earliest reply's stamp; 0: none.
  bool removed = false;
  CoHandlerState state() const {
    return removed ? CoHandlerState::Removed : replied_at_ms != 0 ? CoHandlerState::Replied : CoHandlerState::Pending;
  }
  friend bool operator==(const CoHandler&, const CoHandler&) = default;
};

// What the fold keeps per ticket, beside the insert-only rows (timeline, photos, links).
struct TicketState {
  bool exists = false;
  Ticket ticket;
  std::string lead_department;
  bool deleted = false;
  std::array<Version, kEditableFieldCount> fields{};
  Version status{};
  int64_t work_count = 0;  // Timeline entries, photos and links so far (R4, R5).
  std::vector<ClockEvent> clock;
  std::vector<CoHandler> co_handlers;  // R12, in the order their ids were first folded.
};

// R12: the departments co-handling the ticket (a co-handler not removed, its add folded), once each.
std::vector<std::string> co_handling_departments(const TicketState& state);
// R12: co-handlers that have not replied (and are not removed): the ticket waits for them.
int pending_co_handlers(const TicketState& state);
// The co-handler with this id, or nullptr.
const CoHandler* find_co_handler(const TicketState& state, const ChangeId& added);
// When the ticket was first handled (办结, its Handled clock event); 0: not yet.
int64_t first_handled_ms(const TicketState& state);
// Handled with no lead department: the centre answered it itself (直接答复), not "not assigned".
bool answered_by_centre(const TicketState& state);

enum class ConflictKind { Field, Status, Review, Rejected };
std::string_view to_string(ConflictKind k);

// A decision kept for a dispatcher to see: what lost, to what, and why.
struct Conflict {
  ConflictKind kind = ConflictKind::Field;
  ChangeId loser;       // The change whose intent did not take effect (or was displaced).
  ChangeId winner;      // The change that took effect instead; zero when none did.
  std::string subject;  // The field's code, or "status".
  std::string value;    // The losing value: field text or status code.
  std::string reason;   // Why, for the user: "[merge.R3] concurrent edit, later clock won".
};

enum class Effect {
  Applied,   // The change took effect as meant.
  Won,       // It took effect over a concurrent one, whose value is kept as a conflict.
  Lost,      // A concurrent change won; this one's value is kept as a conflict.
  Review,    // A finishing step sent the ticket to review (R5).
  Rejected,  // It could not apply (R1, R7); the rejection is kept.
  Inserted,  // An insert-only row (R4): the store writes it.
};
std::string_view to_string(Effect e);

struct MergeOutcome {
  Effect effect = Effect::Applied;
  std::optional<Conflict> conflict;
};

// Applies one change to the state of its ticket (rules R1-R8).
MergeOutcome merge_change(TicketState& state, const Change& change);

std::string field_value(const TicketState& state, EditableField field);
// The caller checked the value with is_valid_field_value.
void set_field_value(TicketState& state, EditableField field, std::string_view value);

}  // namespace linli
