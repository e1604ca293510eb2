// Menu bar: view and language; on the right, who is signed in and
// the sign-out dialog, which says what happens to unsent changes before anything is lost.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "panels/palette.h"
#include "panels/panels.h"

namespace linli::ui {

using namespace palette;

void draw_menu_bar(App& app, FrameInfo& frame) {
  if (!ImGui::BeginMenuBar()) return;
  const Lang lang = app.lang();
  const std::string view_menu = std::string(tr(lang, Str::MenuView)) + "##menu-view";
  if (ImGui::BeginMenu(view_menu.c_str())) {
    for (const ViewTab& t : view_tabs(app))
      if (ImGui::MenuItem(std::string(tr(lang, t.name)).c_str(), nullptr, app.view() == t.view)) app.set_view(t.view);
    ImGui::EndMenu();
  }
  const std::string lang_menu = std::string(tr(lang, Str::MenuLanguage)) + "##menu-lang";
  if (ImGui::BeginMenu(lang_menu.c_str())) {
    if (ImGui::MenuItem("中文", nullptr, lang == Lang::Zh)) app.set_lang(Lang::Zh);
    if (ImGui::MenuItem("English", nullptr, lang == Lang::En)) app.set_lang(Lang::En);
    ImGui::EndMenu();
  }
  if (const app::Session* who = app.session()) {
    std::string name = who->display_name.empty() ? who->user : who->display_name;
    auto width_of = [](const std::string& n) {
      return ImGui::CalcTextSize(n.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2 + ImGui::GetFontSize();
    };
    // A phone: the name without its unit ("李主任（河滨花园居委）" → "李主任") when the whole one
    // would run off the bar.
    if (ImGui::GetCursorPosX() + width_of(name) > ImGui::GetWindowWidth())
      if (const size_t cut = std::min(name.find("（"), name.find('(')); cut != std::string::npos && cut > 0) name.resize(cut);
    const std::string user_menu = name + "##menu-user";
    const float w = width_of(name);
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - w));
    if (ImGui::BeginMenu(user_menu.c_str())) {
      ImGui::TextDisabled("%s", who->user.c_str());
      if (ImGui::MenuItem((std::string(tr(lang, Str::SignOut)) + "##sign-out").c_str())) frame.sign_out_asked = true;
      ImGui::EndMenu();
    }
  }
  ImGui::EndMenuBar();
}

void draw_sign_out_dialog(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const char* id = "##sign-out-dialog";
  if (frame.sign_out_asked) {
    ImGui::OpenPopup(id);
    frame.sign_out_asked = false;
  }
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) return;
  const float em = ImGui::GetFontSize();
  const int unsent = static_cast<int>(app.sync_status().unsent);
  ImGui::TextUnformatted(std::string(tr(lang, Str::SignOutTitle)).c_str());
  ImGui::Separator();
  // As wide as 24 characters, or the screen less its margins (a phone): the one text about losing
  // data is never cut at the screen's edge.
  const float wrap = std::min(em * 24, ImGui::GetMainViewport()->WorkSize.x - em * 3);
  ImGui::PushTextWrapPos(wrap);
  char buf[512];
  if (unsent > 0) {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::SignOutUnsent)).c_str(), unsent);
    ImGui::TextColored(kAmber, "%s", wrapped(buf, wrap).c_str());
  } else {
    ImGui::TextUnformatted(wrapped(tr(lang, Str::SignOutAllSent), wrap).c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (ImGui::Button((std::string(tr(lang, Str::SignOutKeep)) + "##sign-out-keep").c_str())) {
    app.sign_out(false);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button((std::string(tr(lang, Str::Cancel)) + "##sign-out-cancel").c_str())) ImGui::CloseCurrentPopup();
  ImGui::Spacing();
  ImGui::Separator();
  if (unsent > 0) {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::SignOutClearWarn)).c_str(), unsent);
    ImGui::PushTextWrapPos(wrap);
    ImGui::TextColored(kProblem, "%s", wrapped(buf, wrap).c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, kProblem);
  if (ImGui::Button((std::string(tr(lang, Str::SignOutClear)) + "##sign-out-clear").c_str())) {
    ImGui::CloseCurrentPopup();
    app.sign_out(true);
  }
  ImGui::PopStyleColor();
  ImGui::EndPopup();
}

}  // namespace linli::ui
