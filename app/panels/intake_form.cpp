// Intake form (受理登记): labels on the left, inputs on the right, a problem shown under each
// field that has one. Widget ids are "##" + the visible label, so tests find them by label.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"

namespace linli::ui {

using namespace palette;
namespace {


std::string id_for(Lang lang, Str label) { return "##" + std::string(tr(lang, label)); }

// The label column; returns with the cursor where the input goes.
void field_label(Lang lang, Str label, bool required, float label_width) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(std::string(tr(lang, label)).c_str());
  if (required) {
    ImGui::SameLine(0, 2);
    ImGui::TextColored(kProblem, "*");
  }
  ImGui::SameLine(label_width);
}

void field_problem(Lang lang, TicketField field, std::optional<ValidationCode> code, float label_width) {
  if (!code) return;
  const Str s = *code == ValidationCode::Missing   ? Str::ErrMissing
                : *code == ValidationCode::TooLong ? Str::ErrTooLong
                : field == TicketField::CitizenPhone ? Str::ErrPhoneFormat  // Says what a number looks like.
                                                     : Str::ErrBadFormat;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + label_width);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(kProblem, "%s", wrapped(tr(lang, s)).c_str());
  ImGui::PopTextWrapPos();
}

void text_field(App& app, Str label, Str hint, std::string& value, TicketField field, bool required, float lw,
                float input_w) {
  const Lang lang = app.lang();
  field_label(lang, label, required, lw);
  ImGui::SetNextItemWidth(input_w);
  ImGui::InputTextWithHint(id_for(lang, label).c_str(), std::string(tr(lang, hint)).c_str(), &value);
  field_problem(lang, field, app.problems().of(field), lw);
}

template <class E, int N>
void enum_combo(App& app, Str label, E& value, float lw) {
  const Lang lang = app.lang();
  field_label(lang, label, false, lw);
  ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 12, ImGui::GetContentRegionAvail().x));
  if (begin_combo(id_for(lang, label).c_str(), std::string(ui::label(lang, value)).c_str())) {
    for (int i = 0; i < N; ++i) {
      const E option = static_cast<E>(i);
      if (ImGui::Selectable(std::string(ui::label(lang, option)).c_str(), option == value)) value = option;
    }
    end_combo();
  }
}

// 反弹: closed tickets of this kind at this address, each with a box to link the new one to it.
void rebound_suggestions(App& app, float lw, float input_w) {
  const auto& rows = app.draft_rebound_suggestions();
  if (rows.empty()) return;
  const Lang lang = app.lang();
  IntakeDraft& d = app.draft();
  const ImVec4 amber(0.62f, 0.34f, 0.0f, 1.0f);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
  ImGui::BeginGroup();
  char buf[256];
  std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::ReboundSuggest)).c_str(), App::kReboundDays);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + input_w);
  ImGui::TextColored(amber, "%s", buf);
  ImGui::PopTextWrapPos();
  for (const InboxRow& r : rows) {
    bool on = std::find(d.rebound_of.begin(), d.rebound_of.end(), r.id) != d.rebound_of.end();
    const std::string closed = format_shanghai_minute(r.key.number).substr(0, 10);
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::ReboundClosed)).c_str(), closed.c_str());
    const std::string text = r.number + "  " + r.title + "  (" + buf + ")##rebound-" + r.id;
    if (ImGui::Checkbox(text.c_str(), &on)) {
      if (on) d.rebound_of.push_back(r.id);
      else std::erase(d.rebound_of, r.id);
    }
  }
  ImGui::EndGroup();
}

// 可能重复: open tickets at the address just typed, whatever their category. The dispatcher reads
// them before making a second ticket of the same call, and opens one with a click (the form is kept).
void open_at_address(App& app, FrameInfo& frame, float lw, float input_w) {
  const auto& rows = app.draft_open_at_address();
  if (rows.empty()) return;
  const Lang lang = app.lang();
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + input_w);
  ImGui::TextColored(kAmber, "%s", S(lang, Str::OpenAtAddress).c_str());
  ImGui::PopTextWrapPos();
  std::string open_id;
  for (const InboxRow& r : rows) {
    if (small_button((S(lang, Str::FwViewTicket) + "##open-at-" + r.id).c_str())) open_id = r.id;
    ImGui::SameLine();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + input_w);
    ImGui::TextUnformatted((r.number + "  " + r.title + " · " + std::string(label(lang, r.status)) +
                            (r.lead_department.empty() ? std::string() : " · " + r.lead_department))
                               .c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
  if (!open_id.empty()) {
    app.select(open_id);
    frame.scroll_to_selected = true;
    app.set_view(View::Tickets);
  }
}

}  // namespace

void draw_intake_form(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  IntakeDraft& d = app.draft();
  const float lw = ImGui::GetFontSize() * (lang == Lang::Zh ? 6.0f : 8.5f);
  const bool citizen_required = d.source != Source::Patrol;
  // Inputs stop growing at a readable width on a wide screen.
  const float input_w = std::min(ImGui::GetContentRegionAvail().x - lw, ImGui::GetFontSize() * 36);
  app.revalidate_draft();

  enum_combo<Source, kSourceCount>(app, Str::FieldSource, d.source, lw);

  field_label(lang, Str::FieldReceivedAt, true, lw);
  ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 12, ImGui::GetContentRegionAvail().x));
  ImGui::InputTextWithHint(id_for(lang, Str::FieldReceivedAt).c_str(), "2026-11-29 14:30", &d.received_at);
  if (app.problems().bad_received_at || app.problems().future_received_at) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
    ImGui::TextColored(kProblem, "%s",
                       S(lang, app.problems().bad_received_at ? Str::ErrBadTime : Str::ErrReceivedFuture).c_str());
  }

  text_field(app, Str::FieldCitizenName, Str::HintName, d.citizen_name, TicketField::CitizenName,
             citizen_required, lw, input_w);
  text_field(app, Str::FieldCitizenPhone, Str::HintPhone, d.citizen_phone, TicketField::CitizenPhone,
             citizen_required, lw, input_w);
  text_field(app, Str::FieldCommunity, Str::HintCommunity, d.community, TicketField::Community, true, lw, input_w);
  if (app.problems().out_of_scope) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + input_w);
    ImGui::TextColored(kProblem, "%s", std::string(tr(lang, Str::ErrCreateOutOfScope)).c_str());
    ImGui::PopTextWrapPos();
  }
  text_field(app, Str::FieldAddress, Str::HintAddress, d.address, TicketField::Address, true, lw, input_w);
  const Category was = d.category;
  enum_combo<Category, kCategoryCount>(app, Str::FieldCategory, d.category, lw);
  // 疫情防控: 紧急, as the centre rules; but what the dispatcher chose stays chosen.
  if (d.category != was && !d.urgency_chosen) d.urgency = default_urgency(d.category);
  rebound_suggestions(app, lw, input_w);
  open_at_address(app, frame, lw, input_w);

  field_label(lang, Str::FieldUrgency, false, lw);
  if (ImGui::RadioButton(std::string(label(lang, Urgency::Normal)).c_str(), d.urgency == Urgency::Normal)) {
    d.urgency = Urgency::Normal;
    d.urgency_chosen = true;
  }
  // 紧急 beside 一般 where it fits, else under it (English on a 360-pixel phone cut "Urgent").
  const std::string urgent(label(lang, Urgency::Urgent));
  ImGui::SameLine();
  if (ImGui::GetCursorPosX() + ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
          ImGui::CalcTextSize(urgent.c_str()).x > ImGui::GetContentRegionMax().x) {
    ImGui::NewLine();
    ImGui::SetCursorPosX(lw);
  }
  if (ImGui::RadioButton(urgent.c_str(), d.urgency == Urgency::Urgent)) {
    d.urgency = Urgency::Urgent;
    d.urgency_chosen = true;
  }
  // What the choice means, where it is made: 紧急 sets the same-day reply and the daily reports.
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + input_w);
  ImGui::TextColored(d.urgency == Urgency::Urgent ? kProblem : kMuted, "%s",
                     std::string(tr(lang, d.urgency == Urgency::Urgent ? Str::UrgentMeans : Str::UrgentWhen)).c_str());
  ImGui::PopTextWrapPos();

  text_field(app, Str::FieldTitle, Str::HintTitle, d.title, TicketField::Title, true, lw, input_w);

  field_label(lang, Str::FieldDescription, false, lw);
  const float rows = frame.css_width < 760.0f ? 5.0f : 6.0f;
  wrapped_input(id_for(lang, Str::FieldDescription).c_str(), &d.description,
                ImVec2(input_w, ImGui::GetTextLineHeight() * rows));
  field_problem(lang, TicketField::Description, app.problems().of(TicketField::Description), lw);

  ImGui::Spacing();
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
  if (primary_button(std::string(tr(lang, Str::Save)).c_str(), ImVec2(ImGui::GetFontSize() * 6, 0)) &&
      app.submit_draft()) {
    // The list opens on the new ticket, selected: a search or filter left on it (the earlier
    // ticket looked up while the citizen talked, say) would hide the row while the detail shows it.
    InboxFilter& f = app.inbox_query().filter;
    if (narrows(f)) {
      f = InboxFilter{};
      frame.search_text.clear();
      frame.active_view.clear();
      app.inbox_changed();
    }
    frame.scroll_to_selected = true;
  }
  ImGui::SameLine();
  if (ImGui::Button(std::string(tr(lang, Str::Clear)).c_str())) app.clear_draft();
  if (app.problems().any()) {
    // Beside the buttons where it fits, else under them (English on a phone ran off the screen).
    const std::string fix(tr(lang, Str::FixProblems));
    ImGui::SameLine(0, ImGui::GetFontSize());
    if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(fix.c_str()).x > ImGui::GetContentRegionMax().x) {
      ImGui::NewLine();
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + lw);
    }
    ImGui::AlignTextToFramePadding();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kProblem, "%s", wrapped(fix).c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace linli::ui
