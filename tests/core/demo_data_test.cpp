// The demo street's script is valid data: every change validates, every transition is one the
// workflow table allows from the status its author saw, no fold sends a ticket to review or rejects
// a move, and every change is one its author may make under the write policy.
#include "core/demo_data.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/merge.h"
#include "policy/write_policy.h"

namespace linli {
namespace {

constexpr int64_t kNow = 1'795'960'000'000;  // 2026-11-29, Shanghai afternoon.
const ReplicaId kServer{0x5e, 0x17};

// The people who appear as authors, with the scope each works in (the demo accounts first).
Actor actor_of(const Author& a) {
  static const std::map<std::string, std::string> kScopes = {
      {"zhang.bin", ""},           {"hebin.li", "河滨花园"},      {"guanli.wang", "管理办"},
      {"chuhai.chen", "除害站"},   {"fuwu.zhao", "服务办"},       {"yingshang.sun", "营商办"},
      {"pingan.qian", "平安办"},   {"fangguan.zhou", "房管办"},   {"chengguan.xu", "城管中队"},
      {"pushan.wu", "普善路小区"}, {"tianmu.he", "天目西路小区"}, {"zhonghua.gu", "中华新路927弄"},
      {"dangqun.lin", "党群办"},   {"shijian.ma", "市场监管所"}, {"lianhe.tang", "1+8联动平台"},
  };
  auto it = kScopes.find(a.user);
  EXPECT_NE(it, kScopes.end()) << "an author nobody knows: " << a.user;
  return Actor{a.role, it == kScopes.end() ? "?" : it->second};
}

// Folds the script ticket by ticket, as any replica would.
std::map<std::string, TicketState> fold(const std::vector<Change>& changes) {
  std::map<std::string, TicketState> states;
  for (const Change& c : changes) merge_change(states[c.ticket_id], c);
  return states;
}

TEST(DemoData, TicketIdsAreFixedSoSeedingTwiceFindsThem) {
  EXPECT_EQ(demo_ticket_id(1), "de5eed00000000000000000000000001");
  EXPECT_TRUE(is_valid_ticket_id(demo_ticket_id(49)));
  EXPECT_TRUE(is_valid_ticket_id(demo_ticket_id(demo_ticket_count())));
  EXPECT_GE(demo_ticket_count(), 500);
  EXPECT_LE(demo_ticket_count(), 800);
}

TEST(DemoData, EveryChangeValidatesIsNumberedGapFreeAndComesBeforeNow) {
  const auto changes = demo_changes(kNow, kServer, 7);
  ASSERT_GT(changes.size(), 300u);
  std::set<std::string> created;
  for (size_t i = 0; i < changes.size(); ++i) {
    const Change& c = changes[i];
    EXPECT_TRUE(validate_change(c)) << to_string(c.id) << ": " << validate_change(c).error().detail;
    EXPECT_EQ(c.id, (ChangeId{kServer, 7 + i}));
    EXPECT_LT(c.stamp.ms, kNow);
    if (i > 0) {
      EXPECT_LE(changes[i - 1].stamp, c.stamp) << "the log is in time order";
    }
    if (c.kind == ChangeKind::CreateTicket) {
      EXPECT_TRUE(created.insert(c.ticket_id).second) << c.ticket_id;
      EXPECT_LT(c.ticket.received_at_ms, c.stamp.ms);
    } else {
      EXPECT_TRUE(created.count(c.ticket_id)) << "a change before its ticket's create: " << to_string(c.id);
    }
  }
  EXPECT_EQ(created.size(), static_cast<size_t>(demo_ticket_count()));
  // Pure: the same now gives the same changes.
  const auto again = demo_changes(kNow, kServer, 7);
  ASSERT_EQ(again.size(), changes.size());
  for (size_t i = 0; i < changes.size(); ++i)
    EXPECT_EQ(encode_change_record(again[i]), encode_change_record(changes[i]));
}

TEST(DemoData, EveryStampIsBeforeNowWhateverTheTimeOfDayAndEachTicketIsTheSame) {
  // Each ticket's changes by kind: the same whatever now is (only the interleaving of today's
  // tickets with earlier days' may differ).
  auto shape = [](const std::vector<Change>& changes) {
    std::map<std::string, std::vector<ChangeKind>> out;
    for (const Change& c : changes) out[c.ticket_id].push_back(c.kind);
    return out;
  };
  const auto reference = shape(demo_changes(kNow, kServer, 1));
  // Every 47 minutes of a day (each run builds the whole street, 2020 included).
  for (int64_t now = kNow; now < kNow + 24 * 3'600'000; now += 47 * 60'000) {
    const auto changes = demo_changes(now, kServer, 1);
    for (const Change& c : changes) ASSERT_LT(c.stamp.ms, now) << "now " << now << ": " << to_string(c.id);
    ASSERT_EQ(shape(changes), reference) << "now " << now;
  }
}

TEST(DemoData, EveryTransitionFollowsTheTableAndNothingIsRejectedOrSentToReview) {
  std::map<std::string, TicketState> states;
  for (const Change& c : demo_changes(kNow, kServer, 1)) {
    TicketState& s = states[c.ticket_id];
    if (c.kind == ChangeKind::Transition) {
      auto to = check_transition(c.from, c.action, c.author.role);
      ASSERT_TRUE(to) << to_string(c.id) << ": " << to.error().detail;
      EXPECT_EQ(*to, c.to) << to_string(c.id);
      EXPECT_EQ(c.from, s.ticket.status) << to_string(c.id);
      EXPECT_EQ(c.base, s.status.id) << to_string(c.id) << ": the base is the last transition";
      EXPECT_EQ(c.seen_work, s.work_count) << to_string(c.id);
    }
    if (c.kind == ChangeKind::SetField) {
      EXPECT_EQ(c.base, s.fields[static_cast<size_t>(c.field)].id) << to_string(c.id);
    }
    const MergeOutcome out = merge_change(s, c);
    EXPECT_FALSE(out.conflict) << to_string(c.id) << ": " << out.conflict->reason;
    EXPECT_TRUE(out.effect == Effect::Applied || out.effect == Effect::Inserted) << to_string(c.id);
  }
  for (const auto& [id, s] : states) EXPECT_NE(s.ticket.status, TicketStatus::Review) << id;
}

TEST(DemoData, EveryChangeIsOneItsAuthorMayMakeUnderTheWritePolicy) {
  std::map<std::string, TicketState> states;
  for (const Change& c : demo_changes(kNow, kServer, 1)) {
    TicketState& s = states[c.ticket_id];
    const auto refusal = judge_change(actor_of(c.author), s, c);
    EXPECT_FALSE(refusal) << to_string(c.id) << " by " << c.author.user << ": " << refusal->reason;
    merge_change(s, c);
  }
}

// What the street holds once folded: every status, the rarer steps, and open work for each account.
TEST(DemoData, TheStreetShowsTheWholeWorkflowAndGivesEveryDemoAccountOpenWork) {
  const auto changes = demo_changes(kNow, kServer, 1);
  const auto states = fold(changes);
  std::map<TicketStatus, int> by_status;
  int urgent = 0;
  for (const auto& [id, s] : states) {
    ++by_status[s.ticket.status];
    urgent += s.ticket.urgency == Urgency::Urgent;
  }
  for (TicketStatus st : {TicketStatus::Received, TicketStatus::Contacted, TicketStatus::Assigned,
                          TicketStatus::InProgress, TicketStatus::Handled, TicketStatus::Visited, TicketStatus::Closed})
    EXPECT_GE(by_status[st], 2) << to_string(st);
  EXPECT_GE(urgent, 5);

  // The hand-written tickets (1-50); the generated 2020 hotline has its own test file.
  std::map<EntryKind, int> entries;
  int approved_returns = 0, reopened = 0, links = 0;
  for (const Change& c : changes) {
    if (c.ticket_id > demo_ticket_id(50)) continue;
    if (c.kind == ChangeKind::AddEntry) ++entries[c.entry.kind];
    if (c.kind == ChangeKind::Transition && c.action == WorkflowAction::ApproveReturn) ++approved_returns;
    if (c.kind == ChangeKind::Transition && c.action == WorkflowAction::Reopen) ++reopened;
    if (c.kind != ChangeKind::LinkTickets) continue;
    ++links;  // The hoarder at 927弄: the same address and category as the earlier ticket.
    const Ticket& now = states.at(c.ticket_id).ticket;
    const Ticket& before = states.at(c.link.other_ticket).ticket;
    EXPECT_EQ(now.address, "中华新路927弄12号");
    EXPECT_EQ(before.address, now.address);
    EXPECT_EQ(before.category, now.category);
    EXPECT_LT(before.received_at_ms, now.received_at_ms);
    EXPECT_EQ(before.status, TicketStatus::Closed);
  }
  EXPECT_EQ(links, 2);  // 16 → 15 → 50.
  EXPECT_EQ(entries[EntryKind::ReturnRequest], 1);
  EXPECT_EQ(approved_returns, 1);
  EXPECT_EQ(entries[EntryKind::ExtensionRequest], 1);
  EXPECT_EQ(entries[EntryKind::Decision], 2);
  EXPECT_GE(reopened, 1);
  EXPECT_GE(entries[EntryKind::Contact], 20);
  EXPECT_GE(entries[EntryKind::ProgressReport], 5);

  struct Account {
    Author who;
    int visible = 0, open = 0;
  };
  std::vector<Account> accounts = {{{"zhang.bin", Role::Centre}},
                                   {{"hebin.li", Role::Committee}},
                                   {{"guanli.wang", Role::Department}},
                                   {{"chuhai.chen", Role::Field}}};
  for (Account& a : accounts) {
    const Actor actor = actor_of(a.who);
    for (const auto& [id, s] : states) {
      if (!may_see(actor, s)) continue;
      ++a.visible;
      for (int i = 0; i < kWorkflowActionCount; ++i)
        if (!judge_action(actor, s, static_cast<WorkflowAction>(i))) {
          ++a.open;
          break;
        }
    }
    EXPECT_GE(a.visible, 8) << a.who.user;
    EXPECT_GE(a.open, 3) << a.who.user << " has too little to act on";
  }
}

TEST(DemoData, TheLegacyTicketListIsTheScriptFoldedAndEveryTicketIsValid) {
  const auto tickets = demo_tickets(kNow);
  ASSERT_EQ(tickets.size(), static_cast<size_t>(demo_ticket_count()));
  std::set<std::string> ids;
  for (const auto& t : tickets) {
    EXPECT_TRUE(validate_new_ticket(t).empty()) << t.title;
    EXPECT_TRUE(ids.insert(t.id).second) << t.id;
    EXPECT_LT(t.received_at_ms, kNow);
  }
  EXPECT_EQ(tickets.front().status, TicketStatus::Closed);  // The delivery point, set up the next day.
}

}  // namespace
}  // namespace linli
