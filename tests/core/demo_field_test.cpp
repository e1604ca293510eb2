// The demo street's spring campaign (core/demo_field.cpp): valid changes whose totals are the seed's.
#include <gtest/gtest.h>

#include <set>

#include "core/demo_field.h"
#include "report/campaign.h"

namespace linli {
namespace {

const ReplicaId kServer = *parse_replica_id("00000000000000000000000000005e5e");

FieldData fold(const std::vector<Change>& changes) {
  FieldRegisters regs;
  for (const Change& c : changes) fold_field_change(regs, c);
  std::vector<FieldRegister> all;
  for (auto& [key, r] : regs) all.push_back(r);
  return assemble_field(all);
}

TEST(DemoField, EveryChangeIsValidNumberedGapFreeAndAuthoredByWhoMayWriteIt) {
  const auto changes = demo_field_changes(kServer, 700);
  ASSERT_FALSE(changes.empty());
  uint64_t counter = 700;
  for (const Change& c : changes) {
    EXPECT_EQ(c.id.counter, counter++);
    EXPECT_TRUE(validate_change(c)) << to_string(c.id) << ": " << validate_change(c).error().detail;
    EXPECT_EQ(c.ticket_id, field_subject(c));
    // F2-F4: the campaign is the centre's; a committee writes only its own community's.
    if (c.kind == ChangeKind::SetCampaign) {
      EXPECT_EQ(c.author.role, Role::Centre);
    }
    if (c.author.role == Role::Committee) {
      EXPECT_NE(c.field_record.community, "");
    }
  }
}

TEST(DemoField, TheTotalsAreTheSeeds) {
  const FieldData data = fold(demo_field_changes(kServer, 1));
  ASSERT_EQ(data.campaigns.size(), 1u);
  const Campaign& c = data.campaigns.at(kDemoCampaignId);
  EXPECT_EQ(c.name, "春季爱国卫生运动");
  EXPECT_EQ(c.kinds.size(), 7u);
  const CampaignTotals t = campaign_totals(data, kDemoCampaignId);
  // 社区晨报 2020-04: 毒鼠盒175个，投药下水道14个，填埋鼠洞8个，灭鼠102只；雨水井1387个；捕蝇笼124个；
  // 临时疏导点1个、工地5个；抽查餐饮单位20家.
  EXPECT_EQ(t.street.bait_boxes_set, 175);
  EXPECT_EQ(t.street.sewers_dosed, 14);
  EXPECT_EQ(t.street.rat_holes_filled, 8);
  EXPECT_EQ(t.street.rats_killed, 102);
  EXPECT_EQ(t.street.wells_dosed, 1387);
  EXPECT_EQ(t.street.fly_cages_kept, 124);
  EXPECT_EQ(t.street.sites_checked, 26);
  EXPECT_EQ(t.by_community.size(), 4u);
  EXPECT_EQ(t.street.rounds, 16);
  EXPECT_EQ(t.street.rounds_finished, 15) << "中华新路927弄's last round is left half done";
}

TEST(DemoField, FacilitiesHaveUniqueCodesAndTheDeliveryPointIsAtHebinGarden) {
  const FieldData data = fold(demo_field_changes(kServer, 1));
  std::set<std::string> codes;
  bool gate = false;
  for (const auto& [id, f] : data.facilities) {
    EXPECT_TRUE(codes.insert(f.code).second) << f.code;
    EXPECT_TRUE(f.has_kind);
    gate |= f.community == "河滨花园" && f.kind == FacilityKind::Site && f.location.find("临时疏导点") != std::string::npos;
  }
  EXPECT_TRUE(gate);
  EXPECT_EQ(data.facilities.at(demo_facility_id(1)).code, "HB-BB-01");
}

}  // namespace
}  // namespace linli
