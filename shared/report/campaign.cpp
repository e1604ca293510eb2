// Campaign totals from rounds and facilities (report/campaign.h). Pure.
#include "report/campaign.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>
#include <utility>

namespace linli {

CampaignTotals campaign_totals(const FieldData& data, const std::string& campaign_id, const std::string& only_community) {
  CampaignTotals out;
  out.campaign = campaign_id;
  // Facilities counted once per campaign: (community, facility) seen treated or checked.
  std::set<std::pair<std::string, std::string>> baited, dosed, kept, sites;
  for (const auto& [subject, round] : data.rounds) {
    if (round.campaign != campaign_id) continue;
    if (!only_community.empty() && round.community != only_community) continue;
    CampaignFigures& f = out.by_community[round.community];
    if (!round.items.empty()) ++f.rounds;
    if (round.finished) ++f.rounds_finished;
    for (const auto& [fid, item] : round.items) {
      f.rat_holes_filled += item.holes_filled;
      f.rats_killed += item.rats_found;
      f.wells_dosed += item.wells_dosed;
      if (item.checked) ++f.items_checked;
      const auto facility = data.facilities.find(fid);
      if (facility == data.facilities.end() || !facility->second.has_kind) continue;
      const auto key = std::make_pair(round.community, fid);
      switch (facility->second.kind) {
        case FacilityKind::BaitBox:
          if (item.treated && baited.insert(key).second) ++f.bait_boxes_set;
          break;
        case FacilityKind::Sewer:
          if (item.treated && dosed.insert(key).second) ++f.sewers_dosed;
          break;
        case FacilityKind::FlyCage:
          if (item.checked && kept.insert(key).second) ++f.fly_cages_kept;
          break;
        case FacilityKind::Site:
        case FacilityKind::Restaurant:
          if (item.checked && sites.insert(key).second) ++f.sites_checked;
          break;
        default: break;
      }
    }
  }
  for (const auto& [community, f] : out.by_community) {
    CampaignFigures& s = out.street;
    s.bait_boxes_set += f.bait_boxes_set;
    s.sewers_dosed += f.sewers_dosed;
    s.fly_cages_kept += f.fly_cages_kept;
    s.rat_holes_filled += f.rat_holes_filled;
    s.rats_killed += f.rats_killed;
    s.wells_dosed += f.wells_dosed;
    s.sites_checked += f.sites_checked;
    s.items_checked += f.items_checked;
    s.rounds += f.rounds;
    s.rounds_finished += f.rounds_finished;
  }
  return out;
}

std::vector<CampaignInMonth> campaigns_in_month(const FieldData& data, int year, int month,
                                                const std::string& only_community) {
  char first[32], last[32];
  std::snprintf(first, sizeof first, "%04d-%02d-01", year, month);
  std::snprintf(last, sizeof last, "%04d-%02d-31", year, month);  // Past the month's last day: ISO dates compare as text.
  std::vector<CampaignInMonth> out;
  for (const auto& [id, c] : data.campaigns) {
    if (c.from.empty() || c.to.empty() || c.from > last || c.to < first) continue;
    out.push_back({id, c.name, c.from, c.to, campaign_totals(data, id, only_community)});
  }
  std::sort(out.begin(), out.end(),
            [](const CampaignInMonth& a, const CampaignInMonth& b) { return std::tie(a.from, a.id) < std::tie(b.from, b.id); });
  return out;
}

}  // namespace linli
