// Screen layout. A full-window ImGui window; the list and its details side by side when wide.
#include "ui.h"

#include <imgui.h>

#include <string>

#include "test_hook.h"

namespace linli::ui {
namespace {

constexpr ImGuiWindowFlags kRootFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus;

// The root window fills the canvas and draws no background: the canvas is cleared to the style's
// WindowBg before each frame drawn, so a second fill of every pixel would change nothing.
void begin_root(const char* name, ImGuiWindowFlags flags) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoBackground);
}

// The tab bar follows app.view(); a click on a tab changes the view. ImGui applies a programmatic
// selection (SetSelected) one frame late, so until the bar shows the wanted tab we keep asking.
void draw_tabs(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  if (!ImGui::BeginTabBar("##views")) return;
  const View want = app.view();
  const bool forcing = frame.tab_shown != want;
  View shown = frame.tab_shown;
  auto tab = [&](Str name, const char* id, View v) {
    const std::string label = std::string(tr(lang, name)) + id;
    const ImGuiTabItemFlags flags = forcing && want == v ? ImGuiTabItemFlags_SetSelected : 0;
    const bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
    label_last_item(label.c_str());
    if (open) {
      shown = v;
      ImGui::EndTabItem();
    }
  };
  // "###": the tab's id is the part after it alone, so a change of language keeps the tab shown.
  tab(Str::TabTickets, "###tab-tickets", View::Tickets);
  tab(Str::TabIntake, "###tab-intake", View::Intake);
  tab(Str::TabHotSpots, "###tab-hot-spots", View::HotSpots);
  tab(Str::TabDashboard, "###tab-dashboard", View::Dashboard);
  tab(Str::TabField, "###tab-field", View::Field);
  tab(Str::TabOutbox, "###tab-outbox", View::Outbox);
  ImGui::EndTabBar();
  frame.tab_shown = shown;
  if (!forcing && shown != want) app.set_view(shown);
}

}  // namespace

namespace {
// A combo box wide enough for a text of this width beside its arrow.
float combo_width_for_text(float text) { return text + ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetFrameHeight(); }
}  // namespace

float combo_width_for(const std::vector<std::string>& choices, float at_least) {
  float text = 0;
  for (const std::string& c : choices) text = std::max(text, ImGui::CalcTextSize(c.c_str(), nullptr, true).x);
  return std::max(at_least, combo_width_for_text(text));
}

bool begin_combo(const char* id, const char* preview) {
  // A preview wider than the box would run up to its arrow, clipped: the box grows to hold it, as
  // far as the row has room.
  const float need = combo_width_for_text(ImGui::CalcTextSize(preview, nullptr, true).x);
  const float have = ImGui::CalcItemWidth();
  if (need > have) ImGui::SetNextItemWidth(std::min(need, std::max(have, ImGui::GetContentRegionAvail().x)));
  // Tall enough for every category (11) without a scroll.
  const bool open = ImGui::BeginCombo(id, preview, ImGuiComboFlags_HeightLarge);
  label_last_item(id);
  return open;
}

void draw_ui(App& app, FrameInfo& frame) {
  if (app.needs_sign_in()) {
    draw_sign_in(app, frame);
    return;
  }
  if (!frame.field.draft_checked) {
    // A finding form left open when the tab closed (photos and all): open it again where it was.
    frame.field.draft_checked = true;
    if (auto kept = app.kept_finding_draft()) {
      FieldFrame& ff = frame.field;
      ff.campaign = kept->campaign;
      ff.community = kept->community;
      ff.week = kept->week;
      ff.sub = 0;
      ff.finding = std::move(*kept);
      ff.finding_open = true;
      app.set_view(View::Field);
    }
  }
  begin_root("##linli", kRootFlags);
  draw_menu_bar(app, frame);
  draw_reauth_banner(app, frame);
  draw_refold(app, frame);
  draw_first_sync(app, frame);
  draw_tabs(app, frame);

  const float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("##content", ImVec2(0, -status_h), ImGuiChildFlags_None);
  if (app.view() == View::Tickets) {
    const bool wide = frame.css_width >= 1000.0f;
    if (wide) {
      const float detail_w = ImGui::GetContentRegionAvail().x * 0.34f;
      ImGui::BeginChild("##list", ImVec2(-detail_w, 0));
      draw_ticket_list(app, frame);
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("##detail", ImVec2(0, 0), ImGuiChildFlags_Border);
      draw_ticket_detail(app, frame);
      ImGui::EndChild();
    } else {
      const bool has_detail = app.selected_ticket() != nullptr;
      ImGui::BeginChild("##list", ImVec2(0, has_detail ? -ImGui::GetContentRegionAvail().y * 0.45f : 0));
      draw_ticket_list(app, frame);
      ImGui::EndChild();
      if (has_detail) {
        ImGui::BeginChild("##detail", ImVec2(0, 0), ImGuiChildFlags_Border);
        draw_ticket_detail(app, frame);
        ImGui::EndChild();
      }
    }
  } else if (app.view() == View::Intake) {
    draw_intake_form(app, frame);
  } else if (app.view() == View::HotSpots) {
    draw_hot_spots(app, frame);
  } else if (app.view() == View::Dashboard) {
    draw_dashboard(app, frame);
  } else if (app.view() == View::Field) {
    draw_field(app, frame);
  } else {
    draw_outbox(app, frame);
  }
  ImGui::EndChild();
  ImGui::Separator();
  draw_status_bar(app, frame);
  draw_sign_out_dialog(app, frame);
  ImGui::End();

  if (frame.show_metrics) ImGui::ShowMetricsWindow(&frame.show_metrics);
}

void draw_fatal(const std::string& message) {
  begin_root("##fatal", ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
  ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "本地数据库无法打开 / The local database cannot be opened");
  ImGui::Spacing();
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::Spacing();
  ImGui::TextWrapped("数据未被改动。请刷新页面重试；如仍失败，请联系城运中心。 / "
                     "Nothing was changed. Reload the page to retry; if it still fails, call the centre.");
  ImGui::End();
}

}  // namespace linli::ui
