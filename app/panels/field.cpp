// 巡查 (field work): a campaign and a community chosen on top; under them the week's round (the
// checklist, saved item by item), the community's facilities, the campaign's totals and the
// campaigns. Draws what App::field() holds and emits App's field commands; computes nothing itself.
// Widget ids carry the facility's code ("##checked-HB-BB-01") so tests find a line's widgets.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"
#include "test_hook.h"

namespace linli::ui {

using namespace palette;
namespace {



template <class... A>
std::string fmt(Lang lang, Str s, A... args) {
  char b[256];
  std::snprintf(b, sizeof b, S(lang, s).c_str(), args...);
  return b;
}

// "第2周（2020-03-09起）", the week's place in the campaign.
std::string week_label(Lang lang, const Campaign& c, const std::string& week) {
  const auto weeks = campaign_weeks(c);
  const auto at = std::find(weeks.begin(), weeks.end(), week);
  return fmt(lang, Str::FwWeek, static_cast<int>(at - weeks.begin()) + 1, week.c_str());
}

std::string due_day(const Campaign& c, const std::string& week) {
  const auto d = parse_day(week);
  return d ? format_day(*d + c.weekday - 1) : week;
}

void read_only_line(Lang lang, const std::optional<Refusal>& why) {
  if (why) ImGui::TextColored(kMuted, "%s", fmt(lang, Str::FwReadOnly, why->reason.c_str()).c_str());
}

// The campaign and community on top, and the as-of stamp on the right.
void draw_choosers(App& app, FrameInfo& frame, const FieldSnapshot& f) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  // The campaign under way today (the newest first), shown unless the user picked another: a new
  // campaign the centre sets up reaches the workers' phones as the one they record into.
  const std::string today = format_day(shanghai_days(platform::now_ms()));
  const Campaign* current = nullptr;
  for (const Campaign* k : f.campaigns)
    if (k->from <= today && today <= k->to) {
      current = k;
      break;
    }
  const Campaign* c = f.campaign(ff.campaign);
  if (!c) ff.campaign_chosen = false;
  if (!ff.campaign_chosen) {
    const Campaign* want = current ? current : f.campaigns.empty() ? nullptr : f.campaigns.front();
    if (want && want != c) {
      c = want;
      ff.campaign = c->id;
      ff.week.clear();
    }
  }
  const bool committee = app.session() && app.session()->role == Role::Committee;
  if (committee) ff.community = app.session()->scope;
  if (ff.community.empty() && !f.communities.empty()) ff.community = f.communities.front();
  if (c && ff.week.empty()) ff.week = default_week(*c, format_day(shanghai_days(platform::now_ms())));

  // The community beside the campaign when the row has room; on a phone under it, the two boxes
  // lined up behind labels of one width.
  const float em = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();
  const std::string campaign_word = S(lang, Str::FwCampaign), community_word = S(lang, Str::FieldCommunity);
  const float campaign_label = ImGui::CalcTextSize(campaign_word.c_str()).x;
  const float community_label = ImGui::CalcTextSize(community_word.c_str()).x;
  const float start = ImGui::GetCursorPosX();
  const bool stacked = ImGui::GetContentRegionAvail().x <
                       campaign_label + community_label + em * (16 + 1.2f + 11) + style.ItemSpacing.x * 2;
  const float box_x = start + std::max(campaign_label, community_label) + style.ItemSpacing.x;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(campaign_word.c_str());
  ImGui::SameLine(stacked ? box_x : 0.0f);
  // Never past the screen's edge (a phone of 360 pixels cut its ▼ off).
  ImGui::SetNextItemWidth(std::min(em * 16, ImGui::GetContentRegionAvail().x));
  if (begin_combo("##fw-campaign", c ? c->name.c_str() : "—")) {
    for (const Campaign* k : f.campaigns) {
      const std::string item = k->name + "  " + k->from + " – " + k->to + "##" + k->id;
      if (ImGui::Selectable(item.c_str(), c == k)) {
        ff.campaign = k->id;
        ff.campaign_chosen = true;
        ff.week.clear();
      }
    }
    end_combo();
  }
  if (!stacked) ImGui::SameLine(0, em * 1.2f);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(community_word.c_str());
  ImGui::SameLine(stacked ? box_x : 0.0f);
  ImGui::SetNextItemWidth(std::min(em * 10, ImGui::GetContentRegionAvail().x));
  ImGui::BeginDisabled(committee);
  if (begin_combo("##fw-community", ff.community.empty() ? "—" : ff.community.c_str())) {
    for (const std::string& name : f.communities)
      if (ImGui::Selectable(name.c_str(), name == ff.community)) ff.community = name;
    end_combo();
  }
  ImGui::EndDisabled();
  // A campaign picked earlier that is not the one under way: say which is, one click away.
  if (current && c && current != c) {
    const std::string line =
        fmt(lang, Str::FwCurrentCampaign, current->name.c_str(), current->from.c_str(), current->to.c_str());
    const std::string button = S(lang, Str::FwSwitchCampaign) + "##fw-switch-campaign";
    // The button after the words where both fit on the row; else under the words (a phone).
    const bool beside = ImGui::CalcTextSize(line.c_str()).x + ImGui::CalcTextSize(button.c_str(), nullptr, true).x +
                            style.FramePadding.x * 2 + style.ItemSpacing.x * 2 <
                        ImGui::GetContentRegionAvail().x;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kAmber, "%s", line.c_str());
    ImGui::PopTextWrapPos();
    if (beside) ImGui::SameLine();
    if (small_button(button.c_str())) {
      ff.campaign = current->id;
      ff.campaign_chosen = false;
      ff.week.clear();
    }
  }
  // As of the last sync, as the dashboard says it: what this device holds.
  const int64_t last = app.sync_status().last_ok_ms;
  const std::string stamp = last > 0 ? fmt(lang, Str::FwAsOf, format_shanghai_minute(last).c_str())
                                     : S(lang, Str::DashNotSynced);
  // On the right of the row when it fits there; else left out (the status bar says the last sync).
  const float w = ImGui::CalcTextSize(stamp.c_str()).x;
  ImGui::SameLine(0, ImGui::GetFontSize());
  if (ImGui::GetContentRegionAvail().x < w) {
    ImGui::NewLine();
    return;
  }
  ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - w);
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(kMuted, "%s", stamp.c_str());
}

// Kind chips: 全部类型 and each kind with its count; -1 all.
void kind_chips(Lang lang, int& filter, const std::vector<FacilityKind>& kinds, const std::vector<int>& counts) {
  auto chip = [&](const std::string& text, int value, const char* id) {
    if (choice(text + "##" + id, filter == value)) filter = value;
    ImGui::SameLine();
  };
  chip(S(lang, Str::FwAllKinds), -1, "fw-kind-all");
  for (size_t i = 0; i < kinds.size(); ++i) {
    const int k = static_cast<int>(kinds[i]);
    const std::string id = "fw-kind-" + std::string(to_string(kinds[i]));
    const std::string text = std::string(label(lang, kinds[i])) + " " + std::to_string(counts[i]);
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(text.c_str()).x + ImGui::GetFontSize()) ImGui::NewLine();
    chip(text, k, id.c_str());
  }
  ImGui::NewLine();
}

// A count cell: this worker's own part, typed; the sum over workers beside it when others counted.
void count_cell(App& app, FrameInfo& frame, const Campaign& c, const ChecklistLine& line, FieldMember m,
                int64_t sum, const char* tag) {
  FieldFrame& ff = frame.field;
  const std::string user = app.session() ? app.session()->user : std::string();
  const int64_t own = line.own(m, user);
  const std::string key = line.facility->id + "/" + tag;
  auto [it, fresh] = ff.counts.try_emplace(key, own);
  const std::string id = std::string("##") + tag + "-" + line.facility->code;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.4f);
  ImGui::InputScalar(id.c_str(), ImGuiDataType_S64, &it->second);
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    const int64_t v = std::clamp<int64_t>(it->second, 0, kMaxFieldCount);
    if (v != own) app.set_round_item(c.id, ff.week, ff.community, line.facility->id, m, std::to_string(v));
  } else if (!ImGui::IsItemActive()) {
    it->second = own;  // A pull or a colleague's edit shows at once.
  }
  // Others' part, not the sum: "0 =2" read as a box to fill in, and a committee's officer walking
  // the round with the field team typed the same 2 rats again (4).
  if (sum != own) {
    ImGui::SameLine(0, 3);
    ImGui::TextColored(kMuted, "%s", fmt(app.lang(), Str::FwOthersPart, static_cast<long long>(sum - own)).c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", fmt(app.lang(), Str::FwCountSum, static_cast<long long>(sum), static_cast<long long>(own)).c_str());
  }
}

// Which counts a facility of a kind gives: rats where bait or traps are, holes where they are dug,
// wells at a rain-water block.
bool counts_for(FacilityKind kind, FieldMember m) {
  switch (m) {
    case FieldMember::RatsFound:
      return kind == FacilityKind::BaitBox || kind == FacilityKind::RatHole || kind == FacilityKind::Sewer ||
             kind == FacilityKind::Site || kind == FacilityKind::Restaurant;
    case FieldMember::HolesFilled:
      return kind == FacilityKind::RatHole || kind == FacilityKind::BaitBox || kind == FacilityKind::Site;
    case FieldMember::WellsDosed: return kind == FacilityKind::RainWell;
    default: return false;
  }
}

void open_ticket(App& app, FrameInfo& frame, const std::string& ticket_id) {
  app.select(ticket_id);
  frame.scroll_to_selected = true;
  app.set_view(View::Tickets);
}

// The finding confirm: every field filled in from the round item; one click records the ticket,
// its photos and the link back.
void finding_popup(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  const char* id = "##fw-finding";
  if (ff.finding_open && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  ImGui::SetNextWindowSize(ImVec2(std::min(ImGui::GetFontSize() * 34, ImGui::GetMainViewport()->WorkSize.x - 40), 0));
  if (!ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_NoTitleBar)) {
    ff.finding_open = false;
    return;
  }
  FindingDraft& d = ff.finding;
  ImGui::TextUnformatted(S(lang, Str::FwFindingTitle).c_str());
  ImGui::Separator();
  const float lw = ImGui::GetFontSize() * (lang == Lang::Zh ? 5.0f : 7.0f);
  auto row_label = [&](Str s) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(S(lang, s).c_str());
    ImGui::SameLine(lw);
    ImGui::SetNextItemWidth(-1);
  };
  row_label(Str::FieldCommunity);
  ImGui::TextUnformatted(d.community.c_str());
  bool keep = false;  // The form changed: kept on the device (a field when it is left).
  row_label(Str::FieldAddress);
  ImGui::InputText("##fw-finding-address", &d.address);
  keep |= ImGui::IsItemDeactivatedAfterEdit();
  row_label(Str::FieldCategory);
  if (begin_combo("##fw-finding-category", std::string(label(lang, d.category)).c_str())) {
    for (int i = 0; i < kCategoryCount; ++i)
      if (ImGui::Selectable(std::string(label(lang, static_cast<Category>(i))).c_str(), i == static_cast<int>(d.category))) {
        if (d.category != static_cast<Category>(i)) d.urgency = default_urgency(static_cast<Category>(i));
        d.category = static_cast<Category>(i);
        keep = true;
      }
    end_combo();
  }
  row_label(Str::FieldUrgency);
  for (int i = 0; i < kUrgencyCount; ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::RadioButton((std::string(label(lang, static_cast<Urgency>(i))) + "##fw-finding-urgency-" + std::to_string(i)).c_str(),
                           d.urgency == static_cast<Urgency>(i))) {
      d.urgency = static_cast<Urgency>(i);
      keep = true;
    }
  }
  row_label(Str::FieldTitle);
  ImGui::InputText("##fw-finding-title", &d.title);
  keep |= ImGui::IsItemDeactivatedAfterEdit();
  row_label(Str::FieldDescription);
  wrapped_input("##fw-finding-description", &d.description, ImVec2(-1, ImGui::GetTextLineHeight() * 3.6f));
  keep |= ImGui::IsItemDeactivatedAfterEdit();
  // The problem as found: photos taken here are held with the form (and kept on the device with
  // it) and become the new ticket's 整改前 photos in its transaction (client/field_records.cpp),
  // then upload like any other.
  for (app::CapturedPhoto& p : app.take_finding_photos()) {
    d.photos.push_back(std::move(p));
    keep = true;
  }
  row_label(Str::SectionPhotos);
  ImGui::BeginDisabled(app.photo_processing());
  if (ImGui::Button((S(lang, Str::PhotoTakeBefore) + "##fw-finding-photo").c_str())) app.take_finding_photo();
  ImGui::EndDisabled();
  if (app.photo_processing()) {
    ImGui::SameLine();
    ImGui::TextColored(kMuted, "%s", S(lang, Str::PhotoProcessing).c_str());
  }
  std::optional<size_t> drop;
  for (size_t i = 0; i < d.photos.size(); ++i) {
    const app::CapturedPhoto& p = d.photos[i];
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%s %zu · %d×%d · %.0f KB", S(lang, Str::PhotoBefore).c_str(), i + 1, p.width, p.height,
                static_cast<double>(p.bytes.size()) / 1024.0);
    ImGui::SameLine();
    if (small_button((S(lang, Str::FwRemovePhoto) + "##fw-finding-photo-remove-" + std::to_string(i)).c_str())) drop = i;
  }
  if (drop) {
    d.photos.erase(d.photos.begin() + static_cast<std::ptrdiff_t>(*drop));
    keep = true;
  }
  if (keep) app.keep_finding_draft(d);
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(kMuted, "%s", S(lang, Str::FwFindingHint).c_str());
  ImGui::PopTextWrapPos();
  if (!app.error().empty()) ImGui::TextColored(kProblem, "%s", app.error().c_str());
  ImGui::Spacing();
  if (primary_button((S(lang, Str::FwOpenTicket) + "##fw-finding-confirm").c_str())) {
    if (app.open_finding(d)) {
      ff.finding_open = false;
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button((S(lang, Str::Cancel) + "##fw-finding-cancel").c_str())) {
    ff.finding_open = false;
    app.drop_finding_draft();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// The note of a line, typed and saved when left; its width set by the caller.
void note_input(App& app, FrameInfo& frame, const Campaign& c, const ChecklistLine& line) {
  FieldFrame& ff = frame.field;
  const Facility& fac = *line.facility;
  auto [note, fresh] = ff.notes.try_emplace(fac.id, line.item.note);
  // It wraps as typed and grows to three lines: a note of a sentence was cut at the card's edge.
  wrapped_note_input(("##note-" + fac.code).c_str(), S(app.lang(), Str::FwNoteHint), &note->second, 0, 3);
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    if (note->second != line.item.note) app.set_round_item(c.id, ff.week, ff.community, fac.id, FieldMember::Note, note->second);
  } else if (!ImGui::IsItemActive()) {
    note->second = line.item.note;
  }
}

// What a line's ticket cell says: the number of the ticket its finding became (read from the
// store), else 开工单.
std::string ticket_cell_text(App& app, const ChecklistLine& line) {
  return line.ticket_id.empty() ? S(app.lang(), Str::FwOpenTicket) : app.ticket_label(line.ticket_id).first;
}

// The ticket a line's finding became (a link to it, `text` its number), or the button that opens one.
void ticket_cell(App& app, FrameInfo& frame, const Campaign& c, const ChecklistLine& line, const std::string& text) {
  FieldFrame& ff = frame.field;
  const Facility& fac = *line.facility;
  if (!line.ticket_id.empty()) {
    const std::string& number = text;
    ImGui::PushStyleColor(ImGuiCol_Text, kAccent);
    if (small_button((number + "##ticket-" + fac.code).c_str())) open_ticket(app, frame, line.ticket_id);
    ImGui::PopStyleColor();
    return;
  }
  const auto why_not = app.why_not_finding(ff.community);
  ImGui::BeginDisabled(why_not.has_value());
  if (small_button((text + "##finding-" + fac.code).c_str())) {
    const auto note = ff.notes.find(fac.id);
    const std::string typed = note != ff.notes.end() ? note->second : line.item.note;
    if (typed != line.item.note)  // A note typed and not yet left: kept first.
      app.set_round_item(c.id, ff.week, ff.community, fac.id, FieldMember::Note, typed);
    app.forget_error();
    ff.finding = app.finding_draft(c.id, ff.week, ff.community, fac.id);
    ff.finding.description = typed;
    ff.finding_open = true;
    app.keep_finding_draft(ff.finding);
  }
  ImGui::EndDisabled();
  if (why_not && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", why_not->reason.c_str());
}

// A check box with its word beside it, the word a part of what a finger can tap (a phone's
// checklist). The box keeps the id the wide table gives it ("##checked-HB-BB-01").
bool labelled_box(const std::string& id, const std::string& word, bool& value, bool enabled) {
  bool changed = ImGui::Checkbox(id.c_str(), &value);
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(word.c_str());
  if (enabled && ImGui::IsItemClicked()) {
    value = !value;
    changed = true;
  }
  return changed;
}

// The checklist on a phone or a small window: each facility a card of three lines, its code, kind
// and location (and its ticket) on top; the boxes and the counts its kind gives; the note.
void draw_round_cards(App& app, FrameInfo& frame, const Campaign& c, const std::vector<ChecklistLine>& lines,
                      const std::optional<Refusal>& why) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  const float fh = ImGui::GetFontSize();
  // On a phone the cards scroll with the page (##fw-body): the campaign, the week and the filters go
  // up out of the way, where a list of its own under them had room for less than one card.
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                (touch_layout() ? 0 : ImGuiTableFlags_ScrollY);
  const std::string table_id = std::string("##fw-round-cards-") + std::string(lang_code(lang));
  if (!ImGui::BeginTable(table_id.c_str(), 1, flags)) return;
  ImGui::TableSetupColumn("##card", ImGuiTableColumnFlags_WidthStretch);
  for (const ChecklistLine& line : lines) {
    const Facility& fac = *line.facility;
    if (ff.kind_filter >= 0 && static_cast<int>(fac.kind) != ff.kind_filter) continue;
    ImGui::PushID(fac.id.c_str());
    ImGui::TableNextRow(0, fh * 5);
    if (line.item.checked) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, kDoneRowU);
    ImGui::TableNextColumn();
    ImGui::Dummy(ImVec2(0, fh * 0.15f));
    // Line 1: what and where; the ticket on the right.
    const float right = ImGui::GetContentRegionMax().x;
    const std::string button = ticket_cell_text(app, line);
    const float bw = ImGui::CalcTextSize(button.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(right - bw - fh * 0.6f);
    ImGui::TextUnformatted(fac.code.c_str());
    ImGui::SameLine();
    ImGui::TextColored(kMuted, "%s", std::string(label(lang, fac.kind)).c_str());
    ImGui::TextWrapped("%s", fac.location.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::SameLine(right - bw);
    ticket_cell(app, frame, c, line, button);
    // Line 2: the boxes and the counts, as many to a line as fit.
    ImGui::BeginDisabled(why.has_value());
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    bool is_checked = line.item.checked;
    if (labelled_box("##checked-" + fac.code, S(lang, Str::FwColChecked), is_checked, !why))
      app.set_round_item(c.id, ff.week, ff.community, fac.id, FieldMember::Checked, is_checked ? "1" : "0");
    ImGui::SameLine(0, fh);
    bool is_treated = line.item.treated;
    if (labelled_box("##treated-" + fac.code, S(lang, Str::FwColTreated), is_treated, !why))
      app.set_round_item(c.id, ff.week, ff.community, fac.id, FieldMember::Treated, is_treated ? "1" : "0");
    ImGui::PopStyleVar();
    const struct {
      FieldMember member;
      int64_t sum;
      Str word;
      const char* tag;
    } counts[] = {{FieldMember::RatsFound, line.item.rats_found, Str::FwColRats, "rats"},
                  {FieldMember::HolesFilled, line.item.holes_filled, Str::FwColHoles, "holes"},
                  {FieldMember::WellsDosed, line.item.wells_dosed, Str::FwColWells, "wells"}};
    // The counts beside the boxes when they all fit there, else together on the line under them.
    float counts_w = 0;
    for (const auto& k : counts)
      if (counts_for(fac.kind, k.member) || k.sum != 0) counts_w += ImGui::CalcTextSize(S(lang, k.word).c_str()).x + fh * 5.0f;
    bool first = true;
    for (const auto& k : counts) {
      if (!counts_for(fac.kind, k.member) && k.sum == 0) continue;
      const std::string word = S(lang, k.word);
      ImGui::SameLine(0, fh);
      if (first && ImGui::GetContentRegionAvail().x < counts_w) ImGui::NewLine();
      first = false;
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(kMuted, "%s", word.c_str());
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      count_cell(app, frame, c, line, k.member, k.sum, k.tag);
    }
    // Line 3: the note.
    ImGui::SetNextItemWidth(-1);
    note_input(app, frame, c, line);
    ImGui::EndDisabled();
    ImGui::Dummy(ImVec2(0, fh * 0.1f));
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// The week's round: the week picker, its progress and the finish button; then the checklist.
void draw_round(App& app, FrameInfo& frame, const FieldSnapshot& f, const Campaign& c) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  const auto weeks = campaign_weeks(c);
  auto at = std::find(weeks.begin(), weeks.end(), ff.week);
  if (at == weeks.end() && !weeks.empty()) {
    ff.week = default_week(c, format_day(shanghai_days(platform::now_ms())));
    at = std::find(weeks.begin(), weeks.end(), ff.week);
  }
  ImGui::BeginDisabled(at == weeks.begin());
  if (ImGui::ArrowButton("##fw-week-prev", ImGuiDir_Left)) ff.week = *(at - 1);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * (lang == Lang::Zh ? 11.0f : 12.5f));
  if (begin_combo("##fw-week", week_label(lang, c, ff.week).c_str())) {
    for (const std::string& w : weeks)
      if (ImGui::Selectable(week_label(lang, c, w).c_str(), w == ff.week)) ff.week = w;
    end_combo();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(at == weeks.end() || at + 1 == weeks.end());
  if (ImGui::ArrowButton("##fw-week-next", ImGuiDir_Right)) ff.week = *(at + 1);
  ImGui::EndDisabled();
  std::string due = fmt(lang, Str::FwDue, (due_day(c, ff.week) + " " + std::string(weekday_label(lang, c.weekday))).c_str());
  // A round whose day has gone by unfinished says so, in red: the week chosen is not this week.
  const Round* shown_round = f.round(c.id, ff.week, ff.community);
  const auto due_days = parse_day(due_day(c, ff.week));
  const int64_t today_days = shanghai_days(platform::now_ms());
  // (Not once the campaign has ended: the banner below says so, and every round of it is past.)
  const bool late = due_days && *due_days < today_days && format_day(today_days) <= c.to &&
                    !(shown_round && shown_round->finished);
  if (late) due += " · " + fmt(lang, Str::FwDueLate, static_cast<int>(today_days - *due_days));
  const float fh = ImGui::GetFontSize();
  // Each piece beside the last while the row has room (a phone: on the lines under it).
  auto flow = [&](float width) {
    ImGui::SameLine(0, fh);
    if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
  };
  flow(ImGui::CalcTextSize(due.c_str()).x);
  ImGui::AlignTextToFramePadding();
  ImGui::PushTextWrapPos(0.0f);  // A phone's width holds the date; the late words may take a second line.
  ImGui::TextColored(late ? kProblem : kMuted, "%s", due.c_str());
  ImGui::PopTextWrapPos();

  const std::vector<ChecklistLine> lines = f.checklist(c, ff.week, ff.community);
  int checked = 0;
  for (const ChecklistLine& l : lines) checked += l.item.checked ? 1 : 0;
  const Round* round = f.round(c.id, ff.week, ff.community);
  const bool finished = round && round->finished;
  const std::optional<Refusal> why = app.why_not_field(ChangeKind::SetRoundItem, ff.community);
  const std::string progress = fmt(lang, Str::FwProgress, checked, static_cast<int>(lines.size()));
  const std::string finish = S(lang, finished ? Str::FwReopenRound : Str::FwMarkFinished);
  const std::string done = finished ? S(lang, Str::FwFinished) : std::string();
  const ImGuiStyle& style = ImGui::GetStyle();
  flow(fh * 9 + style.ItemSpacing.x + (done.empty() ? 0 : ImGui::CalcTextSize(done.c_str()).x + style.ItemSpacing.x) +
       ImGui::CalcTextSize(finish.c_str()).x + style.FramePadding.x * 2);
  ImGui::ProgressBar(lines.empty() ? 0.0f : static_cast<float>(checked) / static_cast<float>(lines.size()),
                     ImVec2(fh * 9, 0), progress.c_str());
  ImGui::SameLine();
  if (finished) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kGood, "%s", done.c_str());
    ImGui::SameLine();
  }
  ImGui::BeginDisabled(why.has_value() || lines.empty());
  // Every facility checked and the round still open: finishing it is the next step.
  const bool next = !finished && !lines.empty() && checked == static_cast<int>(lines.size());
  const std::string finish_id = finish + "##fw-finish";
  if (next ? primary_button(finish_id.c_str()) : ImGui::Button(finish_id.c_str()))
    app.set_round_finished(c.id, ff.week, ff.community, !finished);
  ImGui::EndDisabled();
  // A campaign over (or not begun) says so: counts typed here go to the week chosen, not this one.
  const std::string today = format_day(shanghai_days(platform::now_ms()));
  const ImVec4 paper(1.0f, 0.95f, 0.84f, 1), ink(0.50f, 0.30f, 0.0f, 1);  // The amber band of 待复核.
  std::string over;
  if (!c.to.empty() && today > c.to) over = fmt(lang, Str::FwCampaignEnded, c.from.c_str(), c.to.c_str());
  else if (!c.from.empty() && today < c.from) over = fmt(lang, Str::FwCampaignNotBegun, c.from.c_str());
  // No campaign runs today, and this user cannot start one: who can.
  const bool running = std::any_of(f.campaigns.begin(), f.campaigns.end(), [&](const Campaign* k) {
    return (k->from.empty() || k->from <= today) && (k->to.empty() || today <= k->to);
  });
  if (!over.empty() && !running && app.why_not_field(ChangeKind::SetCampaign, ""))
    over += "\n" + S(lang, Str::FwAskCentre);
  if (!over.empty()) band(over, paper, ink);
  read_only_line(lang, why);
  if (lines.empty()) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMuted, "%s", S(lang, Str::FwNoFacilities).c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  // Chips for the campaign's kinds: a long list is worked through one kind at a time.
  std::vector<int> counts;
  for (FacilityKind k : c.kinds)
    counts.push_back(static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const ChecklistLine& l) {
      return l.facility->kind == k;
    })));
  kind_chips(lang, ff.kind_filter, c.kinds, counts);
  if (!app.error().empty() && !ff.finding_open) ImGui::TextColored(kProblem, "%s", app.error().c_str());

  // A phone or a small window: a card a facility, so the location and the note keep their room.
  if (ImGui::GetContentRegionAvail().x < fh * 58) {
    draw_round_cards(app, frame, c, lines, why);
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  // A small laptop: the kind column goes (the chips and the code say it) and the count columns
  // shown are those the kinds listed give, so the location and the note keep their room.
  const bool narrow = ImGui::GetContentRegionAvail().x < fh * 80;
  bool need[3] = {false, false, false};
  for (const ChecklistLine& l : lines) {
    if (ff.kind_filter >= 0 && static_cast<int>(l.facility->kind) != ff.kind_filter) continue;
    need[0] |= counts_for(l.facility->kind, FieldMember::RatsFound) || l.item.rats_found != 0;
    need[1] |= counts_for(l.facility->kind, FieldMember::HolesFilled) || l.item.holes_filled != 0;
    need[2] |= counts_for(l.facility->kind, FieldMember::WellsDosed) || l.item.wells_dosed != 0;
  }
  const std::string table_id = std::string("##fw-round-") + std::string(lang_code(lang)) + (narrow ? "-narrow" : "");
  if (!ImGui::BeginTable(table_id.c_str(), 10, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  const auto fixed = ImGuiTableColumnFlags_WidthFixed;
  const auto stretch = ImGuiTableColumnFlags_WidthStretch;
  const auto shown = [](bool on) { return on ? 0 : ImGuiTableColumnFlags_Disabled | ImGuiTableColumnFlags_DefaultHide; };
  const float box_w = std::max(ImGui::CalcTextSize(S(lang, Str::FwColChecked).c_str()).x,
                               ImGui::CalcTextSize(S(lang, Str::FwColTreated).c_str()).x) + fh * 0.6f;
  const float count_w = fh * (narrow ? 4.2f : 5.0f);
  ImGui::TableSetupColumn(S(lang, Str::FwColCode).c_str(), fixed, ImGui::CalcTextSize("HB-BB-000").x);
  ImGui::TableSetupColumn(S(lang, Str::FwColKind).c_str(), fixed | shown(!narrow), lang == Lang::Zh ? fh * 4.2f : fh * 6.5f);
  ImGui::TableSetupColumn(S(lang, Str::FwColLocation).c_str(), stretch, 1.2f);
  ImGui::TableSetupColumn(S(lang, Str::FwColChecked).c_str(), fixed, box_w);
  ImGui::TableSetupColumn(S(lang, Str::FwColTreated).c_str(), fixed, box_w);
  ImGui::TableSetupColumn(S(lang, Str::FwColRats).c_str(), fixed | shown(need[0]), count_w);
  ImGui::TableSetupColumn(S(lang, Str::FwColHoles).c_str(), fixed | shown(need[1]), count_w);
  ImGui::TableSetupColumn(S(lang, Str::FwColWells).c_str(), fixed | shown(need[2]), count_w);
  ImGui::TableSetupColumn(S(lang, Str::FwColNote).c_str(), stretch, 1.0f);
  ImGui::TableSetupColumn(S(lang, Str::FwColTicket).c_str(), fixed, ImGui::CalcTextSize("临-1130-WWW-000").x);
  ImGui::TableHeadersRow();
  for (const ChecklistLine& line : lines) {
    const Facility& fac = *line.facility;
    if (ff.kind_filter >= 0 && static_cast<int>(fac.kind) != ff.kind_filter) continue;
    ImGui::PushID(fac.id.c_str());
    ImGui::TableNextRow();
    // A checked line is tinted green: what is left to do stands out in a long list.
    if (line.item.checked) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, kDoneRowU);
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(fac.code.c_str());
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(fac.retired ? kMuted : kBody, "%s", std::string(label(lang, fac.kind)).c_str());
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(fac.location.c_str());
    if (ImGui::IsItemHovered() && ImGui::CalcTextSize(fac.location.c_str()).x > ImGui::GetColumnWidth())
      ImGui::SetTooltip("%s", fac.location.c_str());
    ImGui::BeginDisabled(why.has_value());
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);  // The boxes stand out on a white row.
    ImGui::TableNextColumn();
    bool is_checked = line.item.checked;
    if (ImGui::Checkbox(("##checked-" + fac.code).c_str(), &is_checked))
      app.set_round_item(c.id, ff.week, ff.community, fac.id, FieldMember::Checked, is_checked ? "1" : "0");
    ImGui::TableNextColumn();
    bool is_treated = line.item.treated;
    if (ImGui::Checkbox(("##treated-" + fac.code).c_str(), &is_treated))
      app.set_round_item(c.id, ff.week, ff.community, fac.id, FieldMember::Treated, is_treated ? "1" : "0");
    ImGui::PopStyleVar();
    // Only the counts a facility of this kind gives (a count recorded anyway is shown).
    ImGui::TableNextColumn();
    if (counts_for(fac.kind, FieldMember::RatsFound) || line.item.rats_found != 0)
      count_cell(app, frame, c, line, FieldMember::RatsFound, line.item.rats_found, "rats");
    ImGui::TableNextColumn();
    if (counts_for(fac.kind, FieldMember::HolesFilled) || line.item.holes_filled != 0)
      count_cell(app, frame, c, line, FieldMember::HolesFilled, line.item.holes_filled, "holes");
    ImGui::TableNextColumn();
    if (counts_for(fac.kind, FieldMember::WellsDosed) || line.item.wells_dosed != 0)
      count_cell(app, frame, c, line, FieldMember::WellsDosed, line.item.wells_dosed, "wells");
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-1);
    note_input(app, frame, c, line);
    ImGui::EndDisabled();
    ImGui::TableNextColumn();
    ticket_cell(app, frame, c, line, ticket_cell_text(app, line));
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void facility_popup(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  const char* id = "##fw-facility-form";
  if (ff.facility_open && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  ImGui::SetNextWindowSize(ImVec2(std::min(ImGui::GetFontSize() * 30, ImGui::GetMainViewport()->WorkSize.x - 40), 0));
  if (!ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_NoTitleBar)) {
    ff.facility_open = false;
    return;
  }
  FacilityDraft& d = ff.facility;
  ImGui::Text("%s · %s", S(lang, d.id.empty() ? Str::FwAddFacility : Str::FwEdit).c_str(), d.community.c_str());
  ImGui::Separator();
  const float lw = ImGui::GetFontSize() * (lang == Lang::Zh ? 4.0f : 6.0f);
  auto row_label = [&](Str s) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(S(lang, s).c_str());
    ImGui::SameLine(lw);
    ImGui::SetNextItemWidth(-1);
  };
  row_label(Str::FwColCode);
  ImGui::InputTextWithHint("##fw-facility-code", S(lang, Str::FwHintCode).c_str(), &d.code);
  row_label(Str::FwColKind);
  if (begin_combo("##fw-facility-kind", std::string(label(lang, d.kind)).c_str())) {
    for (int i = 0; i < kFacilityKindCount; ++i)
      if (ImGui::Selectable(std::string(label(lang, static_cast<FacilityKind>(i))).c_str(), i == static_cast<int>(d.kind)))
        d.kind = static_cast<FacilityKind>(i);
    end_combo();
  }
  row_label(Str::FwColLocation);
  ImGui::InputTextWithHint("##fw-facility-location", S(lang, Str::FwHintLocation).c_str(), &d.location);
  if (!app.error().empty()) ImGui::TextColored(kProblem, "%s", app.error().c_str());
  ImGui::Spacing();
  if (ImGui::Button((S(lang, Str::FwSaveFacility) + "##fw-facility-save").c_str()) && app.save_facility(d)) {
    ff.facility_open = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button((S(lang, Str::Cancel) + "##fw-facility-cancel").c_str())) {
    ff.facility_open = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void draw_facilities(App& app, FrameInfo& frame, const FieldSnapshot& f) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  const std::vector<const Facility*> all = f.facilities(ff.community, ff.show_retired);
  std::vector<FacilityKind> kinds;
  std::vector<int> counts;
  for (int k = 0; k < kFacilityKindCount; ++k) {
    const int n = static_cast<int>(std::count_if(all.begin(), all.end(), [&](const Facility* x) {
      return static_cast<int>(x->kind) == k;
    }));
    if (n > 0) kinds.push_back(static_cast<FacilityKind>(k)), counts.push_back(n);
  }
  const std::optional<Refusal> why = app.why_not_field(ChangeKind::SetFacility, ff.community);
  ImGui::BeginDisabled(why.has_value() || ff.community.empty());
  if (ImGui::Button((S(lang, Str::FwAddFacility) + "##fw-add-facility").c_str())) {
    app.forget_error();
    ff.facility = FacilityDraft{};
    ff.facility.community = ff.community;
    if (ff.kind_filter >= 0) ff.facility.kind = static_cast<FacilityKind>(ff.kind_filter);
    ff.facility_open = true;
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox((S(lang, Str::FwShowRetired) + "##fw-show-retired").c_str(), &ff.show_retired);
  read_only_line(lang, why);
  kind_chips(lang, ff.kind_filter, kinds, counts);
  // On a phone the facilities scroll with the page, as the checklist's cards do.
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                (touch_layout() ? 0 : ImGuiTableFlags_ScrollY) | ImGuiTableFlags_SizingFixedFit;
  const float fh = ImGui::GetFontSize();
  // A phone: the kind and the location go under the code (the chips say the kind too), and the two
  // buttons one over the other, so the location keeps its room and no button is cut off.
  const bool narrow = ImGui::GetContentRegionAvail().x < fh * 40;
  const std::string table_id = std::string("##fw-facilities-") + std::string(lang_code(lang)) + (narrow ? "-narrow" : "");
  if (!ImGui::BeginTable(table_id.c_str(), 5, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  const auto hidden = ImGuiTableColumnFlags_Disabled | ImGuiTableColumnFlags_DefaultHide;
  const float buttons_w = std::max(ImGui::CalcTextSize(S(lang, Str::FwEdit).c_str()).x,
                                   std::max(ImGui::CalcTextSize(S(lang, Str::FwRetire).c_str()).x,
                                            ImGui::CalcTextSize(S(lang, Str::FwRestore).c_str()).x)) +
                          ImGui::GetStyle().FramePadding.x * 2;
  if (narrow) {
    ImGui::TableSetupColumn((S(lang, Str::FwColCode) + " / " + S(lang, Str::FwColLocation)).c_str(), ImGuiTableColumnFlags_WidthStretch);
  } else {
    ImGui::TableSetupColumn(S(lang, Str::FwColCode).c_str(), ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("HB-BB-000").x);
  }
  ImGui::TableSetupColumn(S(lang, Str::FwColKind).c_str(), ImGuiTableColumnFlags_WidthFixed | (narrow ? hidden : 0),
                          lang == Lang::Zh ? fh * 6 : fh * 7.5f);
  ImGui::TableSetupColumn(S(lang, Str::FwColLocation).c_str(), ImGuiTableColumnFlags_WidthStretch | (narrow ? hidden : 0));
  ImGui::TableSetupColumn(S(lang, Str::ColStatus).c_str(), ImGuiTableColumnFlags_WidthFixed, fh * (lang == Lang::Zh ? 3.0f : 4.5f));
  ImGui::TableSetupColumn("##fw-facility-actions", ImGuiTableColumnFlags_WidthFixed,
                          narrow ? buttons_w : buttons_w * 2 + ImGui::GetStyle().ItemSpacing.x);
  ImGui::TableHeadersRow();
  for (const Facility* fac : all) {
    if (ff.kind_filter >= 0 && static_cast<int>(fac->kind) != ff.kind_filter) continue;
    ImGui::PushID(fac->id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(fac->code.c_str());
    if (narrow) {
      ImGui::SameLine();
      ImGui::TextColored(kMuted, "%s", std::string(label(lang, fac->kind)).c_str());
      ImGui::TextWrapped("%s", fac->location.c_str());
    }
    ImGui::TableNextColumn();
    if (!narrow) ImGui::TextUnformatted(std::string(label(lang, fac->kind)).c_str());
    ImGui::TableNextColumn();
    if (!narrow) ImGui::TextUnformatted(fac->location.c_str());
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    if (fac->retired) ImGui::TextColored(kMuted, "%s", S(lang, Str::FwRetired).c_str());
    else ImGui::TextColored(kGood, "%s", S(lang, Str::FwActive).c_str());
    ImGui::TableNextColumn();
    ImGui::BeginDisabled(why.has_value());
    if (small_button((S(lang, Str::FwEdit) + "##edit-" + fac->code).c_str())) {
      app.forget_error();
      ff.facility = FacilityDraft{fac->id, fac->community, fac->code, fac->location, fac->kind};
      ff.facility_open = true;
    }
    if (!narrow) ImGui::SameLine();
    const std::string retire = S(lang, fac->retired ? Str::FwRestore : Str::FwRetire) + "##retire-" + fac->code;
    if (small_button(retire.c_str())) app.set_facility_retired(fac->id, !fac->retired);
    ImGui::EndDisabled();
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// One figure card: the label over the figure with its unit ("175个").
void figure_card(const std::string& label_text, const std::string& value, float w, float h) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fh = ImGui::GetFontSize(), pad = fh * 0.6f;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), kCardBgU, 6.0f);
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), kCardBorderU, 6.0f);
  dl->PushClipRect(p, ImVec2(p.x + w, p.y + h), true);
  fit_text(dl, ImVec2(p.x + pad, p.y + pad), fh, fh * 0.75f, w - pad * 2, kMutedU, label_text);
  fit_text(dl, ImVec2(p.x + pad, p.y + pad + fh * 1.35f), fh * 1.6f, fh, w - pad * 2, kInkU, value);
  dl->PopClipRect();
}

void draw_totals(App& app, FrameInfo& frame, const Campaign& c) {
  const Lang lang = app.lang();
  const CampaignTotals& t = app.campaign_totals(c.id);
  const CampaignFigures& s = t.street;
  auto piece = [&](int64_t v) { return fmt(lang, Str::FwUnitPiece, static_cast<long long>(v)); };
  auto rats = [&](int64_t v) { return fmt(lang, Str::FwUnitRat, static_cast<long long>(v)); };
  ImGui::TextUnformatted((c.name + "  " + c.from + " – " + c.to + " · " + S(lang, Str::FwStreet)).c_str());
  const struct {
    Str label;
    std::string value;
  } cards[] = {{Str::FwBaitBoxes, piece(s.bait_boxes_set)}, {Str::FwSewers, piece(s.sewers_dosed)},
               {Str::FwHolesFilled, piece(s.rat_holes_filled)}, {Str::FwRatsKilled, rats(s.rats_killed)},
               {Str::FwWellsDosed, piece(s.wells_dosed)},       {Str::FwFlyCages, piece(s.fly_cages_kept)},
               {Str::FwSites, piece(s.sites_checked)},
               {Str::FwRounds, fmt(lang, Str::FwRoundsOf, static_cast<long long>(s.rounds_finished), static_cast<long long>(s.rounds))}};
  const float fh = ImGui::GetFontSize(), gap = fh * 0.6f;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int cols = std::clamp(static_cast<int>((avail + gap) / (fh * 10.5f + gap)), 2, 8);
  const float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  for (size_t i = 0; i < std::size(cards); ++i) {
    if (i % static_cast<size_t>(cols) != 0) ImGui::SameLine(0, gap);
    figure_card(S(lang, cards[i].label), cards[i].value, w, fh * 3.8f);
  }
  ImGui::Spacing();
  // Too narrow for nine columns (a phone): each column as wide as its heading, the community kept
  // on the left while the figures scroll sideways.
  const Str heads[] = {Str::FwBaitBoxes, Str::FwSewers, Str::FwHolesFilled, Str::FwRatsKilled, Str::FwWellsDosed,
                       Str::FwFlyCages, Str::FwSites, Str::FwRounds};
  float need = fh * 8;
  for (Str h : heads) need += ImGui::CalcTextSize(S(lang, h).c_str()).x + fh;
  const bool scroll = ImGui::GetContentRegionAvail().x < need;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_ScrollY |
                                (scroll ? ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit : ImGuiTableFlags_SizingStretchSame);
  const std::string table_id = std::string("##fw-totals-") + std::string(lang_code(lang)) + (scroll ? "-scroll" : "");
  if (!ImGui::BeginTable(table_id.c_str(), 9, flags)) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  if (scroll) {
    ImGui::TableSetupColumn(S(lang, Str::FieldCommunity).c_str(), ImGuiTableColumnFlags_WidthFixed, fh * 7);
    for (Str h : heads)
      ImGui::TableSetupColumn(S(lang, h).c_str(), ImGuiTableColumnFlags_WidthFixed,
                              std::max(ImGui::CalcTextSize(S(lang, h).c_str()).x, fh * 3.5f));
  } else {
    ImGui::TableSetupColumn(S(lang, Str::FieldCommunity).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
    for (Str h : heads) ImGui::TableSetupColumn(S(lang, h).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  }
  ImGui::TableHeadersRow();
  auto row = [&](const std::string& name, const CampaignFigures& x, bool street) {
    ImGui::TableNextRow();
    if (street) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, kTintRowU);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name.c_str());
    for (int64_t v : {x.bait_boxes_set, x.sewers_dosed, x.rat_holes_filled, x.rats_killed, x.wells_dosed, x.fly_cages_kept,
                      x.sites_checked}) {
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(v));
    }
    ImGui::TableNextColumn();
    ImGui::Text("%lld / %lld", static_cast<long long>(x.rounds_finished), static_cast<long long>(x.rounds));
  };
  row(S(lang, Str::FwStreet), s, true);
  for (const auto& [community, x] : t.by_community) row(community, x, false);
  ImGui::EndTable();
  (void)frame;
}

void draw_campaigns(App& app, FrameInfo& frame, const FieldSnapshot& f) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  const std::optional<Refusal> why = app.why_not_field(ChangeKind::SetCampaign, "");
  if (!why) {
    if (ImGui::CollapsingHeader((S(lang, Str::FwNewCampaign) + "###fw-new-campaign").c_str(),
                                f.campaigns.empty() ? static_cast<ImGuiTreeNodeFlags>(ImGuiTreeNodeFlags_DefaultOpen) : 0)) {
      CampaignDraft& d = ff.campaign_draft;
      const float lw = ImGui::GetFontSize() * (lang == Lang::Zh ? 6.5f : 7.5f);
      const float iw = ImGui::GetFontSize() * 16;
      auto row_label = [&](Str s) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(S(lang, s).c_str());
        ImGui::SameLine(lw);
        ImGui::SetNextItemWidth(iw);
      };
      row_label(Str::FwName);
      ImGui::InputTextWithHint("##fw-campaign-name", S(lang, Str::FwHintCampaign).c_str(), &d.name);
      row_label(Str::FwFrom);
      ImGui::InputTextWithHint("##fw-campaign-from", S(lang, Str::FwHintDate).c_str(), &d.from);
      row_label(Str::FwTo);
      ImGui::InputTextWithHint("##fw-campaign-to", S(lang, Str::FwHintDate).c_str(), &d.to);
      row_label(Str::FwKinds);
      ImGui::BeginGroup();
      for (int k = 0; k < kFacilityKindCount; ++k) {
        const auto kind = static_cast<FacilityKind>(k);
        bool on = std::find(d.kinds.begin(), d.kinds.end(), kind) != d.kinds.end();
        if (k % 4 != 0) ImGui::SameLine();
        if (ImGui::Checkbox((std::string(label(lang, kind)) + "##fw-campaign-kind-" + std::string(to_string(kind))).c_str(), &on)) {
          std::erase(d.kinds, kind);
          if (on) d.kinds.push_back(kind);
          std::sort(d.kinds.begin(), d.kinds.end());
        }
      }
      ImGui::EndGroup();
      row_label(Str::FwWeekday);
      if (begin_combo("##fw-campaign-weekday", std::string(weekday_label(lang, d.weekday)).c_str())) {
        for (int w = 1; w <= 7; ++w)
          if (ImGui::Selectable(std::string(weekday_label(lang, w)).c_str(), w == d.weekday)) d.weekday = w;
        end_combo();
      }
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
      if (ImGui::Button((S(lang, Str::FwCreate) + "##fw-campaign-create").c_str())) {
        const size_t before = app.field().campaigns.size();
        if (app.save_campaign(d)) {
          d = CampaignDraft{};
          if (app.field().campaigns.size() > before) {
            ff.campaign = app.field().campaigns.front()->id;
            ff.week.clear();
          }
        }
      }
      if (!app.error().empty()) ImGui::TextColored(kProblem, "%s", app.error().c_str());
      ImGui::Spacing();
    }
  }
  if (f.campaigns.empty()) {
    ImGui::TextColored(kMuted, "%s", S(lang, Str::FwNoCampaign).c_str());
    return;
  }
  // On a phone one column: the name, then its days and weekday, then the kinds it checks, wrapped;
  // four columns there would cut each to a few characters.
  const bool compact = phone_width();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable(compact ? "##fw-campaigns-compact" : "##fw-campaigns", compact ? 1 : 4, flags)) return;
  ImGui::TableSetupColumn(S(lang, Str::FwName).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.4f);
  if (!compact) {
    ImGui::TableSetupColumn((S(lang, Str::FwFrom) + " – " + S(lang, Str::FwTo)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn(S(lang, Str::FwKinds).c_str(), ImGuiTableColumnFlags_WidthStretch, 2.4f);
    ImGui::TableSetupColumn(S(lang, Str::FwWeekday).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  }
  ImGui::TableHeadersRow();
  for (const Campaign* c : f.campaigns) {
    ImGui::TableNextRow();
    // The cells first (their text wraps), then the row's selectable over all of them, as tall as
    // the tallest: a click anywhere on the campaign picks it, and the highlight covers every line.
    ImGui::TableSetColumnIndex(0);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    float bottom = start.y;
    const auto grew = [&] { bottom = std::max(bottom, ImGui::GetItemRectMax().y); };
    ImGui::TextUnformatted(c->name.c_str());
    grew();
    const std::string days = c->from + " – " + c->to + "  (" +
                             fmt(lang, Str::FwWeeks, static_cast<int>(campaign_weeks(*c).size())) + ")";
    std::string kinds;
    for (FacilityKind k : c->kinds) kinds += (kinds.empty() ? "" : "、") + std::string(label(lang, k));
    const std::string weekday(weekday_label(lang, c->weekday));
    if (compact) {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(kMuted, "%s · %s", days.c_str(), weekday.c_str());
      grew();
      ImGui::TextColored(kMuted, "%s", kinds.c_str());
      grew();
      ImGui::PopTextWrapPos();
    } else {
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", days.c_str());
      grew();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", kinds.c_str());
      grew();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(weekday.c_str());
      grew();
    }
    ImGui::TableSetColumnIndex(0);
    ImGui::SetCursorScreenPos(start);
    if (ImGui::Selectable(("##pick-" + c->id).c_str(), c->id == ff.campaign,
                          ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap,
                          ImVec2(0, bottom - start.y))) {
      ff.campaign = c->id;
      ff.campaign_chosen = true;
      ff.week.clear();
      ff.sub = 0;
    }
  }
  ImGui::EndTable();
}

}  // namespace

// The choices a worker comes back to after the page reloads (a phone puts a page away in the
// background and reloads it): the campaign picked, the community, the facility kind and the sub-tab.
// One setting, a line each.
static void restore_choices(FieldFrame& ff) {
  const std::string kept = platform::load_setting("field");
  std::vector<std::string> line(1);
  for (char ch : kept) {
    if (ch == '\n') line.emplace_back();
    else line.back() += ch;
  }
  if (line.size() < 4) return;
  ff.campaign = line[0];
  ff.campaign_chosen = !line[0].empty();
  ff.community = line[1];
  ff.kind_filter = std::clamp(std::atoi(line[2].c_str()), -1, kFacilityKindCount - 1);
  ff.sub = std::clamp(std::atoi(line[3].c_str()), 0, 3);
  ff.kept = kept;
}

static void remember_choices(FieldFrame& ff) {
  const std::string now = (ff.campaign_chosen ? ff.campaign : std::string()) + "\n" + ff.community + "\n" +
                          std::to_string(ff.kind_filter) + "\n" + std::to_string(ff.sub);
  if (now == ff.kept) return;
  platform::save_setting("field", now);
  ff.kept = now;
}

void draw_field(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  FieldFrame& ff = frame.field;
  if (!ff.restored) {
    restore_choices(ff);
    ff.restored = true;
  }
  // Held for the frame: an edit below reads the data again, and the lines drawn after it still
  // point into this snapshot.
  const std::shared_ptr<const FieldSnapshot> held = app.field_shared();
  const FieldSnapshot& f = *held;
  draw_choosers(app, frame, f);
  const Campaign* c = f.campaign(ff.campaign);
  // The sub-tabs follow ff.sub as the views' tabs follow app.view() (ui.cpp): ImGui applies a
  // programmatic selection a frame late, so until the bar shows the wanted tab we keep asking.
  if (ImGui::BeginTabBar("##fw-sub")) {
    const bool forcing = ff.sub_shown != ff.sub;
    int shown = ff.sub_shown;
    auto tab = [&](Str name, const char* id, int v) {
      const std::string tab_label = S(lang, name) + id;
      const bool open = ImGui::BeginTabItem(tab_label.c_str(), nullptr, forcing && ff.sub == v ? static_cast<ImGuiTabItemFlags>(ImGuiTabItemFlags_SetSelected) : 0);
      label_last_item(tab_label.c_str());
      if (open) {
        shown = v;
        ImGui::EndTabItem();
      }
    };
    tab(Str::FwSubRound, "###fw-tab-round", 0);
    tab(Str::FwSubFacilities, "###fw-tab-facilities", 1);
    tab(Str::FwSubTotals, "###fw-tab-totals", 2);
    tab(Str::FwSubCampaigns, "###fw-tab-campaigns", 3);
    ImGui::EndTabBar();
    ff.sub_shown = shown;
    if (!forcing && shown != ff.sub) ff.sub = shown;
  }
  ImGui::BeginChild("##fw-body", ImVec2(0, 0), ImGuiChildFlags_None);
  if (ff.sub == 1) {
    draw_facilities(app, frame, f);
  } else if (ff.sub == 3 || !c) {
    draw_campaigns(app, frame, f);
  } else if (ff.sub == 2) {
    draw_totals(app, frame, *c);
  } else {
    draw_round(app, frame, f, *c);
  }
  ImGui::EndChild();
  facility_popup(app, frame);
  finding_popup(app, frame);
  remember_choices(ff);
}

void draw_finding_origin(App& app, FrameInfo& frame) {
  const std::shared_ptr<const FieldSnapshot> held = app.field_shared();
  const FieldSnapshot& f = *held;
  const std::optional<FieldSnapshot::Origin> o = f.origin_of(app.selected_id());
  if (!o) return;
  const Lang lang = app.lang();
  ImGui::SeparatorText(S(lang, Str::FwFromRound).c_str());
  const Campaign* c = f.campaign(o->campaign);
  const auto fac = f.data.facilities.find(o->facility);
  std::string where = (c ? c->name + " · " + week_label(lang, *c, o->week) : o->week) + " · " + o->community;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(where.c_str());
  if (fac != f.data.facilities.end())
    ImGui::TextColored(kMuted, "%s %s · %s", std::string(label(lang, fac->second.kind)).c_str(), fac->second.code.c_str(),
                       fac->second.location.c_str());
  ImGui::PopTextWrapPos();
  if (small_button((S(lang, Str::FwGoToRound) + "##fw-go-round").c_str())) {
    frame.field.campaign = o->campaign;
    frame.field.campaign_chosen = true;
    frame.field.week = o->week;
    frame.field.community = o->community;
    frame.field.sub = 0;
    frame.field.kind_filter = -1;
    app.set_view(View::Field);
  }
}

}  // namespace linli::ui
