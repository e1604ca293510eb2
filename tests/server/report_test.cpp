// GET /api/v1/reports/monthly against the real server with the demo street: the centre's March
// 2020 holds the seed's 300 epidemic tickets, a committee's report counts its community only, the
// CSV opens in a spreadsheet (UTF-8 BOM, Chinese headers), and bad requests get their errors.
#include <gtest/gtest.h>

#include <map>

#include "core/civil_time.h"
#include "core/demo_data.h"
#include "core/merge.h"
#include "support/sync_fixture.h"

namespace linli {
namespace {

using nlohmann::json;
using test::Replica;

// March 2020's demo tickets by community, folded here as the reference.
std::map<std::string, int> march_by_community() {
  std::map<std::string, TicketState> states;
  for (const Change& c : demo_changes(1'795'960'000'000, ReplicaId{1, 1}, 1)) merge_change(states[c.ticket_id], c);
  std::map<std::string, int> out;
  for (const auto& [id, s] : states) {
    const CivilDay d = civil_from_days(shanghai_days(s.ticket.received_at_ms));
    if (d.year == 2020 && d.month == 3) ++out[s.ticket.community];
  }
  return out;
}

class ReportTest : public test::SyncFixture {
 protected:
  std::string seed_flag() const override { return "--seed-demo"; }
  httplib::Result get(const Replica& r, const std::string& query) {
    return m_http->Get("/api/v1/reports/monthly?" + query, {{"Authorization", "Bearer " + r.token}});
  }
};

TEST_F(ReportTest, TheCentresMarch2020HasTheSeedsThreeHundredEpidemicTicketsAndAScopedCommitteeItsOwn) {
  const auto expected = march_by_community();
  int all = 0;
  for (const auto& [c, n] : expected) all += n;

  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto res = get(centre, "month=2020-03&format=json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json j = json::parse(res->body);
  EXPECT_EQ(j["month"], "2020-03");
  EXPECT_EQ(j["received"], all);
  EXPECT_EQ(j["by"]["category"]["epidemic_control"], 300);
  EXPECT_EQ(j["rates"]["handled"]["count"], all) << "every March 2020 ticket is closed";
  EXPECT_EQ(j["rates"]["handled"]["of"], all);
  EXPECT_GT(j["rates"]["satisfied"]["value"].get<double>(), 0.85);
  EXPECT_GT(j["rates"]["reassigned"]["count"].get<int>(), 0);
  for (const auto& [c, n] : expected) EXPECT_EQ(j["by"]["community"][c], n) << c;
  // Intake per day adds up to the month; the month before stands beside it; co-handling counts.
  ASSERT_EQ(j["days"].size(), 31u);
  EXPECT_EQ(j["days"][0]["day"], "2020-03-01");
  int per_day = 0, handled = 0;
  for (const json& d : j["days"]) per_day += d["received"].get<int>(), handled += d["handled"].get<int>();
  EXPECT_EQ(per_day, all);
  EXPECT_GT(handled, 0);
  EXPECT_LE(handled, all);
  EXPECT_EQ(j["previous"]["month"], "2020-02");
  EXPECT_GT(j["previous"]["rates"]["handled"]["of"].get<int>(), 0);
  EXPECT_GT(j["contact_time"]["of"].get<int>(), 0);
  EXPECT_GT(j["contact_time"]["average_hours"].get<double>(), 0.0);
  EXPECT_TRUE(j["co_handled"].is_number_integer());
  EXPECT_TRUE(j["rates"]["co_replied_on_time"].is_object());

  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  res = get(committee, "month=2020-03");  // JSON unless asked otherwise.
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json mine = json::parse(res->body);
  EXPECT_EQ(mine["received"], expected.at("河滨花园"));
  EXPECT_EQ(mine["by"]["community"].size(), 1u);
  EXPECT_EQ(mine["by"]["community"]["河滨花园"], expected.at("河滨花园"));
}

TEST_F(ReportTest, TheCsvHasAByteOrderMarkChineseHeadersAndTheRates) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto res = get(centre, "month=2020-03&format=csv");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  const std::string& csv = res->body;
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF项目,名称,数量,总数,比率,说明\r\n", 0), 0u) << csv.substr(0, 80);
  EXPECT_NE(csv.find("\r\n月份,2020-03,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n类别,疫情防控,300,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n比率,办结率,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n比率,满意率,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n来源,12345热线,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n比率,先行联系平均用时,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n上月比率,办结率,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n每日受理,2020-03-31,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n每日办结,2020-03-01,"), std::string::npos);
  EXPECT_EQ(res->get_header_value("Content-Disposition"), "attachment; filename=\"linli-report-2020-03.csv\"");
}

// A month without tickets still has every group of `by`, empty (a client indexes by.category).
TEST_F(ReportTest, AMonthWithoutTicketsHasEveryGroupEmpty) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto res = get(centre, "month=2019-01");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json j = json::parse(res->body);
  EXPECT_EQ(j["received"], 0);
  for (const char* group : {"category", "community", "source", "department"}) {
    ASSERT_TRUE(j["by"].contains(group)) << group << " in " << j["by"].dump();
    EXPECT_TRUE(j["by"][group].is_object() && j["by"][group].empty()) << group;
  }
}

TEST_F(ReportTest, AMonthThatIsNotYYYYMMOrAnUnknownFormatIs400AndNoTokenIs401) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  for (const char* q : {"month=2020-3", "month=2020-13", "", "month=2020-03&format=xlsx"}) {
    auto res = get(centre, q);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << q;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "bad_request") << q;
  }
  auto res = m_http->Get("/api/v1/reports/monthly?month=2020-03");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

}  // namespace
}  // namespace linli
