// Outbox (发送队列): the own changes not yet on the server, and the changes the server refused
// with its reason, kept until the user discards them or redoes them (a new change against the
// ticket as it is now, offered when the write policy allows it; else the reason is shown).
#include <imgui.h>

#include <string>

#include "core/civil_time.h"
#include "core/workflow.h"
#include "panels/palette.h"
#include "panels/panels.h"

namespace linli::ui {

using namespace palette;
namespace {


Str kind_label(ChangeKind k) {
  switch (k) {
    case ChangeKind::CreateTicket: return Str::KindCreate;
    case ChangeKind::SetField: return Str::KindSetField;
    case ChangeKind::Transition: return Str::KindTransition;
    case ChangeKind::AddEntry: return Str::KindEntry;
    case ChangeKind::AttachPhoto: return Str::KindPhoto;
    case ChangeKind::LinkTickets: return Str::KindLink;
    case ChangeKind::SetFacility:
    case ChangeKind::SetCampaign:
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem: return Str::KindField;
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

// What the change meant, in a few words, so the user knows what a redo would do again.
std::string what_of(Lang lang, const Change& c) {
  switch (c.kind) {
    case ChangeKind::SetField:
      if (c.field == EditableField::Deleted || c.field == EditableField::OfficialNumber)
        return std::string(to_string(c.field)) + " → " + c.value;
      return std::string(tr(lang, field_label(c.field))) + " → " + c.value;
    case ChangeKind::Transition: return std::string(tr(lang, step_label(c.action, c.from)));
    case ChangeKind::AddEntry: return c.entry.text;
    default: return {};
  }
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
      // The ticket (cut with … on a phone), then what the change does, as the refused table says it.
      const auto [number, title] = app.ticket_label(c.ticket_id);
      text_fit(number + "  " + title);
      if (const std::string what = what_of(lang, c); !what.empty()) text_fit(what, kMuted);
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  draw_photo_uploads(app);

  ImGui::Spacing();
  ImGui::SeparatorText(std::string(tr(lang, Str::OutboxRefused)).c_str());
  if (app.refused().empty()) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::OutboxNothingRefused)).c_str());
    return;
  }
  ImGui::TextWrapped("%s", std::string(tr(lang, Str::OutboxRefusedHint)).c_str());
  std::optional<ChangeId> discard, redo;
  if (ImGui::BeginTable("##refused", 5, flags)) {
    setup_columns(lang, true);
    for (size_t i = 0; i < app.refused().size(); ++i) {
      const RefusedChange& r = app.refused()[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_shanghai_minute(r.refused_at_ms).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(tr(lang, kind_label(r.change.kind))).c_str());
      ImGui::TableNextColumn();
      ImGui::PushTextWrapPos(0.0f);
      ImGui::Text("%s  %s", r.ticket_number.c_str(), r.ticket_title.c_str());
      if (const std::string what = what_of(lang, r.change); !what.empty()) ImGui::TextColored(kMuted, "%s", what.c_str());
      ImGui::PopTextWrapPos();
      ImGui::TableNextColumn();
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(kProblem, "%s", wrapped(reason_label(lang, r.code)).c_str());
      // The server's own words are English: shown under the code in English, on hover in Chinese,
      // where the line below (why it cannot be redone here) says it in the user's words.
      if (!r.detail.empty()) {
        if (lang == Lang::En) ImGui::TextColored(kMuted, "%s", r.detail.c_str());
        else if (ImGui::IsItemHovered())
          ImGui::SetTooltip("%s%s", std::string(tr(lang, Str::OutboxServerSaid)).c_str(), r.detail.c_str());
      }
      const std::optional<std::string>& why_not = app.why_not_redo(i);
      if (why_not) ImGui::TextColored(kMuted, "%s%s", std::string(tr(lang, Str::RedoNotHere)).c_str(), why_not->c_str());
      ImGui::PopTextWrapPos();
      ImGui::TableNextColumn();
      const std::string id = to_string(r.change.id);
      ImGui::BeginDisabled(why_not.has_value());
      if (small_button((std::string(tr(lang, Str::Redo)) + "##redo-" + id).c_str())) redo = r.change.id;
      ImGui::EndDisabled();
      if (small_button((std::string(tr(lang, Str::Discard)) + "##discard-" + id).c_str())) discard = r.change.id;
    }
    ImGui::EndTable();
  }
  if (redo) app.redo_refused(*redo);
  if (discard) app.discard_refused(*discard);
}

}  // namespace linli::ui
