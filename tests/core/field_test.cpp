// Field work (巡查): field change records (validation, record codec), the register rules R13-R15
// in every order of arrival, the store's registers (the same in any order, after a refusal), the
// write policy F1-F5 and the campaign totals.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/field.h"
#include "policy/write_policy.h"
#include "report/campaign.h"
#include "support/changes.h"
#include "support/stores.h"
#include "sync/push_judge.h"
#include "sync/wire.h"

namespace linli {
namespace {

using M = FieldMember;
using K = ChangeKind;
using test::Maker;

const std::string kCampaign = test::ticket_id(900);
const std::string kBox = test::ticket_id(901);
const std::string kSewer = test::ticket_id(902);
const std::string kWell = test::ticket_id(903);
const std::string kCage = test::ticket_id(904);
const std::string kWeek = "2020-03-02";  // A Monday.
constexpr int64_t kT0 = 1'583'100'000'000;

FieldRecord facility(const std::string& id, const std::string& community = "河滨花园") {
  FieldRecord r;
  r.facility = id;
  r.community = community;
  return r;
}
FieldRecord campaign() {
  FieldRecord r;
  r.campaign = kCampaign;
  return r;
}
FieldRecord round(const std::string& community = "河滨花园", const std::string& week = kWeek) {
  FieldRecord r;
  r.campaign = kCampaign;
  r.week = week;
  r.community = community;
  return r;
}
FieldRecord item(const std::string& fac, const std::string& community = "河滨花园", const std::string& week = kWeek) {
  FieldRecord r = round(community, week);
  r.facility = fac;
  return r;
}

FieldRegisters fold(const std::vector<Change>& cs) {
  FieldRegisters regs;
  for (const Change& c : cs) fold_field_change(regs, c);
  return regs;
}
std::vector<FieldRegister> values(const FieldRegisters& regs) {
  std::vector<FieldRegister> out;
  for (const auto& [k, r] : regs) out.push_back(r);
  return out;
}
// Every order of `cs` folds to the same registers; the assembled data of that fold.
FieldData fold_every_order(std::vector<Change> cs) {
  std::vector<size_t> order(cs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::optional<std::vector<std::tuple<FieldRegisterKey, std::string>>> first;
  do {
    std::vector<Change> shuffled;
    for (size_t i : order) shuffled.push_back(cs[i]);
    std::vector<std::tuple<FieldRegisterKey, std::string>> got;
    for (const auto& [k, r] : fold(shuffled)) got.emplace_back(k, r.value);
    if (!first) first = got;
    EXPECT_EQ(*first, got);
  } while (std::next_permutation(order.begin(), order.end()));
  return assemble_field(values(fold(cs)));
}

class Field : public ::testing::Test {
 protected:
  Maker chen{test::replica(41), Role::Field, "chuhai.chen"};
  Maker li{test::replica(42), Role::Committee, "hebin.li"};
  Maker centre{test::replica(43), Role::Centre, "zhang.bin"};
};

TEST_F(Field, ChangesValidateTheirIdsMembersAndValues) {
  EXPECT_TRUE(validate_change(chen.field(K::SetFacility, kT0, facility(kBox), {{M::Code, "HB-01"}, {M::Kind, "bait_box"}})));
  EXPECT_TRUE(validate_change(centre.field(K::SetCampaign, kT0, campaign(),
                                           {{M::Name, "春季爱国卫生运动"}, {M::From, "2020-03-02"},
                                            {M::To, "2020-04-30"}, {M::Kinds, "bait_box,sewer"}, {M::Weekday, "3"}})));
  EXPECT_FALSE(validate_change(chen.field(K::SetRound, kT0, round("河滨花园", "2020-03-03"), {{M::Finished, "1"}})))
      << "a week is its Monday";
  EXPECT_FALSE(validate_change(chen.field(K::SetRoundItem, kT0, item(kBox), {{M::Code, "x"}}))) << "not an item member";
  EXPECT_FALSE(validate_change(chen.field(K::SetRoundItem, kT0, item(kBox), {}))) << "sets nothing";
  EXPECT_FALSE(validate_change(chen.field(K::SetRoundItem, kT0, item(kBox), {{M::RatsFound, "100001"}})));
  EXPECT_FALSE(validate_change(chen.field(K::SetRoundItem, kT0, item(kBox), {{M::RatsFound, "007"}})));
  EXPECT_FALSE(validate_change(centre.field(K::SetCampaign, kT0, campaign(), {{M::Kinds, "bait_box,bait_box"}})));
  EXPECT_FALSE(validate_change(centre.field(K::SetCampaign, kT0, campaign(), {{M::From, "2020-02-30"}})));
  EXPECT_FALSE(validate_change(centre.field(K::SetCampaign, kT0, campaign(), {{M::From, "2020-04-30"}, {M::To, "2020-03-02"}})))
      << "ends before it starts";
  EXPECT_TRUE(validate_change(centre.field(K::SetCampaign, kT0, campaign(), {{M::From, "2020-03-02"}, {M::To, "2020-03-02"}})))
      << "a campaign of one day";
  Change stray = chen.field(K::SetFacility, kT0, facility(kBox), {{M::Code, "HB-01"}});
  stray.ticket_id = kBox;  // The subject must be the record's.
  EXPECT_FALSE(validate_change(stray));
}

// Each field kind's payload as docs/protocol.md ("Field work") gives it, written out here rather
// than read from the code's table, so that the code and the document are held to each other.
struct DocPayload {
  K kind;
  const char* key;                 // The payload object's name.
  std::vector<std::string> ids;    // Required: what the change is about.
  std::vector<std::string> sets;   // The members it may set.
};
const std::vector<DocPayload> kDocPayloads = {
    {K::SetFacility, "facility", {"id", "community"}, {"code", "kind", "location", "retired"}},
    {K::SetCampaign, "campaign", {"id"}, {"name", "from", "to", "kinds", "weekday"}},
    {K::SetRound, "round", {"campaign", "week", "community"}, {"finished"}},
    {K::SetRoundItem, "item", {"campaign", "week", "community", "facility"},
     {"checked", "treated", "note", "rats_found", "holes_filled", "wells_dosed"}},
};

// A value each member takes wherever it belongs (`id` the kind's own id).
nlohmann::json sample(const std::string& name, K kind) {
  if (name == "id") return kind == K::SetCampaign ? kCampaign : kBox;
  static const std::map<std::string, nlohmann::json> values = {
      {"community", "河滨花园"}, {"code", "HB-BB-01"}, {"kind", "bait_box"}, {"location", "3号楼西侧"},
      {"retired", false}, {"name", "春季爱国卫生运动"}, {"from", "2020-03-02"}, {"to", "2020-04-30"},
      {"kinds", {"bait_box", "sewer"}}, {"weekday", 3}, {"campaign", kCampaign}, {"week", kWeek},
      {"facility", kBox}, {"finished", true}, {"checked", true}, {"treated", false}, {"note", "鼠迹"},
      {"rats_found", 2}, {"holes_filled", 1}, {"wells_dosed", 30}};
  return values.at(name);
}

// The verdict on one field change pushed by the centre (who may write every kind), as the server
// judges it: "" when taken, else the refusal's code and detail. `read`: the payload of a change
// taken, as the server keeps and sends it.
std::string pushed(const DocPayload& p, const nlohmann::json& payload, nlohmann::json* read = nullptr) {
  const std::string replica = "6b1e0d4c2a9f4e7b8c3d5a1f0e2b4c6d";
  const nlohmann::json change = {{"id", {{"replica", replica}, {"counter", 1}}}, {"hlc_ms", kT0}, {"hlc_counter", 0},
                                 {"user", "zhang.bin"}, {"role", "centre"}, {"kind", to_string(p.kind)},
                                 {p.key, payload}};
  const nlohmann::json push = {{"type", "push"}, {"schema", 1}, {"replica", replica}, {"changes", {change}}};
  auto decoded = decode_push_request(push.dump());
  if (!decoded) return "unreadable push: " + decoded.error().detail;
  PushView view([](const std::string&) -> Result<TicketState> { return TicketState{}; });
  auto verdict = judge_push("zhang.bin", Actor{Role::Centre, ""}, *decoded, 0, view);
  if (!verdict || verdict->failure) return "push refused whole";
  const auto& refusal = verdict->refused[0];
  if (refusal) return std::string(to_string(refusal->code)) + ": " + refusal->reason;
  if (read) *read = nlohmann::json::parse(encode(*decoded), nullptr, false)["changes"][0][p.key];
  return "";
}

// "Unknown members are ignored; a member of another kind is invalid": every member of every other
// field kind, in each kind, is refused 422 invalid and said to be no member of it, whether it comes
// beside a member of the kind's own or alone (then it is not "sets nothing": the stray is what is
// wrong); every own member is taken and read.
TEST_F(Field, EveryMemberOfAnotherFieldKindIsInvalidAndEveryOwnMemberIsTaken) {
  std::set<std::string> every;
  for (const DocPayload& p : kDocPayloads) {
    every.insert(p.ids.begin(), p.ids.end());
    every.insert(p.sets.begin(), p.sets.end());
  }
  int strays = 0;
  for (const DocPayload& p : kDocPayloads) {
    nlohmann::json ids = nlohmann::json::object();
    for (const std::string& id : p.ids) ids[id] = sample(id, p.kind);
    nlohmann::json read;
    for (const std::string& own : p.sets) {
      nlohmann::json payload = ids;
      payload[own] = sample(own, p.kind);
      EXPECT_EQ(pushed(p, payload, &read), "") << to_string(p.kind) << " with " << own;
      EXPECT_EQ(read, payload) << to_string(p.kind) << ": every member sent is read";
    }
    nlohmann::json all = ids;
    for (const std::string& own : p.sets) all[own] = sample(own, p.kind);
    EXPECT_EQ(pushed(p, all, &read), "") << to_string(p.kind) << " with every member";
    EXPECT_EQ(read, all);
    nlohmann::json unknown = all;
    unknown["colour"] = "red";
    EXPECT_EQ(pushed(p, unknown, &read), "") << to_string(p.kind) << ": an unknown member is ignored";
    EXPECT_EQ(read, all);

    for (const std::string& name : every) {
      const bool own = std::count(p.ids.begin(), p.ids.end(), name) + std::count(p.sets.begin(), p.sets.end(), name) > 0;
      if (own) continue;
      ++strays;
      const std::string says = "\"" + name + "\" is not a member of " + std::string(to_string(p.kind));
      nlohmann::json beside = ids;
      beside[p.sets[0]] = sample(p.sets[0], p.kind);
      beside[name] = sample(name, p.kind);
      const std::string with_own = pushed(p, beside);
      EXPECT_TRUE(with_own.starts_with("invalid: ")) << to_string(p.kind) << " with " << name << ": " << with_own;
      EXPECT_NE(with_own.find(says), std::string::npos) << with_own;
      nlohmann::json alone = ids;
      alone[name] = sample(name, p.kind);
      const std::string by_itself = pushed(p, alone);
      EXPECT_TRUE(by_itself.starts_with("invalid: ")) << to_string(p.kind) << " with only " << name << ": " << by_itself;
      EXPECT_NE(by_itself.find(says), std::string::npos) << by_itself;
    }
  }
  EXPECT_EQ(strays, 58) << "21 names, less each kind's own 6, 6, 4 and 10";
  // Those an outside client found taken and applied before are among them: ids of another kind.
  for (const auto& [kind, name] : std::vector<std::pair<size_t, std::string>>{
           {0, "week"}, {0, "campaign"}, {0, "facility"}, {1, "community"}, {1, "week"}, {1, "facility"},
           {2, "facility"}, {2, "id"}, {3, "id"}}) {
    const DocPayload& p = kDocPayloads[kind];
    nlohmann::json payload = nlohmann::json::object();
    for (const std::string& id : p.ids) payload[id] = sample(id, p.kind);
    payload[p.sets[0]] = sample(p.sets[0], p.kind);
    payload[name] = sample(name, p.kind);
    EXPECT_TRUE(pushed(p, payload).starts_with("invalid: ")) << to_string(p.kind) << " with " << name;
  }
  // The code's table is the document's.
  for (const DocPayload& p : kDocPayloads) {
    std::vector<std::string> doc = p.ids;
    doc.insert(doc.end(), p.sets.begin(), p.sets.end());
    std::vector<std::string> code;
    for (std::string_view n : payload_members(static_cast<int>(p.kind))) code.emplace_back(n);
    EXPECT_EQ(code, doc) << to_string(p.kind);
  }
}

TEST_F(Field, RecordsAndWireRoundTrip) {
  const std::vector<Change> cs = {
      chen.field(K::SetFacility, kT0, facility(kBox), {{M::Code, "HB-01"}, {M::Kind, "bait_box"}, {M::Location, "3号楼"}, {M::Retired, "0"}}),
      centre.field(K::SetCampaign, kT0, campaign(), {{M::Name, "春季"}, {M::Kinds, "bait_box,rain_well"}, {M::Weekday, "3"}}),
      chen.field(K::SetRound, kT0, round(), {{M::Finished, "1"}}),
      chen.field(K::SetRoundItem, kT0, item(kBox), {{M::Checked, "1"}, {M::Note, "鼠迹"}, {M::RatsFound, "3"}})};
  for (const Change& c : cs) {
    ASSERT_TRUE(validate_change(c)) << validate_change(c).error().detail;
    auto back = decode_change_record(encode_change_record(c));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->field_record, c.field_record);
    EXPECT_EQ(back->ticket_id, c.ticket_id);
  }
  PushRequest push;
  push.replica = chen.replica_id();
  push.changes = cs;
  auto decoded = decode_push_request(encode(push));
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->changes.size(), cs.size());
  for (size_t i = 0; i < cs.size(); ++i) {
    EXPECT_TRUE(decoded->unreadable[i].empty()) << decoded->unreadable[i];
    EXPECT_EQ(decoded->changes[i].field_record, cs[i].field_record);
    EXPECT_EQ(decoded->changes[i].ticket_id, cs[i].ticket_id);
  }
}

// R13: checked, treated and note are registers of their own; the later write of each holds.
TEST_F(Field, R13_TwoWorkersFillingOneItemKeepTheLaterAnswerPerMember) {
  const Change a = chen.field(K::SetRoundItem, kT0, item(kBox), {{M::Checked, "1"}, {M::Note, "陈：有鼠迹"}});
  const Change b = li.field(K::SetRoundItem, kT0 + 60'000, item(kBox), {{M::Treated, "1"}, {M::Note, "李：已投药"}});
  const Change c = chen.field(K::SetRoundItem, kT0 + 30'000, item(kBox), {{M::Checked, "0"}});
  const FieldData d = fold_every_order({a, b, c});
  const RoundItem& i = d.rounds.begin()->second.items.at(kBox);
  EXPECT_FALSE(i.checked) << "chen's later uncheck";
  EXPECT_TRUE(i.treated) << "li's treatment is not lost to chen's item";
  EXPECT_EQ(i.note, "李：已投药");
}

// R13: equal stamps: the replica id, then the counter, decides; every replica alike.
TEST_F(Field, R13_EqualStampsAreOrderedByReplica) {
  Change a = chen.field(K::SetRound, kT0, round(), {{M::Finished, "1"}});
  Change b = li.field(K::SetRound, kT0, round(), {{M::Finished, "0"}});
  b.stamp = a.stamp;
  const FieldData d = fold_every_order({a, b});
  EXPECT_EQ(d.rounds.begin()->second.finished, test::replica(42) > test::replica(41) ? false : true);
}

// R14: counts are each worker's own and summed; a worker's correction replaces only their own.
TEST_F(Field, R14_CountsOfTwoWorkersAreSummedInEveryOrder) {
  const Change a1 = chen.field(K::SetRoundItem, kT0, item(kWell), {{M::WellsDosed, "20"}, {M::RatsFound, "3"}});
  const Change b1 = li.field(K::SetRoundItem, kT0 + 10, item(kWell), {{M::WellsDosed, "15"}});
  const Change a2 = chen.field(K::SetRoundItem, kT0 + 20, item(kWell), {{M::WellsDosed, "22"}});
  const Change b2 = li.field(K::SetRoundItem, kT0 + 5, item(kWell), {{M::RatsFound, "1"}});
  const FieldData d = fold_every_order({a1, b1, a2, b2});
  const RoundItem& i = d.rounds.begin()->second.items.at(kWell);
  EXPECT_EQ(i.wells_dosed, 22 + 15);
  EXPECT_EQ(i.rats_found, 3 + 1);
  EXPECT_EQ(i.by_worker.at("chuhai.chen")[2], 22);
}

// R14: the same worker on two devices is one worker: the later count holds, not the sum.
TEST_F(Field, R14_OneWorkerOnTwoDevicesCountsOnce) {
  Maker phone{test::replica(51), Role::Field, "chuhai.chen"};
  const Change a = chen.field(K::SetRoundItem, kT0, item(kWell), {{M::WellsDosed, "20"}});
  const Change b = phone.field(K::SetRoundItem, kT0 + 1000, item(kWell), {{M::WellsDosed, "21"}});
  EXPECT_EQ(fold_every_order({a, b}).rounds.begin()->second.items.at(kWell).wells_dosed, 21);
}

// R15: two workers opening this week's round offline open the same one.
TEST_F(Field, R15_ARoundIsItsCampaignWeekAndCommunity) {
  const Change a = chen.field(K::SetRoundItem, kT0, item(kBox), {{M::Checked, "1"}});
  const Change b = li.field(K::SetRoundItem, kT0 + 1, item(kSewer), {{M::Treated, "1"}});
  EXPECT_EQ(a.ticket_id, b.ticket_id);
  const FieldData d = fold_every_order({a, b});
  ASSERT_EQ(d.rounds.size(), 1u);
  EXPECT_EQ(d.rounds.begin()->second.items.size(), 2u);
  EXPECT_EQ(d.rounds.begin()->second.community, "河滨花园");
  EXPECT_EQ(d.rounds.begin()->second.week, kWeek);
}

TEST_F(Field, WeeksAreMondays) {
  EXPECT_EQ(week_of("2020-03-04"), "2020-03-02");
  EXPECT_EQ(week_of("2020-03-08"), "2020-03-02");
  EXPECT_EQ(week_of("2020-03-09"), "2020-03-09");
  Campaign c;
  c.from = "2020-03-04";
  c.to = "2020-04-30";
  const auto weeks = campaign_weeks(c);
  ASSERT_EQ(weeks.size(), 9u);
  EXPECT_EQ(weeks.front(), "2020-03-02");
  EXPECT_EQ(weeks.back(), "2020-04-27");
}

TEST_F(Field, PolicyF1ToF5) {
  const Actor centre_a{Role::Centre, ""}, committee{Role::Committee, "河滨花园"}, other{Role::Committee, "中华新村"},
      dept{Role::Department, "管理办"}, field{Role::Field, "除害站"};
  const Change c = li.field(K::SetRoundItem, kT0, item(kBox), {{M::Checked, "1"}});
  EXPECT_TRUE(may_see_field(committee, "河滨花园"));
  EXPECT_FALSE(may_see_field(other, "河滨花园"));
  EXPECT_TRUE(may_see_field(dept, "河滨花园"));
  EXPECT_TRUE(may_see_field(field, "河滨花园"));
  EXPECT_TRUE(may_see_field(other, "")) << "a campaign is every community's";
  EXPECT_FALSE(judge_field_change(committee, c));
  EXPECT_FALSE(judge_field_change(field, c));
  EXPECT_FALSE(judge_field_change(centre_a, c));
  EXPECT_EQ(judge_field_change(other, c)->code, RefusalCode::OutOfScope);
  EXPECT_EQ(judge_field_change(dept, c)->code, RefusalCode::Forbidden);
  const Change camp = centre.field(K::SetCampaign, kT0, campaign(), {{M::Name, "春季"}});
  EXPECT_FALSE(judge_field_change(centre_a, camp));
  EXPECT_EQ(judge_field_change(field, camp)->code, RefusalCode::Forbidden);
  const Change moved = chen.field(K::SetFacility, kT0, facility(kBox, "中华新村"), {{M::Code, "X"}});
  EXPECT_EQ(judge_field_change(field, moved, "河滨花园")->code, RefusalCode::Invalid);
  EXPECT_FALSE(judge_field_change(field, moved, "中华新村"));
}

TEST_F(Field, TotalsPerCommunityAndStreet) {
  const std::string box2 = test::ticket_id(905), box_other = test::ticket_id(906);
  std::vector<Change> cs = {
      chen.field(K::SetFacility, kT0, facility(kBox), {{M::Kind, "bait_box"}}),
      chen.field(K::SetFacility, kT0, facility(box2), {{M::Kind, "bait_box"}}),
      chen.field(K::SetFacility, kT0, facility(kSewer), {{M::Kind, "sewer"}}),
      chen.field(K::SetFacility, kT0, facility(kWell), {{M::Kind, "rain_well"}}),
      chen.field(K::SetFacility, kT0, facility(kCage), {{M::Kind, "fly_cage"}}),
      chen.field(K::SetFacility, kT0, facility(box_other, "中华新村"), {{M::Kind, "bait_box"}}),
      // Week 1 at 河滨花园: both boxes baited, the sewer dosed, 30 wells, 2 rats, the cage checked.
      chen.field(K::SetRoundItem, kT0, item(kBox), {{M::Checked, "1"}, {M::Treated, "1"}, {M::RatsFound, "2"}}),
      chen.field(K::SetRoundItem, kT0, item(box2), {{M::Treated, "1"}}),
      chen.field(K::SetRoundItem, kT0, item(kSewer), {{M::Treated, "1"}}),
      li.field(K::SetRoundItem, kT0, item(kWell), {{M::WellsDosed, "30"}, {M::HolesFilled, "1"}}),
      li.field(K::SetRoundItem, kT0, item(kCage), {{M::Checked, "1"}}),
      li.field(K::SetRound, kT0, round(), {{M::Finished, "1"}}),
      // Week 2: box 1 baited again (counted once), 10 more wells, 1 more rat.
      chen.field(K::SetRoundItem, kT0, item(kBox, "河滨花园", "2020-03-09"), {{M::Treated, "1"}, {M::RatsFound, "1"}}),
      chen.field(K::SetRoundItem, kT0, item(kWell, "河滨花园", "2020-03-09"), {{M::WellsDosed, "10"}}),
      // 中华新村: one box baited, 4 rats.
      chen.field(K::SetRoundItem, kT0, item(box_other, "中华新村"), {{M::Treated, "1"}, {M::RatsFound, "4"}}),
  };
  const FieldData d = assemble_field(values(fold(cs)));
  const CampaignTotals t = campaign_totals(d, kCampaign);
  const CampaignFigures& hb = t.by_community.at("河滨花园");
  EXPECT_EQ(hb.bait_boxes_set, 2);
  EXPECT_EQ(hb.sewers_dosed, 1);
  EXPECT_EQ(hb.fly_cages_kept, 1);
  EXPECT_EQ(hb.wells_dosed, 40);
  EXPECT_EQ(hb.rats_killed, 3);
  EXPECT_EQ(hb.rat_holes_filled, 1);
  EXPECT_EQ(hb.rounds, 2);
  EXPECT_EQ(hb.rounds_finished, 1);
  EXPECT_EQ(t.street.bait_boxes_set, 3);
  EXPECT_EQ(t.street.rats_killed, 7);
  const CampaignTotals mine = campaign_totals(d, kCampaign, "中华新村");
  EXPECT_EQ(mine.by_community.size(), 1u);
  EXPECT_EQ(mine.street.rats_killed, 4);
  EXPECT_EQ(campaign_totals(d, test::ticket_id(999)).street, CampaignFigures{});
}

// The monthly report's 巡查活动 (docs/metrics.md): the campaigns overlapping the month, by their
// first day, each with its totals over all its rounds.
TEST_F(Field, TheMonthlyReportListsTheCampaignsOverlappingTheMonthWithTheirWholeTotals) {
  const std::string autumn = test::ticket_id(901), undated = test::ticket_id(902);
  FieldRecord later = campaign();
  later.campaign = autumn;
  FieldRecord no_dates = campaign();
  no_dates.campaign = undated;
  std::vector<Change> cs = {
      centre.field(K::SetCampaign, kT0, campaign(), {{M::Name, "春季灭鼠"}, {M::From, "2020-03-02"}, {M::To, "2020-04-30"}}),
      centre.field(K::SetCampaign, kT0, later, {{M::Name, "秋季灭蚊"}, {M::From, "2020-04-15"}, {M::To, "2020-05-10"}}),
      centre.field(K::SetCampaign, kT0, no_dates, {{M::Name, "未定"}}),
      chen.field(K::SetFacility, kT0, facility(kBox), {{M::Kind, "bait_box"}}),
      chen.field(K::SetRoundItem, kT0, item(kBox), {{M::Treated, "1"}, {M::RatsFound, "2"}}),
      chen.field(K::SetRoundItem, kT0, item(kBox, "河滨花园", "2020-04-06"), {{M::Treated, "1"}, {M::RatsFound, "1"}}),
  };
  const FieldData d = assemble_field(values(fold(cs)));
  EXPECT_TRUE(campaigns_in_month(d, 2020, 2).empty());
  const auto march = campaigns_in_month(d, 2020, 3);
  ASSERT_EQ(march.size(), 1u);
  EXPECT_EQ(march[0].id, kCampaign);
  EXPECT_EQ(march[0].name, "春季灭鼠");
  EXPECT_EQ(march[0].from, "2020-03-02");
  EXPECT_EQ(march[0].totals.street.bait_boxes_set, 1) << "the same box twice: once";
  EXPECT_EQ(march[0].totals.street.rats_killed, 3) << "April's round counts too: the campaign as a whole";
  EXPECT_EQ(march[0].totals.street.rounds, 2);
  const auto april = campaigns_in_month(d, 2020, 4);
  ASSERT_EQ(april.size(), 2u);
  EXPECT_EQ(april[0].totals, march[0].totals);
  EXPECT_EQ(april[1].name, "秋季灭蚊");
  EXPECT_EQ(campaigns_in_month(d, 2020, 5).size(), 1u) << "to 10 May, inclusive";
  EXPECT_TRUE(campaigns_in_month(d, 2020, 3, "中华新村")[0].totals.by_community.empty()) << "F1: a committee's own";
}

// The store keeps the same registers whatever the order changes arrive in, and folds a subject
// again when an own change of it is refused.
TEST_F(Field, StoreRegistersAreTheSameInAnyOrderAndAfterARefusal) {
  test::TempDir dir;
  const std::vector<Change> cs = {
      chen.field(K::SetFacility, kT0, facility(kBox), {{M::Code, "HB-01"}, {M::Kind, "bait_box"}}),
      chen.field(K::SetRoundItem, kT0 + 5, item(kBox), {{M::Checked, "1"}, {M::RatsFound, "2"}}),
      li.field(K::SetRoundItem, kT0 + 9, item(kBox), {{M::Note, "李"}, {M::RatsFound, "1"}}),
      li.field(K::SetRoundItem, kT0 + 1, item(kBox), {{M::Note, "早"}})};
  auto regs_text = [](Store& s) {
    auto r = s.field_registers();
    EXPECT_TRUE(r);
    std::vector<std::string> out;
    for (const FieldRegister& x : *r) out.push_back(x.entity + "|" + std::string(to_string(x.member)) + "|" + x.author + "|" + x.value);
    std::sort(out.begin(), out.end());
    return out;
  };
  Store a = test::open_store(dir, "a.db"), b = test::open_store(dir, "b.db");
  std::vector<SequencedChange> fwd, back;
  for (size_t i = 0; i < cs.size(); ++i) fwd.push_back({cs[i], static_cast<int64_t>(i + 1)});
  for (size_t i = cs.size(); i-- > 0;) back.push_back({cs[i], static_cast<int64_t>(i + 1)});
  ASSERT_TRUE(a.apply_pulled(fwd, kT0));
  ASSERT_TRUE(b.apply_pulled(back, kT0));
  EXPECT_EQ(regs_text(a), regs_text(b));
  const FieldData d = assemble_field(*a.field_registers());
  EXPECT_EQ(d.rounds.begin()->second.items.at(kBox).rats_found, 3);
  EXPECT_EQ(d.rounds.begin()->second.items.at(kBox).note, "早") << "made after 李 on the same device: its HLC is later";
  EXPECT_EQ(d.facilities.at(kBox).community, "河滨花园");
  EXPECT_EQ(*a.facility_community(kBox), "河滨花园");
  EXPECT_EQ(*a.facility_community(kSewer), "");

  // An own change refused by the server comes out of the registers: the subject is folded again.
  Store c = test::open_store(dir, "c.db");
  Maker own{test::replica(60), Role::Committee, "other.li"};
  const Change mine = own.field(K::SetRoundItem, kT0 + 100, item(kBox), {{M::Note, "越权"}, {M::RatsFound, "9"}});
  ASSERT_TRUE(c.apply_pulled(fwd, kT0));
  ASSERT_TRUE(c.apply_changes({mine}, ApplyMode::Local, kT0));
  EXPECT_EQ(assemble_field(*c.field_registers()).rounds.begin()->second.items.at(kBox).note, "越权");
  ASSERT_TRUE(c.refuse_changes({PushRefusal{mine.id, "out_of_scope", "[policy] no"}}, kT0));
  EXPECT_EQ(regs_text(c), regs_text(a));
}

// A finding becomes a ticket in one step: the ticket filled from the facility and the item, and a
// finding link back to the round item; both pass their rules, travel and are kept.
TEST_F(Field, AFindingBecomesATicketThatLinksBackToItsRound) {
  test::TempDir dir;
  const std::string ticket = test::ticket_id(77);
  std::vector<Change> field_cs = {
      chen.field(K::SetFacility, kT0, facility(kBox), {{M::Code, "HB-BB-01"}, {M::Kind, "bait_box"}, {M::Location, "河滨花园快递点旁"}}),
      chen.field(K::SetRoundItem, kT0 + 1, item(kBox), {{M::Checked, "1"}, {M::Note, "快递点堆物，鼠迹明显"}})};
  const FieldData d = assemble_field(values(fold(field_cs)));
  const Round& r = d.rounds.begin()->second;

  Change create = chen.create(ticket, kT0 + 2);
  fill_finding_ticket(create.ticket, d.facilities.at(kBox), r.items.at(kBox));
  create.ticket.category = Category::PestControl;
  EXPECT_EQ(create.ticket.source, Source::Patrol);
  EXPECT_EQ(create.ticket.community, "河滨花园");
  EXPECT_EQ(create.ticket.address, "河滨花园快递点旁");
  EXPECT_EQ(create.ticket.title, "巡查发现：HB-BB-01");
  EXPECT_EQ(create.ticket.description, "快递点堆物，鼠迹明显");
  ASSERT_TRUE(validate_change(create)) << validate_change(create).error().detail;
  Change link = chen.base(ticket, kT0 + 3, K::LinkTickets);
  link.link.kind = LinkKind::Finding;
  link.link.finding = finding_of(r, kBox);
  ASSERT_TRUE(validate_change(link)) << validate_change(link).error().detail;
  Change bad = link;
  bad.link.finding.week = "2020-03-03";
  EXPECT_FALSE(validate_change(bad));
  bad = link;
  bad.link.other_ticket = test::ticket_id(5);
  EXPECT_FALSE(validate_change(bad));

  auto back = decode_change_record(encode_change_record(link));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->link, link.link);
  PushRequest push;
  push.replica = chen.replica_id();
  push.changes = {create, link};
  auto decoded = decode_push_request(encode(push));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->unreadable[1], "");
  EXPECT_EQ(decoded->changes[1].link, link.link);

  Store s = test::open_store(dir, "s.db");
  std::vector<SequencedChange> log;
  for (const Change& c : std::vector<Change>{field_cs[0], field_cs[1], create, link})
    log.push_back({c, static_cast<int64_t>(log.size() + 1)});
  ASSERT_TRUE(s.apply_pulled(log, kT0));
  auto state = s.get_ticket_state(ticket);
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->work_count, 1) << "a link is work (R4)";
  auto chain = s.link_chain(ticket);
  ASSERT_TRUE(chain);
  EXPECT_TRUE(chain->empty()) << "a finding is no rebound";
  auto dump = test::dump(s);
  EXPECT_NE(dump.find(finding_entity(link.link.finding)), std::string::npos) << "the link keeps its round item";
}

}  // namespace
}  // namespace linli
