// Status bar: connection, ticket count, whether every edit is durable, the last message.
#include <imgui.h>

#include <string>

#include "panels/panels.h"
#include "platform/platform.h"

namespace linli::ui {

void draw_status_bar(App& app, const FrameInfo&) {
  const Lang lang = app.lang();
  const bool online = platform::is_online();
  ImGui::TextColored(online ? ImVec4(0.15f, 0.55f, 0.25f, 1) : ImVec4(0.6f, 0.6f, 0.6f, 1), "●");
  ImGui::SameLine();
  ImGui::TextUnformatted(std::string(tr(lang, online ? Str::Online : Str::Offline)).c_str());
  ImGui::SameLine(0, ImGui::GetFontSize());
  ImGui::Text("%d %s", static_cast<int>(app.tickets().size()), std::string(tr(lang, Str::TicketCount)).c_str());
  ImGui::SameLine(0, ImGui::GetFontSize());

  const std::string storage_error = platform::durable_storage_error();
  if (!storage_error.empty()) {
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s: %s", std::string(tr(lang, Str::SaveFailed)).c_str(),
                       storage_error.c_str());
  } else {
    const bool saving = platform::pending_durable_writes() > 0;
    ImGui::TextUnformatted(std::string(tr(lang, saving ? Str::Saving : Str::Saved)).c_str());
  }
  if (!app.error().empty()) {
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s: %s", std::string(tr(lang, Str::ErrStorage)).c_str(),
                       app.error().c_str());
  } else if (!app.notice().empty() && platform::now_ms() - app.notice_at_ms() < 6000) {
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::TextColored(ImVec4(0.15f, 0.45f, 0.75f, 1), "%s", app.notice().c_str());
  }
}

}  // namespace linli::ui
