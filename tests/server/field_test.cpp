// Field work against the real server: pushes judged by the write policy (F2-F5), committees pull
// their own community's facilities and rounds only, departments read them, and the campaign
// totals are served per community and for the street, scoped.
#include <gtest/gtest.h>

#include "support/sync_fixture.h"

namespace linli {
namespace {

using nlohmann::json;
using test::Replica;
using M = FieldMember;
using K = ChangeKind;

const std::string kCampaign = test::ticket_id(0xc0);
const std::string kWeek = "2020-03-02";

Change field(Replica& r, K kind, FieldRecord rec, std::vector<std::pair<M, std::string>> values) {
  for (auto& [m, v] : values) rec.set(m, std::move(v));
  Change c = r.next("", kind);
  c.field_record = std::move(rec);
  c.ticket_id = field_subject(c);
  return c;
}
FieldRecord facility(int n, const std::string& community) {
  FieldRecord r;
  r.facility = test::ticket_id(n);
  r.community = community;
  return r;
}
FieldRecord item(int n, const std::string& community) {
  FieldRecord r;
  r.campaign = kCampaign;
  r.week = kWeek;
  r.community = community;
  r.facility = test::ticket_id(n);
  return r;
}

class FieldServer : public test::SyncFixture {
 protected:
  json statuses(const httplib::Result& res) {
    json out = json::array();
    const json all = body(res);
    for (const json& r : all["results"]) out.push_back(r.contains("code") ? r["code"] : r["status"]);
    return out;
  }
  httplib::Result totals(const Replica& r, const std::string& id) {
    return m_http->Get("/api/v1/campaigns/" + id + "/totals", {{"Authorization", "Bearer " + r.token}});
  }
};

TEST_F(FieldServer, PushesAreJudgedPullsScopedAndTotalsServed) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  Replica li = sign_in("hebin.li", Role::Committee, 2);
  Replica chen = sign_in("chuhai.chen", Role::Field, 3);
  Replica wang = sign_in("guanli.wang", Role::Department, 4);

  FieldRecord camp;
  camp.campaign = kCampaign;
  auto res = push(centre, {field(centre, K::SetCampaign, camp,
                                 {{M::Name, "春季爱国卫生运动"}, {M::From, "2020-03-02"}, {M::To, "2020-04-30"},
                                  {M::Kinds, "bait_box,rain_well"}, {M::Weekday, "3"}})});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;

  // F2: only the centre sets up a campaign; F3: a department reads; F4: a committee, its community.
  res = push(chen, {field(chen, K::SetCampaign, camp, {{M::Name, "x"}}),
                    field(chen, K::SetFacility, facility(1, "河滨花园"), {{M::Code, "HB-BB-01"}, {M::Kind, "bait_box"}}),
                    field(chen, K::SetFacility, facility(2, "中华新村"), {{M::Code, "ZH-RW-01"}, {M::Kind, "rain_well"}}),
                    field(chen, K::SetRoundItem, item(1, "河滨花园"), {{M::Treated, "1"}, {M::RatsFound, "2"}}),
                    field(chen, K::SetRoundItem, item(2, "中华新村"), {{M::WellsDosed, "40"}})});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;
  EXPECT_EQ(statuses(res), json({"forbidden", "applied", "applied", "applied", "applied"}));
  res = push(li, {field(li, K::SetRoundItem, item(1, "河滨花园"), {{M::RatsFound, "1"}, {M::Note, "李：补投"}}),
                  field(li, K::SetRoundItem, item(2, "中华新村"), {{M::WellsDosed, "1"}}),
                  // F5 (R15): a facility keeps its community.
                  field(li, K::SetFacility, facility(2, "河滨花园"), {{M::Location, "搬走"}}),
                  // F5: nor can a round of 河滨花园 count 中华新村's facility as its own.
                  field(li, K::SetRoundItem, item(2, "河滨花园"), {{M::RatsFound, "50"}})});
  ASSERT_TRUE(res);
  EXPECT_EQ(statuses(res), json({"applied", "out_of_scope", "invalid", "invalid"})) << res->body;
  res = push(wang, {field(wang, K::SetRoundItem, item(1, "河滨花园"), {{M::Checked, "1"}})});
  ASSERT_TRUE(res);
  EXPECT_EQ(statuses(res), json({"forbidden"}));

  // F1: the committee pulls the campaign and its own community's records; the department reads all.
  auto subjects = [](const PullResponse& p) {
    std::multiset<std::string> out;
    for (const auto& sc : p.changes)
      if (is_field_kind(sc.change.kind)) out.insert(std::string(to_string(sc.change.kind)) + " " + sc.change.field_record.community);
    return out;
  };
  Replica li2 = sign_in("hebin.li", Role::Committee, 5);
  EXPECT_EQ(subjects(pull(li2, 0, 0, 0)),
            (std::multiset<std::string>{"set_campaign ", "set_facility 河滨花园", "set_round_item 河滨花园",
                                        "set_round_item 河滨花园"}));
  EXPECT_EQ(subjects(pull(wang, 0, 0, 0)).size(), 6u);
  EXPECT_EQ(subjects(pull(centre, 0)).size(), 6u);

  // Totals: the street for the centre, the committee's community alone for it.
  res = totals(centre, kCampaign);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json t = body(res);
  EXPECT_EQ(t["name"], "春季爱国卫生运动");
  EXPECT_EQ(t["street"]["rats_killed"], 3) << "chen's 2 and li's 1 (R14)";
  EXPECT_EQ(t["street"]["bait_boxes_set"], 1);
  EXPECT_EQ(t["street"]["wells_dosed"], 40);
  EXPECT_EQ(t["communities"]["中华新村"]["wells_dosed"], 40);
  res = totals(li, kCampaign);
  ASSERT_TRUE(res);
  t = body(res);
  EXPECT_EQ(t["communities"].size(), 1u);
  EXPECT_EQ(t["street"]["wells_dosed"], 0);
  EXPECT_EQ(t["street"]["rats_killed"], 3);
  // The monthly report lists the campaigns overlapping the month with the same totals (issue 12).
  auto report = [&](const Replica& r, const std::string& query) {
    return m_http->Get("/api/v1/reports/monthly?" + query, {{"Authorization", "Bearer " + r.token}});
  };
  res = report(centre, "month=2020-04");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json m = body(res);
  ASSERT_EQ(m["campaigns"].size(), 1u);
  EXPECT_EQ(m["campaigns"][0]["campaign"], kCampaign);
  EXPECT_EQ(m["campaigns"][0]["name"], "春季爱国卫生运动");
  EXPECT_EQ(m["campaigns"][0]["from"], "2020-03-02");
  EXPECT_EQ(m["campaigns"][0]["street"], body(totals(centre, kCampaign))["street"]);
  EXPECT_EQ(m["campaigns"][0]["communities"], body(totals(centre, kCampaign))["communities"]);
  res = report(li, "month=2020-03");
  ASSERT_TRUE(res);
  m = body(res);
  ASSERT_EQ(m["campaigns"].size(), 1u);
  EXPECT_EQ(m["campaigns"][0]["communities"].size(), 1u) << "F1: the committee's community alone";
  EXPECT_EQ(m["campaigns"][0]["street"]["wells_dosed"], 0);
  res = report(centre, "month=2020-02");
  ASSERT_TRUE(res);
  EXPECT_EQ(body(res)["campaigns"], json::array());
  res = report(centre, "month=2020-03&format=csv");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("巡查活动,春季爱国卫生运动,,,,2020-03-02 至 2020-04-30\r\n"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("巡查合计,灭鼠,3,,,春季爱国卫生运动\r\n"), std::string::npos);
  res = report(centre, "month=2020-03&format=html");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<h2>巡查活动</h2>"), std::string::npos);
  EXPECT_NE(res->body.find("春季爱国卫生运动"), std::string::npos);

  res = totals(centre, test::ticket_id(0xdead));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = totals(centre, "nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  res = m_http->Get("/api/v1/campaigns/" + kCampaign + "/totals");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

}  // namespace
}  // namespace linli
