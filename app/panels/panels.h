// The app's panels: each draws one part of the screen from App's state and emits App's commands.
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "app.h"
#include "panels/field_frame.h"

namespace linli::ui {

// The street's departments (the 1+8 joint platform among them): a ticket is dispatched to one
// (承办部门) or to a committee, and co-handled by others (App::dispatch_targets adds the committees).
inline constexpr std::array<const char*, 10> kDepartments = {"管理办", "党群办", "市场监管所", "房管办",   "除害站",
                                                            "服务办", "营商办", "平安办",     "城管中队", "1+8联动平台"};

// The app's views as its tab bar and its 视图 menu list them, for this user.
struct ViewTab {
  Str name, short_name;
  const char* id;  // "###tab-…"
  View view;
};
std::vector<ViewTab> view_tabs(const App& app);

// ImGui::SmallButton on a wide screen; on a phone (ui.h set_touch) a button as high as any other
// (about 36 CSS pixels), that a finger hits. As wide either way. A line of text with one beside it
// calls ImGui::AlignTextToFramePadding() first when touch_layout(), so the two stay level.
bool small_button(const char* label);
bool touch_layout();

// A word of the interface as a std::string (tr gives a view).
inline std::string S(Lang lang, Str s) { return std::string(tr(lang, s)); }

struct FrameInfo {
  float pixel_ratio = 1.0f;  // Device pixels per CSS pixel.
  float css_width = 0.0f;    // Window width in CSS pixels: decides compact layouts.
  bool show_metrics = false;
  View tab_shown = View::Tickets;  // Which tab the tab bar showed last frame.
  bool sign_out_asked = false;     // The sign-out dialog is to be opened.
  // A notice or an error too long for the status bar (a phone), shown in a band above it this frame.
  std::string notice_band;
  bool band_is_error = false;  // The band holds the last error (red), not a notice (blue).
  std::set<std::string> sorted_tables;  // The inbox's tables (per language and layout) shown once.
  // The detail panel's half-made input, for the ticket detail_of.
  std::string detail_of;
  int editing = -1;                // The EditableField being edited in place, -1 none.
  std::string edit_buffer;
  bool edit_focus = false;
  std::string assign_to;           // The department chosen for 派单.
  int assign_for_status = -1;  // The status assign_to was chosen for: a move (退单 approved) chooses again.
  int satisfaction = 0;            // For 回访: Satisfaction's value; none until the user picks one.
  int entry_kind = 0;              // Which kind of note the add-entry row adds.
  std::string entry_text;
  std::string visit_note;          // For 回访: what the citizen said.
  std::string handle_note;         // For 办结: what was done (处置结果).
  std::string contact_note;        // For a call back (先行联系) after the ticket was assigned.
  std::string assign_note;         // What the dispatcher tells the department with 派单 (who leads, what each does).
  std::string report_note;         // For the day's progress report (中途汇报) on an urgent ticket.
  std::string urge_text;           // For 催办: what the centre asks of the handler (may be empty).
  bool rebound_by_number = false;  // The 按编号关联 box is open.
  std::string rebound_number;      // What is typed in it.
  float detail_label_w = 0;        // The detail panel's label column, this frame.
  // The inbox: the search box's text (given to the filter once typing pauses), and keyboard moves.
  std::string search_text;
  int64_t search_changed_at_ms = 0;
  bool focus_search = false;
  bool filters_open = false;  // On a phone the inbox's filter boxes fold under one button.
  bool scroll_to_selected = false;
  // A filter chosen outside the inbox (a status-bar count, a hot spot): the list is wanted, so a
  // phone, which shows a selected ticket in the list's place, puts the ticket away.
  bool list_wanted = false;
  bool open_assign = false;  // A: the detail opens its 派单 department list.
  bool focus_entry = false;  // M: the detail's note box takes the keyboard.
  // The detail panel's request forms (退单 / 延期) and decisions.
  int request_kind = 0;  // 0 none, 1 return, 2 extension.
  std::string request_reason;
  std::string decision_note;  // The centre's words with its decision on a request (why not, mostly).
  int request_days = 3;
  int hot_days = 90;  // The hot-spot list's period.
  // The inbox's marks for bulk moves: the row a range starts from, and the department chosen.
  int64_t mark_anchor = -1;
  std::string bulk_department;
  std::string active_view;  // The saved view applied last (until the filter changes).
  std::string view_name;    // The name typed in the save-view dialog.
  bool save_view_asked = false;
  // The detail panel's joint handling (联合处置, panels/co_handlers.cpp).
  std::string co_add;         // The department chosen to add as co-handler.
  std::string co_reply_text;  // A co-handler's reply being written.
  // The dashboard's month (统计, panels/dashboard.cpp); 0: the current month, chosen on first draw.
  int dash_year = 0, dash_month = 0;
  FieldFrame field;  // 巡查 (panels/field.cpp).
};

// ImGui::BeginCombo, with the combo labelled for the end-to-end tests (ImGui reports no label for
// a combo of its own): tests open it by its id ("##satisfaction" as "satisfaction").
// On a phone its rows are a finger's height apart. Close it with end_combo.
bool begin_combo(const char* id, const char* preview);
void end_combo();
// The width a combo needs to show the widest of `choices` beside its arrow, and at least `at_least`.
float combo_width_for(const std::vector<std::string>& choices, float at_least);
// A ticket's status as a pill: its word in a colour of its stage on a light tint of it, the same in
// the inbox and the detail, readable on a selected row. `awaiting_co`: handled by the lead while a
// co-handler owes a reply (已办结·待协办回复), drawn as waiting. The text is the caller's word.
void status_pill(const std::string& text, TicketStatus status, bool awaiting_co);
// ImGui::Button in the primary colour (white on blue): the one move a screen expects next (sign
// in, save the new ticket, the ticket's next workflow step).
bool primary_button(const char* label, const ImVec2& size = ImVec2(0, 0));
// The number a ticket shows: the official one once the server gave it, the provisional one until then.
const char* number_of(const Ticket& t);
// Below this many ems of width a panel lays out for a phone: a list's row takes two lines in place
// of a column for each thing (the inbox, the hot spots, the campaigns).
inline constexpr float kPhoneEms = 34;
// The least room, in ems, the inbox leaves its place and title columns together before it drops a
// fixed column (panels/ticket_list.cpp).
inline constexpr float kReadableEms = 16;
// Whether the space left on the current line is a phone's (kPhoneEms).
inline bool phone_width() { return ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * kPhoneEms; }

// Puts the next item, `width` pixels wide, on the line of the last one when it fits there (after
// `spacing`, or the style's item spacing when negative), else on a new line: a header's buttons wrap
// on a phone instead of running over each other or off the screen.
void next_in_row(float width, float spacing = -1);
// The width ImGui gives a button or a small button with this label ("##id" not drawn).
float button_width(const std::string& label);
// Draws `text` at `size`, or smaller (down to `min_size`) when it would not fit in `max_w`: a card
// on a phone is half its width, and English labels and hours are long. Returns the width drawn.
float fit_text(ImDrawList* dl, ImVec2 at, float size, float min_size, float max_w, ImU32 col, const std::string& text);
// `text` broken into lines for the room from the cursor to `wrap_pos_x` (window-local; 0: the
// content region's right edge), by Chinese line breaking (line_break.h): no "。" opens a line.
// Draw it with a text wrap position pushed as well (a safety net: ImGui then finds nothing to wrap).
std::string wrapped(std::string_view text, float wrap_pos_x = 0.0f);
// A multi-line text input whose lines wrap at its width (ImGui's run on off to the right), by the
// same line breaking: `text` is what the user typed, without the wraps (soft_wrap.h). Returns what
// ImGui::InputTextMultiline returns with these flags.
bool wrapped_input(const char* label, std::string* text, const ImVec2& size, ImGuiInputTextFlags flags = 0);
// A note's input: one line high, growing to `max_lines` as the text wraps, `width` wide (the item
// width when 0), with `hint` shown while it is empty. Enter ends the input (returns true with
// ImGuiInputTextFlags_EnterReturnsTrue), Ctrl+Enter starts a new line.
bool wrapped_note_input(const char* label, const std::string& hint, std::string* text, float width = 0, int max_lines = 4,
                ImGuiInputTextFlags flags = 0);
// `text` cut to the room left on the line, with "…" where it was cut (a list's title or address
// on a phone), rather than clipped mid-character by the cell's edge; the whole text in a tooltip
// when cut. In `colour` when given (alpha 0: ImGui's text colour).
void text_fit(const std::string& text, const ImVec4& colour = ImVec4(0, 0, 0, 0));
// `text` as text_fit shows it in `room` pixels: whole, or cut at a character with "…".
std::string fit_to(const std::string& text, float room);
// A small choice chip (a period, a kind of note, a language): filled in the accent colour when it
// is the one chosen, so the chosen one reads at a glance. True when clicked.
bool choice(const std::string& label, bool on);
// A band across the panel: `text` wrapped as above, in `colour` on `background` (预警, 待复核, a
// long notice); band_height is the room it takes, for a layout that reserves it beforehand.
void band(std::string_view text, const ImVec4& background, const ImVec4& colour);
float band_height(std::string_view text);

void draw_menu_bar(App& app, FrameInfo& frame);
void draw_sign_out_dialog(App& app, FrameInfo& frame);
void draw_ticket_list(App& app, FrameInfo& frame);
void draw_ticket_detail(App& app, FrameInfo& frame);
// The detail panel's 联合处置 section: co-handlers with sub-status, replies and deadline; the
// centre adds and removes them, a co-handling department replies.
void draw_co_handlers(App& app, FrameInfo& frame);
void draw_intake_form(App& app, FrameInfo& frame);
// Whether the inbox's filter leaves any ticket out (清除筛选 has something to clear).
bool narrows(const InboxFilter& f);
void draw_status_bar(App& app, FrameInfo& frame);
void draw_refold(App& app, const FrameInfo& frame);
void draw_first_sync(App& app, const FrameInfo& frame);
void draw_outbox(App& app, const FrameInfo& frame);
void draw_hot_spots(App& app, FrameInfo& frame);
// 统计: the monthly report over this replica, its month picker, rate cards and charts.
void draw_dashboard(App& app, FrameInfo& frame);
void draw_sign_in(App& app, FrameInfo& frame);
// 巡查: campaigns, a community's facilities, a week's round checklist, the campaign's totals.
void draw_field(App& app, FrameInfo& frame);
// In the ticket detail: the round item a ticket was opened from (巡查发现), a click away.
void draw_finding_origin(App& app, FrameInfo& frame);
// The detail panel's photos (panels/photos.cpp): take one, before/after pairs, thumbnails, a large view.
void draw_ticket_photos(App& app, FrameInfo& frame);
// The outbox's photos waiting to upload, with the one on its way.
void draw_photo_uploads(App& app);
void draw_reauth_banner(App& app, const FrameInfo& frame);

}  // namespace linli::ui
