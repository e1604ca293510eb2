// Merge rule R12 (core/merge.h): co-handlers of a joint action (联合处置) as insert-only entries
// folded into a set. Adds, replies and removals in any order give the same co-handlers.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "core/merge.h"
#include "support/changes.h"

namespace linli {
namespace {

using test::Maker;
using E = EntryKind;

const std::string kT = test::ticket_id(1);

// The co-handlers sorted by id: the set R12 defines (the vector keeps fold order).
std::vector<CoHandler> sorted(std::vector<CoHandler> v) {
  std::sort(v.begin(), v.end(), [](const CoHandler& a, const CoHandler& b) { return a.added < b.added; });
  return v;
}

class CoMerge : public ::testing::Test {
 protected:
  TicketState fold(const std::vector<Change>& changes) {
    TicketState s;
    EXPECT_EQ(merge_change(s, created).effect, Effect::Applied);
    for (const Change& c : changes) EXPECT_EQ(merge_change(s, c).effect, Effect::Inserted);
    return s;
  }

  Maker centre{test::replica(1), Role::Centre};
  Maker other_centre{test::replica(2), Role::Centre, "值班员乙"};
  Maker guanli{test::replica(3), Role::Department, "管理办甲"};
  Maker dangqun{test::replica(4), Role::Department, "党群办甲"};
  Change created = centre.create(kT, 1000);
};

TEST_F(CoMerge, R12_AnAddMakesAPendingCoHandlerThatAReplyAnswers) {
  const Change add = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
  TicketState s = fold({add});
  ASSERT_EQ(s.co_handlers.size(), 1u);
  EXPECT_EQ(s.co_handlers[0].added, add.id);
  EXPECT_EQ(s.co_handlers[0].department, "管理办");
  EXPECT_EQ(s.co_handlers[0].added_at_ms, add.stamp.ms);
  EXPECT_EQ(s.co_handlers[0].state(), CoHandlerState::Pending);
  EXPECT_EQ(pending_co_handlers(s), 1);
  EXPECT_EQ(co_handling_departments(s), std::vector<std::string>{"管理办"});
  s = fold({add, guanli.co(kT, 3000, E::CoReply, "已协助清理", add.id)});
  EXPECT_EQ(s.co_handlers[0].state(), CoHandlerState::Replied);
  EXPECT_EQ(s.co_handlers[0].replied_at_ms, 3000);
  EXPECT_EQ(pending_co_handlers(s), 0);
  EXPECT_EQ(s.work_count, 2);  // R4: each entry is work.
}

TEST_F(CoMerge, R12_ARemovalOutranksAReplyAndTheDepartmentNoLongerCoHandles) {
  const Change add = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
  const Change reply = guanli.co(kT, 3000, E::CoReply, "已协助", add.id);
  const Change remove = other_centre.co(kT, 2500, E::CoHandlerRemoved, "管理办", add.id);
  for (const auto& order : {std::vector<Change>{add, reply, remove}, std::vector<Change>{add, remove, reply}}) {
    const TicketState s = fold(order);
    ASSERT_EQ(s.co_handlers.size(), 1u);
    EXPECT_EQ(s.co_handlers[0].state(), CoHandlerState::Removed);
    EXPECT_TRUE(co_handling_departments(s).empty());
    EXPECT_EQ(pending_co_handlers(s), 0);
  }
}

TEST_F(CoMerge, R12_TheEarliestReplyIsTheReplyTimeWhateverTheOrder) {
  const Change add = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
  const Change late = guanli.co(kT, 5000, E::CoReply, "补充：已复查", add.id);
  const Change early = other_centre.co(kT, 4000, E::CoReply, "代为回复：已清理", add.id);
  EXPECT_EQ(fold({add, late, early}).co_handlers[0].replied_at_ms, 4000);
  EXPECT_EQ(fold({add, early, late}).co_handlers[0].replied_at_ms, 4000);
}

TEST_F(CoMerge, R12_AReplyOrRemovalBeforeItsAddKeepsItsFactUntilTheAddArrives) {
  const Change add = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
  const Change reply = guanli.co(kT, 3000, E::CoReply, "已协助", add.id);
  TicketState s = fold({reply});
  ASSERT_EQ(s.co_handlers.size(), 1u);
  EXPECT_EQ(s.co_handlers[0].added_at_ms, 0);
  EXPECT_TRUE(co_handling_departments(s).empty());  // Not co-handling until the add says so.
  EXPECT_EQ(pending_co_handlers(s), 0);
  EXPECT_EQ(merge_change(s, add).effect, Effect::Inserted);
  EXPECT_EQ(s.co_handlers[0].state(), CoHandlerState::Replied);
  EXPECT_EQ(s.co_handlers[0].department, "管理办");
}

TEST_F(CoMerge, R12_ConcurrentAddsRepliesAndRemovalsConvergeInEveryOrder) {
  const Change add_g = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
  const Change add_d = other_centre.co(kT, 2001, E::CoHandlerAdded, "党群办");
  const Change add_g_again = other_centre.co(kT, 2002, E::CoHandlerAdded, "管理办");  // Concurrent double add.
  const Change reply_g = guanli.co(kT, 3000, E::CoReply, "已协助", add_g.id);
  const Change reply_d = dangqun.co(kT, 3100, E::CoReply, "已上门宣传", add_d.id);
  const Change remove_d = centre.co(kT, 3050, E::CoHandlerRemoved, "党群办", add_d.id);
  std::vector<Change> changes = {add_g, add_d, add_g_again, reply_g, reply_d, remove_d};
  std::vector<size_t> order(changes.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<CoHandler> first;
  int orders = 0;
  do {
    std::vector<Change> in;
    for (size_t i : order) in.push_back(changes[i]);
    const TicketState s = fold(in);
    const auto set = sorted(s.co_handlers);
    if (orders++ == 0)
      first = set;
    else
      ASSERT_EQ(set, first) << "order " << orders;
    EXPECT_EQ(pending_co_handlers(s), 1);  // The second 管理办 add waits for its own reply.
    EXPECT_EQ(co_handling_departments(s), std::vector<std::string>{"管理办"});
    EXPECT_EQ(s.work_count, 6);
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(orders, 720);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(find_co_handler(fold(changes), add_d.id)->state(), CoHandlerState::Removed);
  EXPECT_EQ(find_co_handler(fold(changes), add_g.id)->state(), CoHandlerState::Replied);
  EXPECT_EQ(find_co_handler(fold(changes), add_g_again.id)->state(), CoHandlerState::Pending);
}

TEST_F(CoMerge, R12_WithR5_HandlingThatDidNotSeeACoReplyGoesToReview) {
  TicketState s;
  merge_change(s, created);
  Change assign = centre.move(kT, 1500, WorkflowAction::Assign, TicketStatus::Received, {});
  EXPECT_EQ(merge_change(s, assign).effect, Effect::Applied);
  const Change add = centre.co(kT, 2000, E::CoHandlerAdded, "管理办");
  merge_change(s, add);
  merge_change(s, guanli.co(kT, 3000, E::CoReply, "已协助", add.id));
  Maker lead(test::replica(5), Role::Department, "市容所甲");
  // The lead saw the add (work 1) but not the reply (work 2): its handle goes to review.
  const auto out = merge_change(s, lead.move(kT, 3500, WorkflowAction::Handle, TicketStatus::Assigned, assign.id, 1));
  EXPECT_EQ(out.effect, Effect::Review);
  EXPECT_EQ(s.ticket.status, TicketStatus::Review);
}

}  // namespace
}  // namespace linli
