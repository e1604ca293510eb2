// The ticket detail's 联合处置 (joint handling) section: each co-handler with its sub-status
// (待回复 / 已回复 / 已移除), its replies and its deadline; the centre adds co-handlers from the
// street's departments and removes them; a co-handling department writes its 协办回复. Draws and
// calls App commands only; what is offered is what the shared write policy allows (P8-P10).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"
#include "refusal_text.h"

namespace linli::ui {

using namespace palette;
namespace {


// The departments of the street's 1+8 joint actions a ticket may be co-handled by (panels.h).
constexpr const auto& kCoDepartments = kDepartments;


// The sub-status as a coloured word.
void state_badge(Lang lang, CoHandlerState st) {
  switch (st) {
    case CoHandlerState::Pending:
      ImGui::TextColored(kAmber, "%s", S(lang, Str::CoPending).c_str());
      break;
    case CoHandlerState::Replied:
      ImGui::TextColored(kGood, "%s", S(lang, Str::CoReplied).c_str());
      break;
    case CoHandlerState::Removed:
      ImGui::TextColored(kMuted, "%s", S(lang, Str::CoRemoved).c_str());
      break;
  }
}

// "by …" for a pending co-handler (amber on its day, red once past); muted otherwise.
void due_label(Lang lang, const App::CoHandlerView& v) {
  if (!v.due_ms) {
    ImGui::TextColored(kMuted, "%s", S(lang, Str::DueUnknown).c_str());
    return;
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, S(lang, Str::DeadlineBy).c_str(), format_shanghai_minute(*v.due_ms - 60'000).c_str());
  const int64_t now = platform::now_ms();
  const CoHandlerState st = v.co_handler.state();
  const int64_t met = v.co_handler.replied_at_ms;
  if (st == CoHandlerState::Removed)
    ImGui::TextColored(kMuted, "%s", buf);
  else if (st == CoHandlerState::Replied)  // Late (co_handler_row shows no deadline met in time): in red.
    ImGui::TextColored(met > *v.due_ms ? kProblem : kMuted, "%s", buf);
  else if (now >= *v.due_ms)
    ImGui::TextColored(kProblem, "%s · %s", buf, S(lang, Str::FilterOverdue).c_str());
  else if (shanghai_days(*v.due_ms - 1) == shanghai_days(now))
    ImGui::TextColored(kAmber, "%s", buf);
  else
    ImGui::TextUnformatted(buf);
}

void co_handler_row(App& app, FrameInfo& frame, const App::CoHandlerView& v) {
  const Lang lang = app.lang();
  const CoHandler& h = v.co_handler;
  const std::string key = to_string(h.added);
  ImGui::PushID(key.c_str());
  ImGui::TextUnformatted(h.department.c_str());
  ImGui::SameLine();
  state_badge(lang, h.state());
  // A reply made in time has nothing due any more (its time is under the reply): no deadline.
  if (!(h.state() == CoHandlerState::Replied && v.due_ms && h.replied_at_ms <= *v.due_ms)) {
    ImGui::SameLine();
    due_label(lang, v);
  }
  // 移除 frees the ticket from a reply that will not come (R12): for a pending co-handler of a ticket
  // still worked on; after the reply, or once the ticket is closed, it changes nothing but the record.
  const auto* st = app.selected_state();
  const bool open = st && st->ticket.status != TicketStatus::Closed;
  if (open && h.state() == CoHandlerState::Pending && !app.why_not_remove_co_handler(h.added)) {
    // On the line when it fits, else under it ("Remove" in English was cut to "Remo" at the edge).
    const std::string remove = S(lang, Str::CoRemove) + "##co-remove-" + h.department;
    next_in_row(ImGui::CalcTextSize(remove.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2);
    if (small_button(remove.c_str())) app.remove_co_handler(h.added);
  }
  char added[160];
  std::snprintf(added, sizeof added, S(lang, Str::CoAddedAt).c_str(), format_shanghai_minute(h.added_at_ms).c_str());
  ImGui::TextColored(kMuted, "%s", added);
  for (const TimelineEntry& r : v.replies) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(wrapped(r.entry.text).c_str());
    ImGui::PopTextWrapPos();
    char who[256];
    std::snprintf(who, sizeof who, S(lang, Str::CoRepliedBy).c_str(), app.person(r.author.user).c_str(),
                  format_shanghai_minute(r.at_ms).c_str());
    ImGui::TextColored(kMuted, "%s", who);
  }
  // The co-handling department's own reply form (the centre may reply for it, but does not here).
  const bool co_department =
      app.session() && app.session()->role == Role::Department && app.session()->scope == h.department;
  if (co_department && open && h.state() == CoHandlerState::Pending && !app.why_not_co_reply(h.added)) {
    ImGui::TextColored(kAccent, "%s", S(lang, Str::CoReplyTitle).c_str());
    const float button_w = ImGui::CalcTextSize(S(lang, Str::CoReplySend).c_str()).x +
                           ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().x - button_w));
    const bool enter = wrapped_note_input("##co-reply-text", S(lang, Str::CoReplyHint), &frame.co_reply_text, 0, 4,
                                          ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button((S(lang, Str::CoReplySend) + "##co-reply-send").c_str()) || enter) &&
        app.co_reply(h.added, frame.co_reply_text))
      frame.co_reply_text.clear();
  }
  ImGui::PopID();
  ImGui::Spacing();
}

// The centre's row: a department not leading nor co-handling yet, and the add button.
void add_row(App& app, FrameInfo& frame, const TicketState& st) {
  const Lang lang = app.lang();
  const auto co = co_handling_departments(st);
  std::vector<const char*> choices;
  for (const char* d : kCoDepartments)
    if (st.lead_department != d && std::find(co.begin(), co.end(), d) == co.end()) choices.push_back(d);
  if (choices.empty()) return;
  // None is chosen for the centre: 添加协办 waits until one is picked.
  if (std::find_if(choices.begin(), choices.end(), [&](const char* d) { return frame.co_add == d; }) == choices.end())
    frame.co_add.clear();
  const std::string preview = frame.co_add.empty() ? S(lang, Str::ChooseDepartment) : frame.co_add;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (begin_combo("##co-add-to", preview.c_str())) {  // Every department without a scroll.
    for (const char* d : choices)
      if (ImGui::Selectable(d, frame.co_add == d)) frame.co_add = d;
    end_combo();
  }
  ImGui::SameLine();
  const auto refusal = frame.co_add.empty() ? std::nullopt : app.why_not_add_co_handler(frame.co_add);
  ImGui::BeginDisabled(refusal.has_value() || frame.co_add.empty());
  if (ImGui::Button((S(lang, Str::CoAdd) + "##co-add").c_str())) app.add_co_handler(frame.co_add);
  ImGui::EndDisabled();
  if (refusal && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s%s", S(lang, Str::WhyNot).c_str(), refusal_text(lang, *refusal).c_str());
  else if (frame.co_add.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", S(lang, Str::ErrChooseDepartment).c_str());
}

}  // namespace

void draw_co_handlers(App& app, FrameInfo& frame) {
  const TicketState* st = app.selected_state();
  if (!st) return;
  const Lang lang = app.lang();
  const auto views = app.co_handlers();
  const bool may_add = !app.why_not_entry(EntryKind::CoHandlerAdded);
  if (views.empty() && !may_add) return;
  ImGui::SeparatorText(S(lang, Str::SectionCoHandlers).c_str());
  if (app.awaiting_co_handlers()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kAmber, "%s", wrapped(S(lang, Str::CoAwaitingHint)).c_str());
    ImGui::PopTextWrapPos();
  }
  if (views.empty()) ImGui::TextColored(kMuted, "%s", S(lang, Str::CoNone).c_str());
  for (const App::CoHandlerView& v : views) co_handler_row(app, frame, v);
  if (may_add) add_row(app, frame, *st);
}

}  // namespace linli::ui
