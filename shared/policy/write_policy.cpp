// The write policy P1-P11 (drawn in write_policy.h). Pure: an actor, a state and a change in, a
// refusal or nothing out.
#include "policy/write_policy.h"

#include <array>

#include "core/codes.h"

namespace linli {
namespace {

constexpr std::array<std::string_view, kRefusalCodeCount> kRefusalCodes = {
    "invalid", "not_found", "already_exists", "out_of_scope", "forbidden"};

bool found_on_patrol(const TicketState& s) { return s.ticket.source == Source::Patrol; }

std::string role_name(Role r) { return std::string(to_string(r)); }

// `details`: the rule and what it names (designated: {.rule = ..., .subject = ...}).
Refusal refuse(RefusalCode code, std::string why, Refusal details) {
  details.code = code;
  details.reason = "[policy] " + std::move(why);
  return details;
}

std::string where(const Actor& a) {
  return a.role == Role::Centre ? std::string("the centre") : "a " + role_name(a.role) + " of " + a.scope;
}

// P3: official_number is written by the server alone, when a ticket first reaches it.
bool writes_server_field(const Change& c) {
  if (c.kind == ChangeKind::SetField) return c.field == EditableField::OfficialNumber;
  if (c.kind == ChangeKind::CreateTicket) return !c.ticket.official_number.empty();
  return false;
}

// P5: what only the centre does, besides the workflow moves the table reserves to it (P6).
std::optional<CentreTask> centre_only(const Change& c) {
  if (c.kind == ChangeKind::SetField) {
    switch (c.field) {
      case EditableField::Community: return CentreTask::Community;
      case EditableField::LeadDepartment: return CentreTask::LeadDepartment;
      case EditableField::Deleted: return CentreTask::Delete;
      case EditableField::Urgency:
        if (c.value != to_string(Urgency::Urgent)) return CentreTask::LowerUrgency;
        return std::nullopt;
      default: return std::nullopt;
    }
  }
  if (c.kind == ChangeKind::AddEntry) {
    if (c.entry.kind == EntryKind::Decision) return CentreTask::Decide;
    if (c.entry.kind == EntryKind::ReturnVisit) return CentreTask::ReturnVisit;
    if (c.entry.kind == EntryKind::CoHandlerAdded) return CentreTask::AddCoHandler;
    if (c.entry.kind == EntryKind::CoHandlerRemoved) return CentreTask::RemoveCoHandler;
    if (c.entry.kind == EntryKind::Urge) return CentreTask::Urge;
  }
  return std::nullopt;
}

std::string_view task_words(CentreTask t) {
  switch (t) {
    case CentreTask::Community: return "change the community (only the centre dispatches)";
    case CentreTask::LeadDepartment: return "change the lead department (only the centre dispatches)";
    case CentreTask::Delete: return "delete or restore a ticket";
    case CentreTask::Decide: return "decide a return or extension request";
    case CentreTask::ReturnVisit: return "record a return visit";
    case CentreTask::AddCoHandler: return "add a co-handler (only the centre dispatches)";
    case CentreTask::RemoveCoHandler: return "remove a co-handler (only the centre dispatches)";
    case CentreTask::Urge: return "urge the handler (催办: the centre tracks its tickets)";
    case CentreTask::LowerUrgency: return "lower a ticket's urgency (its deadlines are the centre's to lift)";
  }
  return "do this";
}

// Where the ticket would be after the change: only dispatch moves it.
bool stays_in_scope(const Actor& a, const TicketState& before, const Change& c) {
  if (c.kind != ChangeKind::SetField) return true;
  const auto co = co_handling_departments(before);
  const bool patrol = found_on_patrol(before);
  if (c.field == EditableField::Community) return may_see(a, c.value, before.lead_department, co, patrol);
  if (c.field == EditableField::LeadDepartment) return may_see(a, before.ticket.community, c.value, co, patrol);
  return true;
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
  for (const std::string& s : v)
    if (s == x) return true;
  return false;
}

// P9: in scope as a co-handler only, not as lead nor as a field team walking the community or
// having found the ticket on patrol.
bool co_handler_only(const Actor& a, const TicketState& s) {
  if (a.role != Role::Department && a.role != Role::Field) return false;
  if (s.lead_department == a.scope) return false;
  if (a.role == Role::Field && (s.ticket.community == a.scope || found_on_patrol(s))) return false;
  return contains(co_handling_departments(s), a.scope);
}

// P9: what a co-handler only may write.
bool co_handler_may(const Change& c) {
  if (c.kind == ChangeKind::AttachPhoto) return true;
  if (c.kind != ChangeKind::AddEntry) return false;
  switch (c.entry.kind) {
    case EntryKind::HandlingNote:
    case EntryKind::ProgressReport:
    case EntryKind::Comment:
    case EntryKind::CoReply: return true;
    default: return false;
  }
}

std::string pending_names(const TicketState& s) {
  std::string out;
  for (const CoHandler& h : s.co_handlers)
    if (h.added_at_ms != 0 && h.state() == CoHandlerState::Pending) out += (out.empty() ? "" : ", ") + h.department;
  return out;
}

// P10: the finishing steps of the centre wait for every co-handler's reply.
std::optional<Refusal> waits_for_co_handlers(const TicketState& s, std::string_view what) {
  const int pending = pending_co_handlers(s);
  if (pending == 0) return std::nullopt;
  const std::string names = pending_names(s);
  return refuse(RefusalCode::Forbidden,
                "may not " + std::string(what) + " while " + std::to_string(pending) + " co-handler(s) have not replied (" +
                    names + ")",
                {.rule = RefusalRule::WaitsForCo, .subject = names, .count = pending});
}

bool finishing(WorkflowAction a) { return a == WorkflowAction::ReturnVisit || a == WorkflowAction::Close; }

// P11: what a closed ticket no longer takes.
bool closed_refuses(const Change& c) {
  if (c.kind == ChangeKind::SetField) return c.field != EditableField::Deleted;
  if (c.kind != ChangeKind::AddEntry) return false;
  // A closed ticket's co-handlers have all replied or been removed (P10): removing one now would
  // only drop the ticket from that department's scope, and its reply from what it sees.
  return c.entry.kind == EntryKind::CoHandlerAdded || c.entry.kind == EntryKind::CoHandlerRemoved ||
         c.entry.kind == EntryKind::ReturnRequest || c.entry.kind == EntryKind::ExtensionRequest ||
         c.entry.kind == EntryKind::Urge;
}

// P8: what a co-handler entry must name.
std::optional<Refusal> judge_co_handler_entry(const Actor& a, const TicketState& s, const Change& c) {
  const Entry& e = c.entry;
  if (e.kind == EntryKind::CoHandlerAdded) {
    if (e.text == s.lead_department)
      return refuse(RefusalCode::Invalid, e.text + " leads ticket " + c.ticket_id + ": it cannot co-handle it",
                    {.rule = RefusalRule::CoIsLead, .subject = e.text});
    if (contains(co_handling_departments(s), e.text))
      return refuse(RefusalCode::Invalid, e.text + " co-handles ticket " + c.ticket_id + " already",
                    {.rule = RefusalRule::CoAlready, .subject = e.text});
    return std::nullopt;
  }
  const CoHandler* h = find_co_handler(s, e.request);
  if (!h || h->added_at_ms == 0)
    return refuse(RefusalCode::Invalid, to_string(e.request) + " is no co-handler of ticket " + c.ticket_id,
                  {.rule = RefusalRule::CoUnknown, .subject = h ? h->department : std::string()});
  if (h->removed)
    return refuse(RefusalCode::Invalid, "co-handler " + h->department + " was removed from ticket " + c.ticket_id,
                  {.rule = RefusalRule::CoRemoved, .subject = h->department});
  if (e.kind == EntryKind::CoHandlerRemoved && e.text != h->department)  // Every timeline would name the wrong one.
    return refuse(RefusalCode::Invalid, "co_handler_removed names " + e.text + ", but " + to_string(e.request) +
                                            " added " + h->department,
                  {.rule = RefusalRule::CoUnknown, .subject = e.text});
  if (e.kind == EntryKind::CoReply && a.role != Role::Centre && !(a.role == Role::Department && a.scope == h->department))
    return refuse(RefusalCode::Forbidden, "only " + h->department + " (or the centre) replies as its co-handler, not " + where(a),
                  {.rule = RefusalRule::CoReplyNotYours, .subject = h->department});
  return std::nullopt;
}


}  // namespace

std::string_view to_string(RefusalCode code) { return codes::code_of(kRefusalCodes, static_cast<int>(code)); }
std::optional<RefusalCode> parse_refusal_code(std::string_view code) {
  return codes::parse_code<RefusalCode>(kRefusalCodes, code);
}

bool may_see(const Actor& a, std::string_view community, std::string_view lead_department,
             const std::vector<std::string>& co_handling, bool patrol) {
  switch (a.role) {
    case Role::Centre: return true;
    case Role::Committee: return !a.scope.empty() && community == a.scope;
    case Role::Department: return !a.scope.empty() && (lead_department == a.scope || contains(co_handling, a.scope));
    case Role::Field:
      return !a.scope.empty() &&
             (patrol || lead_department == a.scope || community == a.scope || contains(co_handling, a.scope));
  }
  return false;
}

bool may_register(const Actor& a) {
  // may_see with no lead department and no co-handler, for the community and source that suit the role.
  return may_see(a, a.scope, "", {}, true);
}

bool may_see(const Actor& a, const TicketState& s) {
  return may_see(a, s.ticket.community, s.lead_department, co_handling_departments(s), found_on_patrol(s));
}

std::optional<Refusal> judge_change(const Actor& a, const TicketState& before, const Change& c) {
  if (c.kind == ChangeKind::CreateTicket) {
    if (before.exists)  // P1
      return refuse(RefusalCode::AlreadyExists, "ticket " + c.ticket_id + " exists already", {.rule = RefusalRule::Exists});
    if (writes_server_field(c))  // P3
      return refuse(RefusalCode::Forbidden, "only the server gives official numbers", {.rule = RefusalRule::ServerField});
    if (!may_see(a, c.ticket.community, "", {}, c.ticket.source == Source::Patrol))  // P4: a new ticket leads nowhere yet.
      return refuse(RefusalCode::OutOfScope, where(a) + " may not create a ticket in " + c.ticket.community,
                    {.rule = RefusalRule::CreateOutOfScope, .subject = c.ticket.community, .role = a.role});
    return std::nullopt;
  }
  if (!before.exists)  // P2
    return refuse(RefusalCode::NotFound, "ticket " + c.ticket_id + " is unknown", {.rule = RefusalRule::Unknown});
  if (writes_server_field(c))  // P3
    return refuse(RefusalCode::Forbidden, "only the server gives official numbers", {.rule = RefusalRule::ServerField});
  if (!may_see(a, before))  // P4
    return refuse(RefusalCode::OutOfScope, "ticket " + c.ticket_id + " is outside the scope of " + where(a),
                  {.rule = RefusalRule::OutOfScope, .subject = a.scope, .role = a.role});
  if (a.role != Role::Centre)
    if (auto task = centre_only(c))  // P5
      return refuse(RefusalCode::Forbidden, "a " + role_name(a.role) + " may not " + std::string(task_words(*task)),
                    {.rule = RefusalRule::CentreOnly, .role = a.role, .task = *task});
  if (c.kind == ChangeKind::SetField && c.field == EditableField::Category &&
      (a.role == Role::Department || a.role == Role::Field))  // P5: the centre and the committee classify.
    return refuse(RefusalCode::Forbidden,
                  "a " + role_name(a.role) + " may not change the category (the centre and the committee classify)",
                  {.rule = RefusalRule::Classifies, .role = a.role});
  if (c.kind == ChangeKind::Transition && !role_may(a.role, c.action))  // P6
    return refuse(RefusalCode::Forbidden,
                  "a " + role_name(a.role) + " may not " + std::string(to_string(c.action)) + " a ticket",
                  {.rule = RefusalRule::RoleMayNot, .role = a.role, .action = c.action});
  if (!stays_in_scope(a, before, c))  // P7
    return refuse(RefusalCode::OutOfScope, "the change would move ticket " + c.ticket_id + " out of the scope of " + where(a),
                  {.rule = RefusalRule::LeavesScope, .subject = a.scope, .role = a.role});
  const bool co_entry = c.kind == ChangeKind::AddEntry &&
                        (c.entry.kind == EntryKind::CoHandlerAdded || c.entry.kind == EntryKind::CoHandlerRemoved ||
                         c.entry.kind == EntryKind::CoReply);
  if (co_entry)
    if (auto r = judge_co_handler_entry(a, before, c)) return r;  // P8
  if (co_handler_only(a, before) && !co_handler_may(c))  // P9
    return refuse(RefusalCode::Forbidden,
                  "a " + role_name(a.role) + " co-handling ticket " + c.ticket_id +
                      " may reply, add notes and photos; its lead department moves and edits it",
                  {.rule = RefusalRule::CoHandlerOnly, .role = a.role});
  if (c.kind == ChangeKind::Transition && finishing(c.action))  // P10
    return waits_for_co_handlers(before, std::string(to_string(c.action)));
  if (c.kind == ChangeKind::AddEntry && c.entry.kind == EntryKind::ReturnVisit)
    if (auto r = waits_for_co_handlers(before, "record a return visit")) return r;
  if (before.ticket.status == TicketStatus::Closed && closed_refuses(c))  // P11
    return refuse(RefusalCode::Forbidden, "ticket " + c.ticket_id + " is closed: reopen it first",
                  {.rule = RefusalRule::Closed});
  return std::nullopt;
}

const std::string& field_community(const Change& c) { return c.field_record.community; }

bool may_see_field(const Actor& a, std::string_view community) {
  if (a.role != Role::Committee || community.empty()) return true;  // F1.
  return !a.scope.empty() && community == a.scope;
}

std::optional<Refusal> judge_field_change(const Actor& a, const Change& c, std::string_view facility_community) {
  if (c.kind == ChangeKind::SetCampaign && a.role != Role::Centre)  // F2.
    return refuse(RefusalCode::Forbidden, "a " + role_name(a.role) + " may not set up a campaign (only the centre)",
                  {.rule = RefusalRule::CampaignCentreOnly, .role = a.role});
  if (a.role == Role::Department)  // F3.
    return refuse(RefusalCode::Forbidden, "a department reads field work; the field teams and committees record it",
                  {.rule = RefusalRule::DepartmentReadsField, .role = a.role});
  if (!may_see_field(a, field_community(c)))  // F4.
    return refuse(RefusalCode::OutOfScope, "field work in " + field_community(c) + " is outside the scope of " + where(a),
                  {.rule = RefusalRule::FieldOutOfScope, .subject = field_community(c), .role = a.role});
  if ((c.kind == ChangeKind::SetFacility || c.kind == ChangeKind::SetRoundItem) && !facility_community.empty() &&
      facility_community != field_community(c))  // F5.
    return refuse(RefusalCode::Invalid,
                  "facility " + c.field_record.facility + " belongs to " + std::string(facility_community) + " [merge.R15]",
                  {.rule = RefusalRule::FacilityElsewhere, .subject = std::string(facility_community)});
  return std::nullopt;
}

std::optional<Refusal> judge_action(const Actor& a, const TicketState& s, WorkflowAction action) {
  if (!s.exists) return refuse(RefusalCode::NotFound, "the ticket is unknown", {.rule = RefusalRule::Unknown});
  if (!may_see(a, s))
    return refuse(RefusalCode::OutOfScope, "the ticket is outside the scope of " + where(a),
                  {.rule = RefusalRule::OutOfScope, .subject = a.scope, .role = a.role});
  if (!role_may(a.role, action))
    return refuse(RefusalCode::Forbidden, "a " + role_name(a.role) + " may not " + std::string(to_string(action)) + " a ticket",
                  {.rule = RefusalRule::RoleMayNot, .role = a.role, .action = action});
  if (co_handler_only(a, s))
    return refuse(RefusalCode::Forbidden,
                  "a " + role_name(a.role) + " co-handling the ticket may not " + std::string(to_string(action)) +
                      " it; its lead department does",
                  {.rule = RefusalRule::CoHandlerOnly, .role = a.role, .action = action});
  if (finishing(action))
    if (auto r = waits_for_co_handlers(s, to_string(action))) return r;
  if (!workflow_target(s.ticket.status, action, a.role))
    return refuse(RefusalCode::Invalid,
                  std::string(to_string(action)) + " is not allowed from " + std::string(to_string(s.ticket.status)),
                  {.rule = RefusalRule::NotFromStatus, .action = action, .status = s.ticket.status});
  return std::nullopt;
}

std::optional<Refusal> judge_entry(const Actor& a, const TicketState& s, const Change& c) {
  if (auto refusal = judge_change(a, s, c)) return refusal;
  const bool request = c.kind == ChangeKind::AddEntry &&
                       (c.entry.kind == EntryKind::ReturnRequest || c.entry.kind == EntryKind::ExtensionRequest);
  if (request && s.exists && !takes_requests(s.ticket.status))
    return refuse(RefusalCode::Invalid,
                  "a request is made while the ticket is assigned or in progress, not " +
                      std::string(to_string(s.ticket.status)),
                  {.rule = RefusalRule::RequestNotNow, .status = s.ticket.status});
  // 催办 presses a handler that has the ticket: offered while it is assigned or in progress to a
  // lead department (the server keeps one made offline meanwhile: it is only a timeline entry).
  const bool urge = c.kind == ChangeKind::AddEntry && c.entry.kind == EntryKind::Urge;
  if (urge && s.exists && (!takes_requests(s.ticket.status) || s.lead_department.empty()))
    return refuse(RefusalCode::Invalid,
                  "the centre urges a ticket's handler while it is assigned or in progress to a department, not " +
                      std::string(s.lead_department.empty() ? "one with no lead department" : to_string(s.ticket.status)),
                  {.rule = RefusalRule::UrgeNotNow, .status = s.ticket.status});
  return std::nullopt;
}

}  // namespace linli
