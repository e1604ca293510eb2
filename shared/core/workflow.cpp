// The workflow transition table (drawn in workflow.h). Pure data and two lookups.
#include "core/workflow.h"

#include "core/codes.h"

#include <array>
#include <string>

namespace linli {
namespace {

using S = TicketStatus;
using A = WorkflowAction;

constexpr unsigned kC = 1u << static_cast<int>(Role::Centre);
constexpr unsigned kD = 1u << static_cast<int>(Role::Department);
constexpr unsigned kM = 1u << static_cast<int>(Role::Committee);
constexpr unsigned kF = 1u << static_cast<int>(Role::Field);

constexpr unsigned kHandlers = kD | kM | kF;

struct Transition {
  S from;
  A action;
  S to;
  unsigned roles = ~0u;  // Who may take this move, within who may take the action (kActionRoles).
};

constexpr Transition kTransitions[] = {
    {S::Received, A::ContactCitizen, S::Contacted},
    {S::Received, A::Assign, S::Assigned},
    // 直接答复: the centre answered the citizen itself (an inquiry, on the call): handled, no dispatch.
    {S::Received, A::Handle, S::Handled, kC},
    {S::Contacted, A::Assign, S::Assigned},
    {S::Contacted, A::Handle, S::Handled, kC},
    {S::Assigned, A::Assign, S::Assigned},
    {S::Assigned, A::Start, S::InProgress},
    {S::Assigned, A::Handle, S::Handled, kHandlers},
    {S::Assigned, A::ApproveReturn, S::Contacted},
    {S::InProgress, A::Assign, S::Assigned},
    {S::InProgress, A::Handle, S::Handled, kHandlers},
    {S::InProgress, A::ApproveReturn, S::Contacted},
    {S::Handled, A::ReturnVisit, S::Visited},
    {S::Handled, A::Reopen, S::InProgress},
    {S::Visited, A::Close, S::Closed},
    {S::Visited, A::Reopen, S::InProgress},
    {S::Closed, A::Reopen, S::InProgress},
    {S::Review, A::Assign, S::Assigned},
    {S::Review, A::Close, S::Closed},
    {S::Review, A::Reopen, S::InProgress},
};

// Indexed by WorkflowAction.
constexpr std::array<unsigned, kWorkflowActionCount> kActionRoles = {
    kC | kM,       // ContactCitizen
    kC,            // Assign
    kHandlers,     // Start
    kC | kHandlers,  // Handle: the centre only where no handler has the ticket (above)
    kC,            // ApproveReturn
    kC,            // ReturnVisit
    kC,            // Close
    kC,            // Reopen
};

constexpr std::array<std::string_view, kRoleCount> kRoleCodes = {"centre", "department", "committee", "field"};
constexpr std::array<std::string_view, kWorkflowActionCount> kActionCodes = {
    "contact_citizen", "assign", "start", "handle", "approve_return", "return_visit", "close", "reopen"};

using codes::parse_code;

}  // namespace

std::string_view to_string(Role r) { return codes::code_of(kRoleCodes, static_cast<int>(r)); }
std::string_view to_string(WorkflowAction a) { return codes::code_of(kActionCodes, static_cast<int>(a)); }
std::optional<Role> parse_role(std::string_view c) { return parse_code<Role>(kRoleCodes, c); }
std::optional<WorkflowAction> parse_workflow_action(std::string_view c) {
  return parse_code<WorkflowAction>(kActionCodes, c);
}

namespace {
const Transition* find_transition(TicketStatus from, WorkflowAction action) {
  for (const Transition& t : kTransitions)
    if (t.from == from && t.action == action) return &t;
  return nullptr;
}
bool has(unsigned roles, Role role) { return (roles >> static_cast<int>(role)) & 1u; }
}  // namespace

std::optional<TicketStatus> workflow_target(TicketStatus from, WorkflowAction action) {
  if (const Transition* t = find_transition(from, action)) return t->to;
  return std::nullopt;
}

std::optional<TicketStatus> workflow_target(TicketStatus from, WorkflowAction action, Role role) {
  const Transition* t = find_transition(from, action);
  if (!t || !role_may(role, action) || !has(t->roles, role)) return std::nullopt;
  return t->to;
}

bool takes_requests(TicketStatus s) { return s == TicketStatus::Assigned || s == TicketStatus::InProgress; }

bool role_may(Role role, WorkflowAction action) {
  return has(kActionRoles[static_cast<size_t>(action)], role);
}

bool is_final(TicketStatus s) { return s == S::Handled || s == S::Visited || s == S::Closed; }

Result<TicketStatus> check_transition(TicketStatus from, WorkflowAction action, Role role) {
  if (!role_may(role, action))
    return Error{ErrorCode::InvalidArgument,
                 "[workflow] " + std::string(to_string(role)) + " may not " + std::string(to_string(action))};
  const Transition* t = find_transition(from, action);
  if (!t)
    return Error{ErrorCode::InvalidArgument, "[workflow] " + std::string(to_string(action)) +
                                                 " is not allowed from " + std::string(to_string(from))};
  if (!has(t->roles, role))
    return Error{ErrorCode::InvalidArgument, "[workflow] " + std::string(to_string(role)) + " may not " +
                                                 std::string(to_string(action)) + " from " + std::string(to_string(from))};
  return t->to;
}

}  // namespace linli
