// Menu bar: view, language, debug (ImGui's Metrics window).
#include <imgui.h>

#include <string>

#include "panels/panels.h"

namespace linli::ui {

void draw_menu_bar(App& app, FrameInfo& frame) {
  if (!ImGui::BeginMenuBar()) return;
  const Lang lang = app.lang();
  const std::string view_menu = std::string(tr(lang, Str::MenuView)) + "##menu-view";
  if (ImGui::BeginMenu(view_menu.c_str())) {
    if (ImGui::MenuItem(std::string(tr(lang, Str::ViewTickets)).c_str(), nullptr, app.view() == View::Tickets))
      app.set_view(View::Tickets);
    if (ImGui::MenuItem(std::string(tr(lang, Str::ViewIntake)).c_str(), nullptr, app.view() == View::Intake))
      app.set_view(View::Intake);
    ImGui::EndMenu();
  }
  const std::string lang_menu = std::string(tr(lang, Str::MenuLanguage)) + "##menu-lang";
  if (ImGui::BeginMenu(lang_menu.c_str())) {
    if (ImGui::MenuItem("中文", nullptr, lang == Lang::Zh)) app.set_lang(Lang::Zh);
    if (ImGui::MenuItem("English", nullptr, lang == Lang::En)) app.set_lang(Lang::En);
    ImGui::EndMenu();
  }
  const std::string debug_menu = std::string(tr(lang, Str::MenuDebug)) + "##menu-debug";
  if (ImGui::BeginMenu(debug_menu.c_str())) {
    ImGui::MenuItem(std::string(tr(lang, Str::DebugMetrics)).c_str(), nullptr, &frame.show_metrics);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

}  // namespace linli::ui
