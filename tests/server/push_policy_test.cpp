// The write policy as the real server applies it to pushes: every change kind by every role on a
// ticket in its scope, out of it, moved out of it, and never seen, each answered with its code and
// each refusal leaving the database as it was; a push mixing good and bad changes applies the good.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "policy/write_policy.h"
#include "store/store.h"
#include "support/sync_fixture.h"

namespace linli {
namespace {

using test::json;
using test::Replica;
using test::ticket_id;

class PushPolicyTest : public test::SyncFixture {
 protected:
  // The server's database, read beside it (WAL: a reader never waits for the server).
  std::string dump(const std::string& ticket) {
    auto store = Store::open(m_dir.file("linli.db"));
    EXPECT_TRUE(store) << store.error().detail;
    if (!store) return {};
    auto d = store->canonical_dump(ticket);
    EXPECT_TRUE(d) << d.error().detail;
    return d ? *d : std::string();
  }
  std::vector<PushResult> results_of(const httplib::Result& r) {
    EXPECT_TRUE(r);
    if (!r) return {};
    auto decoded = decode_push_response(r->body);
    EXPECT_TRUE(decoded) << r->body.substr(0, 300);
    return decoded ? decoded->results : std::vector<PushResult>{};
  }
};

enum class Where { InScope, OutOfScope, MovedOut, Never };
const char* name(Where w) {
  switch (w) {
    case Where::InScope: return "in scope";
    case Where::OutOfScope: return "out of scope";
    case Where::MovedOut: return "moved out";
    case Where::Never: return "never existed";
  }
  return "?";
}

struct Who {
  const char* user;
  Role role;
  const char* scope;
};
const Who kWho[] = {{"zhang.bin", Role::Centre, ""},
                    {"guanli.wang", Role::Department, "管理办"},
                    {"hebin.li", Role::Committee, "河滨花园"},
                    {"chuhai.chen", Role::Field, "除害站"}};

// A change of each kind and of each variant the policy treats apart, and the answer expected on a
// ticket in scope by role (C, D, M, F); "" is applied.
struct Kind {
  const char* what;
  void (*make)(Change&);
  const char* in_scope[kRoleCount];
};
const Kind kKinds[] = {
    {"set_field title", [](Change& c) { c.kind = ChangeKind::SetField, c.field = EditableField::Title, c.value = "楼道堆物"; },
     {"", "", "", ""}},
    {"set_field community",
     [](Change& c) { c.kind = ChangeKind::SetField, c.field = EditableField::Community, c.value = "长安小区"; },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"set_field lead_department",
     [](Change& c) { c.kind = ChangeKind::SetField, c.field = EditableField::LeadDepartment, c.value = "市容所"; },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"set_field deleted", [](Change& c) { c.kind = ChangeKind::SetField, c.field = EditableField::Deleted, c.value = "1"; },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"set_field official_number",
     [](Change& c) { c.kind = ChangeKind::SetField, c.field = EditableField::OfficialNumber, c.value = "2026-11-0999"; },
     {"forbidden", "forbidden", "forbidden", "forbidden"}},
    {"transition start",
     [](Change& c) { c.kind = ChangeKind::Transition, c.action = WorkflowAction::Start, c.from = TicketStatus::Assigned,
                     c.to = TicketStatus::InProgress; },
     {"forbidden", "", "", ""}},
    {"transition close",
     [](Change& c) { c.kind = ChangeKind::Transition, c.action = WorkflowAction::Close, c.from = TicketStatus::Visited,
                     c.to = TicketStatus::Closed; },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"add_entry handling_note",
     [](Change& c) { c.kind = ChangeKind::AddEntry, c.entry.kind = EntryKind::HandlingNote, c.entry.text = "已清运"; },
     {"", "", "", ""}},
    {"add_entry extension_request",
     [](Change& c) { c.kind = ChangeKind::AddEntry, c.entry.kind = EntryKind::ExtensionRequest, c.entry.text = "需协调", c.entry.days = 3; },
     {"", "", "", ""}},
    {"add_entry decision",
     [](Change& c) {
       c.kind = ChangeKind::AddEntry, c.entry.kind = EntryKind::Decision, c.entry.text = "同意";
       uint8_t b[16] = {9};
       c.entry.request = ChangeId{replica_id_from_bytes(b), 1}, c.entry.approved = true;
     },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"add_entry return_visit",
     [](Change& c) { c.kind = ChangeKind::AddEntry, c.entry.kind = EntryKind::ReturnVisit, c.entry.text = "满意",
                     c.entry.satisfaction = Satisfaction::Satisfied; },
     {"", "forbidden", "forbidden", "forbidden"}},
    {"attach_photo",
     [](Change& c) { c.kind = ChangeKind::AttachPhoto, c.photo = Photo{std::string(64, 'a'), 1234, "image/jpeg"}; },
     {"", "", "", ""}},
    {"link", [](Change& c) { c.kind = ChangeKind::LinkTickets, c.link.other_ticket = ticket_id(99999); }, {"", "", "", ""}},
};

std::string expected(const Kind& k, const Who& w, Where where) {
  if (where == Where::Never) return "not_found";
  const std::string in = k.in_scope[static_cast<int>(w.role)];
  if (std::string(k.what) == "set_field official_number") return in;  // P3 before scope.
  if (w.role != Role::Centre && where != Where::InScope) return "out_of_scope";
  return in;
}

TEST_F(PushPolicyTest, EveryChangeKindByEveryRoleInEverySituationIsAnsweredByThePolicyAndARefusalChangesNothing) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  int next_ticket = 1;
  struct Planned {
    const Kind* kind;
    Where where;
    std::string ticket;
  };
  for (size_t wi = 0; wi < std::size(kWho); ++wi) {
    const Who& who = kWho[wi];
    Replica actor = sign_in(who.user, who.role, static_cast<uint8_t>(10 + wi));
    // The centre files a ticket per case and situation: in the actor's scope (河滨花园, led by the
    // actor's department or field team), outside it, or in it and then dispatched elsewhere.
    std::vector<Change> setup;
    std::vector<Planned> plan;
    for (const Kind& k : kKinds)
      for (Where where : {Where::InScope, Where::OutOfScope, Where::MovedOut, Where::Never}) {
        const std::string t = ticket_id(next_ticket++);
        plan.push_back({&k, where, t});
        if (where == Where::Never) continue;
        const bool out = where == Where::OutOfScope;
        setup.push_back(centre.create(t, out ? "长安小区" : "河滨花园"));
        Change lead = centre.next(t, ChangeKind::SetField);
        lead.field = EditableField::LeadDepartment;
        lead.value = out || who.role == Role::Centre || who.role == Role::Committee ? "市容所" : who.scope;
        setup.push_back(lead);
        Change assign = centre.next(t, ChangeKind::Transition);
        assign.action = WorkflowAction::Assign, assign.from = TicketStatus::Received, assign.to = TicketStatus::Assigned;
        setup.push_back(assign);
        if (where == Where::MovedOut) {
          Change away = centre.next(t, ChangeKind::SetField);
          away.field = who.role == Role::Committee ? EditableField::Community : EditableField::LeadDepartment;
          away.value = who.role == Role::Committee ? "长安小区" : "市容所";
          away.base = who.role == Role::Committee ? ChangeId{} : lead.id;
          setup.push_back(away);
        }
      }
    auto r = push(centre, setup);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body.substr(0, 400);

    std::map<std::string, std::string> before;
    std::vector<Change> changes;
    for (const Planned& p : plan) {
      before[p.ticket] = dump(p.ticket);
      Change c = actor.next(p.ticket, ChangeKind::SetField);
      p.kind->make(c);
      changes.push_back(c);
    }
    // All of them in one push: each is judged on its own, the refusals do not block the rest.
    auto results = results_of(push(actor, changes));
    ASSERT_EQ(results.size(), plan.size());
    for (size_t i = 0; i < plan.size(); ++i) {
      const Planned& p = plan[i];
      const std::string want = expected(*p.kind, who, p.where);
      const PushResult& got = results[i];
      const std::string where = std::string(p.kind->what) + " by " + who.user + ", " + name(p.where);
      if (want.empty()) {
        EXPECT_EQ(got.status, ApplyStatus::Applied) << where << ": " << got.code << " " << got.detail;
        EXPECT_GT(got.seq, 0) << where;
      } else {
        EXPECT_EQ(got.status, ApplyStatus::Invalid) << where;
        EXPECT_EQ(got.code, want) << where << ": " << got.detail;
        EXPECT_EQ(got.seq, 0) << where;
        EXPECT_EQ(dump(p.ticket), before[p.ticket]) << where << ": the refusal changed the database";
      }
    }
  }
}

TEST_F(PushPolicyTest, ACreateOfAnExistingTicketIsRefusedWhoeverMadeItAndTheSameCreateSentAgainStaysADuplicate) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  const Change mine = committee.create(ticket_id(1), "河滨花园");
  ASSERT_EQ(push(committee, {mine})->status, 200);
  const std::string before = dump(ticket_id(1));
  // The centre, and another community's ticket id reused by the committee: already_exists.
  const Change theirs = centre.create(ticket_id(1), "河滨花园");
  auto r = push(centre, {theirs});
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_EQ(results_of(r).at(0).code, "already_exists");
  ASSERT_EQ(push(centre, {centre.create(ticket_id(2), "长安小区")})->status, 200);
  auto again = results_of(push(committee, {committee.create(ticket_id(2), "河滨花园")}));
  EXPECT_EQ(again.at(0).code, "already_exists");
  EXPECT_EQ(dump(ticket_id(1)), before);
  // The committee's own create sent again is a duplicate, acknowledged with its number.
  auto dup = results_of(push(committee, {mine}));
  EXPECT_EQ(dup.at(0).status, ApplyStatus::Duplicate);
  EXPECT_GT(dup.at(0).seq, 0);
}

TEST_F(PushPolicyTest, AMixedPushAppliesTheGoodChangesAndRefusesEachBadOneWithItsIndexAndCode) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  const std::string t = ticket_id(1);
  std::vector<Change> changes = {centre.create(t, "河滨花园"), centre.note(t, "已联系市民")};
  Change too_long = centre.note(t, std::string(20000, 'x'));
  changes.push_back(too_long);
  changes.push_back(centre.note(ticket_id(404), "无此工单"));
  changes.push_back(centre.note(t, "第二条记录"));
  PushRequest p;
  p.replica = centre.id;
  p.changes = changes;
  p.client_time_ms = centre.clock;
  json body = json::parse(encode(p));
  // An unknown category code in one change, and bytes that are not UTF-8 inside another's text.
  body["changes"][1]["entry"]["kind"] = "no_such_kind";
  std::string text = body.dump();
  const std::string marker = "第二条记录";
  text.replace(text.find(marker), marker.size(), "\xff\xfe bad");
  auto r = m_http->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + centre.token}}, text, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  auto results = results_of(r);
  ASSERT_EQ(results.size(), 5u) << r->body;
  EXPECT_EQ(results[0].status, ApplyStatus::Applied);
  EXPECT_EQ(results[1].code, "invalid");
  EXPECT_NE(results[1].detail.find("entry.kind"), std::string::npos) << results[1].detail;
  EXPECT_EQ(results[2].code, "invalid");
  EXPECT_EQ(results[3].code, "not_found");
  EXPECT_EQ(results[4].code, "invalid");
  EXPECT_NE(results[4].detail.find("UTF-8"), std::string::npos) << results[4].detail;
  const json answer = json::parse(r->body, nullptr, false);
  EXPECT_EQ(answer["error"]["change"], 1) << r->body;
  // Every counter was consumed: the next change follows without a gap.
  auto next = push(centre, {centre.note(t, "后续记录")});
  EXPECT_EQ(next->status, 200) << next->body;
  // The refusals were recorded, and a refused change sent again hears the same refusal.
  auto again = results_of(
      m_http->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + centre.token}}, text, "application/json"));
  ASSERT_EQ(again.size(), 5u);
  EXPECT_EQ(again[1].code, "invalid");
  EXPECT_EQ(again[3].code, "not_found");
  EXPECT_EQ(again[0].status, ApplyStatus::Duplicate);
}

// A field team walks every community: what it finds on patrol it opens as a ticket there, and the
// ticket stays in its scope (pulls included) after the centre dispatches it to a department. The
// same create with another source is out of its scope; the long poll of a field replica wakes for it.
TEST_F(PushPolicyTest, AFieldTeamOpensPatrolTicketsInAnyCommunityAndFollowsThemAfterDispatch) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica field = sign_in("chuhai.chen", Role::Field, 2);
  Replica committee = sign_in("hebin.li", Role::Committee, 3);
  const std::string found = ticket_id(1), called = ticket_id(2);
  Change patrol = field.create(found, "长安小区");
  patrol.ticket.source = Source::Patrol;
  patrol.ticket.title = "巡查发现：长安小区3号楼北侧鼠洞";
  const Change hotline = field.create(called, "长安小区");
  const auto results = results_of(push(field, {patrol, hotline}));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status, ApplyStatus::Applied) << results[0].code << " " << results[0].detail;
  EXPECT_EQ(results[1].code, "out_of_scope") << results[1].detail;

  // The centre dispatches it to 市容所 and assigns it; the field team's pull holds all of it.
  Change lead = centre.next(found, ChangeKind::SetField);
  lead.field = EditableField::LeadDepartment, lead.value = "市容所";
  Change assign = centre.next(found, ChangeKind::Transition);
  assign.action = WorkflowAction::Assign, assign.from = TicketStatus::Received, assign.to = TicketStatus::Assigned;
  ASSERT_EQ(push(centre, {lead, assign})->status, 200);
  const PullResponse got = pull(field, 0, 0, 0);
  EXPECT_EQ(tickets_in(got), std::set<std::string>{found});
  size_t of_found = 0;
  for (const auto& sc : got.changes) of_found += sc.change.ticket_id == found;
  EXPECT_GE(of_found, 4u);  // The create, its official number, the dispatch and the assignment.
  EXPECT_TRUE(got.dropped.empty());
  // It works it as its lead would; a committee of another community does not see it.
  Change start = field.next(found, ChangeKind::Transition);
  start.action = WorkflowAction::Start, start.from = TicketStatus::Assigned, start.to = TicketStatus::InProgress;
  EXPECT_EQ(results_of(push(field, {start})).at(0).status, ApplyStatus::Applied);
  EXPECT_TRUE(tickets_in(pull(committee, 0, 0, 0)).empty());
}

TEST_F(PushPolicyTest, ABodyThatIsNotAPushIsRefusedWhole) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto post = [&](const std::string& text) {
    return m_http->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + centre.token}}, text, "application/json");
  };
  EXPECT_EQ(post("{\"type\":\"push\",")->status, 400);
  EXPECT_EQ(post("{\"type\":\"push\",\"replica\":\"" + to_hex(centre.id) + "\",\"changes\":[{\"kind\":\"add_entry\"}]}")->status, 400);
  EXPECT_EQ(post("{\"type\":\"push\",\"replica\":\"" + to_hex(centre.id) + "\",\"changes\":{}}")->status, 400);
  EXPECT_EQ(post("{\"type\":\"push\",\"replica\":\"\xff\",\"changes\":[]}")->status, 400);
}

}  // namespace
}  // namespace linli
