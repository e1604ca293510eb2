// 巡查 as the app reads it (field_data.h).
#include "field_data.h"

#include <algorithm>
#include <set>

namespace linli::ui {

int64_t ChecklistLine::own(FieldMember count, const std::string& user) const {
  const auto it = item.by_worker.find(user);
  if (it == item.by_worker.end()) return 0;
  switch (count) {
    case FieldMember::RatsFound: return it->second[0];
    case FieldMember::HolesFilled: return it->second[1];
    case FieldMember::WellsDosed: return it->second[2];
    default: return 0;
  }
}

const Campaign* FieldSnapshot::campaign(const std::string& id) const {
  const auto it = data.campaigns.find(id);
  return it == data.campaigns.end() ? nullptr : &it->second;
}

std::vector<const Facility*> FieldSnapshot::facilities(const std::string& community, bool with_retired) const {
  std::vector<const Facility*> out;
  for (const auto& [id, f] : data.facilities)
    if (f.community == community && (with_retired || !f.retired)) out.push_back(&f);
  std::sort(out.begin(), out.end(), [](const Facility* a, const Facility* b) {
    if (a->kind != b->kind) return a->kind < b->kind;
    return a->code != b->code ? a->code < b->code : a->id < b->id;
  });
  return out;
}

const Round* FieldSnapshot::round(const std::string& campaign, const std::string& week, const std::string& community) const {
  const auto it = data.rounds.find("round:" + campaign + ":" + week + ":" + community);
  return it == data.rounds.end() ? nullptr : &it->second;
}

std::vector<ChecklistLine> FieldSnapshot::checklist(const Campaign& c, const std::string& week,
                                                    const std::string& community) const {
  const Round* r = round(c.id, week, community);
  std::vector<ChecklistLine> out;
  for (const FacilityKind kind : c.kinds)
    for (const Facility* f : facilities(community, true)) {
      if (!f->has_kind || f->kind != kind) continue;
      const RoundItem* item = nullptr;
      if (r)
        if (const auto it = r->items.find(f->id); it != r->items.end()) item = &it->second;
      if (f->retired && !item) continue;  // Retired and not recorded this round: off the list.
      ChecklistLine line;
      line.facility = f;
      if (item) {
        line.item = *item;
        line.recorded = true;
      }
      line.item.facility = f->id;
      FieldRecord key;
      key.campaign = c.id;
      key.week = week;
      key.community = community;
      key.facility = f->id;
      if (const auto t = finding_tickets.find(finding_entity(key)); t != finding_tickets.end()) line.ticket_id = t->second;
      out.push_back(std::move(line));
    }
  return out;
}

std::optional<FieldSnapshot::Origin> FieldSnapshot::origin_of(const std::string& ticket_id) const {
  for (const auto& [entity, ticket] : finding_tickets) {
    if (ticket != ticket_id) continue;
    const size_t slash = entity.rfind('/');
    if (slash == std::string::npos) continue;
    Origin o;
    if (!parse_round_subject(entity.substr(0, slash), o.campaign, o.week, o.community)) continue;
    o.facility = entity.substr(slash + 1);
    return o;
  }
  return std::nullopt;
}

bool parse_round_subject(const std::string& subject, std::string& campaign, std::string& week, std::string& community) {
  // "round:" + 32 hex + ":" + "YYYY-MM-DD" + ":" + community (which may itself hold colons).
  constexpr size_t kCampaignAt = 6, kWeekAt = kCampaignAt + 33, kCommunityAt = kWeekAt + 11;
  if (!subject.starts_with("round:") || subject.size() <= kCommunityAt || subject[kWeekAt - 1] != ':' ||
      subject[kCommunityAt - 1] != ':')
    return false;
  campaign = subject.substr(kCampaignAt, 32);
  week = subject.substr(kWeekAt, 10);
  community = subject.substr(kCommunityAt);
  return true;
}

Result<FieldSnapshot> read_field_snapshot(Store& store, const std::string& extra_community) {
  auto regs = store.field_registers();
  if (!regs) return regs.error();
  auto links = store.finding_links();
  if (!links) return links.error();
  FieldSnapshot s;
  s.data = assemble_field(*regs);
  for (auto& [entity, ticket] : *links) s.finding_tickets.emplace(std::move(entity), std::move(ticket));
  std::set<std::string> communities;
  if (!extra_community.empty()) communities.insert(extra_community);
  for (const auto& [id, f] : s.data.facilities)
    if (!f.community.empty()) communities.insert(f.community);
  for (const auto& [subject, r] : s.data.rounds)
    if (!r.community.empty()) communities.insert(r.community);
  s.communities.assign(communities.begin(), communities.end());
  for (const auto& [id, c] : s.data.campaigns) s.campaigns.push_back(&c);
  std::sort(s.campaigns.begin(), s.campaigns.end(), [](const Campaign* a, const Campaign* b) {
    if (a->from != b->from) return a->from > b->from;
    return a->name != b->name ? a->name < b->name : a->id < b->id;
  });
  return s;
}

std::string default_week(const Campaign& c, const std::string& today) {
  const std::vector<std::string> weeks = campaign_weeks(c);
  if (weeks.empty()) return week_of(c.from);
  const std::string now = week_of(today);
  std::string pick = weeks.front();
  for (const std::string& w : weeks)
    if (w <= now) pick = w;
  return pick;
}

}  // namespace linli::ui
