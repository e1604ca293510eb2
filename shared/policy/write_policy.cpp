// The write policy P1-P7 (drawn in write_policy.h). Pure: an actor, a state and a change in, a
// refusal or nothing out.
#include "policy/write_policy.h"

#include <array>

#include "core/codes.h"

namespace linli {
namespace {

constexpr std::array<std::string_view, kRefusalCodeCount> kRefusalCodes = {
    "invalid", "not_found", "already_exists", "out_of_scope", "forbidden"};

std::string role_name(Role r) { return std::string(to_string(r)); }

Refusal refuse(RefusalCode code, std::string why) { return Refusal{code, "[policy] " + std::move(why)}; }

// P3: official_number is written by the server alone, when a ticket first reaches it.
bool writes_server_field(const Change& c) {
  if (c.kind == ChangeKind::SetField) return c.field == EditableField::OfficialNumber;
  if (c.kind == ChangeKind::CreateTicket) return !c.ticket.official_number.empty();
  return false;
}

// P5: what only the centre does, besides the workflow moves the table reserves to it (P6).
std::optional<std::string> centre_only(const Change& c) {
  if (c.kind == ChangeKind::SetField) {
    switch (c.field) {
      case EditableField::Community: return "change the community (only the centre dispatches)";
      case EditableField::LeadDepartment: return "change the lead department (only the centre dispatches)";
      case EditableField::Deleted: return "delete or restore a ticket";
      default: return std::nullopt;
    }
  }
  if (c.kind == ChangeKind::AddEntry) {
    if (c.entry.kind == EntryKind::Decision) return "decide a return or extension request";
    if (c.entry.kind == EntryKind::ReturnVisit) return "record a return visit";
  }
  return std::nullopt;
}

// Where the ticket would be after the change: only dispatch moves it.
bool stays_in_scope(const Actor& a, const TicketState& before, const Change& c) {
  if (c.kind != ChangeKind::SetField) return true;
  if (c.field == EditableField::Community) return may_see(a, c.value, before.lead_department);
  if (c.field == EditableField::LeadDepartment) return may_see(a, before.ticket.community, c.value);
  return true;
}

std::string where(const Actor& a) {
  return a.role == Role::Centre ? std::string("the centre") : "a " + role_name(a.role) + " of " + a.scope;
}

}  // namespace

std::string_view to_string(RefusalCode code) { return codes::code_of(kRefusalCodes, static_cast<int>(code)); }
std::optional<RefusalCode> parse_refusal_code(std::string_view code) {
  return codes::parse_code<RefusalCode>(kRefusalCodes, code);
}

bool may_see(const Actor& a, std::string_view community, std::string_view lead_department) {
  switch (a.role) {
    case Role::Centre: return true;
    case Role::Committee: return !a.scope.empty() && community == a.scope;
    case Role::Department: return !a.scope.empty() && lead_department == a.scope;
    case Role::Field: return !a.scope.empty() && (lead_department == a.scope || community == a.scope);
  }
  return false;
}

bool may_see(const Actor& a, const TicketState& s) { return may_see(a, s.ticket.community, s.lead_department); }

std::optional<Refusal> judge_change(const Actor& a, const TicketState& before, const Change& c) {
  if (c.kind == ChangeKind::CreateTicket) {
    if (before.exists) return refuse(RefusalCode::AlreadyExists, "ticket " + c.ticket_id + " exists already");  // P1
    if (writes_server_field(c)) return refuse(RefusalCode::Forbidden, "only the server gives official numbers");  // P3
    if (!may_see(a, c.ticket.community, ""))  // P4: a new ticket leads nowhere yet.
      return refuse(RefusalCode::OutOfScope, where(a) + " may not create a ticket in " + c.ticket.community);
    return std::nullopt;
  }
  if (!before.exists) return refuse(RefusalCode::NotFound, "ticket " + c.ticket_id + " is unknown");  // P2
  if (writes_server_field(c)) return refuse(RefusalCode::Forbidden, "only the server gives official numbers");  // P3
  if (!may_see(a, before))  // P4
    return refuse(RefusalCode::OutOfScope, "ticket " + c.ticket_id + " is outside the scope of " + where(a));
  if (a.role != Role::Centre)
    if (auto what = centre_only(c)) return refuse(RefusalCode::Forbidden, "a " + role_name(a.role) + " may not " + *what);  // P5
  if (c.kind == ChangeKind::Transition && !role_may(a.role, c.action))  // P6
    return refuse(RefusalCode::Forbidden,
                  "a " + role_name(a.role) + " may not " + std::string(to_string(c.action)) + " a ticket");
  if (!stays_in_scope(a, before, c))  // P7
    return refuse(RefusalCode::OutOfScope, "the change would move ticket " + c.ticket_id + " out of the scope of " + where(a));
  return std::nullopt;
}

std::optional<Refusal> judge_action(const Actor& a, const TicketState& s, WorkflowAction action) {
  if (!s.exists) return refuse(RefusalCode::NotFound, "the ticket is unknown");
  if (!may_see(a, s)) return refuse(RefusalCode::OutOfScope, "the ticket is outside the scope of " + where(a));
  if (!role_may(a.role, action))
    return refuse(RefusalCode::Forbidden, "a " + role_name(a.role) + " may not " + std::string(to_string(action)) + " a ticket");
  if (!workflow_target(s.ticket.status, action))
    return refuse(RefusalCode::Invalid, std::string(to_string(action)) + " is not allowed from " +
                                            std::string(to_string(s.ticket.status)));
  return std::nullopt;
}

}  // namespace linli
