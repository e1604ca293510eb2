// Field work records: codes, values, subjects, the registers of R13-R15 and their assembly. Pure.
#include "core/field.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/change.h"
#include "core/civil_time.h"
#include "core/codes.h"
#include "core/ticket.h"

namespace linli {
namespace {

constexpr std::array<std::string_view, kFacilityKindCount> kFacilityKindCodes = {
    "bait_box", "fly_cage", "rain_well", "sewer", "rat_hole", "site", "restaurant"};
constexpr std::array<std::string_view, kFieldMemberCount> kMemberCodes = {
    "code",    "kind",    "location", "retired", "name",       "from",        "to",         "kinds",
    "weekday", "finished", "checked", "treated", "note",       "rats_found",  "holes_filled", "wells_dosed",
    "community"};

// Each field kind's payload, in ChangeKind order from SetFacility: its ids, then the members it
// sets. The one table that says which name belongs to which kind.
constexpr int kFieldKindCount = 4;
constexpr std::array<std::array<std::string_view, 10>, kFieldKindCount> kPayloads = {{
    {"id", "community", "code", "kind", "location", "retired"},
    {"id", "name", "from", "to", "kinds", "weekday"},
    {"campaign", "week", "community", "finished"},
    {"campaign", "week", "community", "facility", "checked", "treated", "note", "rats_found", "holes_filled",
     "wells_dosed"},
}};
// The payload's ids: they say what a change is about and are no register it sets (`community` is
// one, though a facility's community is also kept as the register R15 fixes).
constexpr std::array<std::string_view, 5> kIdNames = {"id", "campaign", "week", "community", "facility"};

const std::array<std::string_view, 10>* payload_of(int change_kind) {
  const int i = change_kind - static_cast<int>(ChangeKind::SetFacility);
  return i >= 0 && i < kFieldKindCount ? &kPayloads[static_cast<size_t>(i)] : nullptr;
}

bool text_ok(std::string_view s, size_t max_chars, bool required) {
  const auto n = utf8_length(s);
  return n && *n <= max_chars && (!required || *n > 0);
}

std::optional<int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;  // One text form per number.
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::string_view to_string(FacilityKind k) { return codes::code_of(kFacilityKindCodes, static_cast<int>(k)); }
std::optional<FacilityKind> parse_facility_kind(std::string_view code) {
  return codes::parse_code<FacilityKind>(kFacilityKindCodes, code);
}
std::string_view to_string(FieldMember m) { return codes::code_of(kMemberCodes, static_cast<int>(m)); }
std::optional<FieldMember> parse_field_member(std::string_view code) {
  return codes::parse_code<FieldMember>(kMemberCodes, code);
}

bool is_count(FieldMember m) {
  return m == FieldMember::RatsFound || m == FieldMember::HolesFilled || m == FieldMember::WellsDosed;
}

FieldValueType value_type(FieldMember m) {
  switch (m) {
    case FieldMember::Retired:
    case FieldMember::Finished:
    case FieldMember::Checked:
    case FieldMember::Treated: return FieldValueType::Bool;
    case FieldMember::Weekday:
    case FieldMember::RatsFound:
    case FieldMember::HolesFilled:
    case FieldMember::WellsDosed: return FieldValueType::Int;
    case FieldMember::From:
    case FieldMember::To: return FieldValueType::Date;
    case FieldMember::Kinds: return FieldValueType::KindList;
    default: return FieldValueType::Text;
  }
}

const std::string* FieldRecord::get(FieldMember m) const {
  for (const auto& [k, v] : values)
    if (k == m) return &v;
  return nullptr;
}

void FieldRecord::set(FieldMember m, std::string value) {
  auto it = std::lower_bound(values.begin(), values.end(), m, [](const auto& p, FieldMember x) { return p.first < x; });
  if (it != values.end() && it->first == m) it->second = std::move(value);
  else values.emplace(it, m, std::move(value));
}

std::vector<std::string_view> payload_members(int change_kind) {
  std::vector<std::string_view> out;
  if (const auto* p = payload_of(change_kind))
    for (std::string_view name : *p)
      if (!name.empty()) out.push_back(name);
  return out;
}

bool payload_takes(int change_kind, std::string_view name) {
  const auto* p = payload_of(change_kind);
  return p && !name.empty() && std::find(p->begin(), p->end(), name) != p->end();
}

bool kind_takes(int change_kind, FieldMember m) {
  const std::string_view name = to_string(m);
  return std::find(kIdNames.begin(), kIdNames.end(), name) == kIdNames.end() && payload_takes(change_kind, name);
}

std::optional<int64_t> parse_day(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::nullopt;
  const auto y = parse_int(d.substr(0, 4));
  // Months and days are two digits, a leading zero allowed.
  auto two = [&](size_t at) -> std::optional<int64_t> {
    const char a = d[at], b = d[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
    return (a - '0') * 10 + (b - '0');
  };
  const auto m = two(5), day = two(8);
  if (!y || !m || !day || *y < 2000 || *y > 2200 || *m < 1 || *m > 12 || *day < 1) return std::nullopt;
  const int64_t days = days_from_civil(*y, *m, *day);
  const CivilDay back = civil_from_days(days);
  if (back.year != *y || back.month != *m || back.day != *day) return std::nullopt;  // 2020-02-30.
  return days;
}

std::string format_day(int64_t days) {
  const CivilDay c = civil_from_days(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

int weekday_of(int64_t days) {  // 1970-01-01 was a Thursday (4).
  const int64_t w = ((days % 7) + 7 + 3) % 7;  // 0 = Monday.
  return static_cast<int>(w) + 1;
}

std::string week_of(std::string_view date) {
  const auto d = parse_day(date);
  return d ? format_day(*d - (weekday_of(*d) - 1)) : std::string();
}

bool is_valid_field_member_value(FieldMember m, std::string_view v) {
  switch (value_type(m)) {
    case FieldValueType::Bool: return v == "0" || v == "1";
    case FieldValueType::Int: {
      const auto n = parse_int(v);
      if (!n) return false;
      return m == FieldMember::Weekday ? *n >= 1 && *n <= 7 : *n <= kMaxFieldCount;
    }
    case FieldValueType::Date: return parse_day(v).has_value();
    case FieldValueType::KindList: {
      if (v.empty()) return false;
      std::vector<FacilityKind> seen;
      for (size_t at = 0; at <= v.size();) {
        const size_t comma = std::min(v.find(',', at), v.size());
        const auto k = parse_facility_kind(v.substr(at, comma - at));
        if (!k || std::find(seen.begin(), seen.end(), *k) != seen.end()) return false;
        seen.push_back(*k);
        at = comma + 1;
      }
      return true;
    }
    case FieldValueType::Text: break;
  }
  switch (m) {
    case FieldMember::Code: return text_ok(v, kMaxFacilityCodeChars, true);
    case FieldMember::Kind: return parse_facility_kind(v).has_value();
    case FieldMember::Location: return text_ok(v, kMaxLocationChars, true);
    case FieldMember::Name: return text_ok(v, kMaxCampaignNameChars, true);
    case FieldMember::Note: return text_ok(v, kMaxFieldNoteChars, false);
    case FieldMember::Community: return text_ok(v, kMaxCommunityChars, true);
    default: return false;
  }
}

std::string field_subject(const Change& c) {
  const FieldRecord& r = c.field_record;
  switch (c.kind) {
    case ChangeKind::SetFacility: return "facility:" + r.facility;
    case ChangeKind::SetCampaign: return "campaign:" + r.campaign;
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem: return "round:" + r.campaign + ":" + r.week + ":" + r.community;
    default: return {};
  }
}

bool is_field_subject(std::string_view s) {
  return s.starts_with("facility:") || s.starts_with("campaign:") || s.starts_with("round:");
}

std::string field_entity(const Change& c) {
  std::string s = field_subject(c);
  if (c.kind == ChangeKind::SetRoundItem) s += "/" + c.field_record.facility;
  return s;
}

bool register_wins(const FieldRegister& in, const FieldRegister& have) {
  return stamp_before(have.stamp, ChangeId{have.replica, have.counter}, in.stamp, ChangeId{in.replica, in.counter});
}

std::vector<FieldRegister> field_writes(const Change& c) {
  std::vector<FieldRegister> out;
  const std::string entity = field_entity(c);
  for (const auto& [m, v] : c.field_record.values)
    out.push_back(FieldRegister{entity, m, is_count(m) ? c.author.user : std::string(), v, c.stamp, c.id.replica,
                                c.id.counter});
  if (c.kind == ChangeKind::SetFacility)
    out.push_back(FieldRegister{entity, FieldMember::Community, "", c.field_record.community, c.stamp, c.id.replica,
                                c.id.counter});
  return out;
}

void fold_field_change(FieldRegisters& regs, const Change& c) {
  for (FieldRegister& w : field_writes(c)) {
    FieldRegisterKey key{w.entity, static_cast<int>(w.member), w.author};
    auto it = regs.find(key);
    if (it == regs.end()) regs.emplace(std::move(key), std::move(w));
    else if (register_wins(w, it->second)) it->second = std::move(w);
  }
}

namespace {

std::vector<FacilityKind> parse_kinds(std::string_view v) {
  std::vector<FacilityKind> out;
  for (size_t at = 0; at <= v.size();) {
    const size_t comma = std::min(v.find(',', at), v.size());
    if (auto k = parse_facility_kind(v.substr(at, comma - at))) out.push_back(*k);
    at = comma + 1;
  }
  return out;
}

// "round:<campaign>:<week>:<community>": the campaign and week have no colon, the community may.
bool split_round(std::string_view subject, Round& r) {
  subject.remove_prefix(6);
  const size_t a = subject.find(':');
  if (a == std::string_view::npos) return false;
  const size_t b = subject.find(':', a + 1);
  if (b == std::string_view::npos) return false;
  r.campaign = subject.substr(0, a);
  r.week = subject.substr(a + 1, b - a - 1);
  r.community = subject.substr(b + 1);
  return true;
}

void put_facility(Facility& f, FieldMember m, const std::string& v) {
  switch (m) {
    case FieldMember::Code: f.code = v; break;
    case FieldMember::Kind:
      if (auto k = parse_facility_kind(v)) f.kind = *k, f.has_kind = true;
      break;
    case FieldMember::Location: f.location = v; break;
    case FieldMember::Retired: f.retired = v == "1"; break;
    case FieldMember::Community: f.community = v; break;
    default: break;
  }
}

void put_campaign(Campaign& c, FieldMember m, const std::string& v) {
  switch (m) {
    case FieldMember::Name: c.name = v; break;
    case FieldMember::From: c.from = v; break;
    case FieldMember::To: c.to = v; break;
    case FieldMember::Kinds: c.kinds = parse_kinds(v); break;
    case FieldMember::Weekday: c.weekday = static_cast<int>(parse_int(v).value_or(1)); break;
    default: break;
  }
}

void put_item(RoundItem& i, const FieldRegister& r) {
  const int64_t n = parse_int(r.value).value_or(0);
  switch (r.member) {
    case FieldMember::Checked: i.checked = r.value == "1"; break;
    case FieldMember::Treated: i.treated = r.value == "1"; break;
    case FieldMember::Note: i.note = r.value; break;
    case FieldMember::RatsFound: i.by_worker[r.author][0] = n; break;
    case FieldMember::HolesFilled: i.by_worker[r.author][1] = n; break;
    case FieldMember::WellsDosed: i.by_worker[r.author][2] = n; break;
    default: break;
  }
}

}  // namespace

FieldData assemble_field(const std::vector<FieldRegister>& regs) {
  FieldData d;
  for (const FieldRegister& r : regs) {
    const std::string_view e = r.entity;
    if (e.starts_with("facility:")) {
      Facility& f = d.facilities[std::string(e.substr(9))];
      f.id = e.substr(9);
      put_facility(f, r.member, r.value);
    } else if (e.starts_with("campaign:")) {
      Campaign& c = d.campaigns[std::string(e.substr(9))];
      c.id = e.substr(9);
      put_campaign(c, r.member, r.value);
    } else if (e.starts_with("round:")) {
      const size_t slash = e.rfind('/');
      const bool item = slash != std::string_view::npos && e.size() - slash == 33;  // "/" + 32 hex.
      const std::string subject(item ? e.substr(0, slash) : e);
      auto [it, fresh] = d.rounds.try_emplace(subject);
      if (fresh && !split_round(subject, it->second)) {
        d.rounds.erase(it);
        continue;
      }
      Round& round = it->second;
      if (!item) {
        if (r.member == FieldMember::Finished) round.finished = r.value == "1";
        continue;
      }
      const std::string facility(e.substr(slash + 1));
      RoundItem& i = round.items[facility];
      i.facility = facility;
      put_item(i, r);
    }
  }
  for (auto& [key, round] : d.rounds)
    for (auto& [fid, item] : round.items) {
      item.rats_found = item.holes_filled = item.wells_dosed = 0;
      for (const auto& [worker, counts] : item.by_worker) {
        item.rats_found += counts[0];
        item.holes_filled += counts[1];
        item.wells_dosed += counts[2];
      }
    }
  return d;
}

std::string finding_entity(const FieldRecord& f) {
  return "round:" + f.campaign + ":" + f.week + ":" + f.community + "/" + f.facility;
}

FieldRecord finding_of(const Round& round, const std::string& facility_id) {
  FieldRecord f;
  f.campaign = round.campaign;
  f.week = round.week;
  f.community = round.community;
  f.facility = facility_id;
  return f;
}

void fill_finding_ticket(Ticket& t, const Facility& facility, const RoundItem& item) {
  t.source = Source::Patrol;
  t.citizen_name.clear();
  t.citizen_phone.clear();
  t.community = facility.community;
  t.address = facility.location.empty() ? facility.community : facility.location;
  t.title = "巡查发现：" + (facility.code.empty() ? std::string(to_string(facility.kind)) : facility.code);
  t.description = item.note;
  t.status = TicketStatus::Received;
}

std::vector<std::string> campaign_weeks(const Campaign& c) {
  std::vector<std::string> out;
  const auto from = parse_day(c.from), to = parse_day(c.to);
  if (!from || !to || *to < *from) return out;
  for (int64_t d = *from - (weekday_of(*from) - 1); d <= *to && out.size() < 60; d += 7) out.push_back(format_day(d));
  return out;
}

}  // namespace linli
