// Hot spots (热点地址): the addresses with the most tickets in a period, where problems come back
// (反弹). A row opens the inbox filtered to that address.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"

namespace linli::ui {

using namespace palette;

void draw_hot_spots(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  ImGui::TextUnformatted(std::string(tr(lang, Str::HotSpotsTitle)).c_str());
  constexpr std::array<int, 4> kPeriods = {30, 90, 180, 365};
  char buf[64];
  bool first = true;
  for (int days : kPeriods) {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::HotSpotsDays)).c_str(), days);
    const std::string label = std::string(buf) + "##hot-days-" + std::to_string(days);
    next_in_row(button_width(label), first ? ImGui::GetFontSize() * 1.5f : -1);  // Wraps on a phone.
    first = false;
    if (choice(label, frame.hot_days == days)) frame.hot_days = days;
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::HotSpotsHint)).c_str());
  ImGui::PopTextWrapPos();
  const auto& rows = app.hot_spots(frame.hot_days);
  if (rows.empty()) {
    ImGui::Spacing();
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::HotSpotsEmpty)).c_str());
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  // On a phone the place takes two lines (the address over its community) and the figures keep
  // their columns; the date of the latest ticket is left out: a column each would leave the
  // community and the address a character wide.
  const float fh = ImGui::GetFontSize();
  const bool compact = phone_width();
  const int columns = compact ? 4 : 6;
  if (!ImGui::BeginTable(compact ? "##hot-spots-compact" : "##hot-spots", columns, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  const auto fixed = ImGuiTableColumnFlags_WidthFixed;
  const auto figure = [&](Str name, float at_least) {  // As wide as its heading, and at least `at_least` ems.
    const std::string heading = std::string(tr(lang, name));
    ImGui::TableSetupColumn(heading.c_str(), fixed, std::max(ImGui::CalcTextSize(heading.c_str()).x, fh * at_least));
  };
  if (compact) {
    ImGui::TableSetupColumn(std::string(tr(lang, Str::FieldAddress)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  } else {
    ImGui::TableSetupColumn(std::string(tr(lang, Str::FieldCommunity)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(std::string(tr(lang, Str::FieldAddress)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
  }
  figure(Str::ColTickets, compact ? 2.0f : 3.5f);
  figure(Str::ColOpen, compact ? 2.0f : 3.5f);
  figure(Str::ColLinked, compact ? 2.0f : 4.5f);
  if (!compact) ImGui::TableSetupColumn(std::string(tr(lang, Str::ColLatest)).c_str(), fixed, ImGui::CalcTextSize("2026-11-30 00:00").x);
  ImGui::TableHeadersRow();
  std::optional<Store::HotSpot> open;  // Taken after the table: opening changes the view.
  for (size_t i = 0; i < rows.size(); ++i) {
    const Store::HotSpot& h = rows[i];
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    const std::string id = (compact ? h.address : h.community) + "##hot-" + std::to_string(i);
    const ImVec2 cell = ImGui::GetCursorPos();
    // On a phone the selectable spans both lines, its own label hidden under the two drawn.
    const float line = ImGui::GetTextLineHeight(), gap = ImGui::GetStyle().ItemSpacing.y * 0.5f;
    if (compact) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0, 0, 0, 0));
    if (ImGui::Selectable(id.c_str(), false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, compact ? line * 2 + gap : 0)))
      open = h;
    int col = 1;
    if (compact) {
      ImGui::PopStyleColor();
      ImGui::SetCursorPos(cell);
      ImGui::TextUnformatted(h.address.c_str());
      ImGui::SetCursorPos(ImVec2(cell.x, cell.y + line + gap));
      ImGui::TextColored(kMuted, "%s", h.community.c_str());
    } else {
      ImGui::TableSetColumnIndex(col++);
      ImGui::TextUnformatted(h.address.c_str());
    }
    ImGui::TableSetColumnIndex(col++);
    ImGui::Text("%lld", static_cast<long long>(h.tickets));
    ImGui::TableSetColumnIndex(col++);
    if (h.open > 0) ImGui::Text("%lld", static_cast<long long>(h.open));
    else ImGui::TextColored(kMuted, "0");
    ImGui::TableSetColumnIndex(col++);
    if (h.linked > 0) ImGui::TextColored(kWarn, "%lld", static_cast<long long>(h.linked));
    else ImGui::TextColored(kMuted, "-");
    if (!compact) {
      ImGui::TableSetColumnIndex(col);
      ImGui::TextColored(kMuted, "%s", format_shanghai_minute(h.latest_ms).c_str());
    }
  }
  ImGui::EndTable();
  if (open) {
    InboxFilter& f = app.inbox_query().filter;
    f = InboxFilter{};
    f.community = open->community;
    f.text = open->address;
    frame.search_text = open->address;
    app.inbox_changed();
    app.set_view(View::Tickets);
    frame.list_wanted = true;
  }
}

}  // namespace linli::ui
