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

struct Transition {
  S from;
  A action;
  S to;
};

constexpr Transition kTransitions[] = {
    {S::Received, A::ContactCitizen, S::Contacted},
    {S::Received, A::Assign, S::Assigned},
    {S::Contacted, A::Assign, S::Assigned},
    {S::Assigned, A::Assign, S::Assigned},
    {S::Assigned, A::Start, S::InProgress},
    {S::Assigned, A::Handle, S::Handled},
    {S::Assigned, A::ApproveReturn, S::Contacted},
    {S::InProgress, A::Assign, S::Assigned},
    {S::InProgress, A::Handle, S::Handled},
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
    kD | kM | kF,  // Start
    kD | kM | kF,  // Handle
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

std::optional<TicketStatus> workflow_target(TicketStatus from, WorkflowAction action) {
  for (const Transition& t : kTransitions)
    if (t.from == from && t.action == action) return t.to;
  return std::nullopt;
}

bool takes_requests(TicketStatus s) { return s == TicketStatus::Assigned || s == TicketStatus::InProgress; }

bool role_may(Role role, WorkflowAction action) {
  return (kActionRoles[static_cast<size_t>(action)] >> static_cast<int>(role)) & 1u;
}

bool is_final(TicketStatus s) { return s == S::Handled || s == S::Visited || s == S::Closed; }

Result<TicketStatus> check_transition(TicketStatus from, WorkflowAction action, Role role) {
  if (!role_may(role, action))
    return Error{ErrorCode::InvalidArgument,
                 "[workflow] " + std::string(to_string(role)) + " may not " + std::string(to_string(action))};
  const auto to = workflow_target(from, action);
  if (!to)
    return Error{ErrorCode::InvalidArgument, "[workflow] " + std::string(to_string(action)) +
                                                 " is not allowed from " + std::string(to_string(from))};
  return *to;
}

}  // namespace linli
