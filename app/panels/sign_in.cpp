// Sign-in (登录): a card in the middle of the window with user name, password and the reason the
// last try failed. Also the banner that asks for the password again after the server refused the
// token (401) while the user keeps working.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"
#include "test_hook.h"

namespace linli::ui {

using namespace palette;
namespace {


std::string message_text(App& app) {
  const SignInForm& f = app.sign_in_form();
  if (!f.message) return {};
  const Lang lang = app.lang();
  const std::string pattern(tr(lang, *f.message));
  char buf[512];
  if (*f.message == Str::SignInRateLimited) {
    const int64_t left = std::max<int64_t>(1, (f.retry_at_ms - platform::now_ms() + 999) / 1000);
    std::snprintf(buf, sizeof buf, pattern.c_str(), static_cast<int>(left));
    return buf;
  }
  if (*f.message == Str::SignInOtherOwner) {
    std::snprintf(buf, sizeof buf, pattern.c_str(), f.other_owner.c_str(), static_cast<int>(f.other_owner_unsent));
    return buf;
  }
  return pattern;
}

// User name (unless fixed), password and the button; Enter in either field signs in.
void credentials(App& app, bool user_fixed, float width) {
  const Lang lang = app.lang();
  SignInForm& f = app.sign_in_form();
  bool submit = false;
  const std::string user_label = std::string(tr(lang, Str::FieldUser));
  const std::string pass_label = std::string(tr(lang, Str::FieldPassword));
  if (!user_fixed) {
    ImGui::TextUnformatted(user_label.c_str());
    ImGui::SetNextItemWidth(width);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    submit |= ImGui::InputText(("##" + user_label).c_str(), &f.user, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Spacing();
  }
  ImGui::TextUnformatted(pass_label.c_str());
  ImGui::SetNextItemWidth(width);
  submit |= ImGui::InputText(("##" + pass_label).c_str(), &f.password,
                             ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::Spacing();
  ImGui::BeginDisabled(f.busy);
  const std::string button = std::string(tr(lang, f.busy ? Str::SigningIn : Str::SignInButton)) + "##sign-in";
  submit |= primary_button(button.c_str(), ImVec2(width, ImGui::GetFrameHeight() * 1.3f));
  ImGui::EndDisabled();
  if (submit && !f.busy) app.sign_in();

  const std::string msg = message_text(app);
  if (!msg.empty()) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextColored(kProblem, "%s", msg.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace

void draw_sign_in(App& app, FrameInfo&) {
  const Lang lang = app.lang();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##sign-in-screen", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                                ImGuiWindowFlags_NoSavedSettings);
  const float em = ImGui::GetFontSize();
  const float card_w = std::min(em * 24.0f, vp->WorkSize.x - em * 2.0f);
  const float card_h = std::min(em * 22.0f, vp->WorkSize.y - em * 2.0f);
  ImGui::SetCursorPos(ImVec2((vp->WorkSize.x - card_w) * 0.5f, std::max(em, (vp->WorkSize.y - card_h) * 0.4f)));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, kWhite);
  ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, em * 0.5f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(em * 1.5f, em * 1.2f));
  ImGui::BeginChild("##sign-in-card", ImVec2(card_w, 0),
                    ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding);
  const float inner = ImGui::GetContentRegionAvail().x;
  // Fields with a visible frame on the white card.
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.97f, 0.97f, 0.98f, 1));
  ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.75f, 0.77f, 0.80f, 1));

  ImGui::SetWindowFontScale(1.35f);
  ImGui::TextColored(ImVec4(0.10f, 0.30f, 0.60f, 1), "%s", std::string(tr(lang, Str::SignInTitle)).c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::SignInSubtitle)).c_str());
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();

  credentials(app, false, inner);

  const SignInForm& f = app.sign_in_form();
  if (!f.other_owner.empty()) {
    ImGui::Spacing();
    const std::string clear = std::string(tr(lang, Str::ClearDeviceData)) + "##clear-device";
    if (ImGui::Button(clear.c_str(), ImVec2(inner, 0))) ImGui::OpenPopup("##confirm-clear");
    if (ImGui::BeginPopupModal("##confirm-clear", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
      char buf[512];
      std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::SignOutClearWarn)).c_str(),
                    static_cast<int>(f.other_owner_unsent));
      ImGui::TextUnformatted(buf);
      if (ImGui::Button((std::string(tr(lang, Str::ClearDeviceData)) + "##clear-confirmed").c_str()))
        app.clear_device_data();
      ImGui::SameLine();
      if (ImGui::Button((std::string(tr(lang, Str::Cancel)) + "##clear-cancel").c_str())) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
  }

  ImGui::PopStyleColor(2);
  ImGui::PopStyleVar();
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextColored(kMuted, "语言 / Language:");
  ImGui::SameLine();
  if (choice("中文", lang == Lang::Zh)) app.set_lang(Lang::Zh);
  ImGui::SameLine();
  if (choice("English", lang == Lang::En)) app.set_lang(Lang::En);
  ImGui::EndChild();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
  ImGui::End();
}

void draw_reauth_banner(App& app, const FrameInfo&) {
  if (!app.needs_password_again()) return;
  const Lang lang = app.lang();
  const float em = ImGui::GetFontSize();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1.0f, 0.95f, 0.85f, 1));
  ImGui::BeginChild("##reauth", ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY |
                                                  ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::TextColored(ImVec4(0.55f, 0.30f, 0.0f, 1), "%s", std::string(tr(lang, Str::SignInExpired)).c_str());
  credentials(app, true, std::min(em * 18.0f, ImGui::GetContentRegionAvail().x));
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

}  // namespace linli::ui
