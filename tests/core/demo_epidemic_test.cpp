// The demo street's 2020 hotline (core/demo_epidemic.cpp): the seed's counts by month and category,
// the same street every time, every generated ticket folded to 结案 without a rejection, the
// endings a centre sees (mostly 满意, a few reopened, 退单 and 延期 with decisions), and the seed's
// two stories with their whole timelines and the rebound links.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/civil_time.h"
#include "core/demo_data.h"
#include "core/demo_street.h"
#include "core/merge.h"

namespace linli {
namespace {

constexpr int64_t kNow = 1'795'960'000'000;  // 2026-11-29, Shanghai afternoon.
const ReplicaId kServer{0x5e, 0x17};

struct Street {
  std::vector<Change> changes;
  std::map<std::string, TicketState> states;
  std::map<std::string, std::vector<const Change*>> by_ticket;
};

const Street& street() {
  static const Street s = [] {
    Street out;
    out.changes = demo_changes(kNow, kServer, 1);
    for (const Change& c : out.changes) {
      const MergeOutcome o = merge_change(out.states[c.ticket_id], c);
      EXPECT_FALSE(o.conflict) << to_string(c.id);
    }
    for (const Change& c : out.changes) out.by_ticket[c.ticket_id].push_back(&c);
    return out;
  }();
  return s;
}

CivilDay shanghai_day(int64_t ms) { return civil_from_days(shanghai_days(ms)); }
bool in_2020(const Ticket& t) { return shanghai_day(t.received_at_ms).year == 2020; }
// The generated tickets: numbers after the hand-written 50.
bool generated(const std::string& id) { return id > demo_ticket_id(50); }

TEST(DemoEpidemic, TheSeedsCountsEpidemicTicketsByMonthAndAbout300InMarch) {
  std::map<std::pair<int, Category>, int> count;  // (month, category) → tickets of 2020.
  int by_mid_march = 0;
  for (const auto& [id, s] : street().states) {
    if (!in_2020(s.ticket)) continue;
    const CivilDay d = shanghai_day(s.ticket.received_at_ms);
    ++count[{d.month, s.ticket.category}];
    if (s.ticket.category == Category::EpidemicControl && (d.month == 2 || (d.month == 3 && d.day <= 15)))
      ++by_mid_march;
  }
  EXPECT_EQ((count[{3, Category::EpidemicControl}]), 300);  // The report's demo month.
  EXPECT_EQ((count[{2, Category::EpidemicControl}]), 156);
  EXPECT_GT(by_mid_march, 300) << "截至3月中旬，仅疫情工单就达300余件";
  EXPECT_LT(by_mid_march, 320);
  for (int month : {2, 3}) {
    EXPECT_GE((count[{month, Category::BusinessSupport}]), 10) << month;  // 复工复产.
    EXPECT_GE((count[{month, Category::LivingServices}]), 5) << month;    // The delivery point, quarantine help.
    for (Category c : {Category::Sanitation, Category::PropertyManagement, Category::Municipal})
      EXPECT_GE((count[{month, c}]), 2) << month << " " << to_string(c);  // Everyday calls go on.
  }
  EXPECT_EQ((count[{4, Category::EpidemicControl}]), 0);
  EXPECT_EQ((count[{1, Category::EpidemicControl}]), 0);
}

// The browser tests count the street (tests/e2e/harness.mjs, demoStreet): keep the two in step.
TEST(DemoEpidemic, TheStreetHasTheTicketCountsTheBrowserTestsExpect) {
  EXPECT_EQ(demo_ticket_count(), 643);
  int hebin = 0, chuhai = 0, led_by_chuhai = 0;
  for (const auto& [id, s] : street().states) {
    hebin += s.ticket.community == "河滨花园";
    led_by_chuhai += s.lead_department == "除害站";
    // 除害站's scope: what it leads, and every ticket found on patrol (policy/write_policy.h, P4).
    chuhai += s.lead_department == "除害站" || s.ticket.source == Source::Patrol;
  }
  EXPECT_EQ(hebin, 179);
  EXPECT_EQ(led_by_chuhai, 34);
  EXPECT_EQ(chuhai, 35);
}

TEST(DemoEpidemic, TheGeneratorGivesTheSameStreetEveryTime) {
  const auto a = demo::demo_epidemic_2020();
  const auto b = demo::demo_epidemic_2020();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].received.at_ms, b[i].received.at_ms) << i;
    EXPECT_EQ(a[i].title, b[i].title) << i;
    EXPECT_EQ(a[i].description, b[i].description) << i;
    EXPECT_EQ(a[i].name, b[i].name) << i;
    ASSERT_EQ(a[i].steps.size(), b[i].steps.size()) << i;
    for (size_t j = 0; j < a[i].steps.size(); ++j) EXPECT_EQ(a[i].steps[j].text, b[i].steps[j].text) << i;
  }
  // The 2020 part of the log does not depend on now: only the recent tickets move with it.
  auto of_2020 = [](int64_t now) {
    std::vector<std::string> out;
    for (const Change& c : demo_changes(now, kServer, 1))
      if (generated(c.ticket_id)) out.push_back(encode_change_record(c));
    return out;
  };
  EXPECT_EQ(of_2020(kNow), of_2020(kNow + 86'400'000LL * 40));
}

TEST(DemoEpidemic, EveryGeneratedTicketEndsClosedAndEveryEpidemicTicketIsUrgent) {
  int n = 0;
  for (const auto& [id, s] : street().states) {
    if (!generated(id)) continue;
    ++n;
    EXPECT_EQ(s.ticket.status, TicketStatus::Closed) << id << " " << s.ticket.title;
    EXPECT_TRUE(validate_new_ticket(s.ticket).empty()) << id;
    EXPECT_FALSE(s.lead_department.empty()) << id;
    const CivilDay d = shanghai_day(s.ticket.received_at_ms);
    EXPECT_EQ(d.year, 2020);
    EXPECT_TRUE(d.month == 2 || d.month == 3) << id;
    if (s.ticket.category == Category::EpidemicControl) {
      EXPECT_EQ(s.ticket.urgency, Urgency::Urgent) << id << ": the seed: 全部定为紧急件";
    }
  }
  EXPECT_EQ(n, demo_ticket_count() - 50);
}

TEST(DemoEpidemic, EndingsAreMostlySatisfiedWithAFewReopenedReturnedAndExtended) {
  std::map<Satisfaction, int> visits;
  int reopened = 0, returns = 0, approved_returns = 0, extensions = 0, decisions = 0, contacted_same_day = 0,
      epidemic = 0;
  std::map<std::string, int> departments;
  for (const auto& [id, changes] : street().by_ticket) {
    if (!generated(id)) continue;
    const Ticket& t = street().states.at(id).ticket;
    departments[street().states.at(id).lead_department]++;
    bool contact_today = false;
    for (const Change* c : changes) {
      if (c->kind == ChangeKind::AddEntry) {
        const Entry& e = c->entry;
        if (e.kind == EntryKind::ReturnVisit) ++visits[e.satisfaction];
        if (e.kind == EntryKind::ReturnRequest) ++returns;
        if (e.kind == EntryKind::ExtensionRequest) ++extensions;
        if (e.kind == EntryKind::Decision) ++decisions;
        if (e.kind == EntryKind::Contact)
          contact_today = shanghai_days(c->stamp.ms) == shanghai_days(t.received_at_ms);
      }
      if (c->kind == ChangeKind::Transition && c->action == WorkflowAction::Reopen) ++reopened;
      if (c->kind == ChangeKind::Transition && c->action == WorkflowAction::ApproveReturn) ++approved_returns;
    }
    if (t.category == Category::EpidemicControl) {
      ++epidemic;
      contacted_same_day += contact_today;
    }
  }
  const int all = visits[Satisfaction::Satisfied] + visits[Satisfaction::BasicallySatisfied] +
                  visits[Satisfaction::Dissatisfied];
  EXPECT_GT(visits[Satisfaction::Satisfied] * 100, all * 80);
  EXPECT_GE(visits[Satisfaction::BasicallySatisfied], 20);
  EXPECT_GE(visits[Satisfaction::Dissatisfied], 5);
  EXPECT_EQ(reopened, visits[Satisfaction::Dissatisfied]) << "every 不满意 is reopened and handled again";
  EXPECT_GE(returns, 3);
  EXPECT_EQ(approved_returns, returns);
  EXPECT_GE(extensions, 5);
  EXPECT_EQ(decisions, extensions + returns);
  EXPECT_GT(contacted_same_day * 100, epidemic * 95) << "不过夜";
  EXPECT_LT(contacted_same_day, epidemic) << "and now and then the next morning";
  for (const char* d : {"管理办", "党群办", "市场监管所", "房管办", "除害站", "1+8联动平台", "营商办", "服务办",
                        "平安办", "河滨花园居委会", "中华新路927弄居委会", "天目西路小区居委会", "普善路小区居委会"})
    EXPECT_GE(departments[d], 3) << d;
}

TEST(DemoEpidemic, CallersTitlesAndDescriptionsVaryAsRealCallsDo) {
  std::set<std::string> titles, descriptions, names;
  std::string all_names;
  for (const auto& [id, s] : street().states) {
    if (!generated(id)) continue;
    titles.insert(s.ticket.title);
    descriptions.insert(s.ticket.description);
    names.insert(s.ticket.citizen_name);
    all_names += s.ticket.citizen_name;
    EXPECT_EQ(s.ticket.title.find('{'), std::string::npos) << s.ticket.title;
    EXPECT_EQ(s.ticket.description.find('{'), std::string::npos) << s.ticket.description;
  }
  for (const auto& [id, changes] : street().by_ticket)
    for (const Change* c : changes)
      if (generated(id) && c->kind == ChangeKind::AddEntry) {
        EXPECT_EQ(c->entry.text.find('{'), std::string::npos) << c->entry.text;
      }
  EXPECT_GE(titles.size(), 60u);
  EXPECT_GE(descriptions.size(), 350u);
  EXPECT_GE(names.size(), 200u);
  for (const char* rare : {"堃", "喆", "昇", "珺"}) EXPECT_NE(all_names.find(rare), std::string::npos) << rare;
}

const Change* find(const std::vector<const Change*>& changes, auto pred) {
  for (const Change* c : changes)
    if (pred(*c)) return c;
  return nullptr;
}

TEST(DemoEpidemic, TheDeliveryPointAtHebinGardenGateIsAskedFor7FebruaryAndSetUpTheNextDay) {
  const std::string id = demo_ticket_id(1);
  const TicketState& s = street().states.at(id);
  EXPECT_EQ(format_shanghai_minute(s.ticket.received_at_ms), "2020-02-07 09:10");
  EXPECT_EQ(s.ticket.community, "河滨花园");
  EXPECT_EQ(s.ticket.status, TicketStatus::Closed);
  const auto& changes = street().by_ticket.at(id);
  const Change* handled = find(changes, [](const Change& c) {
    return c.kind == ChangeKind::Transition && c.action == WorkflowAction::Handle;
  });
  ASSERT_TRUE(handled);
  EXPECT_EQ(format_shanghai_minute(handled->stamp.ms).substr(0, 10), "2020-02-08");
  for (auto kind : {EntryKind::Contact, EntryKind::ProgressReport, EntryKind::HandlingNote, EntryKind::ReturnVisit})
    EXPECT_TRUE(find(changes, [&](const Change& c) { return c.kind == ChangeKind::AddEntry && c.entry.kind == kind; }))
        << to_string(kind);
}

TEST(DemoEpidemic, TheHoarderAt927IsClearedTwiceComesBackBy15FebruaryAndLinksToTheEarlierTickets) {
  auto link_of = [](int n) {
    const Change* l = find(street().by_ticket.at(demo_ticket_id(n)),
                           [](const Change& c) { return c.kind == ChangeKind::LinkTickets; });
    return l ? l->link.other_ticket : std::string();
  };
  EXPECT_EQ(link_of(16), demo_ticket_id(15));
  EXPECT_EQ(link_of(15), demo_ticket_id(50));
  const Ticket& story = street().states.at(demo_ticket_id(16)).ticket;
  EXPECT_EQ(format_shanghai_minute(story.received_at_ms), "2020-02-15 09:25");
  int64_t last = story.received_at_ms;
  for (int n : {15, 50}) {
    const TicketState& before = street().states.at(demo_ticket_id(n));
    EXPECT_EQ(before.ticket.address, story.address);
    EXPECT_EQ(before.ticket.category, Category::HoardingRefuse);
    EXPECT_EQ(before.ticket.status, TicketStatus::Closed);
    EXPECT_EQ(before.lead_department, "管理办");
    EXPECT_LT(before.ticket.received_at_ms, last);
    last = before.ticket.received_at_ms;
  }
  const TicketState& s = street().states.at(demo_ticket_id(16));
  EXPECT_EQ(s.ticket.status, TicketStatus::Closed);
  EXPECT_EQ(s.lead_department, "管理办");
  bool joint = false;
  for (const Change* c : street().by_ticket.at(demo_ticket_id(16)))
    joint |= c->kind == ChangeKind::AddEntry && c->entry.text.find("1+8") != std::string::npos;
  EXPECT_TRUE(joint) << "the joint action with the 1+8 platform is on the timeline";
}

}  // namespace
}  // namespace linli
