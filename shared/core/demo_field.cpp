// The demo street's spring campaign as change records (demo_field.h). The facilities and what each
// round recorded are generated from fixed tables and a fixed-seed sequence, so the street is the
// same every time; the figures that add up to the seed's totals are dealt out exactly.
#include "core/demo_field.h"

#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

#include "core/civil_time.h"

namespace linli {
namespace {

constexpr int64_t kMinute = 60'000;
const Author kCentre{"zhang.bin", Role::Centre};
const Author kChuhai{"chuhai.chen", Role::Field};

// The four demo communities (each has a committee account, sync-server seed_demo_users), their
// code prefix, their health cadre, and how many facilities of each kind they hold. The columns
// add up to the seed: 175 bait boxes, 124 fly cages, 14 sewers, 8 rat holes, 6 sites (the
// delivery point at 河滨花园 and 5 building sites), 20 restaurants; rain-water wells are kept
// as one facility per block, dosed by the well (1387 wells in all).
struct DemoCommunity {
  std::string_view name, prefix, place;  // `place`: how its addresses start.
  Author cadre;
  int bait_boxes, fly_cages, rain_blocks, sewers, rat_holes, sites, restaurants;
};
const std::array<DemoCommunity, 4> kCommunities = {{
    {"河滨花园", "HB", "河滨花园", {"hebin.li", Role::Committee}, 52, 36, 6, 4, 3, 2, 5},
    {"普善路小区", "PS", "普善路小区", {"pushan.wu", Role::Committee}, 45, 32, 5, 4, 2, 2, 5},
    {"天目西路小区", "TM", "天目西路小区", {"tianmu.he", Role::Committee}, 40, 30, 5, 3, 2, 1, 5},
    {"中华新路927弄", "ZH", "中华新路927弄", {"zhonghua.gu", Role::Committee}, 38, 26, 4, 3, 1, 1, 5},
}};
constexpr int kWells = 1387, kRats = 102;

constexpr std::array<std::string_view, 8> kSides = {"西侧绿化带", "东侧墙角", "南侧花坛", "北侧垃圾房旁",
                                                    "单元门口", "地下车库入口", "自行车棚旁", "配电间旁"};
constexpr std::array<std::string_view, 5> kEateries = {"面馆", "快餐店", "小吃店", "饭店", "茶餐厅"};
constexpr std::array<std::string_view, 4> kSiteNames = {"外立面修缮工地", "管线改造工地", "道路翻修工地", "加装电梯工地"};

// A fixed-seed sequence (a 32-bit LCG): the same street every time.
struct Deal {
  uint32_t s = 20200302;
  int next(int n) {
    s = s * 1664525u + 1013904223u;
    return static_cast<int>((s >> 8) % static_cast<uint32_t>(n));
  }
};

struct Fac {
  std::string id, code;
  const DemoCommunity* community;
  FacilityKind kind;
};

// 09:00 Shanghai on `date` ("2020-03-04"), plus minutes.
int64_t at(std::string_view date, int minutes) {
  return shanghai_day_start_ms(*parse_day(date)) + 9 * 60 * kMinute + minutes * kMinute;
}

class Writer {
 public:
  Writer(const ReplicaId& replica, uint64_t first) : m_replica(replica), m_next(first) {}
  void add(ChangeKind kind, const Author& who, int64_t ms, FieldRecord record) {
    Change c;
    c.id = ChangeId{m_replica, m_next++};
    c.stamp = Hlc{ms, 0};
    c.author = who;
    c.kind = kind;
    c.field_record = std::move(record);
    c.ticket_id = field_subject(c);
    m_out.push_back(std::move(c));
  }
  std::vector<Change> take() { return std::move(m_out); }

 private:
  ReplicaId m_replica;
  uint64_t m_next;
  std::vector<Change> m_out;
};

FieldRecord item_of(const Fac& f, std::string_view week) {
  FieldRecord r;
  r.campaign = kDemoCampaignId;
  r.week = std::string(week);
  r.community = std::string(f.community->name);
  r.facility = f.id;
  return r;
}

}  // namespace

std::string demo_facility_id(int n) {
  char b[40];
  std::snprintf(b, sizeof b, "de5eedfa%024x", n);
  return b;
}

std::vector<Change> demo_field_changes(const ReplicaId& replica, uint64_t first_counter) {
  Writer w(replica, first_counter);
  Deal deal;
  // The centre sets the campaign up on 1 March: every kind, rounds due on Wednesdays.
  FieldRecord campaign;
  campaign.campaign = kDemoCampaignId;
  campaign.set(FieldMember::Name, "春季爱国卫生运动");
  campaign.set(FieldMember::From, "2020-03-02");
  campaign.set(FieldMember::To, "2020-04-30");
  campaign.set(FieldMember::Kinds, "bait_box,fly_cage,rain_well,sewer,rat_hole,site,restaurant");
  campaign.set(FieldMember::Weekday, "3");
  w.add(ChangeKind::SetCampaign, kCentre, at("2020-03-01", 0), std::move(campaign));

  // 除害站 registers the facilities on 2 March (fly cages when they are set up, mid-March).
  std::vector<Fac> facs;
  int n = 0, minute = 0;
  auto facility = [&](const DemoCommunity& c, FacilityKind kind, std::string_view kind_code, int k,
                      const std::string& location, std::string_view day) {
    char code[32];
    std::snprintf(code, sizeof code, "%.*s-%.*s-%02d", static_cast<int>(c.prefix.size()), c.prefix.data(),
                  static_cast<int>(kind_code.size()), kind_code.data(), k);
    Fac f{demo_facility_id(++n), code, &c, kind};
    FieldRecord r;
    r.facility = f.id;
    r.community = std::string(c.name);
    r.set(FieldMember::Code, code);
    r.set(FieldMember::Kind, std::string(to_string(kind)));
    r.set(FieldMember::Location, location);
    r.set(FieldMember::Retired, "0");
    w.add(ChangeKind::SetFacility, kChuhai, at(day, minute++ / 4), std::move(r));
    facs.push_back(std::move(f));
  };
  for (const DemoCommunity& c : kCommunities) {
    const std::string place(c.place);
    auto building = [&](int k) { return place + std::to_string(k) + "号楼"; };
    for (int k = 1; k <= c.bait_boxes; ++k)
      facility(c, FacilityKind::BaitBox, "BB", k, building((k + 1) / 2) + std::string(kSides[static_cast<size_t>(k % 8)]), "2020-03-02");
    for (int k = 1; k <= c.rain_blocks; ++k)
      facility(c, FacilityKind::RainWell, "RW", k,
               building(k * 3 - 2) + "至" + std::to_string(k * 3) + "号楼道路雨水井", "2020-03-02");
    for (int k = 1; k <= c.sewers; ++k)
      facility(c, FacilityKind::Sewer, "SW", k, place + (k % 2 ? "主干道" : "北弄") + "下水道口" + std::to_string(k), "2020-03-02");
    for (int k = 1; k <= c.rat_holes; ++k)
      facility(c, FacilityKind::RatHole, "RH", k, building(k * 4) + "后绿化带鼠洞", "2020-03-02");
    for (int k = 1; k <= c.sites; ++k) {
      // The delivery point at 河滨花园's gate (the seed's 临时疏导点), and the building sites.
      const bool gate = c.name == "河滨花园" && k == 1;
      facility(c, FacilityKind::Site, "ST", k,
               gate ? place + "大门外临时疏导点（快递外卖）" : place + std::string(kSiteNames[static_cast<size_t>(k + n) % 4]),
               "2020-03-02");
    }
    for (int k = 1; k <= c.restaurants; ++k)
      facility(c, FacilityKind::Restaurant, "RS", k,
               place + "沿街" + std::to_string(10 + k * 6) + "号" + std::string(kEateries[static_cast<size_t>(k - 1) % 5]),
               "2020-03-02");
    for (int k = 1; k <= c.fly_cages; ++k)
      facility(c, FacilityKind::FlyCage, "FC", k, building(k) + (k % 3 == 0 ? "绿地" : "垃圾箱房旁"), "2020-03-13");
  }

  // The rounds. Week 1 (due 4 March): bait set in every box, sewers dosed, holes filled, sites and
  // half the restaurants checked. Week 2 (11 March): boxes checked and topped up, the wells dosed,
  // the rest of the holes and restaurants. Week 3 (18 March): fly cages set up (the seed: 3月中旬起)
  // and kept by the cadres; boxes checked. Week 4 (25 March): boxes and cages checked; 中华新路927弄's
  // round is left half done. Rats are found in weeks 2-4, 102 in all.
  const std::array<std::string_view, 4> weeks = {"2020-03-02", "2020-03-09", "2020-03-16", "2020-03-23"};
  const std::array<std::string_view, 4> days = {"2020-03-04", "2020-03-11", "2020-03-18", "2020-03-25"};
  // Deal the wells over the rain-water blocks and the rats over the bait boxes' later rounds.
  int blocks = 0, boxes = 0;
  for (const Fac& f : facs) blocks += f.kind == FacilityKind::RainWell, boxes += f.kind == FacilityKind::BaitBox;
  std::vector<int> wells(static_cast<size_t>(blocks), kWells / blocks);
  for (int k = 0; k < kWells % blocks; ++k) ++wells[static_cast<size_t>(k)];
  std::vector<std::array<int, 4>> rats(static_cast<size_t>(boxes), std::array<int, 4>{});
  for (int k = 0; k < kRats; ++k) ++rats[static_cast<size_t>(deal.next(boxes))][static_cast<size_t>(1 + deal.next(3))];
  // 中华新路927弄's last round is half done (every other box): what was found there that week was
  // found the week before.
  const int zh_first = boxes - kCommunities[3].bait_boxes;
  for (int b = zh_first; b < boxes; ++b)
    if (b % 2) rats[static_cast<size_t>(b)][2] += std::exchange(rats[static_cast<size_t>(b)][3], 0);
  for (size_t wk = 0; wk < weeks.size(); ++wk) {
    const std::string_view week = weeks[wk], day = days[wk];
    int box = 0, block = 0, hole = 0, restaurant_in_community = 0;
    const DemoCommunity* last = nullptr;
    int minute_of_day = 0;
    for (const Fac& f : facs) {
      if (f.community != last) {
        last = f.community;
        restaurant_in_community = 0;
        minute_of_day = 0;
      }
      const bool half_done = wk == 3 && f.community->name == "中华新路927弄";
      FieldRecord r = item_of(f, week);
      Author who = kChuhai;
      switch (f.kind) {
        case FacilityKind::BaitBox: {
          const int mine = box++;
          if (half_done && mine % 2) continue;
          r.set(FieldMember::Checked, "1");
          if (wk == 0 || (wk == 1 && mine % 3 == 0)) r.set(FieldMember::Treated, "1");
          if (const int found = rats[static_cast<size_t>(mine)][wk]; found > 0) {
            r.set(FieldMember::RatsFound, std::to_string(found));
            r.set(FieldMember::Note, found > 2 ? "鼠迹较多，已补投饵料" : "发现死鼠，已清理");
          }
          break;
        }
        case FacilityKind::RainWell:
          if (wk != 1) { ++block; continue; }
          r.set(FieldMember::Checked, "1");
          r.set(FieldMember::Treated, "1");
          r.set(FieldMember::WellsDosed, std::to_string(wells[static_cast<size_t>(block++)]));
          break;
        case FacilityKind::Sewer:
          if (wk != 0) continue;
          r.set(FieldMember::Checked, "1");
          r.set(FieldMember::Treated, "1");
          break;
        case FacilityKind::RatHole: {
          const int mine = hole++;
          if (static_cast<int>(wk) != (mine < 5 ? 0 : 1)) continue;  // Five filled the first week, three the next.
          r.set(FieldMember::Checked, "1");
          r.set(FieldMember::HolesFilled, "1");
          r.set(FieldMember::Note, "已填埋");
          break;
        }
        case FacilityKind::Site:
          if (wk != 0) continue;
          r.set(FieldMember::Checked, "1");
          r.set(FieldMember::Treated, "1");
          break;
        case FacilityKind::Restaurant: {
          const int mine = restaurant_in_community++;
          if (wk != (mine < 3 ? 0 : 1)) continue;  // 抽查: 20 checked over two weeks.
          r.set(FieldMember::Checked, "1");
          if (mine == 1) r.set(FieldMember::Note, "后厨防鼠网破损，已指导更换");
          break;
        }
        case FacilityKind::FlyCage:
          if (wk < 2) continue;
          if (half_done) continue;
          who = f.community->cadre;  // The committees' health cadres keep the cages (添水补药).
          r.set(FieldMember::Checked, "1");
          r.set(FieldMember::Treated, "1");
          break;
      }
      w.add(ChangeKind::SetRoundItem, who, at(day, minute_of_day++ / 3), std::move(r));
    }
    // Each community's round is marked finished by its cadre the next morning, but the last half done one.
    for (const DemoCommunity& c : kCommunities) {
      if (wk == 3 && c.name == "中华新路927弄") continue;
      FieldRecord r;
      r.campaign = kDemoCampaignId;
      r.week = std::string(week);
      r.community = std::string(c.name);
      r.set(FieldMember::Finished, "1");
      w.add(ChangeKind::SetRound, c.cadre, at(day, 24 * 60), std::move(r));
    }
  }
  return w.take();
}

}  // namespace linli
