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

}  // namespace linli::ui
