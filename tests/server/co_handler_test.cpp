// 联合处置 against the real server: a department the centre adds as co-handler pulls the ticket
// with its whole history and pushes its reply; one that is not a co-handler cannot; the finishing
// steps wait for the reply; a removed co-handler's replica hears the ticket dropped.
#include <gtest/gtest.h>

#include "support/sync_fixture.h"

namespace linli {
namespace {

using test::Replica;
using test::ticket_id;

class CoHandlerServerTest : public test::SyncFixture {
 protected:
  // A ticket in 长安小区 the centre dispatched to 市容所 (no account: nobody signs in as it).
  std::vector<Change> dispatched(Replica& centre, const std::string& t) {
    Change create = centre.create(t, "长安小区");
    Change lead = centre.next(t, ChangeKind::SetField);
    lead.field = EditableField::LeadDepartment;
    lead.value = "市容所";
    Change assign = centre.next(t, ChangeKind::Transition);
    assign.action = WorkflowAction::Assign, assign.from = TicketStatus::Received, assign.to = TicketStatus::Assigned;
    return {create, lead, assign};
  }
  static Change co(Replica& r, const std::string& t, EntryKind kind, const std::string& text, ChangeId added = {}) {
    Change c = r.next(t, ChangeKind::AddEntry);
    c.entry.kind = kind;
    c.entry.text = text;
    c.entry.request = added;
    return c;
  }
  std::vector<PushResult> results(const httplib::Result& r) {
    EXPECT_TRUE(r);
    auto decoded = decode_push_response(r->body);
    EXPECT_TRUE(decoded) << r->body.substr(0, 300);
    return decoded ? decoded->results : std::vector<PushResult>{};
  }
};

TEST_F(CoHandlerServerTest, ACoHandlingDepartmentPullsTheTicketWithItsHistoryAndRepliesAndAnotherCannot) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica guanli = sign_in("guanli.wang", Role::Department, 2);
  Replica field = sign_in("chuhai.chen", Role::Field, 3);
  const std::string t = ticket_id(1), other = ticket_id(2);
  auto setup = dispatched(centre, t);
  for (Change& c : dispatched(centre, other)) setup.push_back(c);
  setup.push_back(centre.note(t, "已联系物业"));
  ASSERT_EQ(push(centre, setup)->status, 200);
  PullResponse p = pull(guanli, 0);
  EXPECT_TRUE(p.changes.empty()) << "管理办 neither leads nor co-handles either ticket";
  int64_t cursor = p.next;

  // Out of scope: a reply to a ticket it does not co-handle is refused, whatever it names.
  const Change add_other = co(centre, other, EntryKind::CoHandlerAdded, "除害站");
  ASSERT_EQ(push(centre, {add_other})->status, 200);
  auto r = results(push(guanli, {co(guanli, other, EntryKind::CoReply, "已协助", add_other.id)}));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].code, "out_of_scope") << r[0].detail;

  // Added as co-handler: the next pull brings the ticket whole, from its create.
  const Change add = co(centre, t, EntryKind::CoHandlerAdded, "管理办");
  ASSERT_EQ(push(centre, {add})->status, 200);
  p = pull(guanli, cursor);
  EXPECT_EQ(tickets_in(p), std::set<std::string>{t});
  ASSERT_FALSE(p.changes.empty());
  EXPECT_EQ(p.changes.front().change.kind, ChangeKind::CreateTicket);
  EXPECT_EQ(p.changes.back().change.id, add.id);
  cursor = p.next;

  // It may not move the ticket (its lead does), nor reply for another co-handler; it may reply.
  Change handle = guanli.next(t, ChangeKind::Transition);
  handle.action = WorkflowAction::Handle, handle.from = TicketStatus::Assigned, handle.to = TicketStatus::Handled;
  r = results(push(guanli, {handle}));
  EXPECT_EQ(r.at(0).code, "forbidden") << r.at(0).detail;
  const Change reply = co(guanli, t, EntryKind::CoReply, "已协助清理楼道", add.id);
  r = results(push(guanli, {reply}));
  EXPECT_EQ(r.at(0).status, ApplyStatus::Applied) << r.at(0).code << " " << r.at(0).detail;
  // The field team of 除害站 co-handles `other`, sees it, but only a department user replies.
  p = pull(field, 0);
  EXPECT_TRUE(tickets_in(p).count(other));
  r = results(push(field, {co(field, other, EntryKind::CoReply, "已投放毒饵", add_other.id)}));
  EXPECT_EQ(r.at(0).code, "forbidden") << r.at(0).detail;
}

TEST_F(CoHandlerServerTest, TheReturnVisitWaitsForThePendingCoHandlerAndARemovedOneHearsTheTicketDropped) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica guanli = sign_in("guanli.wang", Role::Department, 2);
  const std::string t = ticket_id(1);
  auto setup = dispatched(centre, t);
  const Change add = co(centre, t, EntryKind::CoHandlerAdded, "管理办");
  setup.push_back(add);
  ASSERT_EQ(push(centre, setup)->status, 200);
  PullResponse p = pull(guanli, 0);
  ASSERT_TRUE(tickets_in(p).count(t));
  const int64_t cursor = p.next;
  // Pending: the centre's return visit is refused with the department named.
  Change visit = centre.next(t, ChangeKind::AddEntry);
  visit.entry.kind = EntryKind::ReturnVisit, visit.entry.text = "市民满意",
  visit.entry.satisfaction = Satisfaction::Satisfied;
  auto r = results(push(centre, {visit}));
  EXPECT_EQ(r.at(0).code, "forbidden");
  EXPECT_NE(r.at(0).detail.find("管理办"), std::string::npos) << r.at(0).detail;
  // Removed: the department's next pull announces the ticket dropped.
  ASSERT_EQ(push(centre, {co(centre, t, EntryKind::CoHandlerRemoved, "管理办", add.id)})->status, 200);
  p = pull(guanli, cursor);
  EXPECT_EQ(p.dropped, std::vector<std::string>{t});
  Change visit2 = centre.next(t, ChangeKind::AddEntry);
  visit2.entry = visit.entry;
  r = results(push(centre, {visit2}));
  EXPECT_EQ(r.at(0).status, ApplyStatus::Applied) << r.at(0).code << " " << r.at(0).detail;
}

}  // namespace
}  // namespace linli
