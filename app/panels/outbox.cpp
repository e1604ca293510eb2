// Outbox (发送队列): the own changes not yet on the server, and the changes the server refused
// with its reason, kept until the user has read them and discards them.
#include <imgui.h>

#include <string>

#include "core/civil_time.h"
#include "panels/panels.h"

namespace linli::ui {
namespace {

const ImVec4 kMuted(0.38f, 0.40f, 0.44f, 1.0f);
const ImVec4 kRefusedRed(0.72f, 0.12f, 0.12f, 1.0f);

Str kind_label(ChangeKind k) {
  switch (k) {
    case ChangeKind::CreateTicket: return Str::KindCreate;
    case ChangeKind::SetField: return Str::KindSetField;
    case ChangeKind::Transition: return Str::KindTransition;
    case ChangeKind::AddEntry: return Str::KindEntry;
    case ChangeKind::AttachPhoto: return Str::KindPhoto;
    case ChangeKind::LinkTickets: return Str::KindLink;
  }
  return Str::KindSetField;
}

// The server's refusal code in the user's words; the server's own text follows it.
std::string reason_label(Lang lang, const std::string& code) {
  if (code == "forbidden") return std::string(tr(lang, Str::CodeForbidden));
  if (code == "out_of_scope") return std::string(tr(lang, Str::CodeOutOfScope));
  if (code == "not_found") return std::string(tr(lang, Str::CodeNotFound));
  if (code == "already_exists") return std::string(tr(lang, Str::CodeExists));
  return std::string(tr(lang, Str::CodeInvalid));
}

void setup_columns(Lang lang, bool with_reason) {
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColWhen)).c_str(), ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColChange)).c_str(), ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColTicket)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  if (with_reason) {
    ImGui::TableSetupColumn(std::string(tr(lang, Str::ColReason)).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("##discard", ImGuiTableColumnFlags_WidthFixed);
  }
  ImGui::TableHeadersRow();
}

}  // namespace

void draw_outbox(App& app, const FrameInfo&) {
  const Lang lang = app.lang();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingStretchProp;

  ImGui::SeparatorText(std::string(tr(lang, Str::OutboxUnsent)).c_str());
  if (app.unsent().empty()) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::OutboxNothingUnsent)).c_str());
  } else if (ImGui::BeginTable("##unsent", 3, flags)) {
    setup_columns(lang, false);
    for (const Change& c : app.unsent()) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_shanghai_minute(c.stamp.ms).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(tr(lang, kind_label(c.kind))).c_str());
      ImGui::TableNextColumn();
      const auto [number, title] = app.ticket_label(c.ticket_id);
      ImGui::Text("%s  %s", number.c_str(), title.c_str());
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  ImGui::SeparatorText(std::string(tr(lang, Str::OutboxRefused)).c_str());
  if (app.refused().empty()) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::OutboxNothingRefused)).c_str());
    return;
  }
  ImGui::TextWrapped("%s", std::string(tr(lang, Str::OutboxRefusedHint)).c_str());
  std::optional<ChangeId> discard;
  if (ImGui::BeginTable("##refused", 5, flags)) {
    setup_columns(lang, true);
    for (const RefusedChange& r : app.refused()) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_shanghai_minute(r.refused_at_ms).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(tr(lang, kind_label(r.change.kind))).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s  %s", r.ticket_number.c_str(), r.ticket_title.c_str());
      ImGui::TableNextColumn();
      ImGui::TextColored(kRefusedRed, "%s", reason_label(lang, r.code).c_str());
      if (!r.detail.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kMuted, "%s", r.detail.c_str());
        ImGui::PopTextWrapPos();
      }
      ImGui::TableNextColumn();
      const std::string button = std::string(tr(lang, Str::Discard)) + "##discard-" + to_string(r.change.id);
      if (ImGui::SmallButton(button.c_str())) discard = r.change.id;
    }
    ImGui::EndTable();
  }
  if (discard) app.discard_refused(*discard);
}

}  // namespace linli::ui
