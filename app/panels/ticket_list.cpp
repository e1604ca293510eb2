// The inbox (工单列表): a filter bar (search, status, category, community, urgency, overdue, due
// today, review) over a table that sorts by any column. Rows come from the store a page at a time
// (App::inbox_row), so it scrolls the same at 10 or 100,000 tickets. Time left (剩余时限) is red once
// overdue and amber on the day it is due. ↑/↓ move to the next or previous ticket; Ctrl+F searches.
#include <imgui.h>
#include <imgui_internal.h>  // TableSetColumnSortDirection: a table shows the query's sort.
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <tuple>

#include "core/civil_time.h"
#include "core/ticket.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"

namespace linli::ui {

using namespace palette;

bool narrows(const InboxFilter& f) {
  return f.status || f.category || f.urgency || !f.community.empty() || f.overdue || f.due_today || f.needs_review ||
         f.warning || f.pending_request || f.urged || !f.text.empty() || !f.lead_department.empty();
}

namespace {

// A small filled tag ("预警") on the line, white on colour: readable on a selected row too.
void tag(const std::string& text, const ImVec4& colour) {
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const float pad = ImGui::GetFontSize() * 0.25f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + size.x + pad * 2, p.y + ImGui::GetTextLineHeight()),
                    ImGui::GetColorU32(colour), pad);
  dl->AddText(ImVec2(p.x + pad, p.y), IM_COL32_WHITE, text.c_str());
  ImGui::Dummy(ImVec2(size.x + pad * 2, ImGui::GetTextLineHeight()));
  ImGui::SameLine(0, pad * 1.5f);
}


void draw_views(App& app, FrameInfo& frame);
void draw_bulk_bar(App& app, FrameInfo& frame);

// "12天" / "2天3小时" / "5小时20分" / "40分钟": past ten days the hours are noise, and the column
// keeps its width however long a ticket has waited.
// Coarse (a phone's list, where the column must stay narrow): the largest unit alone, "6天",
// "20小时", "40分钟".
std::string duration(Lang lang, int64_t ms, bool coarse = false) {
  const int64_t minutes = std::max<int64_t>(ms / 60000, 1);
  char buf[64];
  if (coarse && minutes >= 24 * 60)
    std::snprintf(buf, sizeof buf, S(lang, Str::DurDaysOnly).c_str(), static_cast<int>(minutes / 1440));
  else if (coarse && minutes >= 60)
    std::snprintf(buf, sizeof buf, S(lang, Str::DurHoursOnly).c_str(), static_cast<int>(minutes / 60));
  else if (minutes >= 10 * 24 * 60)
    std::snprintf(buf, sizeof buf, S(lang, Str::DurDaysOnly).c_str(), static_cast<int>(minutes / 1440));
  else if (minutes >= 24 * 60)
    std::snprintf(buf, sizeof buf, S(lang, Str::DurDays).c_str(), static_cast<int>(minutes / 1440),
                  static_cast<int>(minutes % 1440 / 60));
  else if (minutes >= 60)
    std::snprintf(buf, sizeof buf, S(lang, Str::DurHours).c_str(), static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  else
    std::snprintf(buf, sizeof buf, S(lang, Str::DurMinutes).c_str(), static_cast<int>(minutes));
  return buf;
}

Str stage_label(const std::string& stage) {
  if (stage == "contact") return Str::StageContact;
  if (stage == "rehandling") return Str::StageRehandling;
  if (stage == "co_reply") return Str::StageCoReply;
  if (stage == "progress_report") return Str::StageReport;
  return Str::StageHandling;
}

// The time-left cell: the stage due and how long is left (or how long it is overdue); coarse on a
// phone (duration).
void draw_time_left(Lang lang, const InboxRow& r, int64_t now, bool coarse) {
  if (r.due_stage == "unknown") {
    ImGui::TextColored(kMuted, "%s", S(lang, Str::DueUnknown).c_str());
    return;
  }
  if (r.due_at_ms <= 0) {
    ImGui::TextColored(kMuted, "-");
    return;
  }
  char buf[128];
  const bool overdue = r.due_at_ms <= now;
  std::snprintf(buf, sizeof buf, S(lang, overdue ? Str::DueOverdue : Str::DueLeft).c_str(),
                duration(lang, overdue ? now - r.due_at_ms : r.due_at_ms - now, coarse).c_str());
  const std::string full = S(lang, stage_label(r.due_stage)) + " · " + buf;
  // On a phone the column is kept narrow for the title's sake: where the stage and the time do not
  // both fit, the time alone (the stage is in the tooltip and in the ticket).
  const bool cut = coarse && ImGui::CalcTextSize(full.c_str()).x > ImGui::GetContentRegionAvail().x;
  const char* shown = cut ? buf : full.c_str();
  const bool today = shanghai_days(r.due_at_ms - 1) == shanghai_days(now);
  if (overdue) ImGui::TextColored(kProblem, "%s", shown);
  else if (today) ImGui::TextColored(kAmber, "%s", shown);
  else ImGui::TextUnformatted(shown);
  if (cut && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", full.c_str());
}

// A combo over "any" and the enum's values; true when the choice changed.
template <class E, int N>
bool enum_filter(const char* id, Lang lang, Str any, std::optional<E>& value, float width) {
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  const std::string shown = value ? std::string(label(lang, *value)) : S(lang, any);
  if (begin_combo(id, shown.c_str())) {
    if (ImGui::Selectable(S(lang, any).c_str(), !value)) {
      value.reset();
      changed = true;
    }
    for (int i = 0; i < N; ++i) {
      const E e = static_cast<E>(i);
      if (ImGui::Selectable(std::string(label(lang, e)).c_str(), value == e)) {
        value = e;
        changed = true;
      }
    }
    end_combo();
  }
  return changed;
}

// A toggle chip with a count: filled when on.
bool chip(const std::string& text, const char* id, bool on, const ImVec4& colour) {
  ImGui::PushStyleColor(ImGuiCol_Button, on ? colour : kChip);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? colour : kChipHover);
  ImGui::PushStyleColor(ImGuiCol_Text, on ? kWhite : kBody);
  const bool clicked = ImGui::Button((text + "##" + id).c_str());
  ImGui::PopStyleColor(3);
  return clicked;
}

// Places the next item on this line if it fits, else on the next.
void flow(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// Characters, not bytes: one Chinese character is three bytes of UTF-8 (what ImGui keeps is valid).
size_t characters(const std::string& s) { return utf8_length(s).value_or(s.size()); }

void draw_filters(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  InboxFilter& f = app.inbox_query().filter;
  const float em = ImGui::GetFontSize();
  bool changed = false;

  const float search_w = std::min(ImGui::GetContentRegionAvail().x, em * 16);
  ImGui::SetNextItemWidth(search_w);
  if (frame.focus_search) {
    ImGui::SetKeyboardFocusHere();
    frame.focus_search = false;
  }
  const size_t typed_before = characters(frame.search_text);
  bool search_now = false;
  // Esc empties the box (and a second Esc leaves it), as in a browser's search field.
  if (ImGui::InputTextWithHint("##inbox-search", S(lang, Str::FilterSearchHint).c_str(), &frame.search_text,
                               ImGuiInputTextFlags_EscapeClearsAll)) {
    frame.search_changed_at_ms = platform::now_ms();
    // A word the input method commits (宝山路) or a paste comes whole: asked at once. Keys typed one
    // by one (a number, pinyin-less Latin) wait a moment, so each key does not ask the store.
    search_now = characters(frame.search_text) >= typed_before + 2 || frame.search_text.empty();
  }
  if (ImGui::IsItemActive() && ImGui::IsKeyPressed(ImGuiKey_Enter)) search_now = true;
  if (frame.search_text != f.text && (search_now || platform::now_ms() - frame.search_changed_at_ms >= 250)) {
    f.text = frame.search_text;
    changed = true;
  }
  const float combo_w = em * 7.5f;
  // On a phone the five boxes would fill half the screen before the first ticket: they fold under
  // one button (筛选 · 2 says how many are set); the one-tap chips stay in sight.
  bool boxes = true;
  if (ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x < em * kPhoneEms) {
    const int set = (f.status ? 1 : 0) + (f.category ? 1 : 0) + (f.urgency ? 1 : 0) + (f.community.empty() ? 0 : 1);
    const std::string more = frame.filters_open ? S(lang, Str::FilterLess)
                                                : S(lang, Str::FilterMore) + (set > 0 ? " · " + std::to_string(set) : std::string());
    flow(ImGui::CalcTextSize(more.c_str()).x + em);
    if (chip(more, "#filter-more", set > 0, kAccent)) frame.filters_open = !frame.filters_open;
    boxes = frame.filters_open;
  }
  if (boxes) {
    flow(em * 8);
    draw_views(app, frame);
    flow(combo_w);
    if (enum_filter<TicketStatus, kTicketStatusCount>("##filter-status", lang, Str::FilterAnyStatus, f.status, combo_w)) {
      f.no_reply_pending = false;  // A status chosen here is every ticket of it (the 待回访 chip's is narrower).
      changed = true;
    }
    flow(combo_w);
    changed |= enum_filter<Category, kCategoryCount>("##filter-category", lang, Str::FilterAnyCategory, f.category, combo_w);
    flow(combo_w);
    ImGui::SetNextItemWidth(combo_w);
    if (begin_combo("##filter-community", f.community.empty() ? S(lang, Str::FilterAnyCommunity).c_str() : f.community.c_str())) {
      if (ImGui::Selectable(S(lang, Str::FilterAnyCommunity).c_str(), f.community.empty())) {
        f.community.clear();
        changed = true;
      }
      for (const std::string& c : app.communities())
        if (ImGui::Selectable(c.c_str(), f.community == c)) {
          f.community = c;
          changed = true;
        }
      end_combo();
    }
    flow(combo_w);
    changed |= enum_filter<Urgency, kUrgencyCount>("##filter-urgency", lang, Str::FilterAnyUrgency, f.urgency, combo_w);
  }

  const Store::DeadlineCounts& counts = app.deadline_counts();
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s %lld", S(lang, Str::FilterOverdue).c_str(), static_cast<long long>(counts.overdue));
  flow(ImGui::CalcTextSize(buf).x + em);
  if (chip(buf, "filter-overdue", f.overdue, kProblem)) {
    f.overdue = !f.overdue;
    if (f.overdue) f.due_today = false;
    changed = true;
  }
  std::snprintf(buf, sizeof buf, "%s %lld", S(lang, Str::FilterDueToday).c_str(), static_cast<long long>(counts.due_today));
  flow(ImGui::CalcTextSize(buf).x + em);
  if (chip(buf, "filter-due-today", f.due_today, kAmber)) {
    f.due_today = !f.due_today;
    if (f.due_today) f.overdue = false;
    changed = true;
  }
  // With its count when there is one: a worker's edit that lost to the centre's is to be seen.
  std::string review = S(lang, Str::FilterReview);
  if (counts.needs_review > 0) review += " " + std::to_string(counts.needs_review);
  flow(ImGui::CalcTextSize(review.c_str()).x + em);
  if (chip(review, "filter-review", f.needs_review, kAmber)) {
    f.needs_review = !f.needs_review;
    changed = true;
  }
  // 待审批: the 退单/延期 requests waiting for the centre's decision, where it decides them.
  if (app.session() && app.session()->role == Role::Centre && (counts.pending_requests > 0 || f.pending_request)) {
    std::snprintf(buf, sizeof buf, S(lang, Str::PendingCount).c_str(), static_cast<long long>(counts.pending_requests));
    flow(ImGui::CalcTextSize(buf).x + em);
    if (chip(buf, "#filter-pending", f.pending_request, kAmber)) {
      f.pending_request = !f.pending_request;
      changed = true;
    }
  }
  // The centre's own next steps: handled tickets wait for its return visit, visited ones for its
  // close. They have no deadline, so the due sort puts them among the closed: a chip each, on the
  // status filter.
  if (app.session() && app.session()->role == Role::Centre) {
    for (const auto& [status, name, count] : {std::tuple{TicketStatus::Handled, Str::ToVisitCount, counts.to_visit},
                                              std::tuple{TicketStatus::Visited, Str::ToCloseCount, counts.to_close}}) {
      // 待回访: handled, and no co-handler's reply pending (已办结·待协办回复 cannot be visited yet).
      const bool visit = status == TicketStatus::Handled;
      const bool on = f.status == status && f.no_reply_pending == visit;
      if (count == 0 && !on) continue;
      std::snprintf(buf, sizeof buf, S(lang, name).c_str(), static_cast<long long>(count));
      flow(ImGui::CalcTextSize(buf).x + em);
      if (chip(buf, visit ? "#filter-to-visit" : "#filter-to-close", on, kAccent)) {
        f.status = on ? std::nullopt : std::optional<TicketStatus>(status);
        f.no_reply_pending = !on && visit;
        changed = true;
      }
    }
  }
  // 催办 not answered: for a handler what the centre presses it for, for the centre what it chases.
  if (counts.urged > 0 || f.urged) {
    std::snprintf(buf, sizeof buf, S(lang, Str::UrgedCount).c_str(), static_cast<long long>(counts.urged));
    flow(ImGui::CalcTextSize(buf).x + em);
    if (chip(buf, "#filter-urged", f.urged, kProblem)) {
      f.urged = !f.urged;
      changed = true;
    }
  }
  if (counts.warnings > 0 || f.warning) {
    std::snprintf(buf, sizeof buf, S(lang, Str::WarningCount).c_str(), static_cast<long long>(counts.warnings));
    flow(ImGui::CalcTextSize(buf).x + em);
    if (chip(buf, "filter-warning", f.warning, kWarn)) {
      f.warning = !f.warning;
      changed = true;
    }
  }
  if (app.session() && app.session()->role == Role::Department) {
    const std::string mine = S(lang, Str::FilterMine);
    flow(ImGui::CalcTextSize(mine.c_str()).x + em);
    if (chip(mine, "filter-mine", !f.lead_department.empty(), kAccent)) {
      f.lead_department = f.lead_department.empty() ? app.session()->scope : std::string();
      changed = true;
    }
  }
  const bool any = narrows(f);
  if (any) {
    const std::string clear = S(lang, Str::FilterClear);
    flow(ImGui::CalcTextSize(clear.c_str()).x + em);
    if (small_button((clear + "##filter-clear").c_str())) {
      f = InboxFilter{};
      frame.search_text.clear();
      changed = true;
    }
  }
  if (changed) {
    app.inbox_changed();
    frame.active_view.clear();  // The filter is no longer the view's.
  }
  std::snprintf(buf, sizeof buf, S(lang, Str::TotalTickets).c_str(), static_cast<long long>(app.inbox_total()));
  ImGui::TextColored(kMuted, "%s", buf);
  // The keys, where they fit on the line (a phone has no keyboard to use them with).
  // Only the keys this user's role has a use for: a committee does not assign, a department registers nothing.
  std::string keys = "  " + S(lang, Str::ShortcutsHint);
  if (app.role_may(WorkflowAction::Assign)) keys += " · " + S(lang, Str::KeyAssign);
  keys += " · " + S(lang, Str::KeyNoteSearch);
  if (app.may_register()) keys += " · " + S(lang, Str::KeyNew);
  ImGui::SameLine();
  if (frame.css_width >= 760.0f && ImGui::CalcTextSize(keys.c_str()).x <= ImGui::GetContentRegionAvail().x)
    ImGui::TextColored(kMuted, "%s", keys.c_str());
  else ImGui::NewLine();
  draw_bulk_bar(app, frame);
}

// Saved views: a combo of the user's named filters, and saving the current one under a name.
void draw_views(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const float em = ImGui::GetFontSize();
  const auto& views = app.saved_views();
  const std::string shown = frame.active_view.empty() ? S(lang, Str::Views) : frame.active_view;
  ImGui::SetNextItemWidth(em * 8);
  if (begin_combo("##views", shown.c_str())) {
    for (const auto& v : views)
      if (ImGui::Selectable((v.name + "##view-" + v.name).c_str(), v.name == frame.active_view)) {
        app.apply_view(v.name);
        frame.active_view = v.name;
        frame.search_text = app.inbox_query().filter.text;
      }
    if (!views.empty()) ImGui::Separator();
    if (ImGui::Selectable((S(lang, Str::ViewSave) + "##view-save").c_str())) {
      frame.save_view_asked = true;
      frame.view_name = frame.active_view;
    }
    end_combo();
  }
  if (!frame.active_view.empty()) {
    ImGui::SameLine();
    if (small_button((S(lang, Str::ViewDelete) + "##view-delete").c_str())) {
      app.delete_view(frame.active_view);
      frame.active_view.clear();
    }
  }
  if (frame.save_view_asked) {
    ImGui::OpenPopup("##save-view");
    frame.save_view_asked = false;
  }
  if (ImGui::BeginPopup("##save-view")) {
    ImGui::TextUnformatted(S(lang, Str::ViewName).c_str());
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(em * 12);
    const bool enter = ImGui::InputText("##view-name", &frame.view_name, ImGuiInputTextFlags_EnterReturnsTrue);
    if ((ImGui::Button((S(lang, Str::Save) + "##view-name-save").c_str()) || enter) && app.save_view(frame.view_name)) {
      frame.active_view = frame.view_name;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button((S(lang, Str::Cancel) + "##view-name-cancel").c_str())) ImGui::CloseCurrentPopup();
    if (!app.error().empty()) ImGui::TextColored(kProblem, "%s", app.error().c_str());
    ImGui::EndPopup();
  }
}

// The bar over a marked selection: how many, and the moves on all of them at once.
void draw_bulk_bar(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const float em = ImGui::GetFontSize();
  char buf[160];
  if (app.marked().empty()) {
    // The outcome of the last bulk move, for a few seconds.
    if (const auto& last = app.last_bulk(); last && platform::now_ms() - last->at_ms < 8000) {
      std::snprintf(buf, sizeof buf, S(lang, Str::BulkResult).c_str(), last->done, last->skipped);
      ImGui::TextColored(last->skipped > 0 ? kAmber : kMuted, "%s%s%s", buf, last->first_reason.empty() ? "" : "：",
                         last->first_reason.c_str());
    }
    return;
  }
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.y * 2;
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + h),
                                            kTintRowU, ImGui::GetStyle().FrameRounding);
  ImGui::SetCursorScreenPos(ImVec2(p.x + ImGui::GetStyle().FramePadding.x, p.y + ImGui::GetStyle().FramePadding.y));
  ImGui::AlignTextToFramePadding();
  std::snprintf(buf, sizeof buf, S(lang, Str::BulkMarked).c_str(), static_cast<int>(app.marked().size()));
  ImGui::TextColored(ImVec4(0.10f, 0.30f, 0.62f, 1), "%s", buf);
  if (app.session() && role_may(app.session()->role, WorkflowAction::Assign)) {
    ImGui::SameLine(0, em);
    // No department is chosen for the dispatcher: 批量派单 waits until she picks one.
    const std::string preview = frame.bulk_department.empty() ? S(lang, Str::ChooseDepartment) : frame.bulk_department;
    ImGui::SetNextItemWidth(em * 6);
    if (begin_combo("##bulk-department", preview.c_str())) {
      for (const std::string& d : app.dispatch_targets({kDepartments.begin(), kDepartments.end()}))
        if (ImGui::Selectable(d.c_str(), frame.bulk_department == d)) frame.bulk_department = d;
      end_combo();
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(frame.bulk_department.empty());
    if (ImGui::Button((S(lang, Str::BulkAssign) + "##bulk-assign").c_str())) app.bulk_assign(frame.bulk_department);
    ImGui::EndDisabled();
    if (frame.bulk_department.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", S(lang, Str::ErrChooseDepartment).c_str());
  }
  // 催办 each marked ticket at work (the centre's daily sweep of the overdue: 已超时, mark, 催办).
  if (app.session() && app.session()->role == Role::Centre) {
    ImGui::SameLine(0, em);
    if (ImGui::Button((S(lang, Str::BulkUrge) + "##bulk-urge").c_str())) app.bulk_urge({});
  }
  ImGui::SameLine(0, em);
  if (ImGui::Button((S(lang, Str::BulkUrgent) + "##bulk-urgent").c_str())) app.bulk_urgency(Urgency::Urgent);
  ImGui::SameLine();
  if (ImGui::Button((S(lang, Str::BulkNormal) + "##bulk-normal").c_str())) app.bulk_urgency(Urgency::Normal);
  ImGui::SameLine(0, em);
  if (small_button((S(lang, Str::BulkClear) + "##bulk-clear").c_str())) app.clear_marks();
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + ImGui::GetStyle().ItemSpacing.y));
  ImGui::Dummy(ImVec2(0, 0));
}

// ↑/↓ select the previous or next ticket in the sort; A opens 派单 on the selected ticket, M its
// note box; Ctrl+F searches; Ctrl+N registers one.
void keyboard(App& app, FrameInfo& frame) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_F)) frame.focus_search = true;
  if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_N)) app.set_view(View::Intake);
  if (io.WantTextInput) return;  // Arrows and letters belong to the text being typed.
  if (!io.KeyCtrl && !io.KeyAlt && !app.selected_id().empty() &&
      !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) {
    if (ImGui::IsKeyPressed(ImGuiKey_A, false)) frame.open_assign = true;
    if (ImGui::IsKeyPressed(ImGuiKey_M, false)) frame.focus_entry = true;
  }
  int step = 0;
  if (ImGui::IsKeyPressed(ImGuiKey_DownArrow) || ImGui::IsKeyPressed(ImGuiKey_J)) step = 1;
  if (ImGui::IsKeyPressed(ImGuiKey_UpArrow) || ImGui::IsKeyPressed(ImGuiKey_K)) step = -1;
  if (step == 0) return;
  const int64_t at = app.inbox_index_of(app.selected_id());
  const InboxRow* next = app.inbox_row(at < 0 ? 0 : at + step);
  if (next) {
    app.select(next->id);
    frame.scroll_to_selected = true;
  }
}

enum Col { kNumber, kReceived, kSource, kCategory, kUrgency, kPlace, kTitle, kStatus, kDept, kDue };

int column_of(InboxSort sort) {
  switch (sort) {
    case InboxSort::Number: return kNumber;
    case InboxSort::Received: return kReceived;
    case InboxSort::Source: return kSource;
    case InboxSort::Category: return kCategory;
    case InboxSort::Urgency: return kUrgency;
    case InboxSort::Community: return kPlace;
    case InboxSort::Status: return kStatus;
    case InboxSort::Department: return kDept;
    case InboxSort::Due: return kDue;
  }
  return kDue;
}

InboxSort sort_of(int col) {
  switch (col) {
    case kNumber: return InboxSort::Number;
    case kReceived: return InboxSort::Received;
    case kSource: return InboxSort::Source;
    case kCategory: return InboxSort::Category;
    case kUrgency: return InboxSort::Urgency;
    case kPlace: return InboxSort::Community;
    case kStatus: return InboxSort::Status;
    case kDept: return InboxSort::Department;
    case kDue: return InboxSort::Due;
    default: return InboxSort::Received;
  }
}

// Tickets a pull took off this device because they left the user's scope (退单 approved, or
// dispatched to another department): said above the list, by number and title, until 知道了.
// Without it a department's ticket just vanished from its list, and its handler was left to guess.
void draw_left_notice(App& app) {
  const int64_t count = app.left_count();
  if (count == 0) return;
  const Lang lang = app.lang();
  char buf[320];
  std::snprintf(buf, sizeof buf, S(lang, Str::LeftNotice).c_str(), static_cast<int>(count));
  std::string text = buf;
  const auto& left = app.left_tickets();
  const size_t shown = std::min<size_t>(left.size(), 3);
  for (size_t i = 0; i < shown; ++i) text += "\n" + left[i].number + "  " + left[i].title;
  if (count > static_cast<int64_t>(shown)) {
    std::snprintf(buf, sizeof buf, S(lang, Str::LeftMore).c_str(), static_cast<int>(count - static_cast<int64_t>(shown)));
    text += "\n" + std::string(buf);
  }
  band(text, kAccentHover, kInk);
  if (small_button((S(lang, Str::LeftOk) + "##left-ok").c_str())) app.dismiss_left();
  ImGui::Spacing();
}

}  // namespace

void draw_ticket_list(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  keyboard(app, frame);
  draw_left_notice(app);
  draw_filters(app, frame);
  const int64_t total = app.inbox_total();
  if (total == 0) {
    ImGui::Spacing();
    const InboxFilter& f = app.inbox_query().filter;
    const bool filtered = narrows(f);
    // A search that found nothing says what was looked for, and the way back is one click.
    // Nothing yet because the first sync is still bringing it: said so, not "no tickets yet".
    const app::SyncStatus& st = app.sync_status();
    const bool arriving = st.image_in_flight || st.image_arrived || (st.link == app::Link::Online && !st.caught_up);
    ImGui::TextWrapped("%s", !f.text.empty() ? tr_with(lang, Str::NoMatchText, f.text).c_str()
                             : filtered      ? S(lang, Str::NoMatch).c_str()
                             : arriving      ? S(lang, Str::EmptyFirstSync).c_str()
                                             : S(lang, Str::EmptyList).c_str());
    if (filtered && ImGui::Button((S(lang, Str::FilterClear) + "##empty-clear").c_str())) {
      app.inbox_query().filter = InboxFilter{};
      frame.search_text.clear();
      app.inbox_changed();
    }
    if (!filtered && app.may_register() && ImGui::Button(S(lang, Str::NewTicket).c_str())) app.set_view(View::Intake);
    return;
  }

  // Which columns fit, so that the place and the title keep room to be read: every column on a
  // wide list; the lead department and the category on a list beside the detail at 1600 pixels;
  // the urgency on a narrower one; on the narrowest, the essentials (an urgent ticket's number is
  // then red). The title is what a dispatcher reads first: a column of its own is no use at six
  // characters wide. What the fixed columns take is measured in the language shown (English words
  // are wider than Chinese ones), and a column goes while the place and the title would have less
  // than kReadableEms between them.
  //
  // On a phone (layout 0) a ticket takes two lines in two columns: its number and title over its
  // place, and its status over its time left; a column of its own for each would leave the title a
  // character wide.
  const float em = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const ImGuiStyle& style = ImGui::GetStyle();
  const auto text_w = [](const char* s) { return ImGui::CalcTextSize(s).x; };
  // Each fixed column's width as TableSetupColumn is given it below (0: as wide as its cells, here
  // the widest value it shows, or a department's name of four characters).
  float width[10] = {};
  width[kNumber] = text_w("临-1130-WWW-000");
  width[kReceived] = text_w("11-30 00:00");
  width[kCategory] = text_w(lang == Lang::Zh ? "物业管理" : "Living services");
  width[kUrgency] = std::max(text_w(S(lang, Str::ColUrgency).c_str()) + em,
                             text_w(std::string(label(lang, Urgency::Normal)).c_str()));
  width[kDue] = text_w(lang == Lang::Zh ? "再处置 · 超时 10天23小时" : "Handle · 10d 23h overdue") + em * 0.5f;
  for (TicketStatus st : {TicketStatus::Received, TicketStatus::Contacted, TicketStatus::Assigned, TicketStatus::InProgress,
                          TicketStatus::Review, TicketStatus::Handled, TicketStatus::Visited, TicketStatus::Closed})
    width[kStatus] = std::max(width[kStatus], text_w(std::string(label(lang, st)).c_str()) + em * 0.7f);
  // (The pill's padding: status_pill's 0.35 em a side.)
  width[kStatus] = std::max(width[kStatus], text_w(S(lang, Str::StatusAwaitingCoShort).c_str()) + em * 0.7f);
  width[kSource] = text_w(lang == Lang::Zh ? "12345热线" : "Hotline 12345");
  width[kDept] = text_w("市容所管理");
  const auto room_left = [&](const bool (&on)[10]) {
    float fixed = 0;
    for (int i = 0; i < 10; ++i)
      if (on[i] && i != kPlace && i != kTitle) fixed += width[i] + style.CellPadding.x * 2;
    return avail - fixed - style.ScrollbarSize;
  };
  const float em_avail = avail / em;
  int layout = em_avail >= 72 ? 3 : em_avail >= 52 ? 2 : em_avail >= kPhoneEms ? 1 : 0;
  const auto columns_of = [](int l, bool urgency, bool (&on)[10]) {
    const bool c = l == 0;
    const bool v[10] = {!c, l == 3, l == 3, l >= 2, l >= 1 && urgency, !c, true, !c, l >= 2, true};
    std::copy(std::begin(v), std::end(v), on);
  };
  bool shown[10];
  columns_of(layout, true, shown);
  while (layout >= 2 && room_left(shown) < kReadableEms * em) {
    // Between the two: the category goes before the lead department (who has the ticket is what a
    // dispatcher follows; the category filter stays above the list).
    if (layout == 2 && shown[kCategory]) {
      shown[kCategory] = false;
      continue;
    }
    columns_of(--layout, true, shown);
  }
  if (layout == 1 && room_left(shown) < kReadableEms * em) columns_of(1, false, shown);  // Urgent: a red number.
  const bool compact = layout == 0;
  if (compact) {
    // Coarse times (duration): the column as wide as the longest of those, not of the exact ones,
    // but at most about two fifths of the screen: the title and the place need the rest. Where a
    // stage and its time do not fit, the time is shown alone (draw_time_left); it always fits.
    float full = 0, time_only = 0;
    for (int64_t ms : {int64_t{59} * 60000, int64_t{23} * 3600000, int64_t{99} * 86400000})
      for (Str said : {Str::DueOverdue, Str::DueLeft}) {
        char buf[96];
        std::snprintf(buf, sizeof buf, S(lang, said).c_str(), duration(lang, ms, true).c_str());
        time_only = std::max(time_only, text_w(buf) + em * 0.5f);
        for (Str stage : {Str::StageContact, Str::StageHandling, Str::StageRehandling, Str::StageReport, Str::StageCoReply})
          full = std::max(full, text_w((S(lang, stage) + " · " + buf).c_str()) + em * 0.5f);
      }
    // The status pill above the time.
    width[kDue] = std::max({width[kStatus], time_only, std::min(full, avail * 0.42f)});
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp |
                                ImGuiTableFlags_Sortable;
  // One table per language and set of columns: fixed columns fit their words once, and English
  // words are wider than Chinese ones.
  const std::string table_id = std::string("##tickets-") + std::string(lang_code(lang)) + "-" + std::to_string(layout) +
                               (shown[kUrgency] || layout != 1 ? "" : "-tight") +
                               (layout == 2 && !shown[kCategory] ? "-no-category" : "");
  if (!ImGui::BeginTable(table_id.c_str(), 10, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  const auto col = [&](Str name, int id, ImGuiTableColumnFlags extra, float w) {
    ImGuiTableColumnFlags f = extra;
    if (!shown[id]) f |= ImGuiTableColumnFlags_Disabled | ImGuiTableColumnFlags_DefaultHide;
    ImGui::TableSetupColumn(S(lang, name).c_str(), f, w, static_cast<ImGuiID>(id));
  };
  const auto fixed = ImGuiTableColumnFlags_WidthFixed;
  const auto stretch = ImGuiTableColumnFlags_WidthStretch;
  // Wide enough for a provisional number ("临-1130-K7Q-001"), the longest a ticket has.
  col(Str::ColNumber, kNumber, fixed, width[kNumber]);
  col(Str::ColReceived, kReceived, fixed | ImGuiTableColumnFlags_PreferSortDescending, width[kReceived]);
  col(Str::ColSource, kSource, fixed, 0);
  // Fixed columns get a width of their own, not their longest word's: English category names are
  // long, and the place and title must keep their room (a cell clips what does not fit).
  col(Str::ColCategory, kCategory, fixed, width[kCategory]);
  // The urgency's header keeps room for the sort arrow beside it.
  col(Str::ColUrgency, kUrgency, fixed | ImGuiTableColumnFlags_PreferSortDescending, width[kUrgency]);
  col(Str::ColPlace, kPlace, stretch, 1.4f);
  col(compact ? Str::ColTicket : Str::ColTitle, kTitle, stretch | ImGuiTableColumnFlags_NoSort, 2.0f);
  // The status as wide as its longest word (a fit to the first page's cells cut 待协办回复 and "In
  // progress" when the first page had only short ones).
  col(Str::ColStatus, kStatus, fixed, width[kStatus]);
  col(Str::ColLeadDept, kDept, fixed, 0);
  // The inbox opens with the deadline due first on top: what a dispatcher works through. Half an
  // em to spare: the last column's text must not run under the scroll bar.
  col(Str::ColDue, kDue, fixed | ImGuiTableColumnFlags_DefaultSort, width[kDue]);
  ImGui::TableHeadersRow();

  // The app's query is the sort; each table (one per language and layout) shows it. A click on a
  // header of a table already shown changes the query; a table shown for the first time, or again
  // after another one changed the sort, takes the query's (a switch of language kept the rows in
  // one order under another column's arrow).
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
    InboxQuery& q = app.inbox_query();
    const bool seen = frame.sorted_tables.count(table_id) > 0;
    const bool has = specs->SpecsCount > 0;
    const InboxSort shown_sort = has ? sort_of(static_cast<int>(specs->Specs[0].ColumnUserID)) : q.sort;
    const bool shown_desc = has && specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
    if (specs->SpecsDirty && seen && has) {
      if (shown_sort != q.sort || shown_desc != q.descending) {
        q.sort = shown_sort;
        q.descending = shown_desc;
        app.inbox_changed();
      }
    } else if (!has || shown_sort != q.sort || shown_desc != q.descending) {
      ImGui::TableSetColumnSortDirection(column_of(q.sort),
                                         q.descending ? ImGuiSortDirection_Descending : ImGuiSortDirection_Ascending, false);
    }
    frame.sorted_tables.insert(table_id);
    specs->SpecsDirty = false;
  }

  const int64_t now = platform::now_ms();
  const int64_t selected_at = frame.scroll_to_selected ? app.inbox_index_of(app.selected_id()) : -1;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(std::min<int64_t>(total, 2'000'000'000)));
  if (selected_at >= 0) clipper.IncludeItemByIndex(static_cast<int>(selected_at));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const InboxRow* at = app.inbox_row(row);
      ImGui::TableNextRow();
      if (!at) continue;
      const InboxRow copy = *at;  // A shift+click below reads other pages.
      const InboxRow* r = &copy;
      ImGui::TableSetColumnIndex(compact ? kTitle : kNumber);
      // The row's selectable carries the ticket id, so tests and screen readers find it.
      const std::string id = r->number + "##row-" + r->id;
      const bool is_selected = app.selected_id() == r->id;
      const bool is_marked = app.marked().count(r->id) > 0;
      if (is_marked) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, kMarkedRowU);
      const bool red_number = !shown[kUrgency] && r->urgency == Urgency::Urgent;
      const ImVec2 cell = ImGui::GetCursorPos();
      // Two lines on a phone: the selectable spans them, its own label hidden under the lines drawn.
      if (red_number || compact) ImGui::PushStyleColor(ImGuiCol_Text, compact ? ImVec4(0, 0, 0, 0) : kProblem);
      // Selected, marked and hovered each look their own: the selected row (the one the detail
      // shows) is the darkest and has a bar at its left edge; marked rows (a bulk move's) are tinted;
      // hover is lighter than either.
      const bool clicked =
          ImGui::Selectable(id.c_str(), is_selected, ImGuiSelectableFlags_SpanAllColumns,
                            ImVec2(0, compact ? ImGui::GetTextLineHeight() * 2 + ImGui::GetStyle().ItemSpacing.y * 0.5f : 0));
      if (red_number || compact) ImGui::PopStyleColor();
      if (is_selected) {
        const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddRectFilled(lo, ImVec2(lo.x + 3.0f, hi.y), ImGui::GetColorU32(kAccent));
      }
      if (compact) {
        // The title first, whole as far as the cell goes; the number and the place under it.
        ImGui::SetCursorPos(cell);
        if (r->warning) tag(S(lang, Str::WarningBadge), kWarn);
        if (r->pending_request) tag(S(lang, Str::PendingBadge), kAmber);  // 退单/延期 to decide.
        if (r->urged) tag(S(lang, Str::UrgedBadge), kProblem);  // 催办 not answered.
        if (r->rebound) tag(S(lang, Str::ReboundBadge), kRebound);  // A recurrence at this place.
        else if (r->rebounded) tag(S(lang, Str::ReboundedBadge), kRebound);  // It came back later.
        if (r->conflict && r->status != TicketStatus::Review) tag(S(lang, Str::ConflictBadge), kAmber);
        if (red_number) {
          ImGui::TextColored(kProblem, "%s", std::string(label(lang, r->urgency)).c_str());
          ImGui::SameLine();
        }
        text_fit(r->title);
        ImGui::SetCursorPos(ImVec2(cell.x, cell.y + ImGui::GetTextLineHeight() + ImGui::GetStyle().ItemSpacing.y * 0.5f));
        const std::string place = r->address.empty() || r->address.rfind(r->community, 0) == 0
                                      ? (r->address.empty() ? r->community : r->address)
                                      : r->community + " · " + r->address;
        text_fit(r->number + " · " + place, kMuted);
      }
      if (clicked) {
        const ImGuiIO& io = ImGui::GetIO();
        if (io.KeyCtrl) {  // Ctrl+click: mark or unmark this one.
          app.mark(r->id, !is_marked);
          frame.mark_anchor = row;
        } else if (io.KeyShift && frame.mark_anchor >= 0) {  // Shift+click: the range from the last mark.
          for (int64_t i = std::min<int64_t>(frame.mark_anchor, row); i <= std::max<int64_t>(frame.mark_anchor, row); ++i)
            if (const InboxRow* m = app.inbox_row(i)) app.mark(m->id, true);
        } else {
          app.clear_marks();
          frame.mark_anchor = row;
          app.select(r->id);
        }
      }
      if (row == selected_at) {
        ImGui::SetScrollHereY(0.5f);
        frame.scroll_to_selected = false;
      }
      if (ImGui::TableSetColumnIndex(kReceived)) {
        // "11-30 14:30": this year's date is enough in a list; the year is in the detail.
        const std::string when = format_shanghai_minute(r->received_at_ms);
        ImGui::TextUnformatted(when.substr(5).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", when.c_str());
      }
      if (ImGui::TableSetColumnIndex(kSource)) ImGui::TextUnformatted(std::string(label(lang, r->source)).c_str());
      if (ImGui::TableSetColumnIndex(kCategory)) ImGui::TextUnformatted(std::string(label(lang, r->category)).c_str());
      if (ImGui::TableSetColumnIndex(kUrgency)) {
        if (r->urgency == Urgency::Urgent) ImGui::TextColored(kProblem, "%s", std::string(label(lang, r->urgency)).c_str());
        else ImGui::TextColored(kMuted, "%s", std::string(label(lang, r->urgency)).c_str());
      }
      if (ImGui::TableSetColumnIndex(kPlace)) {
        // An address that names its community already is shown alone.
        if (r->address.empty()) text_fit(r->community);
        else if (r->address.rfind(r->community, 0) == 0) text_fit(r->address);
        else text_fit(r->community + " · " + r->address);
      }
      if (!compact && ImGui::TableSetColumnIndex(kTitle)) {
        if (r->warning) tag(S(lang, Str::WarningBadge), kWarn);
        if (r->pending_request) tag(S(lang, Str::PendingBadge), kAmber);  // 退单/延期 to decide.
        if (r->urged) tag(S(lang, Str::UrgedBadge), kProblem);  // 催办 not answered.
        if (r->rebound) tag(S(lang, Str::ReboundBadge), kRebound);  // A recurrence at this place.
        else if (r->rebounded) tag(S(lang, Str::ReboundedBadge), kRebound);  // It came back later.
        // A conflict kept (a review shows in the status): in the title, where a narrow status column
        // cannot cut it off.
        if (r->conflict && r->status != TicketStatus::Review) tag(S(lang, Str::ConflictBadge), kAmber);
        if (!shown[kUrgency] && r->urgency == Urgency::Urgent) {
          ImGui::TextColored(kProblem, "%s", std::string(label(lang, r->urgency)).c_str());
          ImGui::SameLine();
        }
        text_fit(r->title);
      }
      if (ImGui::TableSetColumnIndex(kStatus)) {
        // The same derived status as the detail's (已办结·待协办回复), in its short word (待协办回复), which
        // the column is sized for; the whole on hover.
        const std::string status =
            r->awaiting_co_handlers ? S(lang, Str::StatusAwaitingCoShort) : std::string(label(lang, r->status));
        status_pill(status, r->status, r->awaiting_co_handlers);
        if (r->awaiting_co_handlers && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", S(lang, Str::StatusAwaitingCo).c_str());
      }
      if (ImGui::TableSetColumnIndex(kDept)) {
        if (r->lead_department.empty()) ImGui::TextColored(kMuted, "-");
        else ImGui::TextUnformatted(r->lead_department.c_str());
      }
      if (ImGui::TableSetColumnIndex(kDue)) {
        if (compact) {  // The status over the time left.
          const std::string status =
              r->awaiting_co_handlers ? S(lang, Str::StatusAwaitingCoShort) : std::string(label(lang, r->status));
          status_pill(status, r->status, r->awaiting_co_handlers);
          ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y * 0.5f);
        }
        draw_time_left(lang, *r, now, compact);
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace linli::ui
