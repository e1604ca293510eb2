// Ticket detail (工单详情): the fields, each editable in place where the user's role and scope
// allow; a badge on a field whose concurrent edit lost; the workflow steps this user may take now
// (the others shown disabled with the reason); a note to add; and the timeline with who wrote
// each entry, when and on which device.
#include <imgui.h>
#include <imgui_internal.h>  // OpenPopupEx, ImHashStr: the A key opens the 派单 list.
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"
#include "refusal_text.h"

namespace linli::ui {

using namespace palette;
namespace {

// 催办, the centre's side: how often it pressed and got no answer, then what it asks and the button.
// The centre chases a ticket from here, where it reads whose move it is.
void urge_row(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  if (app.why_not_entry(EntryKind::Urge)) return;
  int count = 0;
  if (const TimelineEntry* last = app.unanswered_urge(&count)) {
    char buf[256];
    std::snprintf(buf, sizeof buf, S(lang, Str::UrgeSent).c_str(), count, format_shanghai_minute(last->at_ms).c_str());
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kAmber, "%s", buf);
    ImGui::PopTextWrapPos();
  }
  const std::string label = S(lang, Str::UrgeSend) + "##urge";
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().x -
                                                                  ImGui::CalcTextSize(label.c_str(), nullptr, true).x -
                                                                  style.FramePadding.x * 2 - style.ItemSpacing.x));
  const bool enter = wrapped_note_input("##urge-text", S(lang, Str::UrgeHint), &frame.urge_text, 0, 4,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button(label.c_str()) || enter) && app.urge(frame.urge_text)) frame.urge_text.clear();
}

// 催办, the handler's side: an amber band at the top while the centre's newest urge is not
// answered, with what it asks, and how to answer it.
void urged_banner(App& app) {
  const TimelineEntry* urge = app.unanswered_urge();
  if (!urge) return;
  const Lang lang = app.lang();
  std::string text = tr_with(lang, Str::UrgedBanner, format_shanghai_minute(urge->at_ms));
  if (!urge->entry.text.empty()) text += (lang == Lang::Zh ? "：" : ": ") + urge->entry.text;
  band(text.c_str(), kAmber, kInk);
  if (app.session() && app.session()->role != Role::Centre && !app.why_not_entry(EntryKind::Comment)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMuted, "%s", S(lang, Str::UrgedAnswerHint).c_str());
    ImGui::PopTextWrapPos();
  }
}

// 预警: a red band at the top of a warned ticket, with what the citizen said at the last visit.
void warning_banner(App& app) {
  const auto d = app.selected_deadlines();
  if (!d || !d->warning) return;
  const TimelineEntry* visit = nullptr;
  for (const TimelineEntry& e : app.timeline())
    if (e.entry.kind == EntryKind::ReturnVisit && (!visit || e.at_ms >= visit->at_ms)) visit = &e;
  const Lang lang = app.lang();
  std::string what = visit ? std::string(tr(lang, satisfaction_label(visit->entry.satisfaction))) : std::string();
  if (visit && !visit->entry.text.empty() && visit->entry.text != tr(Lang::Zh, Str::ActReturnVisit))
    what += " · " + visit->entry.text;
  char buf[640];
  std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::WarningBanner)).c_str(), what.c_str());
  band(buf, kWarn, kWhite);
}

// 待复核: why the ticket is in review (merge rule R5), in an amber band under its status, so the
// dispatcher knows which work to read before closing, reassigning or reopening it.
void review_banner(App& app) {
  const ReviewCause* r = app.review_cause();
  if (!r) return;
  const Lang lang = app.lang();
  const std::string meant(tr(lang, action_label(r->step_action)));  // 结案, 办结, 回访: the step.
  char buf[768];
  if (r->late_work) {
    const Str what = r->work_kind == ChangeKind::AttachPhoto   ? Str::ReviewWorkPhoto
                     : r->work_kind == ChangeKind::LinkTickets ? Str::ReviewWorkLink
                                                               : entry_label(r->work_entry);
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::ReviewLateWork)).c_str(),
                  app.person(r->work_author.user).c_str(), format_shanghai_minute(r->work_at_ms).c_str(),
                  std::string(tr(lang, what)).c_str(), meant.c_str(), meant.c_str());
  } else {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::ReviewMissedWork)).c_str(),
                  app.person(r->step_author.user).c_str(), format_shanghai_minute(r->step_at_ms).c_str(), meant.c_str());
  }
  band(buf, ImVec4(1.0f, 0.95f, 0.84f, 1), ImVec4(0.50f, 0.30f, 0.0f, 1));
}

void why_not_tooltip(Lang lang, const std::optional<Refusal>& refusal) {
  if (refusal && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s%s", std::string(tr(lang, Str::WhyNot)).c_str(), refusal_text(lang, *refusal).c_str());
}

// A field's value as the user reads it: codes become words.
std::string shown_value(Lang lang, EditableField f, const std::string& v) {
  if (f == EditableField::Category)
    if (auto c = parse_category(v)) return std::string(label(lang, *c));
  if (f == EditableField::Urgency)
    if (auto u = parse_urgency(v)) return std::string(label(lang, *u));
  return v;
}

// The badge beside a field whose concurrent edit lost, and the dialog that decides it.
void conflict_badge(App& app, EditableField field, const std::string& now_value) {
  const FieldConflict* open = nullptr;
  for (const auto& c : app.conflicts())
    if (c.field == field && c.open) open = &c;
  if (!open) return;
  const Lang lang = app.lang();
  const std::string field_code(to_string(field));
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1.0f, 0.90f, 0.70f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(1.0f, 0.84f, 0.55f, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
  const std::string badge = std::string(tr(lang, Str::ConflictBadge)) + "##conflict-" + field_code;
  const std::string popup = "##conflict-popup-" + field_code;
  if (small_button(badge.c_str())) ImGui::OpenPopup(popup.c_str());
  ImGui::PopStyleColor(3);
  // Opaque: the detail's boxes and arrows must not show through the two values.
  ImGui::PushStyleColor(ImGuiCol_PopupBg, kWhite);
  const bool shown = ImGui::BeginPopup(popup.c_str());
  ImGui::PopStyleColor();
  if (!shown) return;
  const float em = ImGui::GetFontSize();
  ImGui::PushTextWrapPos(em * 22);
  ImGui::TextColored(kAmber, "%s%s%s", std::string(tr(lang, field_label(field))).c_str(),
                     lang == Lang::Zh ? "：" : ": ", std::string(tr(lang, Str::ConflictTitle)).c_str());
  ImGui::Separator();
  // Each value with who wrote it, when, and where when that was this device or another one.
  const auto written_by = [&](const Author& author, int64_t at_ms, const ReplicaId& replica) {
    if (author.user.empty()) return;  // The change is not in this replica's log.
    const std::string hex = to_hex(replica);
    const std::string device = app.is_this_device(hex) ? S(lang, Str::OnThisDevice)
                                                       : tr_with(lang, Str::OnDevice, hex.substr(0, 6));
    char who[512];
    std::snprintf(who, sizeof who, S(lang, Str::ConflictWho).c_str(), app.person(author.user).c_str(),
                  at_ms > 0 ? format_shanghai_minute(at_ms).c_str() : "?", device.c_str());
    ImGui::TextColored(kMuted, "%s", who);
  };
  ImGui::TextColored(kMuted, "%s", S(lang, Str::ConflictCurrent).c_str());
  ImGui::TextWrapped("%s", shown_value(lang, field, now_value).c_str());
  written_by(open->winner_author, open->winner_at_ms, open->winner.replica);
  ImGui::Spacing();
  ImGui::TextColored(kMuted, "%s", S(lang, Str::ConflictKept).c_str());
  ImGui::TextWrapped("%s", shown_value(lang, field, open->kept_value).c_str());
  written_by(open->author, open->at_ms, open->loser.replica);
  ImGui::Spacing();
  ImGui::TextDisabled("%s", std::string(tr(lang, Str::ConflictHint)).c_str());
  ImGui::PopTextWrapPos();
  const FieldConflict chosen = *open;  // The list is reloaded by the decision.
  if (ImGui::Button((std::string(tr(lang, Str::KeepCurrent)) + "##keep-" + field_code).c_str())) {
    ImGui::CloseCurrentPopup();
    app.resolve_conflict(chosen, false);
  }
  ImGui::SameLine();
  if (ImGui::Button((std::string(tr(lang, Str::TakeKept)) + "##take-" + field_code).c_str())) {
    ImGui::CloseCurrentPopup();
    app.resolve_conflict(chosen, true);
  }
  ImGui::EndPopup();
}

// A small blue word that acts (修改, 拨打): a link, not a box.
bool link_button(const std::string& label) {
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kAccentHover);  // The blue word stays readable.
  ImGui::PushStyleColor(ImGuiCol_Text, kAccent);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  const bool clicked = small_button(label.c_str());
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(3);
  return clicked;
}

// The row of one field: its name, its value (amber with a badge while a conflict is open), and
// an edit button that turns the value into an input with save and cancel. The citizen's phone
// has a 拨打 link too (tel:): a committee worker calls back with one tap, not by retyping it.
void field_row(App& app, FrameInfo& frame, Str name, const std::string& shown, std::optional<EditableField> field,
               const std::string& raw = {}) {
  const Lang lang = app.lang();
  const float value_x = frame.detail_label_w;
  if (touch_layout() && field) ImGui::AlignTextToFramePadding();  // Level with its 修改 button.
  ImGui::TextDisabled("%s", std::string(tr(lang, name)).c_str());
  ImGui::SameLine(value_x);
  const bool editing = field && frame.editing == static_cast<int>(*field);
  if (editing) {
    const std::string code(to_string(*field));
    ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 8, ImGui::GetContentRegionAvail().x));
    if (ImGui::IsWindowAppearing() || frame.edit_focus) ImGui::SetKeyboardFocusHere();
    frame.edit_focus = false;
    const ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll;
    const std::string id = "##edit-value-" + code;
    // A description runs to several lines: it wraps as it is typed (Ctrl+Enter for a new line).
    const bool enter = *field == EditableField::Description
                           ? wrapped_note_input(id.c_str(), "", &frame.edit_buffer, 0, 6, flags)
                           : ImGui::InputText(id.c_str(), &frame.edit_buffer, flags);
    ImGui::SetCursorPosX(value_x);
    if (ImGui::Button((std::string(tr(lang, Str::SaveEdit)) + "##save-" + code).c_str()) || enter) {
      if (app.edit_field(*field, frame.edit_buffer)) frame.editing = -1;
    }
    ImGui::SameLine();
    if (ImGui::Button((std::string(tr(lang, Str::Cancel)) + "##cancel-" + code).c_str())) frame.editing = -1;
    return;
  }
  const bool conflicted = field && std::any_of(app.conflicts().begin(), app.conflicts().end(),
                                               [&](const FieldConflict& c) { return c.field == *field && c.open; });
  const bool editable = field && !app.why_not_edit(*field);
  // A value that wraps leaves room at the right for its 修改 link (and conflict badge), which
  // follow its first line: drawn after the wrap boundary they were cut off on a phone.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  float reserve = 0;
  if (editable) reserve += button_width(std::string(tr(lang, Str::EditField))) + spacing;
  if (conflicted) reserve += button_width(std::string(tr(lang, Str::ConflictBadge))) + spacing;
  const bool dial = field == EditableField::CitizenPhone && !shown.empty();
  if (dial) reserve += button_width(std::string(tr(lang, Str::Dial))) + spacing;
  const float wrap_x = std::max(ImGui::GetCursorPosX() + ImGui::GetFontSize() * 4, ImGui::GetContentRegionMax().x - reserve);
  if (shown.empty() && !conflicted) {
    ImGui::TextDisabled("-");
  } else {
    ImGui::PushTextWrapPos(wrap_x);
    if (conflicted) ImGui::TextColored(kAmber, "%s", wrapped(shown, wrap_x).c_str());
    else ImGui::TextUnformatted(wrapped(shown, wrap_x).c_str());
    ImGui::PopTextWrapPos();
  }
  if (conflicted) conflict_badge(app, *field, raw.empty() ? shown : raw);
  if (dial) {
    ImGui::SameLine();
    if (link_button(std::string(tr(lang, Str::Dial)) + "##dial")) platform::dial(shown);
  }
  if (editable) {
    ImGui::SameLine();
    const std::string code(to_string(*field));
    if (link_button(std::string(tr(lang, Str::EditField)) + "##edit-" + code)) {
      frame.editing = static_cast<int>(*field);
      frame.edit_buffer = raw.empty() ? shown : raw;
      frame.edit_focus = true;
    }
  }
}

// A field chosen from a list (urgency, category): a combo where the user may change it, its word
// where not. Urgent is red either way.
template <class E, int N>
void choice_row(App& app, const FrameInfo& frame, Str name, E value, EditableField field) {
  const Lang lang = app.lang();
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("%s", std::string(tr(lang, name)).c_str());
  ImGui::SameLine(frame.detail_label_w);
  const bool red = std::is_same_v<E, Urgency> && static_cast<int>(value) == static_cast<int>(Urgency::Urgent);
  // A concurrent edit that lost has its badge beside the value, as a typed field's has.
  const std::string now_value(to_string(value));
  // Editable when some other value may be chosen: a department may mark a ticket urgent, not
  // make it normal again; it leaves the category as classified.
  bool editable = false;
  std::optional<Refusal> why;
  for (int i = 0; i < N && !editable; ++i) {
    if (static_cast<E>(i) == value) continue;
    auto refused = app.why_not_edit(field, std::string(to_string(static_cast<E>(i))));
    editable = !refused;
    if (refused && !why) why = std::move(refused);
  }
  if (!editable) {
    if (red) ImGui::TextColored(kProblem, "%s", std::string(label(lang, value)).c_str());
    else ImGui::TextUnformatted(std::string(label(lang, value)).c_str());
    // Why it cannot be changed here (only the centre makes an urgent ticket normal), on hover.
    if (why && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", refusal_text(lang, *why).c_str());
    conflict_badge(app, field, now_value);
    return;
  }
  const std::string code(to_string(field));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * (lang == Lang::Zh ? 7 : 10));
  if (red) ImGui::PushStyleColor(ImGuiCol_Text, kProblem);
  const bool open = begin_combo(("##choice-" + code).c_str(), std::string(label(lang, value)).c_str());
  if (red) ImGui::PopStyleColor();
  conflict_badge(app, field, now_value);
  if (!open) return;
  std::optional<E> chosen;
  for (int i = 0; i < N; ++i) {
    const E e = static_cast<E>(i);
    if (ImGui::Selectable(std::string(label(lang, e)).c_str(), e == value) && e != value) chosen = e;
  }
  end_combo();
  if (chosen) app.edit_field(field, std::string(to_string(*chosen)));
}

std::string due_text(int64_t due_ms);

// The citizen's number and 拨打 on one line, where a call is the next thing to do (none: nothing).
void phone_to_call(Lang lang, const std::string& phone, const char* id) {
  if (phone.empty()) return;
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(kMuted, "%s", S(lang, Str::FieldCitizenPhone).c_str());
  ImGui::SameLine();
  ImGui::TextUnformatted(phone.c_str());
  ImGui::SameLine();
  if (link_button(S(lang, Str::Dial) + id)) platform::dial(phone);
}

// A note owed now (a call back, a progress report) and its button on one row, or the button under
// it where the row would leave the note too narrow. Empty words: `blank` is recorded, or, with none,
// the button waits for words.
void owed_note(App& app, EntryKind kind, std::string* note, Str hint, Str button_label, const char* id,
               const std::string& blank) {
  const Lang lang = app.lang();
  const std::string button = S(lang, button_label) + "##record-" + id;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button_w = ImGui::CalcTextSize(button.c_str(), nullptr, true).x + style.FramePadding.x * 2 + style.ItemSpacing.x;
  const bool stack = ImGui::GetContentRegionAvail().x - button_w < ImGui::GetFontSize() * 12;
  ImGui::SetNextItemWidth(stack ? ImGui::GetContentRegionAvail().x : ImGui::GetContentRegionAvail().x - button_w);
  wrapped_note_input((std::string("##") + id + "-note").c_str(), S(lang, hint), note);
  if (!stack) ImGui::SameLine();
  const std::string text = note->empty() ? blank : *note;
  ImGui::BeginDisabled(text.empty());
  if (ImGui::Button(button.c_str()) && app.add_entry(kind, text)) note->clear();
  ImGui::EndDisabled();
}

// What is owed and by when, amber, red with 已超时 once the time is out.
void owed_line(Lang lang, Str line, int64_t due_ms, int64_t now) {
  const bool over = now >= due_ms;
  const std::string text =
      tr_with(lang, line, due_text(due_ms)) + (over ? " · " + std::string(tr(lang, Str::FilterOverdue)) : std::string());
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(over ? kProblem : kAmber, "%s", text.c_str());
  ImGui::PopTextWrapPos();
}

// Assigned before anyone called the citizen back: 先行联系 is still due (1 working day), and is
// what the handler owes first. The line says so, with the number to dial and a note to record
// the call (a 先行联系 entry, which meets the deadline), where the 先行联系 step is no longer offered.
void contact_due(App& app, FrameInfo& frame, bool step_offered) {
  const TicketState* st = app.selected_state();
  const auto d = app.selected_deadlines();
  if (step_offered || !st || !d || !d->contact_needed || d->contacted_ms != 0) return;
  if (st->ticket.status != TicketStatus::Assigned && st->ticket.status != TicketStatus::InProgress) return;
  if (app.why_not_entry(EntryKind::Contact)) return;
  const Lang lang = app.lang();
  if (d->contact_due_ms > 0) owed_line(lang, Str::ContactDueLine, d->contact_due_ms, platform::now_ms());
  else ImGui::TextColored(kAmber, "%s", std::string(tr(lang, Str::DeadlineContact)).c_str());  // Calendar unknown.
  phone_to_call(lang, st->ticket.citizen_phone, "##dial-contact");
  // A call noted without words still meets the deadline: it says the citizen was called.
  owed_note(app, EntryKind::Contact, &frame.contact_note, Str::ContactNoteHint, Str::RecordContact, "contact",
            std::string(tr(Lang::Zh, Str::ContactDefaultText)));
}

// An urgent ticket in hand owes a 中途汇报 every day until it is handled: on the day one is due
// (or once it is late), the line says so under 处理, with a note and its button, where the
// handler is working, not only as a chip at the foot of the detail.
void report_due(App& app, FrameInfo& frame) {
  const auto d = app.selected_deadlines();
  if (!d || !d->report_needed || d->report_due_ms <= 0) return;
  const int64_t now = platform::now_ms();
  if (now < shanghai_day_start_ms(shanghai_days(d->report_due_ms - 1))) return;  // Not today's yet.
  if (app.why_not_entry(EntryKind::ProgressReport)) return;
  const Lang lang = app.lang();
  owed_line(lang, Str::ReportDueLine, d->report_due_ms, now);
  owed_note(app, EntryKind::ProgressReport, &frame.report_note, Str::ReportNoteHint, Str::EntryProgress, "report", {});
}

// The workflow steps from the ticket's status: allowed ones as buttons, the others disabled with why.
void actions(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const TicketState* st = app.selected_state();
  if (!st) return;
  // The steps this user may see here: none (a committee on a closed ticket), no section at all.
  std::vector<std::pair<WorkflowAction, std::optional<Refusal>>> offered;
  for (int i = 0; i < kWorkflowActionCount; ++i) {
    const auto action = static_cast<WorkflowAction>(i);
    // Not a step from here, or not this role's from here (直接答复 is the centre's, 办结 of a
    // dispatched ticket its handler's).
    if (!workflow_target(st->ticket.status, action, app.session()->role)) continue;
    // 同意退单 answers a handler's 退单 request: it is offered beside the request (requests()), not
    // as a step of its own.
    if (action == WorkflowAction::ApproveReturn) continue;
    // No one to call back (a finding on patrol): 先行联系 is no step; 派单 is the next one.
    if (action == WorkflowAction::ContactCitizen && st->ticket.citizen_name.empty() && st->ticket.citizen_phone.empty())
      continue;
    const auto refusal = app.why_not(action);
    if (refusal && refusal->code == RefusalCode::Forbidden && !role_may(app.session()->role, action)) continue;
    // A department that only co-handles the ticket replies above (协办回复); the lead's steps are
    // not its to take, not even greyed out.
    if (refusal && refusal->rule == RefusalRule::CoHandlerOnly) continue;
    offered.emplace_back(action, refusal);
  }
  if (offered.empty()) return;
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionActions)).c_str());
  const bool contact_step = std::any_of(offered.begin(), offered.end(), [](const auto& o) {
    return o.first == WorkflowAction::ContactCitizen && !o.second;
  });
  // Owed first, before the steps: the call back, once the 先行联系 step has gone by.
  contact_due(app, frame, contact_step);
  bool open_row = false;  // The last button left the row open (SameLine).
  bool primary_shown = false;
  // A step that does not fit what is left of the row starts the next one, so no button is cut off on
  // a narrow panel or in a longer language.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  const ImGuiStyle& style = ImGui::GetStyle();
  // A note before 办结 or 回访 with less than a phone's width: on a line of its own, full width.
  const bool stack_note = ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 26;
  // The department box as wide as the longest fixed name and the one chosen (普善路居委会), so the
  // choice is never cut; the list itself (it reads the store) only while it is open.
  // The box names the lead department when the ticket is with it (重派 elsewhere is a choice).
  // Otherwise it names none: the dispatcher chooses, and 派单 waits for the choice (a department
  // chosen for her had a ticket sent to 管理办 by one click). After a 退单 it does not name the
  // department that gave the ticket back.
  if (frame.assign_for_status != static_cast<int>(st->ticket.status)) {  // Moved under an open detail.
    frame.assign_to.clear();
    frame.assign_for_status = static_cast<int>(st->ticket.status);
  }
  if (frame.assign_to.empty() && App::already_with(*st, st->lead_department)) frame.assign_to = st->lead_department;
  const std::string assign_preview = frame.assign_to.empty() ? S(lang, Str::ChooseDepartment) : frame.assign_to;
  std::vector<std::string> widest(kDepartments.begin(), kDepartments.end());
  widest.push_back(assign_preview);
  const float assign_w = std::min(combo_width_for(widest, ImGui::GetFontSize() * 7), ImGui::GetContentRegionAvail().x);
  // A ticket already with a department is re-dispatched (重派), and only to another one.
  const bool dispatched = App::already_with(*st, st->lead_department);
  for (const auto& [action, refusal] : offered) {
    const bool reassign = action == WorkflowAction::Assign && dispatched;
    // 直接答复办结: the centre's 办结 of a ticket it answered itself, not yet dispatched.
    const bool answer = step_label(action, st->ticket.status) == Str::ActAnswer;
    const std::string label = std::string(tr(lang, reassign ? Str::Reassign : step_label(action, st->ticket.status))) + "##act-" +
                              std::string(to_string(action));
    float width = ImGui::CalcTextSize(label.c_str(), nullptr, true).x + style.FramePadding.x * 2;
    // The words a step takes with it (a call's note, the result, instructions): on the step's row
    // up to its button, at least `min_em` wide, else on a line of their own (stack_note).
    const auto step_note = [&](const char* id, Str hint, std::string* text, float min_em) {
      ImGui::SetNextItemWidth(stack_note ? ImGui::GetContentRegionAvail().x
                                         : std::max(ImGui::GetFontSize() * min_em,
                                                    right - ImGui::GetCursorScreenPos().x -
                                                        ImGui::CalcTextSize(label.c_str(), nullptr, true).x -
                                                        style.FramePadding.x * 2 - style.ItemSpacing.x));
      wrapped_note_input(id, S(lang, hint), text);
      if (!stack_note) ImGui::SameLine();
    };
    if (action == WorkflowAction::Assign) width += assign_w + style.ItemSpacing.x;
    if (action == WorkflowAction::ReturnVisit) width += ImGui::GetFontSize() * 15 + style.ItemSpacing.x * 2;
    if (action == WorkflowAction::Handle && !refusal) width += ImGui::GetFontSize() * 12 + style.ItemSpacing.x;
    // A step with words to write (办结's result, 回访's note) has a row of its own.
    const bool writes = action == WorkflowAction::ReturnVisit ||
                        ((action == WorkflowAction::Handle || action == WorkflowAction::ContactCitizen) && !refusal);
    if (open_row && (writes || ImGui::GetCursorScreenPos().x + width > right)) ImGui::NewLine();
    if (action == WorkflowAction::Assign) {
      ImGui::SetNextItemWidth(assign_w);
      if (frame.open_assign && !refusal) {  // The A key: the department list, open, in view.
        ImGui::SetScrollHereY(0.3f);
        ImGui::OpenPopupEx(ImHashStr("##ComboPopup", 0, ImGui::GetID("##assign-to")));
        frame.open_assign = false;
      }
      if (begin_combo("##assign-to", assign_preview.c_str())) {
        for (const std::string& d : app.dispatch_targets({kDepartments.begin(), kDepartments.end()}))
          if (ImGui::Selectable(d.c_str(), frame.assign_to == d)) frame.assign_to = d;
        end_combo();
      }
      ImGui::SameLine();
      // What to tell the department, on the row where it fits, else on its own under the choice;
      // for a 重派 once another department is chosen (a ticket in hand shows no empty box).
      if (!refusal && (!dispatched || (!frame.assign_to.empty() && frame.assign_to != st->lead_department))) {
        if (stack_note) ImGui::NewLine();
        step_note("##assign-note", Str::AssignNoteHint, &frame.assign_note, 10);
      }
    }
    if (action == WorkflowAction::ReturnVisit) {
      // What the handler said was done: the words the visit reads to the citizen.
      if (const TimelineEntry* result = app.handling_result()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::HandleResultShown)).c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(result->entry.text.c_str());
        ImGui::PopTextWrapPos();
      }
      // 回访 is a call too: the number and 拨打 beside the step, not under 受理信息 screens below;
      // what the citizen said follows on the same row where it fits.
      if (!refusal && !st->ticket.citizen_phone.empty()) {
        phone_to_call(lang, st->ticket.citizen_phone, "##dial-visit");
        ImGui::SameLine(0, ImGui::GetFontSize());
        if (ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 7) ImGui::NewLine();
      }
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
      const std::string said = frame.satisfaction > 0
                                   ? std::string(tr(lang, satisfaction_label(static_cast<Satisfaction>(frame.satisfaction))))
                                   : S(lang, Str::ChooseSatisfaction);
      if (begin_combo("##satisfaction", said.c_str())) {
        for (int k = 1; k <= 4; ++k)
          if (ImGui::Selectable(std::string(tr(lang, satisfaction_label(static_cast<Satisfaction>(k)))).c_str(), k == frame.satisfaction))
            frame.satisfaction = k;
        end_combo();
      }
      // Where the note would be too narrow to read beside them (a phone), it has a line of its own
      // and the button goes under it.
      if (!stack_note) ImGui::SameLine();
      ImGui::SetNextItemWidth(stack_note ? ImGui::GetContentRegionAvail().x
                                         : std::max(ImGui::GetFontSize() * 8, ImGui::GetContentRegionAvail().x -
                                                                                 ImGui::CalcTextSize(label.c_str(), nullptr, true).x -
                                                                                 ImGui::GetStyle().FramePadding.x * 2 -
                                                                                 ImGui::GetStyle().ItemSpacing.x));
      wrapped_note_input("##visit-note", S(lang, Str::VisitNoteHint), &frame.visit_note);
      if (!stack_note) ImGui::SameLine();
    }
    // 先行联系 is a call: the number and 拨打 first, then what was agreed on it (optional, recorded as
    // the call's note), then the step.
    if (action == WorkflowAction::ContactCitizen && !refusal) {
      phone_to_call(lang, st->ticket.citizen_phone, "##dial-step");
      step_note("##contact-step-note", Str::ContactNoteHint, &frame.contact_note, 10);
    }
    // 办结 says what was done (处置结果), unless a 处置记录 since the handling began already does.
    bool result_missing = false;
    if (action == WorkflowAction::Handle && !refusal) {
      const bool written = app.handling_result_written();
      result_missing = !written && frame.handle_note.empty();
      step_note("##handle-note", written ? Str::HandleResultMore : answer ? Str::AnswerHint : Str::HandleResultHint,
                &frame.handle_note, 12);
    }
    const bool same_lead = action == WorkflowAction::Assign && !refusal && App::already_with(*st, frame.assign_to);
    // Nothing chosen yet: where to send it, or what the citizen said.
    const Str unchosen = action == WorkflowAction::Assign && frame.assign_to.empty()  ? Str::ErrChooseDepartment
                         : action == WorkflowAction::ReturnVisit && frame.satisfaction == 0 ? Str::ErrChooseSatisfaction
                                                                                           : Str::Count_;
    const bool choose_first = !refusal && unchosen != Str::Count_;
    ImGui::BeginDisabled(refusal.has_value() || result_missing || same_lead || choose_first);
    // The first step this user may take is the ticket's next move: it stands out. Not a reopen (no
    // invitation to reopen), nor a 重派 (the ticket is with its handler).
    const bool next = !refusal && !primary_shown && action != WorkflowAction::Reopen && !reassign;
    primary_shown |= next;
    const std::string note = action == WorkflowAction::ReturnVisit    ? frame.visit_note
                             : action == WorkflowAction::Handle         ? frame.handle_note
                             : action == WorkflowAction::ContactCitizen ? frame.contact_note
                             : action == WorkflowAction::Assign         ? frame.assign_note
                                                                        : std::string();
    if ((next ? primary_button(label.c_str()) : ImGui::Button(label.c_str())) &&
        app.take_action(action, frame.assign_to, static_cast<Satisfaction>(std::clamp(frame.satisfaction, 0, 4)), note)) {
      frame.scroll_to_selected = true;  // The step moved the row in a list sorted by time left: follow it.
      if (action == WorkflowAction::ReturnVisit) {
        frame.visit_note.clear();
        frame.satisfaction = 0;
      }
      if (action == WorkflowAction::Handle) frame.handle_note.clear();
      if (action == WorkflowAction::ContactCitizen) frame.contact_note.clear();
      if (action == WorkflowAction::Assign) frame.assign_note.clear();
    }
    ImGui::EndDisabled();
    why_not_tooltip(lang, refusal);
    if (result_missing && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", std::string(tr(lang, Str::ErrHandleResult)).c_str());
    if (same_lead && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", tr_with(lang, Str::ErrAlreadyWith, frame.assign_to).c_str());
    if (choose_first && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", std::string(tr(lang, unchosen)).c_str());
    // Plain steps share a row; a step with a choice or words before it ends its row.
    open_row = action != WorkflowAction::Assign && action != WorkflowAction::ReturnVisit &&
               !((action == WorkflowAction::Handle || action == WorkflowAction::ContactCitizen) && !refusal);
    if (open_row) ImGui::SameLine();
  }
  if (open_row) ImGui::NewLine();
  // An urgent ticket's progress report due today, under the steps it goes along with.
  report_due(app, frame);
  // Nothing for this user to do next while the handler works: say whose move it is (the centre
  // chases it from here, or waits), rather than leave a row of grey buttons.
  if (!primary_shown && !st->lead_department.empty() &&
      (st->ticket.status == TicketStatus::Assigned || st->ticket.status == TicketStatus::InProgress)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMuted, "%s",
                       tr_with(lang, st->ticket.status == TicketStatus::Assigned ? Str::WaitingToStart : Str::WaitingToHandle,
                               st->lead_department).c_str());
    ImGui::PopTextWrapPos();
    urge_row(app, frame);
  }
}

// A visited or closed ticket: what was done, what the citizen said at the visit and when it was
// closed, where the steps were (they are done; the timeline holds them among everything else).
void outcome(App& app) {
  const TicketStatus status = app.selected_state()->ticket.status;
  if (status != TicketStatus::Visited && status != TicketStatus::Closed) return;
  const Lang lang = app.lang();
  const TimelineEntry* result = app.handling_result();
  const TimelineEntry* visit = nullptr;
  for (const TimelineEntry& e : app.timeline())
    if (e.entry.kind == EntryKind::ReturnVisit && (!visit || e.at_ms >= visit->at_ms)) visit = &e;
  int64_t closed_ms = 0;
  if (status == TicketStatus::Closed)
    for (const Change& c : app.history())
      if (c.kind == ChangeKind::Transition && c.action == WorkflowAction::Close) closed_ms = std::max(closed_ms, c.stamp.ms);
  if (!result && !visit && closed_ms == 0) return;
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionOutcome)).c_str());
  ImGui::PushTextWrapPos(0.0f);
  if (result) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::HandleResultShown)).c_str());
    ImGui::SameLine(0, 0);
    ImGui::TextUnformatted(wrapped(result->entry.text).c_str());  // No line starting with "，".
  }
  if (visit) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::OutcomeVisit)).c_str());
    ImGui::SameLine(0, 0);
    const Satisfaction said = visit->entry.satisfaction;
    const bool bad = said == Satisfaction::Dissatisfied || said == Satisfaction::Leaning;
    // A visit recorded without a note says only "回访" (App::take_action): the rating is the news.
    const bool words = visit->entry.text != tr(Lang::Zh, Str::ActReturnVisit);
    if (said != Satisfaction::None) {
      ImGui::TextColored(bad ? kProblem : kGood, "%s", std::string(tr(lang, satisfaction_label(said))).c_str());
      // The citizen's words beside the rating, unless that leaves them a column too narrow to read
      // (a phone in English): then under it.
      if (words) ImGui::SameLine();
      if (words && ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 10) ImGui::NewLine();
    }
    if (words) ImGui::TextUnformatted(wrapped(visit->entry.text).c_str());
  }
  if (closed_ms > 0)
    ImGui::TextColored(kMuted, "%s", tr_with(lang, Str::OutcomeClosed, format_shanghai_minute(closed_ms)).c_str());
  ImGui::PopTextWrapPos();
}

// A note, a contact or a progress report, added to the timeline.
void add_entry(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  static constexpr std::array<EntryKind, 4> kKinds = {EntryKind::Comment, EntryKind::Contact, EntryKind::HandlingNote,
                                                       EntryKind::ProgressReport};
  const EntryKind kind = kKinds[static_cast<size_t>(std::clamp(frame.entry_kind, 0, 3))];
  if (app.why_not_entry(EntryKind::Comment)) return;  // Out of scope: nothing to add.
  // The kind as chips: one click, and the chosen one stands out. They wrap on a narrow panel.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  for (size_t k = 0; k < kKinds.size(); ++k) {
    if (app.why_not_entry(kKinds[k])) continue;
    const bool on = kind == kKinds[k];
    const float w = ImGui::CalcTextSize(std::string(tr(lang, entry_label(kKinds[k]))).c_str()).x +
                    ImGui::GetStyle().FramePadding.x * 2;
    if (!first) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    }
    first = false;
    const std::string chip = std::string(tr(lang, entry_label(kKinds[k]))) + "##kind-" + std::string(to_string(kKinds[k]));
    if (choice(chip, on)) frame.entry_kind = static_cast<int>(k);
  }
  const float button_w = ImGui::CalcTextSize(std::string(tr(lang, Str::AddEntry)).c_str()).x +
                         ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().x - button_w));
  if (frame.focus_entry) {  // The M key: type the note at once; the box is scrolled into view.
    ImGui::SetScrollHereY(0.4f);
    ImGui::SetKeyboardFocusHere();
    frame.focus_entry = false;
  }
  const bool enter = wrapped_note_input("##entry-text", S(lang, Str::EntryHint), &frame.entry_text, 0, 4,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button((std::string(tr(lang, Str::AddEntry)) + "##add-entry").c_str()) || enter) &&
      app.add_entry(kind, frame.entry_text)) {
    frame.entry_text.clear();
    frame.entry_kind = 0;  // The next note is a 备注 again: a 先行联系 or 中途汇报 is chosen each time.
  }
}

// When a deadline ends, as the user reads it: the last minute of its day.
std::string due_text(int64_t due_ms) { return format_shanghai_minute(due_ms - 60'000); }

// One stage's line: its name, then "by …" (amber today, red once past) or "done …" (red if late).
void deadline_row(App& app, const FrameInfo& frame, Str name, int64_t due_ms, int64_t met_ms, bool late, bool active) {
  const Lang lang = app.lang();
  const int64_t now = platform::now_ms();
  ImGui::TextDisabled("%s", std::string(tr(lang, name)).c_str());
  ImGui::SameLine(frame.detail_label_w);
  char buf[160];
  if (met_ms > 0) {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, late ? Str::DeadlineMetLate : Str::DeadlineMet)).c_str(),
                  format_shanghai_minute(met_ms).c_str());
    ImGui::TextColored(late ? kProblem : kMuted, "%s", buf);
  } else if (due_ms <= 0) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::DueUnknown)).c_str());
  } else {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::DeadlineBy)).c_str(), due_text(due_ms).c_str());
    const bool over = now >= due_ms;
    const bool today = shanghai_days(due_ms - 1) == shanghai_days(now);
    if (!active) ImGui::TextColored(kMuted, "%s", buf);
    else if (over) ImGui::TextColored(kProblem, "%s · %s", buf, std::string(tr(lang, Str::FilterOverdue)).c_str());
    else if (today) ImGui::TextColored(kAmber, "%s", buf);
    else ImGui::TextUnformatted(buf);
  }
}

void deadlines(App& app, const FrameInfo& frame) {
  const auto d = app.selected_deadlines();
  const TicketState* st = app.selected_state();
  if (!d || !st) return;
  const Lang lang = app.lang();
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionDeadlines)).c_str());
  const bool finished = is_final(st->ticket.status) || st->deleted;
  if (d->contact_needed)
    deadline_row(app, frame, Str::DeadlineContact, d->contact_due_ms, d->contacted_ms, d->contact_late,
                 !finished && d->contacted_ms == 0);
  deadline_row(app, frame, d->handling_stage == DeadlineStage::Rehandling ? Str::DeadlineRe : Str::DeadlineFirst,
               d->handling_due_ms, finished ? d->handled_ms : 0, d->handling_late, !finished);
  if (d->report_needed) {
    deadline_row(app, frame, Str::DeadlineReport, d->report_due_ms, 0, false, true);
    std::string rule(tr(lang, Str::DeadlineReportDaily));
    if (d->reported_ms > 0) {
      char buf[96];
      std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::DeadlineReportedLast)).c_str(),
                    format_shanghai_minute(d->reported_ms).c_str());
      rule += std::string(lang == Lang::Zh ? "，" : "; ") + buf;
    }
    ImGui::SetCursorPosX(frame.detail_label_w);  // Under the values (SameLine counts from the same edge).
    ImGui::TextDisabled("%s", wrapped(rule).c_str());
  }
  if (d->extension_days > 0) {
    char buf[128];
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::DeadlineExtended)).c_str(), d->extension_days);
    ImGui::SetCursorPosX(frame.detail_label_w);  // Under the values (SameLine counts from the same edge).
    ImGui::TextColored(kMuted, "%s", buf);
  }
  if (d->calendar_missing || d->handling_due_ms == 0 || (d->contact_needed && d->contact_due_ms == 0)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kAmber, "%s", std::string(tr(lang, Str::DeadlineCalendarMissing)).c_str());
    ImGui::PopTextWrapPos();
  }
}

// 退单 / 延期: pending requests with the centre's decision buttons, and a handler's request form.
void requests(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const auto pending = app.pending_requests();
  const bool may_decide = !app.why_not_entry(EntryKind::Decision);
  // A handler asks; the centre decides (and does not ask itself).
  const bool handler = app.session() && app.session()->role != Role::Centre;
  // One request of a kind at a time: while the centre has not decided it, it is not asked again.
  const auto asked = [&](EntryKind k) {
    return std::any_of(pending.begin(), pending.end(), [&](const TimelineEntry& r) { return r.entry.kind == k; });
  };
  const bool may_return = handler && !asked(EntryKind::ReturnRequest) && !app.why_not_entry(EntryKind::ReturnRequest);
  const bool may_extend = handler && !asked(EntryKind::ExtensionRequest) && !app.why_not_entry(EntryKind::ExtensionRequest);
  // A handler reads the centre's last decision here, where it asked, not only at the foot of the
  // timeline: "退单 · 未同意 · 12-04 10:20", and the centre's words.
  if (const auto decided = handler && pending.empty() ? app.last_decision() : std::nullopt) {
    const TimelineEntry& d = decided->decision;
    ImGui::TextColored(d.entry.approved ? kGood : kProblem, "%s · %s · %s",
                       std::string(tr(lang, entry_label(decided->request.entry.kind))).c_str(),
                       std::string(tr(lang, d.entry.approved ? Str::DecisionApproved : Str::DecisionRefused)).c_str(),
                       format_shanghai_minute(d.at_ms).c_str());
    if (!d.entry.text.empty()) {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(wrapped(d.entry.text).c_str());
      ImGui::PopTextWrapPos();
    }
  }
  if (pending.empty() && !may_return && !may_extend) return;
  if (!pending.empty()) {
    ImGui::SeparatorText(std::string(tr(lang, Str::PendingRequests)).c_str());
    for (const TimelineEntry& r : pending) {
      const std::string key = to_string(r.id);
      ImGui::PushID(key.c_str());
      const bool extension = r.entry.kind == EntryKind::ExtensionRequest;
      ImGui::TextColored(kAmber, "%s", std::string(tr(lang, entry_label(r.entry.kind))).c_str());
      if (extension) {
        ImGui::SameLine();
        ImGui::Text("+%d %s", static_cast<int>(r.entry.days), std::string(tr(lang, Str::DaysLabel)).c_str());
        // What the centre would approve: the stage's new end, beside the days asked.
        if (const auto until = app.extended_due(static_cast<int>(r.entry.days))) {
          ImGui::SameLine();
          ImGui::TextColored(kMuted, "%s", tr_with(lang, Str::ExtensionUntil, due_text(*until)).c_str());
        }
      }
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(wrapped(r.entry.text).c_str());
      ImGui::PopTextWrapPos();
      char who[256];
      std::snprintf(who, sizeof who, std::string(tr(lang, Str::Requested)).c_str(), app.person(r.author.user).c_str(),
                    format_shanghai_minute(r.at_ms).c_str());
      ImGui::TextColored(kMuted, "%s", who);
      if (may_decide) {
        // The department reads the decision in its timeline: a refusal says why.
        ImGui::SetNextItemWidth(-FLT_MIN);
        wrapped_note_input("##decision-note", S(lang, Str::DecisionNoteHint), &frame.decision_note);
        if (ImGui::Button((std::string(tr(lang, Str::Approve)) + "##approve").c_str()) && app.decide(r, true, frame.decision_note))
          frame.decision_note.clear();
        ImGui::SameLine();
        if (ImGui::Button((std::string(tr(lang, Str::Refuse)) + "##refuse").c_str()) && app.decide(r, false, frame.decision_note))
          frame.decision_note.clear();
      }
      ImGui::PopID();
      ImGui::Spacing();
    }
  }
  if (!may_return && !may_extend) return;
  if (frame.request_kind == 0) {
    if (may_return && small_button((std::string(tr(lang, Str::ReqReturn)) + "##ask-return").c_str()))
      frame.request_kind = 1;
    if (may_return && may_extend) ImGui::SameLine();
    if (may_extend && small_button((std::string(tr(lang, Str::ReqExtension)) + "##ask-extension").c_str()))
      frame.request_kind = 2;
    return;
  }
  const bool extension = frame.request_kind == 2;
  ImGui::TextColored(kAccent, "%s",
                     std::string(tr(lang, extension ? Str::ReqExtension : Str::ReqReturn)).c_str());
  if (extension) {
    // Room for two digits beside the − and + (square buttons as high as the field: on a phone they
    // took all but 24 pixels of a fixed width).
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3 + (ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x) * 2);
    ImGui::InputInt("##request-days", &frame.request_days);
    frame.request_days = std::clamp(frame.request_days, 1, 30);
    ImGui::SameLine();
    ImGui::TextUnformatted(std::string(tr(lang, Str::DaysLabel)).c_str());
  }
  ImGui::SetNextItemWidth(-1);
  wrapped_note_input("##request-reason", S(lang, Str::ReasonHint), &frame.request_reason);
  if (ImGui::Button((std::string(tr(lang, Str::Submit)) + "##request-submit").c_str())) {
    const bool ok = extension ? app.request_extension(frame.request_reason, frame.request_days)
                              : app.request_return(frame.request_reason);
    if (ok) {
      frame.request_kind = 0;
      frame.request_reason.clear();
    frame.decision_note.clear();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button((std::string(tr(lang, Str::Cancel)) + "##request-cancel").c_str())) frame.request_kind = 0;
}

// 反弹: the chain of tickets linked as the same problem again (oldest first, this one marked), each
// a click away; and closed tickets this one may repeat, with a button to link them.
void rebound(App& app, FrameInfo& frame) {
  const auto& chain = app.link_chain();
  const auto& maybe = app.rebound_suggestions();
  // Linking is offered while the ticket is worked on (a closed one is the earlier ticket).
  const TicketStatus status = app.selected_state()->ticket.status;
  const bool may_link = !app.why_not_link() && status != TicketStatus::Closed && !app.selected_state()->deleted;
  if (chain.empty() && !may_link) return;
  const Lang lang = app.lang();
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionRebound)).c_str());
  std::string go;  // Selected after the loop: selecting reloads the lists.
  for (const InboxRow& r : chain) {
    const bool here = r.id == app.selected_id();
    const std::string when = format_shanghai_minute(r.received_at_ms).substr(0, 10);
    const std::string after = std::string(here ? tr(lang, Str::ReboundThis) : label(lang, r.status));
    const float room = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(after.c_str()).x - ImGui::GetFontSize();
    // A long title ends in "…" (the whole on hover), not cut through a character at the row's edge.
    const std::string whole = when + "  " + r.number + "  " + r.title;
    const std::string shown = fit_to(whole, room);
    ImGui::PushStyleColor(ImGuiCol_Text, here ? ImVec4(0.10f, 0.12f, 0.16f, 1) : kAccent);
    if (ImGui::Selectable((shown + "##chain-" + r.id).c_str(), here, 0, ImVec2(room, 0)) && !here) go = r.id;
    ImGui::PopStyleColor();
    if (shown != whole && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", whole.c_str());
    ImGui::SameLine();
    ImGui::TextColored(kMuted, "%s", after.c_str());
  }
  if (may_link && !maybe.empty()) {
    ImGui::TextColored(kAmber, "%s", std::string(tr(lang, Str::ReboundMaybe)).c_str());
    for (const InboxRow& r : maybe) {
      ImGui::PushID(r.id.c_str());
      if (small_button((std::string(tr(lang, Str::ReboundLinkButton)) + "##link").c_str())) app.link_rebound(r.id);
      ImGui::SameLine();
      char closed[96];
      std::snprintf(closed, sizeof closed, std::string(tr(lang, Str::ReboundClosed)).c_str(),
                    format_shanghai_minute(r.key.number).substr(0, 10).c_str());
      text_fit(r.number + "  " + r.title + "  (" + closed + ")");
      ImGui::PopID();
    }
  }
  // An earlier ticket the suggestions do not reach (older than 90 days, another address written
  // another way): by its number.
  if (may_link) {
    if (!frame.rebound_by_number) {
      ImGui::PushStyleColor(ImGuiCol_Text, kAccent);
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kAccentHover);
      ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);  // A link, not a box.
      if (small_button((std::string(tr(lang, Str::ReboundByNumber)) + "##rebound-by-number").c_str())) {
        frame.rebound_by_number = true;
        app.forget_error();
      }
      ImGui::PopStyleVar();
      ImGui::PopStyleColor(3);
    } else {
      const std::string button = std::string(tr(lang, Str::ReboundLinkButton)) + "##rebound-number-link";
      const float bw = ImGui::CalcTextSize(button.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
      ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 8, ImGui::GetContentRegionAvail().x - bw - ImGui::GetStyle().ItemSpacing.x));
      const bool entered = ImGui::InputTextWithHint("##rebound-number", std::string(tr(lang, Str::ReboundNumberHint)).c_str(),
                                                    &frame.rebound_number, ImGuiInputTextFlags_EnterReturnsTrue);
      ImGui::SameLine();
      if ((ImGui::Button(button.c_str()) || entered) && app.link_rebound_by_number(frame.rebound_number)) {
        frame.rebound_number.clear();
        frame.rebound_by_number = false;
      }
      if (!app.error().empty()) ImGui::TextColored(kProblem, "%s", app.error().c_str());
    }
  }
  if (!go.empty()) app.select(go);
}

// A timeline line's head: when, who (as App::person shows them) and on which device (本机 for
// this one, else the replica id's first six digits), muted; under it what happened, in `colour`,
// with the cursor left beside it for what the caller adds.
void timeline_head(const App& app, int64_t at_ms, const std::string& who, const std::string& device,
                   const std::string& what, const ImVec4& colour) {
  // Another device's id says nothing to a reader of the timeline; 本机 does (what this device did).
  ImGui::PushTextWrapPos(0.0f);
  if (app.is_this_device(device))
    ImGui::TextColored(kMuted, "%s · %s · %s", format_shanghai_minute(at_ms).c_str(), who.empty() ? "?" : who.c_str(),
                       app.device_label(device).c_str());
  else
    ImGui::TextColored(kMuted, "%s · %s", format_shanghai_minute(at_ms).c_str(), who.empty() ? "?" : who.c_str());
  ImGui::PopTextWrapPos();
  ImGui::TextColored(colour, "%s", what.c_str());
}

// A change other than an entry, as the timeline tells it: a system event.
// `lead`: a 派单's department, set in the same record (the timeline says "派单 → 管理办" once, not
// "承办部门 → 管理办" and "派单 → 已派单").
void timeline_event(App& app, const Change& c, const std::string& lead = {}) {
  const Lang lang = app.lang();
  const ImVec4 grey(0.36f, 0.40f, 0.46f, 1.0f);
  const std::string device = to_hex(c.id.replica);
  std::string what, words;
  switch (c.kind) {
    case ChangeKind::CreateTicket:
      what = std::string(tr(lang, Str::EvCreated));
      words = std::string(label(lang, c.ticket.source));
      break;
    case ChangeKind::SetField:
      if (c.field == EditableField::Deleted) {
        what = std::string(tr(lang, c.value == "1" ? Str::EvDeleted : Str::EvRestored));
      } else {
        what = std::string(tr(lang, field_label(c.field)));
        words = "→ " + shown_value(lang, c.field, c.value);
      }
      break;
    case ChangeKind::Transition:
      what = std::string(tr(lang, step_label(c.action, c.from)));
      // The status it went to, unless the step's name says it already (办结 → 已办结, Handled → Handled).
      if (!lead.empty()) words = "→ " + lead;
      else if (std::string to(label(lang, c.to)); to != what && to != "已" + what) words = "→ " + to;
      break;
    case ChangeKind::AttachPhoto:
      what = std::string(tr(lang, Str::EvPhoto));
      if (c.photo.phase != PhotoPhase::None)
        words = std::string(tr(lang, c.photo.phase == PhotoPhase::Before ? Str::PhotoBefore : Str::PhotoAfter));
      break;
    case ChangeKind::LinkTickets:
      // A round's finding is where the ticket came from, not a rebound.
      what = c.link.kind == LinkKind::Finding ? std::string(tr(lang, Str::EvFromFinding)) : std::string(tr(lang, Str::EvLink));
      words = c.link.kind == LinkKind::Finding ? c.link.finding.week + " · " + c.link.finding.community
                                               : app.ticket_label(c.link.other_ticket).first;
      break;
    case ChangeKind::AddEntry:
    case ChangeKind::SetFacility:  // Field work is no ticket's event.
    case ChangeKind::SetCampaign:
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem: return;
  }
  timeline_head(app, c.stamp.ms, app.person(c.author.user), device, what, kBody);
  if (words.empty()) return;
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(grey, "%s", words.c_str());
  ImGui::PopTextWrapPos();
}

// `step`: the workflow step recorded with the entry (办结 with its handling note, 回访 with the
// citizen's answer): one line named by the step, not a step's line and an entry's line.
void timeline_entry(App& app, const TimelineEntry& e, std::optional<Str> step = std::nullopt) {
  const Lang lang = app.lang();
  timeline_head(app, e.at_ms, app.person(e.author.user), e.device,
                std::string(tr(lang, step ? *step : entry_label(e.entry.kind))), kAccent);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  if (e.entry.kind == EntryKind::ReturnVisit && e.entry.satisfaction != Satisfaction::None) {
    const bool bad = e.entry.satisfaction == Satisfaction::Dissatisfied || e.entry.satisfaction == Satisfaction::Leaning;
    ImGui::TextColored(bad ? kProblem : kGood, "%s",
                       std::string(tr(lang, satisfaction_label(e.entry.satisfaction))).c_str());
    // A visit recorded without words carries the step's name as its text: not said twice.
    if (e.entry.text != tr(Lang::Zh, Str::ActReturnVisit)) {
      ImGui::SameLine();
      ImGui::TextUnformatted(wrapped(e.entry.text).c_str());
    }
  } else if (e.entry.kind == EntryKind::ExtensionRequest) {
    ImGui::Text("+%d %s  %s", static_cast<int>(e.entry.days), std::string(tr(lang, Str::DaysLabel)).c_str(),
                e.entry.text.c_str());
  } else if (e.entry.kind == EntryKind::Decision) {
    ImGui::TextColored(e.entry.approved ? kGood : kProblem, "%s  %s",
                       std::string(tr(lang, e.entry.approved ? Str::DecisionApproved : Str::DecisionRefused)).c_str(),
                       e.entry.text.c_str());
  } else {
    ImGui::TextUnformatted(wrapped(e.entry.text).c_str());
  }
  ImGui::PopTextWrapPos();
}

void timeline_conflict(App& app, const FieldConflict& c) {
  const Lang lang = app.lang();
  // Amber while it waits for a decision; muted once someone decided (the decision is an edit below).
  const ImVec4 colour = c.open ? kAmber : kMuted;
  timeline_head(app, c.at_ms, app.person(c.author.user), to_hex(c.loser.replica),
                S(lang, c.open ? Str::EvConflict : Str::EvConflictSettled), colour);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(colour, "%s%s%s", S(lang, field_label(c.field)).c_str(), lang == Lang::Zh ? "：" : ": ",
                     shown_value(lang, c.field, c.kept_value).c_str());
  ImGui::PopTextWrapPos();
}

// The ticket's life, newest first: entries (contacts, notes, reports, visits, requests and
// decisions), system events (intake, edits, steps, photos, links) and kept conflicts.
void timeline(App& app) {
  const Lang lang = app.lang();
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionTimeline)).c_str());
  struct Line {
    int64_t at;
    int kind;  // 0 entry, 1 event, 2 conflict.
    size_t index;
  };
  std::vector<Line> lines;
  for (size_t i = 0; i < app.timeline().size(); ++i) lines.push_back({app.timeline()[i].at_ms, 0, i});
  for (size_t i = 0; i < app.history().size(); ++i) lines.push_back({app.history()[i].stamp.ms, 1, i});
  for (size_t i = 0; i < app.conflicts().size(); ++i) lines.push_back({app.conflicts()[i].at_ms, 2, i});
  if (lines.empty()) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::NoTimeline)).c_str());
    return;
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.at > b.at; });
  // A 派单 and the lead department it names are one record (App::take_action; within a second for
  // another client's): one line.
  const auto& history = app.history();
  std::vector<std::string> lead_of(history.size());
  std::vector<bool> folded(history.size(), false);
  for (size_t i = 0; i < history.size(); ++i) {
    const Change& t = history[i];
    if (t.kind != ChangeKind::Transition || t.action != WorkflowAction::Assign) continue;
    for (size_t j = 0; j < history.size(); ++j) {
      const Change& f = history[j];
      if (f.kind == ChangeKind::SetField && f.field == EditableField::LeadDepartment && !folded[j] &&
          f.id.replica == t.id.replica && f.author.user == t.author.user && std::abs(f.stamp.ms - t.stamp.ms) <= 1000 && !f.value.empty()) {
        lead_of[i] = f.value;
        folded[j] = true;
        break;
      }
    }
  }
  // A step and the entry that tells what it did (先行联系 and what was said, 办结 and the handling
  // note, 回访 and the citizen's answer) are one record too: one line, named by the step.
  const auto& entries = app.timeline();
  std::vector<std::optional<Str>> step_of(entries.size());
  for (size_t i = 0; i < history.size(); ++i) {
    const Change& t = history[i];
    if (t.kind != ChangeKind::Transition) continue;
    const EntryKind told = t.action == WorkflowAction::ContactCitizen ? EntryKind::Contact
                           : t.action == WorkflowAction::Handle       ? EntryKind::HandlingNote
                           : t.action == WorkflowAction::ReturnVisit  ? EntryKind::ReturnVisit
                                                                      : EntryKind::Comment;
    if (told == EntryKind::Comment) continue;
    const std::string device = to_hex(t.id.replica);
    for (size_t j = 0; j < entries.size(); ++j) {
      const TimelineEntry& e = entries[j];
      if (e.entry.kind == told && !step_of[j] && App::recorded_with(t, device, e)) {
        step_of[j] = step_label(t.action, t.from);
        folded[i] = true;
        break;
      }
    }
  }
  for (const Line& l : lines) {
    if (l.kind == 1 && folded[l.index]) continue;
    if (l.kind == 0) timeline_entry(app, entries[l.index], step_of[l.index]);
    else if (l.kind == 1) timeline_event(app, history[l.index], lead_of[l.index]);
    else timeline_conflict(app, app.conflicts()[l.index]);
    ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.3f));
  }
}

}  // namespace

void draw_ticket_detail(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const Ticket* t = app.selected_ticket();
  ImGui::SeparatorText(std::string(tr(lang, Str::DetailTitle)).c_str());
  if (!t) {
    ImGui::TextDisabled("%s", std::string(tr(lang, Str::DetailNone)).c_str());
    return;
  }
  if (frame.detail_of != t->id) {  // Another ticket: drop half-made edits of the last one.
    frame.detail_of = t->id;
    frame.editing = -1;
    frame.assign_to.clear();
    frame.request_kind = 0;
    frame.request_reason.clear();
    frame.visit_note.clear();
    frame.handle_note.clear();
    frame.contact_note.clear();
    frame.assign_note.clear();
    frame.report_note.clear();
    frame.decision_note.clear();
    frame.satisfaction = 0;
    frame.co_reply_text.clear();
    frame.rebound_by_number = false;
    frame.rebound_number.clear();
    // A note half typed for the last ticket must not be added to this one, nor as its kind.
    frame.entry_text.clear();
    frame.entry_kind = 0;
    ImGui::SetScrollY(0.0f);  // Opens at its number and status, not where the last one was read.
  }
  const Ticket ticket = *t;  // An edit below reloads the list.
  // The label column fits the widest label in this language: English ones are longer.
  float widest = 0;
  for (Str l : {Str::ColNumber, Str::FieldTitle, Str::ColStatus, Str::FieldLeadDepartment, Str::DispatchNote, Str::FieldUrgency,
                Str::FieldCategory, Str::FieldSource, Str::FieldReceivedAt, Str::FieldCitizenName,
                Str::FieldCitizenPhone, Str::FieldCommunity, Str::FieldAddress, Str::FieldDescription})
    widest = std::max(widest, ImGui::CalcTextSize(std::string(tr(lang, l)).c_str()).x);
  frame.detail_label_w = widest + ImGui::GetFontSize();
  const TicketState* st = app.selected_state();
  warning_banner(app);
  urged_banner(app);
  field_row(app, frame, Str::ColNumber, number_of(ticket), std::nullopt);
  if (ticket.official_number.empty()) {  // Wrapped: a phone cut the English hint off mid-word.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", wrapped(tr(lang, Str::ProvisionalHint)).c_str());
    ImGui::PopTextWrapPos();
  }
  else if (!ticket.provisional_number.empty()) ImGui::TextDisabled("%s", ticket.provisional_number.c_str());
  field_row(app, frame, Str::FieldTitle, ticket.title, EditableField::Title);
  // What and where, under the title: a handler on a phone read the steps, the photos and the links
  // three screens before the words of the complaint.
  field_row(app, frame, Str::FieldAddress, ticket.address, EditableField::Address);
  field_row(app, frame, Str::FieldDescription, ticket.description, EditableField::Description);
  // Handled by the lead while a co-handler has not replied: 已办结·待协办回复 (panels/co_handlers.cpp).
  ImGui::TextDisabled("%s", std::string(tr(lang, Str::ColStatus)).c_str());
  ImGui::SameLine(frame.detail_label_w);
  status_pill(app.awaiting_co_handlers() ? std::string(tr(lang, Str::StatusAwaitingCo)) : std::string(label(lang, ticket.status)),
              ticket.status, app.awaiting_co_handlers());
  review_banner(app);
  const std::string dept = st ? st->lead_department : std::string();
  const bool answered = st && answered_by_centre(*st);  // 直接答复办结, not "not assigned".
  field_row(app, frame, Str::FieldLeadDepartment,
            !dept.empty() ? dept : S(lang, answered ? Str::AnsweredByCentre : Str::NoDepartment), std::nullopt);
  conflict_badge(app, EditableField::LeadDepartment, dept);
  if (const TimelineEntry* note = dept.empty() ? nullptr : app.dispatch_note()) {
    ImGui::TextDisabled("%s", S(lang, Str::DispatchNote).c_str());
    ImGui::SameLine(frame.detail_label_w);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kAccent, "%s", wrapped(note->entry.text).c_str());
    ImGui::PopTextWrapPos();
  }
  choice_row<Urgency, kUrgencyCount>(app, frame, Str::FieldUrgency, ticket.urgency, EditableField::Urgency);
  choice_row<Category, kCategoryCount>(app, frame, Str::FieldCategory, ticket.category, EditableField::Category);
  // What needs doing next comes before the intake details: deadlines, requests, the next steps.
  deadlines(app, frame);
  requests(app, frame);
  draw_co_handlers(app, frame);
  outcome(app);
  actions(app, frame);
  frame.open_assign = false;  // Not offered for this ticket and user: the key does nothing.
  draw_ticket_photos(app, frame);
  rebound(app, frame);
  draw_finding_origin(app, frame);  // 巡查发现: the round item it was opened from (panels/field.cpp).
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionIntake)).c_str());
  field_row(app, frame, Str::FieldSource, std::string(label(lang, ticket.source)), std::nullopt);
  field_row(app, frame, Str::FieldReceivedAt, format_shanghai_minute(ticket.received_at_ms), std::nullopt);
  field_row(app, frame, Str::FieldCitizenName, ticket.citizen_name, EditableField::CitizenName);
  field_row(app, frame, Str::FieldCitizenPhone, ticket.citizen_phone, EditableField::CitizenPhone);
  field_row(app, frame, Str::FieldCommunity, ticket.community, std::nullopt);
  conflict_badge(app, EditableField::Community, ticket.community);
  if (!app.error().empty()) ImGui::TextColored(kProblem, "%s", app.error().c_str());

  add_entry(app, frame);
  frame.focus_entry = false;
  timeline(app);
}

const char* number_of(const Ticket& t) {
  return t.official_number.empty() ? t.provisional_number.c_str() : t.official_number.c_str();
}

}  // namespace linli::ui
