// The write policy (shared/policy/write_policy.h), table-driven: every change kind, and the
// variants the policy treats apart, by every role, on a ticket in the actor's scope, out of it,
// moved out of it by the centre, and never seen. The expected answers are written out by hand.
#include <gtest/gtest.h>

#include <functional>

#include "core/merge.h"
#include "policy/write_policy.h"
#include "support/changes.h"

namespace linli {
namespace {

constexpr const char* kTicket = "0000000000000000000000000000abcd";

enum class Where { InScope, OutOfScope, MovedOut, Never };
constexpr Where kWheres[] = {Where::InScope, Where::OutOfScope, Where::MovedOut, Where::Never};
const char* name(Where w) {
  switch (w) {
    case Where::InScope: return "in scope";
    case Where::OutOfScope: return "out of scope";
    case Where::MovedOut: return "moved out";
    case Where::Never: return "never existed";
  }
  return "?";
}

const Actor kActors[kRoleCount] = {{Role::Centre, ""}, {Role::Department, "管理办"}, {Role::Committee, "河滨花园"}, {Role::Field, "除害站"}};

// The ticket as each situation leaves it, for this actor.
TicketState state_for(const Actor& a, Where w) {
  TicketState s;
  if (w == Where::Never) return s;
  s.exists = true;
  s.ticket.id = kTicket;
  s.ticket.community = "长安小区";
  s.lead_department = "市容所";
  s.ticket.status = TicketStatus::Assigned;
  if (w == Where::OutOfScope) return s;
  // In scope: the community of a committee (and of everyone else), led by a department or field team.
  s.ticket.community = a.role == Role::Committee ? a.scope : "河滨花园";
  if (a.role == Role::Department || a.role == Role::Field) s.lead_department = a.scope;
  if (w == Where::MovedOut) {  // The centre dispatched it elsewhere since.
    Change move;
    move.kind = ChangeKind::SetField;
    move.id = ChangeId{ReplicaId{}, 0};
    move.field = a.role == Role::Committee ? EditableField::Community : EditableField::LeadDepartment;
    move.value = a.role == Role::Committee ? "长安小区" : "市容所";
    move.base = s.fields[static_cast<size_t>(move.field)].id;
    merge_change(s, move);
  }
  return s;
}

struct Case {
  const char* what;
  std::function<void(Change&, const Actor&)> make;
  // Expected on a ticket in scope (or, for a create, a new ticket in the actor's community), by
  // role in Role order: C, D, M, F. "" means accepted.
  const char* in_scope[kRoleCount];
};

void field(Change& c, EditableField f, std::string v) {
  c.kind = ChangeKind::SetField;
  c.field = f;
  c.value = std::move(v);
}
void move(Change& c, WorkflowAction a) {
  c.kind = ChangeKind::Transition;
  c.action = a;
}
void entry(Change& c, EntryKind k) {
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = k;
  c.entry.text = "已联系";
}
void create(Change& c, const Actor& a) {
  c.kind = ChangeKind::CreateTicket;
  c.ticket.id = kTicket;
  c.ticket.community = a.role == Role::Centre ? "河滨花园" : a.scope;
}

const Case kCases[] = {
    {"create_ticket", [](Change& c, const Actor& a) { create(c, a); }, {"", "out_of_scope", "", ""}},
    {"create_ticket with an official number",
     [](Change& c, const Actor& a) { create(c, a), c.ticket.official_number = "2026-11-0001"; },
     {"forbidden", "forbidden", "forbidden", "forbidden"}},
    {"set_field title", [](Change& c, const Actor&) { field(c, EditableField::Title, "楼道堆物"); }, {"", "", "", ""}},
    {"set_field address", [](Change& c, const Actor&) { field(c, EditableField::Address, "河滨花园3号楼"); }, {"", "", "", ""}},
    // Anyone who may edit the ticket marks it urgent; only the centre makes it normal again (its
    // 不过夜 deadline and daily reports are the centre's to lift).
    {"set_field urgency urgent", [](Change& c, const Actor&) { field(c, EditableField::Urgency, "urgent"); }, {"", "", "", ""}},
    {"set_field urgency normal", [](Change& c, const Actor&) { field(c, EditableField::Urgency, "normal"); },
     {"", "forbidden", "forbidden", "forbidden"}},
    // The centre and the committee classify; a handler works the ticket as classified.
    {"set_field category", [](Change& c, const Actor&) { field(c, EditableField::Category, "noise"); },
     {"", "forbidden", "", "forbidden"}},
    {"set_field community", [](Change& c, const Actor&) { field(c, EditableField::Community, "长安小区"); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"set_field lead_department", [](Change& c, const Actor&) { field(c, EditableField::LeadDepartment, "市容所"); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"set_field deleted", [](Change& c, const Actor&) { field(c, EditableField::Deleted, "1"); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"set_field official_number", [](Change& c, const Actor&) { field(c, EditableField::OfficialNumber, "2026-11-0001"); },
     {"forbidden", "forbidden", "forbidden", "forbidden"}},
    {"transition contact_citizen", [](Change& c, const Actor&) { move(c, WorkflowAction::ContactCitizen); },
     {"", "forbidden", "", "forbidden"}},
    {"transition assign", [](Change& c, const Actor&) { move(c, WorkflowAction::Assign); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"transition start", [](Change& c, const Actor&) { move(c, WorkflowAction::Start); }, {"forbidden", "", "", ""}},
    // The centre's 直接答复 (from received or contacted): whether the status allows it is R7's question.
    {"transition handle", [](Change& c, const Actor&) { move(c, WorkflowAction::Handle); }, {"", "", "", ""}},
    {"transition approve_return", [](Change& c, const Actor&) { move(c, WorkflowAction::ApproveReturn); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"transition close", [](Change& c, const Actor&) { move(c, WorkflowAction::Close); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"transition reopen", [](Change& c, const Actor&) { move(c, WorkflowAction::Reopen); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"add_entry handling_note", [](Change& c, const Actor&) { entry(c, EntryKind::HandlingNote); }, {"", "", "", ""}},
    {"add_entry progress_report", [](Change& c, const Actor&) { entry(c, EntryKind::ProgressReport); }, {"", "", "", ""}},
    {"add_entry return_request", [](Change& c, const Actor&) { entry(c, EntryKind::ReturnRequest); }, {"", "", "", ""}},
    {"add_entry extension_request",
     [](Change& c, const Actor&) { entry(c, EntryKind::ExtensionRequest), c.entry.days = 3; }, {"", "", "", ""}},
    {"add_entry decision", [](Change& c, const Actor&) { entry(c, EntryKind::Decision); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"add_entry return_visit",
     [](Change& c, const Actor&) { entry(c, EntryKind::ReturnVisit), c.entry.satisfaction = Satisfaction::Satisfied; },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"add_entry urge", [](Change& c, const Actor&) { entry(c, EntryKind::Urge); },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"attach_photo", [](Change& c, const Actor&) { c.kind = ChangeKind::AttachPhoto; }, {"", "", "", ""}},
    {"link", [](Change& c, const Actor&) { c.kind = ChangeKind::LinkTickets; }, {"", "", "", ""}},
};

// What a case should answer in a situation: the in-scope answer, unless the situation decides first.
std::string expected(const Case& k, const Actor& a, Where w, bool is_create) {
  const std::string in = k.in_scope[static_cast<int>(a.role)];
  if (is_create) {
    if (w != Where::Never) return "already_exists";  // P1: the id is taken, wherever the ticket is.
    return in;
  }
  if (w == Where::Never) return "not_found";  // P2.
  if (in == "forbidden" && std::string(k.what).find("official_number") != std::string::npos) return in;  // P3.
  if (a.role != Role::Centre && w != Where::InScope) return "out_of_scope";  // P4.
  return in;
}

TEST(WritePolicy, P1ToP7_EveryChangeKindByEveryRoleInEverySituation) {
  int checked = 0;
  for (const Case& k : kCases)
    for (const Actor& a : kActors)
      for (Where w : kWheres) {
        Change c;
        c.ticket_id = kTicket;
        c.author = Author{"someone", a.role};
        k.make(c, a);
        const bool is_create = c.kind == ChangeKind::CreateTicket;
        // A create "out of scope" or "moved out" also names a community outside the actor's scope.
        if (is_create && a.role != Role::Centre && w == Where::OutOfScope) c.ticket.community = "长安小区";
        const auto got = judge_change(a, state_for(a, w), c);
        const std::string want = expected(k, a, w, is_create);
        EXPECT_EQ(got ? std::string(to_string(got->code)) : std::string(), want)
            << k.what << " by " << to_string(a.role) << " (" << a.scope << "), " << name(w)
            << (got ? ": " + got->reason : std::string());
        // Every refusal names its rule, so the app can say it in the user's language.
        if (got) {
          EXPECT_NE(got->rule, RefusalRule::Other) << got->reason;
        }
        ++checked;
      }
  EXPECT_EQ(checked, static_cast<int>(std::size(kCases)) * kRoleCount * 4);
}

// P11: a closed ticket (结案) takes no edit, no co-handler and no request until it is reopened; notes,
// photos, links, decisions and the workflow's moves (the reopen) come in as on an open one, and the
// centre may still delete it. Every case by every role, in scope, by hand: the open ticket's answer
// except where P11 refuses.
TEST(WritePolicy, P11_AClosedTicketTakesNoEditCoHandlerOrRequestUntilReopened) {
  int refused_by_p11 = 0;
  for (const Case& k : kCases)
    for (const Actor& a : kActors) {
      Change c;
      c.ticket_id = kTicket;
      c.author = Author{"someone", a.role};
      k.make(c, a);
      if (c.kind == ChangeKind::CreateTicket) continue;
      TicketState closed = state_for(a, Where::InScope);
      closed.ticket.status = TicketStatus::Closed;
      std::string want = k.in_scope[static_cast<int>(a.role)];
      const bool p11 = (c.kind == ChangeKind::SetField && c.field != EditableField::Deleted) ||
                       (c.kind == ChangeKind::AddEntry &&
                        (c.entry.kind == EntryKind::ReturnRequest || c.entry.kind == EntryKind::ExtensionRequest ||
                         c.entry.kind == EntryKind::Urge || c.entry.kind == EntryKind::CoHandlerRemoved));
      if (want.empty() && p11) want = "forbidden";
      const auto got = judge_change(a, closed, c);
      EXPECT_EQ(got ? std::string(to_string(got->code)) : std::string(), want)
          << k.what << " by " << to_string(a.role) << " on a closed ticket" << (got ? ": " + got->reason : std::string());
      if (got && want == "forbidden" && std::string(k.in_scope[static_cast<int>(a.role)]).empty()) {
        EXPECT_EQ(got->rule, RefusalRule::Closed) << k.what;
        ++refused_by_p11;
      }
    }
  EXPECT_GT(refused_by_p11, 10);
  // The centre adds a co-handler to an open ticket, not to a closed one.
  TicketState open = state_for(kActors[0], Where::InScope);
  Change add;
  add.ticket_id = kTicket;
  add.author = Author{"zhang.bin", Role::Centre};
  entry(add, EntryKind::CoHandlerAdded);
  add.entry.text = "党群办";
  EXPECT_FALSE(judge_change(kActors[0], open, add));
  open.ticket.status = TicketStatus::Closed;
  const auto got = judge_change(kActors[0], open, add);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rule, RefusalRule::Closed);
  // Nor removes one that replied (every co-handler of a closed ticket did, or was removed: P10):
  // it would only drop the ticket, reply and all, from that department's scope.
  TicketState with_co = state_for(kActors[0], Where::InScope);
  CoHandler replied;
  replied.added = ChangeId{test::replica(9), 3};
  replied.department = "党群办";
  replied.added_at_ms = 1000;
  replied.replied_at_ms = 2000;
  with_co.co_handlers.push_back(replied);
  Change remove;
  remove.ticket_id = kTicket;
  remove.author = Author{"zhang.bin", Role::Centre};
  entry(remove, EntryKind::CoHandlerRemoved);
  remove.entry.text = "党群办";
  remove.entry.request = replied.added;
  EXPECT_FALSE(judge_change(kActors[0], with_co, remove)) << "an open ticket's co-handler may be removed";
  with_co.ticket.status = TicketStatus::Closed;
  const auto closed_remove = judge_change(kActors[0], with_co, remove);
  ASSERT_TRUE(closed_remove);
  EXPECT_EQ(closed_remove->code, RefusalCode::Forbidden);
  EXPECT_EQ(closed_remove->rule, RefusalRule::Closed);
}

// What the app offers: a 退单 or 延期 request while the ticket is with its handler only; the server's
// policy (judge_change) takes one in any status, as for moves, but a closed one (P11).
TEST(WritePolicy, TheAppOffersRequestsWhileTheTicketIsAssignedOrInProgress) {
  const Actor& dept = kActors[static_cast<int>(Role::Department)];
  for (const EntryKind kind : {EntryKind::ReturnRequest, EntryKind::ExtensionRequest})
    for (int i = 0; i < kTicketStatusCount; ++i) {
      TicketState s = state_for(dept, Where::InScope);
      s.ticket.status = static_cast<TicketStatus>(i);
      Change c;
      c.ticket_id = kTicket;
      c.author = Author{"someone", Role::Department};
      entry(c, kind);
      c.entry.days = 3;
      const bool with_handler = s.ticket.status == TicketStatus::Assigned || s.ticket.status == TicketStatus::InProgress;
      const auto offered = judge_entry(dept, s, c);
      EXPECT_EQ(offered.has_value(), !with_handler) << to_string(s.ticket.status);
      // Closed, the server refuses it too (P11): reopen first.
      const bool closed = s.ticket.status == TicketStatus::Closed;
      if (offered) {
        EXPECT_EQ(offered->code, closed ? RefusalCode::Forbidden : RefusalCode::Invalid);
      }
      EXPECT_EQ(judge_change(dept, s, c).has_value(), closed) << "the server takes it: " << to_string(s.ticket.status);
    }
  Change note;
  note.ticket_id = kTicket;
  entry(note, EntryKind::HandlingNote);
  TicketState closed = state_for(dept, Where::InScope);
  closed.ticket.status = TicketStatus::Closed;
  EXPECT_FALSE(judge_entry(dept, closed, note)) << "other entries as the policy says";
}

// 催办: the app offers it to the centre while the ticket is with a lead department, assigned or in
// progress; the server takes one made offline meanwhile in any status but closed (P11), and from
// the centre only (P5).
TEST(WritePolicy, TheCentreUrgesATicketWhileALeadDepartmentHasIt) {
  const Actor& centre = kActors[static_cast<int>(Role::Centre)];
  for (const bool lead : {true, false})
    for (int i = 0; i < kTicketStatusCount; ++i) {
      TicketState s = state_for(centre, Where::InScope);
      s.ticket.status = static_cast<TicketStatus>(i);
      if (!lead) s.lead_department.clear();
      Change c;
      c.ticket_id = kTicket;
      c.author = Author{"zhang.bin", Role::Centre};
      entry(c, EntryKind::Urge);
      const bool with_handler =
          lead && (s.ticket.status == TicketStatus::Assigned || s.ticket.status == TicketStatus::InProgress);
      const auto offered = judge_entry(centre, s, c);
      EXPECT_EQ(offered.has_value(), !with_handler) << to_string(s.ticket.status) << (lead ? "" : ", no lead");
      const bool closed = s.ticket.status == TicketStatus::Closed;
      if (offered) {
        EXPECT_EQ(offered->rule, closed ? RefusalRule::Closed : RefusalRule::UrgeNotNow);
      }
      EXPECT_EQ(judge_change(centre, s, c).has_value(), closed) << "the server takes it: " << to_string(s.ticket.status);
    }
  // Whoever else sees the ticket may not (P5), even its own handler.
  for (const Actor& a : kActors) {
    if (a.role == Role::Centre) continue;
    TicketState s = state_for(a, Where::InScope);
    s.ticket.status = TicketStatus::InProgress;
    Change c;
    c.ticket_id = kTicket;
    c.author = Author{"someone", a.role};
    entry(c, EntryKind::Urge);
    const auto got = judge_change(a, s, c);
    ASSERT_TRUE(got) << to_string(a.role);
    EXPECT_EQ(got->rule, RefusalRule::CentreOnly);
    EXPECT_EQ(got->task, CentreTask::Urge);
  }
}

TEST(WritePolicy, P4_ACreateOutsideTheScopeIsOutOfScopeForEveryRoleButTheCentre) {
  for (const Actor& a : kActors) {
    Change c;
    c.ticket_id = kTicket;
    create(c, a);
    c.ticket.community = "长安小区";
    const auto got = judge_change(a, TicketState{}, c);
    if (a.role == Role::Centre) {
      EXPECT_FALSE(got);
    } else {
      ASSERT_TRUE(got) << to_string(a.role);
      EXPECT_EQ(got->code, RefusalCode::OutOfScope);
    }
  }
}

// may_register says whether some create is taken, not a second copy of the rule: for every role
// (and a role without a scope) it is true exactly when judge_change takes a new ticket from some
// source in some community, among the actor's own and others. A department registers none.
TEST(WritePolicy, MayRegisterIsWhetherSomeCreateIsTaken) {
  std::vector<Actor> actors(std::begin(kActors), std::end(kActors));
  for (Role r : {Role::Department, Role::Committee, Role::Field}) actors.push_back({r, ""});
  for (const Actor& a : actors) {
    bool some = false;
    for (const std::string& community : {std::string("河滨花园"), std::string("长安小区"), a.scope})
      for (int s = 0; s < kSourceCount; ++s) {
        Change c;
        c.ticket_id = kTicket;
        create(c, a);
        c.ticket.community = community;
        c.ticket.source = static_cast<Source>(s);
        if (!judge_change(a, TicketState{}, c)) some = true;
      }
    EXPECT_EQ(may_register(a), some) << to_string(a.role) << " " << a.scope;
  }
  EXPECT_FALSE(may_register({Role::Department, "管理办"}));
  EXPECT_TRUE(may_register({Role::Committee, "河滨花园"}));
  EXPECT_TRUE(may_register({Role::Field, "除害站"}));
}

// A field team walks every community (field work's F1) and opens tickets for what it finds there:
// a ticket found on patrol is in every field team's scope, as created and after the centre
// dispatches it; another source outside its community is not. Other roles gain nothing by it.
TEST(WritePolicy, P4_AFieldTeamOpensAndFollowsPatrolTicketsInEveryCommunity) {
  for (const Actor& a : kActors) {
    Change c;
    c.ticket_id = kTicket;
    create(c, a);
    c.ticket.community = "长安小区";
    c.ticket.source = Source::Patrol;
    const auto got = judge_change(a, TicketState{}, c);
    if (a.role == Role::Centre || a.role == Role::Field) {
      EXPECT_FALSE(got) << to_string(a.role) << ": " << got->reason;
    } else {
      ASSERT_TRUE(got) << to_string(a.role);
      EXPECT_EQ(got->code, RefusalCode::OutOfScope);
    }
  }
  const Actor field{Role::Field, "除害站"}, centre{Role::Centre, ""};
  EXPECT_TRUE(may_see(field, "长安小区", "市容所", {}, /*found_on_patrol=*/true));
  EXPECT_FALSE(may_see(field, "长安小区", "市容所", {}, false));
  EXPECT_FALSE(may_see(Actor{Role::Committee, "河滨花园"}, "长安小区", "", {}, true));
  EXPECT_FALSE(may_see(Actor{Role::Department, "管理办"}, "长安小区", "", {}, true));

  // Dispatched to 市容所 by the centre: the team still sees it, edits and moves it as its lead
  // would (P9 is for co-handlers only), and the centre may send it anywhere without losing it.
  TicketState s;
  s.exists = true;
  s.ticket.id = kTicket;
  s.ticket.community = "长安小区";
  s.ticket.source = Source::Patrol;
  s.ticket.status = TicketStatus::Assigned;
  s.lead_department = "市容所";
  EXPECT_TRUE(may_see(field, s));
  Change note;
  note.ticket_id = kTicket;
  note.kind = ChangeKind::SetField;
  note.field = EditableField::Address;
  note.value = "长安小区3号楼北侧雨水井";
  EXPECT_FALSE(judge_change(field, s, note));
  EXPECT_FALSE(judge_action(field, s, WorkflowAction::Start));
  Change move = note;
  move.field = EditableField::Community;
  move.value = "河滨花园";
  EXPECT_EQ(judge_change(field, s, move)->code, RefusalCode::Forbidden);  // Only the centre dispatches.
  EXPECT_FALSE(judge_change(centre, s, move));
  s.ticket.source = Source::Hotline;  // Not found on patrol: outside 除害站's scope.
  EXPECT_EQ(judge_change(field, s, note)->code, RefusalCode::OutOfScope);
}

TEST(WritePolicy, ScopesAreTheSameForReadsAndWrites) {
  const Actor committee{Role::Committee, "河滨花园"}, department{Role::Department, "管理办"}, field{Role::Field, "除害站"};
  EXPECT_TRUE(may_see(committee, "河滨花园", "市容所"));
  EXPECT_FALSE(may_see(committee, "长安小区", ""));
  EXPECT_TRUE(may_see(department, "长安小区", "管理办"));
  EXPECT_FALSE(may_see(department, "管理办", ""));
  EXPECT_TRUE(may_see(field, "长安小区", "除害站"));
  EXPECT_TRUE(may_see(field, "除害站", ""));
  EXPECT_FALSE(may_see(Actor{Role::Committee, ""}, "", ""));  // No scope sees nothing, not the unfiled.
  EXPECT_TRUE(may_see(Actor{Role::Centre, ""}, "长安小区", ""));
}

TEST(WritePolicy, JudgeActionOffersOnlyWhatTheRoleTheScopeAndTheWorkflowAllow) {
  const Actor committee{Role::Committee, "河滨花园"};
  TicketState s = state_for(committee, Where::InScope);  // Assigned.
  EXPECT_FALSE(judge_action(committee, s, WorkflowAction::Start));
  EXPECT_EQ(judge_action(committee, s, WorkflowAction::Close)->code, RefusalCode::Forbidden);
  EXPECT_EQ(judge_action(committee, s, WorkflowAction::ContactCitizen)->code, RefusalCode::Invalid);  // Not from assigned.
  EXPECT_EQ(judge_action(committee, state_for(committee, Where::MovedOut), WorkflowAction::Start)->code,
            RefusalCode::OutOfScope);
  EXPECT_EQ(judge_action(committee, TicketState{}, WorkflowAction::Start)->code, RefusalCode::NotFound);
}

TEST(WritePolicy, RefusalCodesRoundTrip) {
  for (int i = 0; i < kRefusalCodeCount; ++i) {
    const auto code = static_cast<RefusalCode>(i);
    EXPECT_EQ(parse_refusal_code(to_string(code)), code);
  }
  EXPECT_FALSE(parse_refusal_code("nope"));
}

}  // namespace
}  // namespace linli
