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

TEST(Workflow, HandlersStartAndHandleWhatTheyWereGiven) {
  for (Role r : {Role::Department, Role::Committee, Role::Field}) {
    EXPECT_TRUE(role_may(r, A::Start));
    EXPECT_TRUE(role_may(r, A::Handle));
    EXPECT_FALSE(role_may(r, A::Close));
    EXPECT_EQ(workflow_target(S::Assigned, A::Handle, r), S::Handled);
    EXPECT_EQ(workflow_target(S::InProgress, A::Handle, r), S::Handled);
    // An undispatched ticket is not a handler's to finish.
    EXPECT_FALSE(workflow_target(S::Received, A::Handle, r));
    EXPECT_FALSE(workflow_target(S::Contacted, A::Handle, r));
  }
  EXPECT_FALSE(role_may(Role::Centre, A::Start));
}

// 直接答复: the centre answered the citizen itself (an inquiry settled on the call), with no
// dispatch. It never finishes a dispatched ticket for its handler.
TEST(Workflow, TheCentreHandlesOnlyWhatItAnsweredItself) {
  EXPECT_TRUE(role_may(Role::Centre, A::Handle));
  EXPECT_EQ(*check_transition(S::Received, A::Handle, Role::Centre), S::Handled);
  EXPECT_EQ(*check_transition(S::Contacted, A::Handle, Role::Centre), S::Handled);
  for (S from : {S::Assigned, S::InProgress}) {
    EXPECT_FALSE(workflow_target(from, A::Handle, Role::Centre));
    auto r = check_transition(from, A::Handle, Role::Centre);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().detail, "[workflow] centre may not handle from " + std::string(to_string(from)));
  }
  auto d = check_transition(S::Received, A::Handle, Role::Department);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().detail, "[workflow] department may not handle from received");
  // The role-free lookup answers for whoever may: there is a handle from every open status.
  EXPECT_EQ(workflow_target(S::Received, A::Handle), S::Handled);
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
