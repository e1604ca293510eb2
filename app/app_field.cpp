// 巡查 (field work, issue 11): the app's commands over facilities, campaigns, rounds and findings.
// Every edit is one change record through ClientSync, as a ticket's are: durable here before it is
// shown saved, pushed by the sync loop, merged on every replica by R13-R15.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app.h"
#include "client/field_records.h"
#include "core/civil_time.h"
#include "core/sha256.h"
#include "platform/platform.h"
#include "refusal_text.h"

namespace linli::ui {
namespace {

// A finding's first title: what the facility is and its code, and the start of what was noted
// ("巡查发现：毒鼠盒 HB-BB-01，盒盖破损，旁边有新鼠洞"), so the dispatcher's list row says what was found,
// not a code alone. In Chinese whatever the interface's language: a ticket's words are the street's.
std::string finding_title(const Facility& fac, const RoundItem& item) {
  std::string title = "巡查发现：" + std::string(label(Lang::Zh, fac.kind));
  if (!fac.code.empty()) title += " " + fac.code;
  constexpr size_t kNoteChars = 24;  // Of the note, in characters: the title stays within a list row.
  size_t at = 0, chars = 0;
  while (at < item.note.size() && item.note[at] != '\n' && chars < kNoteChars) {
    do ++at; while (at < item.note.size() && (static_cast<unsigned char>(item.note[at]) & 0xC0) == 0x80);
    ++chars;
  }
  if (at > 0) title += "，" + item.note.substr(0, at) + (at < item.note.size() ? "…" : "");
  return title;
}

}  // namespace

std::shared_ptr<const FieldSnapshot> App::field_shared() {
  if (!m_field || m_field_revision != m_data_revision) {
    auto read = read_field_snapshot(m_store, m_session && m_session->role == Role::Committee ? m_session->scope
                                                                                              : std::string());
    if (!read) {
      fail(read.error());
      if (!m_field) m_field = std::make_shared<const FieldSnapshot>();
    } else {
      auto fresh = std::make_shared<const FieldSnapshot>(std::move(read).value());
      for (const auto& [id, f] : fresh->data.facilities) saw({f.community, f.code, f.location});
      for (const auto& [id, c] : fresh->data.campaigns) saw({c.name});
      for (const auto& [subject, r] : fresh->data.rounds) {
        saw({r.community});
        for (const auto& [fid, item] : r.items) saw({item.note});
      }
      m_field = std::move(fresh);
    }
    m_field_revision = m_data_revision;
    m_field_totals.reset();
  }
  return m_field;
}

const CampaignTotals& App::campaign_totals(const std::string& campaign_id) {
  const FieldSnapshot& f = field();
  if (!m_field_totals || m_field_totals->campaign != campaign_id)
    m_field_totals = ::linli::campaign_totals(f.data, campaign_id);
  return *m_field_totals;
}

std::optional<Refusal> App::why_not_field(ChangeKind kind, const std::string& community) const {
  if (!m_client || !m_session) return Refusal{RefusalCode::Forbidden, std::string(tr(m_lang, Str::SignInFirst))};
  Change c;
  c.kind = kind;
  c.author = Author{m_session->user, m_session->role};
  c.field_record.community = community;
  return judge_field_change(actor(), c, community);
}

bool App::record_field(Change draft) {
  m_error.clear();
  if (!m_client || !m_session) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return false;
  }
  draft.ticket_id = field_subject(draft);
  draft.author = Author{m_session->user, m_session->role};
  std::string facility_community;
  if (draft.kind == ChangeKind::SetFacility || draft.kind == ChangeKind::SetRoundItem)
    if (const auto it = field().data.facilities.find(draft.field_record.facility); it != field().data.facilities.end())
      facility_community = it->second.community;
  if (auto refusal = judge_field_change(actor(), draft, facility_community)) {
    m_error = refusal_text(m_lang, *refusal);
    return false;
  }
  for (const auto& [member, value] : draft.field_record.values)
    if (!is_valid_field_member_value(member, value)) {
      // The change's own rules (a code too long, an empty location): said before anything is kept.
      m_error = std::string(tr(m_lang, value.empty() ? Str::ErrMissing : Str::ErrBadFormat));
      return false;
    }
  return keep_judged({std::move(draft)});
}

namespace {
std::string new_id() {
  uint8_t random[16];
  platform::fill_random(random, sizeof random);
  return format_ticket_id(random);
}
}  // namespace

bool App::save_facility(const FacilityDraft& d) {
  Change c;
  c.kind = ChangeKind::SetFacility;
  FieldRecord& r = c.field_record;
  r.community = d.community;
  if (d.id.empty()) {
    if (d.code.empty() || d.location.empty() || d.community.empty()) {
      m_error = std::string(tr(m_lang, Str::ErrMissing));
      return false;
    }
    r.facility = new_id();
    r.set(FieldMember::Code, d.code);
    r.set(FieldMember::Kind, std::string(to_string(d.kind)));
    r.set(FieldMember::Location, d.location);
    r.set(FieldMember::Retired, "0");
    return record_field(std::move(c));
  }
  const auto it = field().data.facilities.find(d.id);
  if (it == field().data.facilities.end()) return false;
  const Facility& f = it->second;
  r.facility = f.id;
  r.community = f.community;  // Fixed by its first change (R15).
  if (d.code != f.code) r.set(FieldMember::Code, d.code);
  if (!f.has_kind || d.kind != f.kind) r.set(FieldMember::Kind, std::string(to_string(d.kind)));
  if (d.location != f.location) r.set(FieldMember::Location, d.location);
  if (r.values.empty()) return true;  // Nothing changed.
  return record_field(std::move(c));
}

bool App::set_facility_retired(const std::string& facility_id, bool retired) {
  const auto it = field().data.facilities.find(facility_id);
  if (it == field().data.facilities.end()) return false;
  Change c;
  c.kind = ChangeKind::SetFacility;
  c.field_record.facility = facility_id;
  c.field_record.community = it->second.community;
  c.field_record.set(FieldMember::Retired, retired ? "1" : "0");
  return record_field(std::move(c));
}

bool App::save_campaign(const CampaignDraft& d) {
  if (d.name.empty() || d.kinds.empty() || !parse_day(d.from) || !parse_day(d.to)) {
    m_error = std::string(tr(m_lang, d.name.empty() || d.kinds.empty() ? Str::ErrMissing : Str::ErrBadFormat));
    return false;
  }
  if (d.to < d.from) {
    m_error = std::string(tr(m_lang, Str::FieldDatesBackwards));
    return false;
  }
  Change c;
  c.kind = ChangeKind::SetCampaign;
  c.field_record.campaign = new_id();
  c.field_record.set(FieldMember::Name, d.name);
  c.field_record.set(FieldMember::From, d.from);
  c.field_record.set(FieldMember::To, d.to);
  std::string kinds;
  for (FacilityKind k : d.kinds) kinds += (kinds.empty() ? "" : ",") + std::string(to_string(k));
  c.field_record.set(FieldMember::Kinds, kinds);
  c.field_record.set(FieldMember::Weekday, std::to_string(d.weekday));
  return record_field(std::move(c));
}

bool App::set_round_item(const std::string& campaign, const std::string& week, const std::string& community,
                         const std::string& facility, FieldMember member, const std::string& value) {
  Change c;
  c.kind = ChangeKind::SetRoundItem;
  c.field_record.campaign = campaign;
  c.field_record.week = week;
  c.field_record.community = community;
  c.field_record.facility = facility;
  c.field_record.set(member, value);
  return record_field(std::move(c));
}

bool App::set_round_finished(const std::string& campaign, const std::string& week, const std::string& community,
                             bool finished) {
  Change c;
  c.kind = ChangeKind::SetRound;
  c.field_record.campaign = campaign;
  c.field_record.week = week;
  c.field_record.community = community;
  c.field_record.set(FieldMember::Finished, finished ? "1" : "0");
  return record_field(std::move(c));
}

FindingDraft App::finding_draft(const std::string& campaign, const std::string& week, const std::string& community,
                                const std::string& facility) {
  FindingDraft d;
  d.campaign = campaign;
  d.week = week;
  d.community = community;
  d.facility = facility;
  const FieldSnapshot& f = field();
  const auto fac = f.data.facilities.find(facility);
  if (fac == f.data.facilities.end()) return d;
  RoundItem item;
  if (const Round* r = f.round(campaign, week, community))
    if (const auto it = r->items.find(facility); it != r->items.end()) item = it->second;
  Ticket t;
  fill_finding_ticket(t, fac->second, item);
  d.address = t.address;
  d.title = finding_title(fac->second, item);
  d.description = t.description;
  // Rats, flies and mosquitoes are 病媒防治; a site or a restaurant is mostly 环境卫生.
  const FacilityKind k = fac->second.kind;
  d.category = k == FacilityKind::Site || k == FacilityKind::Restaurant ? Category::Sanitation : Category::PestControl;
  return d;
}

std::optional<Refusal> App::why_not_finding(const std::string& community) const {
  if (!m_client || !m_session) return Refusal{RefusalCode::Forbidden, std::string(tr(m_lang, Str::SignInFirst))};
  Change c;
  c.kind = ChangeKind::CreateTicket;
  c.ticket_id = std::string(32, '0');
  c.author = Author{m_session->user, m_session->role};
  c.ticket.id = c.ticket_id;
  c.ticket.source = Source::Patrol;
  c.ticket.community = community;
  return judge_change(actor(), TicketState{}, c);
}

bool App::open_finding(const FindingDraft& d) {
  m_error.clear();
  if (!m_client) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return false;
  }
  if (auto refusal = why_not_finding(d.community)) {
    m_error = refusal_text(m_lang, *refusal);
    return false;
  }
  const int64_t now = platform::now_ms();
  Ticket t;
  t.id = std::string(32, '0');
  t.source = Source::Patrol;
  t.received_at_ms = now;
  t.community = d.community;
  t.address = d.address;
  t.category = d.category;
  t.urgency = d.urgency;
  t.title = d.title;
  t.description = d.description;
  if (const auto problems = validate_new_ticket(t); !problems.empty()) {
    m_error = std::string(tr(m_lang, Str::FixProblems)) + " (" + std::string(to_string(problems.front().field)) + ")";
    return false;
  }
  t.id = new_id();
  t.created_at_ms = now;
  t.updated_at_ms = now;
  FieldRecord item;
  item.campaign = d.campaign;
  item.week = d.week;
  item.community = d.community;
  item.facility = d.facility;
  auto recorded = app::record_finding_ticket(m_store, *m_client, std::move(t), item, d.photos, now);
  if (!recorded) {
    fail(recorded.error());
    return false;
  }
  if (m_sync) m_sync->edited();
  drop_finding_draft();  // Its photos are the ticket's now, waiting for their upload.
  set_notice(Str::Created, recorded->ticket.provisional_number);
  m_notice_ticket = recorded->ticket.id;
  m_selected = recorded->ticket.id;
  reload();
  return true;
}

namespace {

// The finding form kept on the device (App::keep_finding_draft): its fields as JSON under one key,
// each photo's bytes under a key of its own, named by their SHA-256 (written once).
constexpr std::string_view kFindingDraftKey = "app.finding_draft";
std::string finding_photo_key(const std::string& sha256) { return "app.finding_draft.photo." + sha256; }

std::vector<std::string> draft_photo_names(const std::optional<std::string>& json) {
  std::vector<std::string> out;
  if (!json) return out;
  const nlohmann::json j = nlohmann::json::parse(*json, nullptr, false);
  if (j.is_object() && j.contains("photos") && j["photos"].is_array())
    for (const auto& p : j["photos"])
      if (p.is_object() && p.value("sha256", "").size() == 64) out.push_back(p.value("sha256", ""));
  return out;
}

}  // namespace

void App::keep_finding_draft(const FindingDraft& d) {
  nlohmann::json photos = nlohmann::json::array();
  std::vector<std::string> names;
  for (const app::CapturedPhoto& p : d.photos) {
    names.push_back(sha256_hex(p.bytes));
    photos.push_back({{"sha256", names.back()}, {"type", p.type}, {"width", p.width}, {"height", p.height}});
  }
  const nlohmann::json j = {{"campaign", d.campaign},     {"week", d.week},
                            {"community", d.community},   {"facility", d.facility},
                            {"address", d.address},       {"title", d.title},
                            {"description", d.description}, {"category", std::string(to_string(d.category))},
                            {"urgency", std::string(to_string(d.urgency))}, {"photos", photos}};
  auto kept = m_store.in_one_transaction([&]() -> Result<void> {
    auto before = m_store.read_value(kFindingDraftKey);
    if (!before) return before.error();
    const std::vector<std::string> old = draft_photo_names(*before);
    for (const std::string& name : old)  // Removed from the form: forgotten.
      if (std::find(names.begin(), names.end(), name) == names.end())
        if (auto r = m_store.erase_value(finding_photo_key(name)); !r) return r;
    for (size_t i = 0; i < names.size(); ++i)  // New to the form: kept (a photo's bytes never change).
      if (std::find(old.begin(), old.end(), names[i]) == old.end())
        if (auto r = m_store.write_value(finding_photo_key(names[i]), d.photos[i].bytes); !r) return r;
    return m_store.write_value(kFindingDraftKey, j.dump());
  });
  if (!kept) fail(kept.error());
}

std::optional<FindingDraft> App::kept_finding_draft() {
  auto json = m_store.read_value(kFindingDraftKey);
  if (!json || !*json) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(**json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  FindingDraft d;
  d.campaign = j.value("campaign", "");
  d.week = j.value("week", "");
  d.community = j.value("community", "");
  d.facility = j.value("facility", "");
  d.address = j.value("address", "");
  d.title = j.value("title", "");
  d.description = j.value("description", "");
  d.category = parse_category(j.value("category", "")).value_or(Category::PestControl);
  d.urgency = parse_urgency(j.value("urgency", "")).value_or(Urgency::Normal);
  if (j.contains("photos") && j["photos"].is_array())
    for (const auto& p : j["photos"]) {
      if (!p.is_object()) continue;
      auto bytes = m_store.read_value(finding_photo_key(p.value("sha256", "")));
      if (!bytes || !*bytes || sha256_hex(**bytes) != p.value("sha256", "")) continue;  // Only the bytes named.
      d.photos.push_back(app::CapturedPhoto{std::move(**bytes), p.value("type", "image/jpeg"), p.value("width", 0),
                                            p.value("height", 0)});
    }
  return d;
}

void App::drop_finding_draft() {
  auto dropped = m_store.in_one_transaction([&]() -> Result<void> {
    auto before = m_store.read_value(kFindingDraftKey);
    if (!before) return before.error();
    for (const std::string& name : draft_photo_names(*before))
      if (auto r = m_store.erase_value(finding_photo_key(name)); !r) return r;
    return m_store.erase_value(kFindingDraftKey);
  });
  if (!dropped) fail(dropped.error());
}

std::string App::field_state_json() {
  const FieldSnapshot& f = field();
  nlohmann::json campaigns = nlohmann::json::array();
  for (const Campaign* c : f.campaigns)
    campaigns.push_back({{"id", c->id}, {"name", c->name}, {"from", c->from}, {"to", c->to}});
  int64_t retired = 0;
  for (const auto& [id, fac] : f.data.facilities) retired += fac.retired ? 1 : 0;
  nlohmann::json findings = nlohmann::json::object();
  for (const auto& [entity, ticket] : f.finding_tickets) findings[entity] = ticket;
  nlohmann::json out = {{"facilities", f.data.facilities.size()}, {"retired", retired},
                        {"rounds", f.data.rounds.size()},         {"campaigns", campaigns},
                        {"communities", f.communities},           {"findings", findings}};
  if (m_field_totals) {
    const CampaignFigures& s = m_field_totals->street;
    out["totals"] = {{"campaign", m_field_totals->campaign}, {"bait_boxes_set", s.bait_boxes_set},
                     {"sewers_dosed", s.sewers_dosed},         {"fly_cages_kept", s.fly_cages_kept},
                     {"rat_holes_filled", s.rat_holes_filled}, {"rats_killed", s.rats_killed},
                     {"wells_dosed", s.wells_dosed},           {"sites_checked", s.sites_checked},
                     {"items_checked", s.items_checked}};
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace linli::ui
