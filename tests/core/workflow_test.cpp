// The workflow table: every allowed move, roles, and the reasons given for forbidden ones.
#include "core/workflow.h"

#include <gtest/gtest.h>

namespace linli {
namespace {

using S = TicketStatus;
using A = WorkflowAction;

TEST(Workflow, TheHappyPathRunsFromReceivedToClosed) {
  S s = S::Received;
  const std::pair<A, Role> steps[] = {{A::ContactCitizen, Role::Centre}, {A::Assign, Role::Centre},
                                      {A::Start, Role::Department},      {A::Handle, Role::Department},
                                      {A::ReturnVisit, Role::Centre},    {A::Close, Role::Centre}};
  for (const auto& [action, role] : steps) {
    auto next = check_transition(s, action, role);
    ASSERT_TRUE(next) << next.error().detail;
    s = *next;
  }
  EXPECT_EQ(s, S::Closed);
}

TEST(Workflow, RequestsAreAskedWhileTheTicketIsWithItsHandler) {
  for (int i = 0; i < kTicketStatusCount; ++i) {
    const auto s = static_cast<TicketStatus>(i);
    EXPECT_EQ(takes_requests(s), s == TicketStatus::Assigned || s == TicketStatus::InProgress) << to_string(s);
  }
}

TEST(Workflow, ForbiddenMovesSayWhy) {
  auto r = check_transition(S::InProgress, A::Close, Role::Centre);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "[workflow] close is not allowed from in_progress");
  auto q = check_transition(S::Received, A::Assign, Role::Department);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().detail, "[workflow] department may not assign");
}

TEST(Workflow, ReviewIsNeverATargetOfTheTable) {
  for (int s = 0; s < kTicketStatusCount; ++s)
    for (int a = 0; a < kWorkflowActionCount; ++a)
      EXPECT_NE(workflow_target(static_cast<S>(s), static_cast<A>(a)), S::Review);
}

TEST(Workflow, AReviewedTicketCanBeClosedReopenedOrAssignedByTheCentre) {
  EXPECT_EQ(*check_transition(S::Review, A::Close, Role::Centre), S::Closed);
  EXPECT_EQ(*check_transition(S::Review, A::Reopen, Role::Centre), S::InProgress);
  EXPECT_EQ(*check_transition(S::Review, A::Assign, Role::Centre), S::Assigned);
  EXPECT_FALSE(check_transition(S::Review, A::Close, Role::Committee));
}

TEST(Workflow, HandlersButNotTheCentreStartAndHandle) {
  for (Role r : {Role::Department, Role::Committee, Role::Field}) {
    EXPECT_TRUE(role_may(r, A::Start));
    EXPECT_TRUE(role_may(r, A::Handle));
    EXPECT_FALSE(role_may(r, A::Close));
  }
  EXPECT_FALSE(role_may(Role::Centre, A::Start));
}

TEST(Workflow, CodesRoundTrip) {
  for (int i = 0; i < kRoleCount; ++i) EXPECT_EQ(parse_role(to_string(static_cast<Role>(i))), static_cast<Role>(i));
  for (int i = 0; i < kWorkflowActionCount; ++i)
    EXPECT_EQ(parse_workflow_action(to_string(static_cast<A>(i))), static_cast<A>(i));
  EXPECT_FALSE(parse_role("mayor"));
}

TEST(Workflow, FinalStatusesAreHandledVisitedAndClosed) {
  EXPECT_TRUE(is_final(S::Handled));
  EXPECT_TRUE(is_final(S::Visited));
  EXPECT_TRUE(is_final(S::Closed));
  EXPECT_FALSE(is_final(S::Review));
  EXPECT_FALSE(is_final(S::InProgress));
}

}  // namespace
}  // namespace linli
