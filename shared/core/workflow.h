// The ticket workflow as data: which action moves a ticket from which status to which, and who may
// take it. Pure. The table below is the one in workflow.cpp; keep the two in step.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.h"
#include "core/ticket.h"

namespace linli {

// Who acts. A change carries its author's role; the server checks it against the login.
enum class Role { Centre, Department, Committee, Field };
inline constexpr int kRoleCount = 4;

enum class WorkflowAction {
  ContactCitizen,  // 先行联系: the citizen was called back.
  Assign,          // 派单 (again: 重派) to a lead department or committee.
  Start,           // The handler takes it up: 处置中.
  Handle,          // 办结: the handler reports it done.
  ApproveReturn,   // The centre accepts a handler's 退单: back to be dispatched again.
  ReturnVisit,     // 回访 done (the satisfaction goes in a timeline entry).
  Close,           // 结案.
  Reopen,          // 重开 / 再次处置: back to work after a dissatisfied visit or a review.
};
inline constexpr int kWorkflowActionCount = 8;

std::string_view to_string(Role r);
std::string_view to_string(WorkflowAction a);
std::optional<Role> parse_role(std::string_view code);
std::optional<WorkflowAction> parse_workflow_action(std::string_view code);

/*
** The transition table: status × action → status. "-" is forbidden.
** Roles: C centre, D department, M committee (居委会), F field worker.
**
**  status \ action | ContactCitizen | Assign   | Start      | Handle   | ApproveReturn | ReturnVisit | Close  | Reopen
**  (who may)       | C M            | C        | D M F      | C D M F  | C             | C           | C      | C
**  ----------------+----------------+----------+------------+----------+---------------+-------------+--------+-----------
**  Received        | Contacted      | Assigned | -          | Handled¹ | -             | -           | -      | -
**  Contacted       | -              | Assigned | -          | Handled¹ | -             | -           | -      | -
**  Assigned        | -              | Assigned | InProgress | Handled  | Contacted     | -           | -      | -
**  InProgress      | -              | Assigned | -          | Handled  | Contacted     | -           | -      | -
**  Handled         | -              | -        | -          | -        | -             | Visited     | -      | InProgress
**  Visited         | -              | -        | -          | -        | -             | -           | Closed | InProgress
**  Closed          | -              | -        | -          | -        | -             | -           | -      | InProgress
**  Review          | -              | Assigned | -          | -        | -             | -           | Closed | InProgress
**
** ¹ The centre's alone (直接答复: it answered the citizen itself, an inquiry settled on the call; a
**   handle from received also counts as the citizen contacted, merge.cpp). From assigned and in
**   progress, handle is the handler's: the centre never finishes a department's work for it.
**
** Review is never a target in this table: the merge rules (R5) send a ticket there when a
** finishing step did not see work done concurrently. Final statuses: Handled, Visited, Closed.
*/

// The status `action` leads to from `from`, or nullopt if the table forbids it (for every role).
std::optional<TicketStatus> workflow_target(TicketStatus from, WorkflowAction action);
// The same for `role`: nullopt also when the role may not take the action, or not from `from`
// (handle from received is the centre's, from assigned the handler's).
std::optional<TicketStatus> workflow_target(TicketStatus from, WorkflowAction action, Role role);
// Whether `role` takes `action` from some status.
bool role_may(Role role, WorkflowAction action);
// A finished status: no more work is expected on the ticket.
bool is_final(TicketStatus s);
// Whether a handler may ask for 退单 or 延期 now: while the ticket is with it, dispatched (assigned)
// or in progress. Apps offer the requests only then; the server takes a request made offline
// whatever the status meanwhile (the centre decides it).
bool takes_requests(TicketStatus s);

// Checks a transition; the error's detail says why it is forbidden, e.g.
// "[workflow] close is not allowed from in_progress" or "[workflow] department may not assign".
Result<TicketStatus> check_transition(TicketStatus from, WorkflowAction action, Role role);

}  // namespace linli
