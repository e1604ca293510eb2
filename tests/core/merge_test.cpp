// The merge rules, one test (or more) per rule, named after its number in core/merge.h.
#include "core/merge.h"

#include <gtest/gtest.h>

#include "support/changes.h"

namespace linli {
namespace {

using test::Maker;
using S = TicketStatus;
using A = WorkflowAction;
using F = EditableField;

const std::string kT = test::ticket_id(1);

class Merge : public ::testing::Test {
 protected:
  Merge() { EXPECT_EQ(merge_change(state, centre.create(kT, 1000)).effect, Effect::Applied); }
  Version status_version() const { return state.status; }

  TicketState state;
  Maker centre{test::replica(1), Role::Centre};
  Maker other_centre{test::replica(2), Role::Centre, "值班员乙"};
  Maker department{test::replica(3), Role::Department, "市容所"};
};

TEST_F(Merge, R1_ACreateMakesTheTicketAndASecondCreateIsRejected) {
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.ticket.title, "楼道堆物");
  EXPECT_EQ(state.ticket.status, S::Received);
  const auto again = merge_change(state, other_centre.create(kT, 2000));
  EXPECT_EQ(again.effect, Effect::Rejected);
  ASSERT_TRUE(again.conflict);
  EXPECT_EQ(again.conflict->reason, "[merge.R1] ticket exists");
}

// 直接答复: handled with no lead department is the centre's own answer, in the report and on the
// ticket alike (first_handled_ms, answered_by_centre); handled by a department is not.
TEST_F(Merge, TheCentreAnsweredWhatItHandledWithNoDepartment) {
  EXPECT_EQ(first_handled_ms(state), 0);
  EXPECT_FALSE(answered_by_centre(state));
  TicketState dispatched = state;
  ASSERT_EQ(merge_change(state, centre.move(kT, 2000, A::Handle, S::Received, {})).effect, Effect::Applied);
  EXPECT_EQ(first_handled_ms(state), 2000);
  EXPECT_TRUE(answered_by_centre(state));

  const Change dept = centre.set(kT, 1500, F::LeadDepartment, "市容所");
  ASSERT_EQ(merge_change(dispatched, dept).effect, Effect::Applied);
  const Change assign = centre.move(kT, 1600, A::Assign, S::Received, {});
  ASSERT_EQ(merge_change(dispatched, assign).effect, Effect::Applied);
  const Change start = department.move(kT, 1700, A::Start, S::Assigned, assign.id);
  ASSERT_EQ(merge_change(dispatched, start).effect, Effect::Applied);
  ASSERT_EQ(merge_change(dispatched, department.move(kT, 1800, A::Handle, S::InProgress, start.id)).effect,
            Effect::Applied);
  EXPECT_EQ(first_handled_ms(dispatched), 1800);
  EXPECT_FALSE(answered_by_centre(dispatched));
}

TEST_F(Merge, R1_AChangeToAnUnknownTicketIsRejected) {
  TicketState none;
  Maker m(test::replica(9));
  const auto out = merge_change(none, m.set(kT, 1000, F::Title, "x"));
  EXPECT_EQ(out.effect, Effect::Rejected);
  EXPECT_EQ(out.conflict->reason, "[merge.R1] unknown ticket");
  EXPECT_FALSE(none.exists);
}

TEST_F(Merge, R2_AFieldChangeOnTheCurrentVersionApplies) {
  const Change c = centre.set(kT, 2000, F::Urgency, "urgent");
  EXPECT_EQ(merge_change(state, c).effect, Effect::Applied);
  EXPECT_EQ(state.ticket.urgency, Urgency::Urgent);
  EXPECT_EQ(state.fields[static_cast<size_t>(F::Urgency)].id, c.id);
  // The next edit that saw it applies too, even with an older clock (it saw the first).
  const Change d = department.set(kT, 1500, F::Urgency, "normal", c.id);
  EXPECT_EQ(merge_change(state, d).effect, Effect::Applied);
  EXPECT_EQ(state.ticket.urgency, Urgency::Normal);
}

TEST_F(Merge, R3_TheLaterClockWinsAConcurrentFieldEditAndTheLoserIsKept) {
  const Change early = centre.set(kT, 2000, F::Title, "楼道堆物（三楼）");
  const Change late = other_centre.set(kT, 3000, F::Title, "楼道堆物反弹");
  EXPECT_EQ(merge_change(state, early).effect, Effect::Applied);
  const auto out = merge_change(state, late);
  EXPECT_EQ(out.effect, Effect::Won);
  EXPECT_EQ(state.ticket.title, "楼道堆物反弹");
  ASSERT_TRUE(out.conflict);
  EXPECT_EQ(out.conflict->kind, ConflictKind::Field);
  EXPECT_EQ(out.conflict->value, "楼道堆物（三楼）");
  EXPECT_EQ(out.conflict->loser, early.id);
  EXPECT_EQ(out.conflict->winner, late.id);
}

TEST_F(Merge, R3_AConcurrentEditWithAnOlderClockLosesAndItsValueIsKept) {
  const Change late = centre.set(kT, 3000, F::Address, "中华新路927弄5号");
  const Change early = other_centre.set(kT, 2000, F::Address, "中华新路927弄6号");
  merge_change(state, late);
  const auto out = merge_change(state, early);
  EXPECT_EQ(out.effect, Effect::Lost);
  EXPECT_EQ(state.ticket.address, "中华新路927弄5号");
  EXPECT_EQ(out.conflict->value, "中华新路927弄6号");
  EXPECT_EQ(out.conflict->loser, early.id);
}

TEST_F(Merge, R3_EqualStampsAreDecidedByReplicaId) {
  const Change a = centre.set(kT, 2000, F::Title, "甲");
  const Change b = other_centre.set(kT, 2000, F::Title, "乙");  // replica(2) > replica(1).
  merge_change(state, b);
  EXPECT_EQ(merge_change(state, a).effect, Effect::Lost);
  EXPECT_EQ(state.ticket.title, "乙");
}

TEST_F(Merge, R4_TimelineEntriesPhotosAndLinksAreInsertOnlyAndCountAsWork) {
  const Change close_enough = centre.move(kT, 1500, A::Assign, S::Received, {});
  merge_change(state, close_enough);
  EXPECT_EQ(merge_change(state, department.note(kT, 2000)).effect, Effect::Inserted);
  EXPECT_EQ(merge_change(state, department.photo(kT, 2100)).effect, Effect::Inserted);
  EXPECT_EQ(merge_change(state, centre.link(kT, 2200, test::ticket_id(2))).effect, Effect::Inserted);
  EXPECT_EQ(state.work_count, 3);
  // Even on a deleted ticket nothing is refused.
  merge_change(state, centre.set(kT, 2300, F::Deleted, "1"));
  EXPECT_EQ(merge_change(state, department.note(kT, 2400, EntryKind::Comment)).effect, Effect::Inserted);
  EXPECT_EQ(state.work_count, 4);
}

TEST_F(Merge, R5_AClosingStepThatMissedLaterWorkSendsTheTicketToReview) {
  // Assigned, started, handled (all seen), then visited; a worker adds a note nobody saw.
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  merge_change(state, c1);
  Change c2 = department.move(kT, 2100, A::Start, S::Assigned, c1.id);
  merge_change(state, c2);
  Change c3 = department.move(kT, 2200, A::Handle, S::InProgress, c2.id);
  merge_change(state, c3);
  Change c4 = centre.move(kT, 2300, A::ReturnVisit, S::Handled, c3.id);
  merge_change(state, c4);
  merge_change(state, department.note(kT, 2350, EntryKind::ProgressReport, "又堆起来了"));
  const auto out = merge_change(state, centre.move(kT, 2400, A::Close, S::Visited, c4.id, /*seen_work=*/0));
  EXPECT_EQ(out.effect, Effect::Review);
  EXPECT_EQ(state.ticket.status, S::Review);
  EXPECT_EQ(out.conflict->kind, ConflictKind::Review);
  EXPECT_EQ(out.conflict->value, "closed");
  EXPECT_EQ(out.conflict->reason, "[merge.R5] close did not see 1 later work item(s)");
}

TEST_F(Merge, R5_AClosingStepThatSawAllTheWorkCloses) {
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  merge_change(state, c1);
  merge_change(state, department.note(kT, 2050));
  Change c2 = department.move(kT, 2100, A::Handle, S::Assigned, c1.id, /*seen_work=*/1);
  EXPECT_EQ(merge_change(state, c2).effect, Effect::Applied);
  EXPECT_EQ(state.ticket.status, S::Handled);
}

// The basement case: a committee worker writes a note offline at 2350; the centre, not having
// seen it, closes at 2400. Whichever reaches the server first, the ticket ends in review with the
// same state, so the note is never buried by the order the signal came back in.
TEST_F(Merge, R5_WorkMadeBeforeAFinishingStepGoesToReviewWhicheverArrivesFirst) {
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  Change c2 = department.move(kT, 2100, A::Handle, S::Assigned, c1.id);
  Change c3 = centre.move(kT, 2200, A::ReturnVisit, S::Handled, c2.id);
  Change note = department.note(kT, 2350, EntryKind::HandlingNote, "地下室信号差，补记：已清运两车");
  Change close = centre.move(kT, 2400, A::Close, S::Visited, c3.id, /*seen_work=*/0);
  std::vector<TicketState> ends;
  for (bool note_first : {true, false}) {
    TicketState s = state;
    for (const Change* c : {&c1, &c2, &c3}) ASSERT_EQ(merge_change(s, *c).effect, Effect::Applied);
    const auto first = merge_change(s, note_first ? note : close);
    const auto second = merge_change(s, note_first ? close : note);
    EXPECT_EQ(s.ticket.status, S::Review) << "note first: " << note_first;
    EXPECT_EQ(s.work_count, 1);
    // The review record, raised by whichever came second: the status meant.
    const auto& raised = second.conflict;
    ASSERT_TRUE(raised) << "note first: " << note_first;
    EXPECT_EQ(raised->kind, ConflictKind::Review);
    EXPECT_EQ(raised->value, "closed");
    if (note_first) {
      EXPECT_EQ(second.effect, Effect::Review);
    } else {
      EXPECT_EQ(first.effect, Effect::Applied);  // Closed, until the note comes in.
      EXPECT_EQ(second.effect, Effect::Inserted);
      EXPECT_EQ(raised->loser, close.id);
      EXPECT_EQ(raised->reason, "[merge.R5] work made before closed came in after it");
    }
    ends.push_back(s);
  }
  EXPECT_EQ(ends[0].ticket.status, ends[1].ticket.status);
  EXPECT_EQ(ends[0].work_count, ends[1].work_count);
}

// 催办 is no work (R4): an urge the centre made before the handler's 办结 reached it, folded on
// either side of it, leaves the ticket handled; and a finishing step need not have seen an urge.
TEST_F(Merge, R4_AnUrgeIsKeptButIsNoWorkAFinishingStepMustSee) {
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  Change urge = centre.note(kT, 2050, EntryKind::Urge, "请今日内处理");
  Change handle = department.move(kT, 2100, A::Handle, S::Assigned, c1.id, /*seen_work=*/0);
  for (bool urge_first : {true, false}) {
    TicketState s = state;
    ASSERT_EQ(merge_change(s, c1).effect, Effect::Applied);
    const auto first = merge_change(s, urge_first ? urge : handle);
    const auto second = merge_change(s, urge_first ? handle : urge);
    EXPECT_EQ(s.ticket.status, S::Handled) << "urge first: " << urge_first;
    EXPECT_EQ(s.work_count, 0);
    EXPECT_FALSE(first.conflict);
    EXPECT_FALSE(second.conflict);
    EXPECT_EQ((urge_first ? first : second).effect, Effect::Inserted) << "kept in the timeline";
  }
}

// A note written by someone who had seen the close (so stamped after it) stays a late note on a
// closed ticket; and a photo or link made before the close is work as much as a note is.
TEST_F(Merge, R5_WorkMadeAfterSeeingTheFinishingStepLeavesItFinished) {
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  Change c2 = department.move(kT, 2100, A::Handle, S::Assigned, c1.id);
  for (const Change* c : {&c1, &c2}) ASSERT_EQ(merge_change(state, *c).effect, Effect::Applied);
  TicketState photo_case = state;
  const auto late = merge_change(state, department.note(kT, 2500, EntryKind::Comment, "市民来电致谢"));
  EXPECT_EQ(late.effect, Effect::Inserted);
  EXPECT_FALSE(late.conflict);
  EXPECT_EQ(state.ticket.status, S::Handled);

  Maker worker(test::replica(4), Role::Department, "市容所");  // Another device, its clock behind.
  const auto photo = merge_change(photo_case, worker.photo(kT, 2050));
  EXPECT_EQ(photo.effect, Effect::Inserted);
  ASSERT_TRUE(photo.conflict);
  EXPECT_EQ(photo.conflict->value, "handled");
  EXPECT_EQ(photo_case.ticket.status, S::Review);
}

// A replica that had not folded the note yet reopens the closed ticket: its transition names the
// close as its base. After the note sent the ticket to review, that is a concurrent move (R6),
// not a stale one refused (R7).
TEST_F(Merge, R5_AMoveFromAReplicaThatHadNotSeenTheBuriedWorkIsConcurrentWithTheReview) {
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  Change c2 = department.move(kT, 2100, A::Handle, S::Assigned, c1.id);
  Change c3 = centre.move(kT, 2200, A::ReturnVisit, S::Handled, c2.id);
  Change close = centre.move(kT, 2400, A::Close, S::Visited, c3.id);
  for (const Change* c : {&c1, &c2, &c3, &close}) ASSERT_EQ(merge_change(state, *c).effect, Effect::Applied);
  ASSERT_EQ(merge_change(state, department.note(kT, 2300)).effect, Effect::Inserted);
  ASSERT_EQ(state.ticket.status, S::Review);
  const auto reopen = merge_change(state, other_centre.move(kT, 2600, A::Reopen, S::Closed, close.id, 0));
  EXPECT_EQ(reopen.effect, Effect::Won);
  EXPECT_EQ(state.ticket.status, S::InProgress);
}

TEST_F(Merge, R6_ANonFinalStatusBeatsAConcurrentFinalOneWhicheverComesFirst) {
  for (bool reopen_first : {false, true}) {
    TicketState s;
    Maker a(test::replica(10)), b(test::replica(11)), d(test::replica(12), Role::Department);
    merge_change(s, a.create(kT, 1000));
    Change c1 = a.move(kT, 1100, A::Assign, S::Received, {});
    merge_change(s, c1);
    Change c2 = d.move(kT, 1200, A::Handle, S::Assigned, c1.id);
    merge_change(s, c2);
    // Concurrently on base c2: one visits (final), one reopens (non-final), reopen has the OLDER clock.
    const Change visit = a.move(kT, 5000, A::ReturnVisit, S::Handled, c2.id);
    const Change reopen = b.move(kT, 1300, A::Reopen, S::Handled, c2.id);
    if (reopen_first) {
      EXPECT_EQ(merge_change(s, reopen).effect, Effect::Applied);
      EXPECT_EQ(merge_change(s, visit).effect, Effect::Lost);
    } else {
      EXPECT_EQ(merge_change(s, visit).effect, Effect::Applied);
      const auto out = merge_change(s, reopen);
      EXPECT_EQ(out.effect, Effect::Won);
      EXPECT_EQ(out.conflict->value, "visited");
    }
    EXPECT_EQ(s.ticket.status, S::InProgress) << "reopen_first=" << reopen_first;
  }
}

TEST_F(Merge, R6_BetweenTwoNonFinalStatusesTheLaterClockWins) {
  Change c1 = centre.move(kT, 2000, A::Assign, S::Received, {});
  merge_change(state, c1);
  const Change start = department.move(kT, 3000, A::Start, S::Assigned, c1.id);
  const Change reassign = other_centre.move(kT, 2500, A::Assign, S::Assigned, c1.id);
  merge_change(state, start);
  const auto out = merge_change(state, reassign);
  EXPECT_EQ(out.effect, Effect::Lost);
  EXPECT_EQ(out.conflict->kind, ConflictKind::Status);
  EXPECT_EQ(state.ticket.status, S::InProgress);
}

TEST_F(Merge, R7_ATransitionTheWorkflowForbidsIsRejectedWithAReason) {
  const auto out = merge_change(state, centre.move(kT, 2000, A::Close, S::Received, {}));
  EXPECT_EQ(out.effect, Effect::Rejected);
  EXPECT_EQ(out.conflict->reason, "[merge.R7] [workflow] close is not allowed from received");
  EXPECT_EQ(state.ticket.status, S::Received);
}

TEST_F(Merge, R7_ARoleThatMayNotActIsRejected) {
  const auto out = merge_change(state, department.move(kT, 2000, A::Assign, S::Received, {}));
  EXPECT_EQ(out.effect, Effect::Rejected);
  EXPECT_EQ(out.conflict->reason, "[merge.R7] [workflow] department may not assign");
}

TEST_F(Merge, R7_ATargetTheTableDoesNotGiveOrAStatusNotSeenIsRejected) {
  Change forged = centre.move(kT, 2000, A::Assign, S::Received, {});
  forged.to = S::Closed;
  EXPECT_EQ(merge_change(state, forged).conflict->reason,
            "[merge.R7] assign from received leads to assigned, not closed");
  Change wrong_from = centre.move(kT, 2100, A::Assign, S::Contacted, {});
  EXPECT_EQ(merge_change(state, wrong_from).conflict->reason, "[merge.R7] saw status contacted but it is received");
  EXPECT_EQ(state.ticket.status, S::Received);
}

TEST_F(Merge, R8_DeleteIsASoftFlagMergedLikeAField) {
  const Change del = centre.set(kT, 2000, F::Deleted, "1");
  const Change edit = other_centre.set(kT, 2500, F::Title, "仍在处理");
  EXPECT_EQ(merge_change(state, del).effect, Effect::Applied);
  EXPECT_TRUE(state.deleted);
  EXPECT_EQ(merge_change(state, edit).effect, Effect::Applied);  // Data stays editable.
  EXPECT_EQ(state.ticket.title, "仍在处理");
  const Change restore = other_centre.set(kT, 3000, F::Deleted, "0", del.id);
  EXPECT_EQ(merge_change(state, restore).effect, Effect::Applied);
  EXPECT_FALSE(state.deleted);
  EXPECT_EQ(state.ticket.title, "仍在处理");
}

}  // namespace
}  // namespace linli
