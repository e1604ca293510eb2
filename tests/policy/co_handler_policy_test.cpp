// The write policy's joint-handling rules (P8-P10, shared/policy/write_policy.h) and the scope
// rule with co-handlers, table-driven: every kind of change the rules treat apart, by every role,
// on a ticket the actor leads while a co-handler is pending, one it co-handles, and one it
// co-handled until the centre removed it. The expected answers are written out by hand.
#include <gtest/gtest.h>

#include <functional>

#include "core/merge.h"
#include "policy/write_policy.h"

namespace linli {
namespace {

constexpr const char* kTicket = "0000000000000000000000000000abcd";
const ChangeId kX1{ReplicaId{1, 1}, 1};  // 党群办, pending, on a ticket the actor leads.
const ChangeId kX2{ReplicaId{2, 2}, 1};  // The actor's own department (管理办 for C and M) co-handling.
const ChangeId kUnknown{ReplicaId{9, 9}, 9};

const Actor kActors[kRoleCount] = {
    {Role::Centre, ""}, {Role::Department, "管理办"}, {Role::Committee, "河滨花园"}, {Role::Field, "除害站"}};

enum class Situation { LeadsCoPending, CoHandles, CoRemoved };
constexpr Situation kSituations[] = {Situation::LeadsCoPending, Situation::CoHandles, Situation::CoRemoved};
const char* name(Situation s) {
  switch (s) {
    case Situation::LeadsCoPending:
      return "leads it, 党群办 pending";
    case Situation::CoHandles:
      return "co-handles it";
    case Situation::CoRemoved:
      return "co-handler removed";
  }
  return "?";
}

// Folds an entry into the state as the merge rules would (R12).
void fold(TicketState& s, EntryKind kind, const ChangeId& id, const std::string& text, const ChangeId& request = {}) {
  Change c;
  c.id = id;
  c.stamp = Hlc{1'772'000'000'000, 0};
  c.ticket_id = kTicket;
  c.author = Author{"值班员甲", Role::Centre};
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = kind;
  c.entry.text = text;
  c.entry.request = request;
  merge_change(s, c);
}

const std::string& co_department(const Actor& a) {
  static const std::string kGuanli = "管理办";
  return a.role == Role::Department || a.role == Role::Field ? a.scope : kGuanli;
}

TicketState state_for(const Actor& a, Situation w) {
  TicketState s;
  s.exists = true;
  s.ticket.id = kTicket;
  if (w == Situation::LeadsCoPending) {
    s.ticket.community = a.role == Role::Committee ? a.scope : "河滨花园";
    s.lead_department = a.role == Role::Department || a.role == Role::Field ? a.scope : "市容所";
    s.ticket.status = TicketStatus::Handled;
    fold(s, EntryKind::CoHandlerAdded, kX1, "党群办");
    return s;
  }
  s.ticket.community = "长安小区";
  s.lead_department = "市容所";
  s.ticket.status = TicketStatus::InProgress;
  fold(s, EntryKind::CoHandlerAdded, kX2, co_department(a));
  if (w == Situation::CoRemoved) fold(s, EntryKind::CoHandlerRemoved, ChangeId{kX2.replica, 2}, co_department(a), kX2);
  return s;
}

// The co-handler each situation is about.
const ChangeId& focus(Situation w) { return w == Situation::LeadsCoPending ? kX1 : kX2; }

struct Case {
  const char* what;
  std::function<void(Change&, const Actor&, const TicketState&, Situation)> make;
  // Expected by situation (LeadsCoPending, CoHandles, CoRemoved), then by role: C, D, M, F. "": accepted.
  const char* want[3][kRoleCount];
};

void co(Change& c, EntryKind k, std::string text, ChangeId request = {}) {
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = k;
  c.entry.text = std::move(text);
  c.entry.request = request;
}
void move(Change& c, WorkflowAction a) {
  c.kind = ChangeKind::Transition;
  c.action = a;
}

constexpr const char* F = "forbidden";
constexpr const char* I = "invalid";
constexpr const char* O = "out_of_scope";

const Case kCases[] = {
    {"co_handler_added 房管办",
     [](Change& c, auto&, auto&, auto) { co(c, EntryKind::CoHandlerAdded, "房管办"); },
     {{"", F, F, F}, {"", F, O, F}, {"", O, O, O}}},
    {"co_handler_added of the lead department",
     [](Change& c, auto&, const TicketState& s, auto) { co(c, EntryKind::CoHandlerAdded, s.lead_department); },
     {{I, F, F, F}, {I, F, O, F}, {I, O, O, O}}},
    {"co_handler_added of the focus co-handler's department",
     [](Change& c, const Actor&, const TicketState& s, Situation w) {
       co(c, EntryKind::CoHandlerAdded, find_co_handler(s, focus(w))->department);
     },
     // Once removed, the department may be added again.
     {{I, F, F, F}, {I, F, O, F}, {"", O, O, O}}},
    {"co_handler_removed of the focus co-handler",
     [](Change& c, const Actor&, const TicketState& s, Situation w) {
       co(c, EntryKind::CoHandlerRemoved, find_co_handler(s, focus(w))->department, focus(w));
     },
     {{"", F, F, F}, {"", F, O, F}, {I, O, O, O}}},
    {"co_reply as the focus co-handler",
     [](Change& c, auto&, auto&, Situation w) { co(c, EntryKind::CoReply, "已协助清理", focus(w)); },
     // Only its own department (or the centre) replies; a field team of it does not.
     {{"", F, F, F}, {"", "", O, F}, {I, O, O, O}}},
    {"co_reply naming no co-handler",
     [](Change& c, auto&, auto&, auto) { co(c, EntryKind::CoReply, "已协助", kUnknown); },
     {{I, I, I, I}, {I, I, O, I}, {I, O, O, O}}},
    {"transition handle",
     [](Change& c, auto&, auto&, auto) { move(c, WorkflowAction::Handle); },
     // The centre may handle (直接答复, R7 judges the status); a co-handler only may not.
     {{"", "", "", ""}, {"", F, O, F}, {"", O, O, O}}},
    {"transition reopen",
     [](Change& c, auto&, auto&, auto) { move(c, WorkflowAction::Reopen); },
     {{"", F, F, F}, {"", F, O, F}, {"", O, O, O}}},
    {"transition return_visit",
     [](Change& c, auto&, auto&, auto) { move(c, WorkflowAction::ReturnVisit); },
     {{F, F, F, F}, {F, F, O, F}, {"", O, O, O}}},
    {"transition close",
     [](Change& c, auto&, auto&, auto) { move(c, WorkflowAction::Close); },
     {{F, F, F, F}, {F, F, O, F}, {"", O, O, O}}},
    {"add_entry return_visit",
     [](Change& c, auto&, auto&, auto) {
       co(c, EntryKind::ReturnVisit, "满意"), c.entry.satisfaction = Satisfaction::Satisfied;
     },
     {{F, F, F, F}, {F, F, O, F}, {"", O, O, O}}},
    {"add_entry handling_note",
     [](Change& c, auto&, auto&, auto) { co(c, EntryKind::HandlingNote, "已清理"); },
     {{"", "", "", ""}, {"", "", O, ""}, {"", O, O, O}}},
    {"add_entry comment",
     [](Change& c, auto&, auto&, auto) { co(c, EntryKind::Comment, "备注"); },
     {{"", "", "", ""}, {"", "", O, ""}, {"", O, O, O}}},
    {"add_entry return_request",
     [](Change& c, auto&, auto&, auto) { co(c, EntryKind::ReturnRequest, "非本部门职责"); },
     {{"", "", "", ""}, {"", F, O, F}, {"", O, O, O}}},
    {"attach_photo",
     [](Change& c, auto&, auto&, auto) { c.kind = ChangeKind::AttachPhoto; },
     {{"", "", "", ""}, {"", "", O, ""}, {"", O, O, O}}},
    {"set_field title",
     [](Change& c, auto&, auto&, auto) {
       c.kind = ChangeKind::SetField, c.field = EditableField::Title, c.value = "快递点";
     },
     {{"", "", "", ""}, {"", F, O, F}, {"", O, O, O}}},
    {"link",
     [](Change& c, auto&, auto&, auto) { c.kind = ChangeKind::LinkTickets; },
     {{"", "", "", ""}, {"", F, O, F}, {"", O, O, O}}},
};

TEST(CoHandlerPolicy, P8ToP10_EveryCoHandlingCaseByEveryRoleInEverySituation) {
  int checked = 0;
  for (const Case& k : kCases)
    for (const Actor& a : kActors)
      for (Situation w : kSituations) {
        const TicketState s = state_for(a, w);
        Change c;
        c.ticket_id = kTicket;
        c.author = Author{"someone", a.role};
        k.make(c, a, s, w);
        const auto got = judge_change(a, s, c);
        const std::string want = k.want[static_cast<int>(w)][static_cast<int>(a.role)];
        EXPECT_EQ(got ? std::string(to_string(got->code)) : std::string(), want)
            << k.what << " by " << to_string(a.role) << " (" << a.scope << "), " << name(w)
            << (got ? ": " + got->reason : std::string());
        // Every refusal names its rule, so the app can say it in the user's language.
        if (got) {
          EXPECT_NE(got->rule, RefusalRule::Other) << got->reason;
        }
        ++checked;
      }
  EXPECT_EQ(checked, static_cast<int>(std::size(kCases)) * kRoleCount * 3);
}

TEST(CoHandlerPolicy, ScopeIncludesCoHandledTicketsUntilTheCoHandlerIsRemoved) {
  const Actor department{Role::Department, "管理办"}, field{Role::Field, "管理办"},
      committee{Role::Committee, "河滨花园"};
  EXPECT_TRUE(may_see(department, "长安小区", "市容所", {"党群办", "管理办"}));
  EXPECT_FALSE(may_see(department, "长安小区", "市容所", {"党群办"}));
  EXPECT_TRUE(may_see(field, "长安小区", "市容所", {"管理办"}));
  EXPECT_FALSE(may_see(committee, "长安小区", "市容所", {"河滨花园"}));  // A committee's scope is its community.
  const TicketState co = state_for(department, Situation::CoHandles);
  const TicketState removed = state_for(department, Situation::CoRemoved);
  EXPECT_TRUE(may_see(department, co));
  EXPECT_FALSE(may_see(department, removed));
  EXPECT_EQ(co_handling_departments(co), std::vector<std::string>{"管理办"});
  EXPECT_TRUE(co_handling_departments(removed).empty());
}

TEST(CoHandlerPolicy, P10_TheFinishingStepsWaitForEveryPendingCoHandlerAndSayWhich) {
  const Actor centre{Role::Centre, ""};
  TicketState s = state_for(centre, Situation::LeadsCoPending);  // Handled, 党群办 pending.
  auto why = judge_action(centre, s, WorkflowAction::ReturnVisit);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->code, RefusalCode::Forbidden);
  EXPECT_EQ(why->reason, "[policy] may not return_visit while 1 co-handler(s) have not replied (党群办)");
  EXPECT_FALSE(judge_action(centre, s, WorkflowAction::Reopen));  // Back to work is never held up.
  fold(s, EntryKind::CoReply, ChangeId{ReplicaId{5, 5}, 1}, "已协助", kX1);
  EXPECT_EQ(pending_co_handlers(s), 0);
  EXPECT_FALSE(judge_action(centre, s, WorkflowAction::ReturnVisit));
}

TEST(CoHandlerPolicy, P9_ACoHandlerIsNotOfferedTheLeadsSteps) {
  const Actor department{Role::Department, "管理办"};
  const TicketState s = state_for(department, Situation::CoHandles);
  for (WorkflowAction a : {WorkflowAction::Start, WorkflowAction::Handle}) {
    auto why = judge_action(department, s, a);
    ASSERT_TRUE(why) << to_string(a);
    EXPECT_EQ(why->code, RefusalCode::Forbidden);
  }
  TicketState led = s;
  led.lead_department = "管理办";  // The centre makes it the lead: the steps are its again.
  EXPECT_FALSE(judge_action(department, led, WorkflowAction::Handle));
}

}  // namespace
}  // namespace linli
