// Campaign totals (巡查 figures of the kind the street reports: bait boxes set, sewers dosed, rat
// holes filled, rats killed, rain-water wells dosed, fly cages kept up), per community and for the
// street, from the field data the registers assemble (core/field.h). Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/field.h"

namespace linli {

struct CampaignFigures {
  int64_t bait_boxes_set = 0;    // Bait boxes (毒鼠盒) given bait in any round: each box once.
  int64_t sewers_dosed = 0;      // Sewers (下水道) treated in any round: each once.
  int64_t fly_cages_kept = 0;    // Fly cages (捕蝇笼) checked in any round: each once.
  int64_t rat_holes_filled = 0;  // The sum of holes_filled over every item of every round.
  int64_t rats_killed = 0;       // The sum of rats_found.
  int64_t wells_dosed = 0;       // The sum of wells_dosed (one 雨水井 facility may stand for a block's wells).
  int64_t sites_checked = 0;     // Sites (工地/临时疏导点) and restaurants (餐饮单位) checked: each once.
  int64_t items_checked = 0;     // Checklist items checked, over every round.
  int64_t rounds = 0;            // Rounds with at least one item recorded.
  int64_t rounds_finished = 0;
  friend bool operator==(const CampaignFigures&, const CampaignFigures&) = default;
};

struct CampaignTotals {
  std::string campaign;
  std::map<std::string, CampaignFigures> by_community;
  CampaignFigures street;  // Every community's together.
  friend bool operator==(const CampaignTotals&, const CampaignTotals&) = default;
};

// The figures in the order every output lists them: the code (JSON), the Chinese label.
struct NamedFigure {
  std::string_view code;
  std::string_view label;
  int64_t CampaignFigures::*figure;
};
inline constexpr NamedFigure kCampaignFigures[] = {
    {"bait_boxes_set", "毒鼠盒投药", &CampaignFigures::bait_boxes_set},
    {"sewers_dosed", "下水道投药", &CampaignFigures::sewers_dosed},
    {"fly_cages_kept", "捕蝇笼维护", &CampaignFigures::fly_cages_kept},
    {"rat_holes_filled", "堵鼠洞", &CampaignFigures::rat_holes_filled},
    {"rats_killed", "灭鼠", &CampaignFigures::rats_killed},
    {"wells_dosed", "雨水井投药", &CampaignFigures::wells_dosed},
    {"sites_checked", "工地餐饮检查", &CampaignFigures::sites_checked},
    {"items_checked", "检查项次", &CampaignFigures::items_checked},
    {"rounds", "巡查轮次", &CampaignFigures::rounds},
    {"rounds_finished", "完成轮次", &CampaignFigures::rounds_finished},
};

// A campaign (巡查活动) in the monthly report: its name, dates and totals over all its rounds.
struct CampaignInMonth {
  std::string id, name, from, to;  // Dates "YYYY-MM-DD", inclusive.
  CampaignTotals totals;
  friend bool operator==(const CampaignInMonth&, const CampaignInMonth&) = default;
};

// The campaigns whose dates overlap the month (year, month 1-12), by start date then id, each
// with campaign_totals over its whole span (`only_community` as there). A campaign whose dates
// have not arrived (empty) overlaps no month.
std::vector<CampaignInMonth> campaigns_in_month(const FieldData& data, int year, int month,
                                                const std::string& only_community = {});

// The totals of one campaign. Items of retired facilities still count (the work was done); items
// naming a facility the data does not hold (yet) count in the sums but in no per-facility figure.
// `only_community`: "" for all, else that community alone (a committee's scope).
CampaignTotals campaign_totals(const FieldData& data, const std::string& campaign_id,
                               const std::string& only_community = {});

}  // namespace linli
