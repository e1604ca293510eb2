// Ticket list (工单列表): a table, newest first; urgent tickets marked; a row selects a ticket.
// On a narrow window only number, title and status are shown.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "core/civil_time.h"
#include "panels/panels.h"

namespace linli::ui {
namespace {

const ImVec4 kUrgentRed(0.80f, 0.10f, 0.10f, 1.0f);

void draw_empty_state(App& app) {
  const Lang lang = app.lang();
  ImGui::Spacing();
  ImGui::TextWrapped("%s", std::string(tr(lang, Str::EmptyList)).c_str());
  ImGui::Spacing();
  if (ImGui::Button(std::string(tr(lang, Str::NewTicket)).c_str())) app.set_view(View::Intake);
}

const char* number_of(const Ticket& t) {
  return t.official_number.empty() ? t.provisional_number.c_str() : t.official_number.c_str();
}

}  // namespace

void draw_ticket_list(App& app, const FrameInfo& frame) {
  const Lang lang = app.lang();
  if (app.tickets().empty()) return draw_empty_state(app);

  const bool compact = frame.css_width < 760.0f;
  const int columns = compact ? 3 : 8;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  // One table per language and layout: fixed columns fit their words once, and English words are
  // wider than Chinese ones.
  const std::string table_id = std::string("##tickets-") + std::string(lang_code(lang)) + (compact ? "-compact" : "");
  if (!ImGui::BeginTable(table_id.c_str(), columns, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  // Wide enough for a provisional number ("临-20261130-0001"), the longest a ticket has.
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColNumber)).c_str(), ImGuiTableColumnFlags_WidthFixed,
                          ImGui::CalcTextSize("临-20261130-0000").x);
  if (!compact) {
    ImGui::TableSetupColumn(std::string(tr(lang, Str::ColReceived)).c_str(), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(std::string(tr(lang, Str::ColUrgency)).c_str(), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(std::string(tr(lang, Str::ColCategory)).c_str(), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(std::string(tr(lang, Str::ColCommunity)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(std::string(tr(lang, Str::ColAddress)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.4f);
  }
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColTitle)).c_str(), ImGuiTableColumnFlags_WidthStretch, 2.2f);
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColStatus)).c_str(), ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableHeadersRow();

  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(app.tickets().size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const Ticket& t = app.tickets()[static_cast<size_t>(row)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // The row's selectable carries the title in its id, so tests and screen readers find it.
      const std::string id = std::string(number_of(t)) + "##row-" + t.id;
      if (ImGui::Selectable(id.c_str(), app.selected_id() == t.id, ImGuiSelectableFlags_SpanAllColumns))
        app.select(t.id);
      if (!compact) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_shanghai_minute(t.received_at_ms).c_str());
        ImGui::TableNextColumn();
        if (t.urgency == Urgency::Urgent)
          ImGui::TextColored(kUrgentRed, "%s", std::string(label(lang, t.urgency)).c_str());
        else
          ImGui::TextDisabled("%s", std::string(label(lang, t.urgency)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(std::string(label(lang, t.category)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(t.community.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(t.address.c_str());
      }
      ImGui::TableNextColumn();
      if (compact && t.urgency == Urgency::Urgent) {
        ImGui::TextColored(kUrgentRed, "%s", std::string(label(lang, t.urgency)).c_str());
        ImGui::SameLine();
      }
      ImGui::TextUnformatted(t.title.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(label(lang, t.status)).c_str());
    }
  }
  ImGui::EndTable();
}

namespace {

const ImVec4 kConflictAmber(0.72f, 0.40f, 0.0f, 1.0f);

// A field's value as the user reads it: codes become words.
std::string shown_value(Lang lang, EditableField f, const std::string& v) {
  if (f == EditableField::Category)
    if (auto c = parse_category(v)) return std::string(label(lang, *c));
  if (f == EditableField::Urgency)
    if (auto u = parse_urgency(v)) return std::string(label(lang, *u));
  return v;
}

// The badge beside a field whose concurrent edit lost, and the dialog that decides it.
void conflict_badge(App& app, EditableField field, const std::string& now_value) {
  const FieldConflict* open = nullptr;
  for (const auto& c : app.conflicts())
    if (c.field == field && c.open) open = &c;
  if (!open) return;
  const Lang lang = app.lang();
  const std::string field_code(to_string(field));
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1.0f, 0.90f, 0.70f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(1.0f, 0.84f, 0.55f, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, kConflictAmber);
  const std::string badge = std::string(tr(lang, Str::ConflictBadge)) + "##conflict-" + field_code;
  const std::string popup = "##conflict-popup-" + field_code;
  if (ImGui::SmallButton(badge.c_str())) ImGui::OpenPopup(popup.c_str());
  ImGui::PopStyleColor(3);
  if (!ImGui::BeginPopup(popup.c_str())) return;
  const float em = ImGui::GetFontSize();
  ImGui::PushTextWrapPos(em * 22);
  ImGui::TextColored(kConflictAmber, "%s", std::string(tr(lang, Str::ConflictTitle)).c_str());
  ImGui::Separator();
  ImGui::TextDisabled("%s", std::string(tr(lang, Str::ConflictCurrent)).c_str());
  ImGui::TextWrapped("%s", shown_value(lang, field, now_value).c_str());
  ImGui::Spacing();
  ImGui::TextDisabled("%s", std::string(tr(lang, Str::ConflictKept)).c_str());
  ImGui::TextWrapped("%s", shown_value(lang, field, open->kept_value).c_str());
  char who[512];
  const std::string device = to_hex(open->loser.replica).substr(0, 6);
  std::snprintf(who, sizeof who, std::string(tr(lang, Str::ConflictWho)).c_str(),
                open->author.user.empty() ? "?" : open->author.user.c_str(),
                open->at_ms > 0 ? format_shanghai_minute(open->at_ms).c_str() : "?", device.c_str());
  ImGui::TextDisabled("%s", who);
  ImGui::Spacing();
  ImGui::TextDisabled("%s", std::string(tr(lang, Str::ConflictHint)).c_str());
  ImGui::PopTextWrapPos();
  const FieldConflict chosen = *open;  // The list is reloaded by the decision.
  if (ImGui::Button((std::string(tr(lang, Str::KeepCurrent)) + "##keep-" + field_code).c_str())) {
    ImGui::CloseCurrentPopup();
    app.resolve_conflict(chosen, false);
  }
  ImGui::SameLine();
  if (ImGui::Button((std::string(tr(lang, Str::TakeKept)) + "##take-" + field_code).c_str())) {
    ImGui::CloseCurrentPopup();
    app.resolve_conflict(chosen, true);
  }
  ImGui::EndPopup();
}

}  // namespace

void draw_ticket_detail(App& app, const FrameInfo&) {
  const Lang lang = app.lang();
  const Ticket* t = app.selected_ticket();
  ImGui::SeparatorText(std::string(tr(lang, Str::DetailTitle)).c_str());
  if (!t) {
    ImGui::TextDisabled("%s", std::string(tr(lang, Str::DetailNone)).c_str());
    return;
  }
  const Ticket ticket = *t;  // A decision below reloads the list.
  const float value_x = ImGui::GetFontSize() * 6;
  auto row = [&](Str name, const std::string& value, std::optional<EditableField> field = std::nullopt,
                 const std::string& code = {}) {
    ImGui::TextDisabled("%s", std::string(tr(lang, name)).c_str());
    ImGui::SameLine(value_x);
    if (field && std::any_of(app.conflicts().begin(), app.conflicts().end(),
                             [&](const FieldConflict& c) { return c.field == *field && c.open; })) {
      ImGui::TextColored(kConflictAmber, "%s", value.c_str());
      conflict_badge(app, *field, code.empty() ? value : code);
    } else {
      ImGui::TextWrapped("%s", value.c_str());
    }
  };
  row(Str::ColNumber, number_of(ticket));
  if (ticket.official_number.empty()) ImGui::TextDisabled("%s", std::string(tr(lang, Str::ProvisionalHint)).c_str());
  else if (!ticket.provisional_number.empty()) ImGui::TextDisabled("%s", ticket.provisional_number.c_str());
  row(Str::FieldTitle, ticket.title, EditableField::Title);
  row(Str::ColStatus, std::string(label(lang, ticket.status)));
  row(Str::FieldUrgency, std::string(label(lang, ticket.urgency)), EditableField::Urgency,
      std::string(to_string(ticket.urgency)));
  row(Str::FieldCategory, std::string(label(lang, ticket.category)), EditableField::Category,
      std::string(to_string(ticket.category)));
  row(Str::FieldSource, std::string(label(lang, ticket.source)));
  row(Str::FieldReceivedAt, format_shanghai_minute(ticket.received_at_ms));
  row(Str::FieldCitizenName, ticket.citizen_name, EditableField::CitizenName);
  row(Str::FieldCitizenPhone, ticket.citizen_phone, EditableField::CitizenPhone);
  row(Str::FieldCommunity, ticket.community, EditableField::Community);
  row(Str::FieldAddress, ticket.address, EditableField::Address);
  row(Str::FieldDescription, ticket.description, EditableField::Description);
}

}  // namespace linli::ui
