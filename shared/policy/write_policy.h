// Who may do what to which ticket: the one write policy (scope + role + fields only the server
// writes). The server judges every pushed change with it; the app asks it which actions to offer.
// Pure: no I/O, no clock, no sqlite3.h, no json. Links only shared/core.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/change.h"
#include "core/merge.h"
#include "core/workflow.h"

namespace linli {

// Who acts: a role, and where it works — the committee's community, the department's name, the
// field team's department or the community it walks (see may_see). Empty for the centre.
struct Actor {
  Role role = Role::Centre;
  std::string scope;
};

// Why a change is refused. Stable codes on the wire (docs/protocol.md, "Push").
enum class RefusalCode {
  Invalid,        // "invalid": the change breaks its own rules or cannot be read.
  NotFound,       // "not_found": a change other than a create to a ticket never seen.
  AlreadyExists,  // "already_exists": a create of a ticket id that exists, whoever made it.
  OutOfScope,     // "out_of_scope": the ticket is not the actor's, before or after the change.
  Forbidden,      // "forbidden": the actor's role may not do this (or only the server may).
};
inline constexpr int kRefusalCodeCount = 5;
std::string_view to_string(RefusalCode code);
std::optional<RefusalCode> parse_refusal_code(std::string_view code);

// Which rule refused, and what it names, so the app can say it in the user's language
// (app/refusal_text.cpp); the server sends `reason`, in English, with the code.
enum class RefusalRule {
  Other,               // `reason` says it all (an app's own check words it in the user's language).
  Exists,              // P1
  Unknown,             // P2
  ServerField,         // P3
  OutOfScope,          // P4: the ticket is not the actor's (`subject`: the actor's scope)
  CreateOutOfScope,    // P4 of a new ticket (`subject`: its community)
  CentreOnly,          // P5 (`task`)
  RoleMayNot,          // P6 (`role` may not take `action`)
  LeavesScope,         // P7
  CoIsLead,            // P8 (`subject`: the department, for each of these four)
  CoAlready,
  CoUnknown,
  CoRemoved,
  CoReplyNotYours,
  CoHandlerOnly,       // P9 (`role`)
  WaitsForCo,          // P10 (`count` co-handlers, `subject` their names)
  NotFromStatus,       // the workflow: `action` is no step from `status`
  RequestNotNow,       // 退单/延期 asked while the ticket is not with its handler (`status`)
  CampaignCentreOnly,  // F2
  DepartmentReadsField,  // F3
  FieldOutOfScope,     // F4 (`subject`: the community)
  FacilityElsewhere,   // F5 (`subject`: the facility's community)
  Closed,              // P11: the ticket is closed (结案)
  UrgeNotNow,          // 催办 while the ticket is not with a handler (`status`; no lead department: `subject` empty)
  Classifies,          // P5: the category, by a department or field team (`role`)
};
inline constexpr int kRefusalRuleCount = static_cast<int>(RefusalRule::Classifies) + 1;
// P5: what only the centre does.
enum class CentreTask {
  Community, LeadDepartment, Delete, Decide, ReturnVisit, AddCoHandler, RemoveCoHandler, Urge,
  LowerUrgency,  // set_field urgency to anything but urgent: the 不过夜 rule is the centre's to lift
};

struct Refusal {
  RefusalCode code = RefusalCode::Invalid;
  std::string reason{};  // On the wire, in English: "[policy] a committee may not assign a ticket".
  RefusalRule rule = RefusalRule::Other;
  std::string subject{};  // The department, community or names the rule is about.
  int count = 0;
  Role role = Role::Centre;
  WorkflowAction action = WorkflowAction::ContactCitizen;
  TicketStatus status = TicketStatus::Received;
  CentreTask task = CentreTask::Community;
};

/*
** THE WRITE POLICY. A change by `actor` to a ticket whose state is `before` (exists == false: the
** server has never seen it) is refused, first rule that matches:
**
**  P1  create_ticket of a ticket that exists                         → already_exists
**  P2  any other change to a ticket that does not exist              → not_found
**  P3  a field only the server writes (official_number, in set_field
**      or in a new ticket)                                           → forbidden
**  P4  a ticket not in the actor's scope before the change
**      (a new ticket: not in it as created; a field team's new
**      ticket found on patrol, source patrol, is in its scope
**      whatever its community)                                       → out_of_scope
**  P5  only the centre dispatches (community, lead_department),
**      deletes (deleted), decides 退单/延期 requests (decision
**      entries), records return visits (return_visit entries),
**      adds or removes co-handlers (co_handler_added/_removed) and
**      urges the handler (催办, urge entries) and lowers a ticket's
**      urgency (set_field urgency to anything but urgent: anyone who
**      may edit the ticket marks it 紧急, only the centre lifts it);
**      the category is the centre's and the committee's (a
**      department or field team leaves it as they classified it)    → forbidden
**  P6  a transition the actor's role may not take (workflow.h)       → forbidden
**  P7  a ticket that would leave the actor's scope by the change     → out_of_scope
**  P8  co-handlers (联合处置, merge rule R12): an add naming the lead
**      department or a department co-handling already; a removal or
**      reply naming no co-handler of the ticket, or a removed one;
**      a removal naming another department than its addition did     → invalid
**      a reply by anyone but the centre or a department user of the
**      co-handler's own department                                   → forbidden
**  P9  an actor that sees the ticket only as a co-handler (not its
**      lead, nor a field team walking its community or that sees it
**      as found on patrol) may reply, add
**      handling notes, progress reports and comments and attach
**      photos; not move it, edit it, ask 退单/延期 or link it         → forbidden
**  P10 while a co-handler has not replied (pending), the return_visit
**      and close moves and return_visit entries: the ticket counts
**      as handled only when the lead says so and every co-handler
**      has replied (or was removed)                                  → forbidden
**  P11 a closed ticket (结案) is settled until it is reopened (重开, a
**      workflow step): no set_field but deleted (the centre's, P5),
**      no co_handler_added or _removed, no return or extension request, no urge. Notes,
**      replies, decisions, photos and links still come in: evidence
**      made offline before the close may reach the server after it → forbidden
**
** Scopes (may_see): the centre sees every ticket; a committee those of its community; a department
** those it leads or co-handles (a co-handler not removed); a field team those its department leads
** or co-handles, those in the community it walks, and every ticket found on patrol (source
** `patrol`, 巡查发现: the street's field teams walk every community, as field work's F1 says, and
** open tickets for what they find there; a ticket's source never changes, so such a ticket stays
** theirs). Reads and writes use the same rule. Whether a move
** fits the ticket's status is not the policy's question: that is merge rule R7, decided when the
** change is folded, so offline edits still converge. P10 and P11 are the exceptions: the server
** judges them against the co-handlers and the status it holds when the push arrives, and a refused
** change never enters the log (every replica folds the same log, so they still converge).
*/

// `found_on_patrol`: the ticket's source is patrol (巡查发现).
bool may_see(const Actor& actor, std::string_view community, std::string_view lead_department,
             const std::vector<std::string>& co_handling = {}, bool found_on_patrol = false);
bool may_see(const Actor& actor, const TicketState& state);
// Whether `actor` may register (create_ticket) any ticket at all, in some community from some
// source (P4 on a new ticket, which leads nowhere yet): the centre, a committee in its community, a
// field team what it finds on patrol. A department sees only what it leads or co-handles, so it
// registers none; the app offers it no intake form.
bool may_register(const Actor& actor);

// The policy above; nullopt when the change may be taken.
std::optional<Refusal> judge_change(const Actor& actor, const TicketState& before, const Change& change);

/*
** FIELD WORK (巡查: set_facility, set_campaign, set_round, set_round_item; core/field.h). A field
** record's community never changes (R15), so its scope is judged on the change alone:
**
**  F1  reads: the centre, departments and field teams see every community's facilities and rounds
**      (the street's field teams, 除害站 and the 网格, walk every community; departments read); a
**      committee sees those of its own community. Campaigns (no community) are seen by everyone.
**  F2  campaigns are written by the centre only                         → forbidden
**  F3  facilities, rounds and items are written by the centre, field teams and committees;
**      a department only reads                                          → forbidden
**  F4  a committee writes only its own community's                      → out_of_scope
**  F5  a set_facility, or a set_round_item about a facility, naming
**      another community than the facility has (its first change fixed
**      it, R15): a round of one community never counts another's        → invalid
*/
// The community a field change is about ("" for a campaign: every community).
const std::string& field_community(const Change& change);
bool may_see_field(const Actor& actor, std::string_view community);
// F2-F5; `facility_community`: the facility's community as the server holds it ("" when unknown).
std::optional<Refusal> judge_field_change(const Actor& actor, const Change& change,
                                          std::string_view facility_community = {});

// For the app: whether `actor` may take `action` on this ticket now, by role and scope (P4, P6, P9),
// the co-handlers' replies (P10) and the workflow table from its current status; the refusal says why not.
std::optional<Refusal> judge_action(const Actor& actor, const TicketState& state, WorkflowAction action);
// For the app: whether `actor` may add `entry` to this ticket now: the write policy (judge_change),
// and a 退单 or 延期 request only while the ticket is with its handler (core/workflow.h
// takes_requests). The server judges no status here, as for moves (R7): a request made offline is
// taken whatever the status meanwhile, and the centre decides it.
std::optional<Refusal> judge_entry(const Actor& actor, const TicketState& state, const Change& entry);

}  // namespace linli
