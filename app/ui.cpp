// Screen layout. A full-window ImGui window; the list and its details side by side when wide.
#include "ui.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <unordered_map>
#include <string>
#include <utility>

#include "line_break.h"
#include "soft_wrap.h"
#include "panels/palette.h"
#include "platform/platform.h"
#include "test_hook.h"

namespace linli::ui {

using namespace palette;
namespace {

constexpr ImGuiWindowFlags kRootFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus;

// The root window fills the canvas and draws no background: the canvas is cleared to the style's
// WindowBg before each frame drawn, so a second fill of every pixel would change nothing.
void begin_root(const char* name, ImGuiWindowFlags flags) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin(name, nullptr, flags | ImGuiWindowFlags_NoBackground);
}

}  // namespace

std::vector<ViewTab> view_tabs(const App& app) {
  // "###": the tab's id is the part after it alone, so a change of language keeps the tab shown.
  std::vector<ViewTab> tabs = {{Str::TabTickets, Str::TabTicketsShort, "###tab-tickets", View::Tickets}};
  if (app.may_register()) tabs.push_back({Str::TabIntake, Str::TabIntakeShort, "###tab-intake", View::Intake});  // Not a department's.
  tabs.push_back({Str::TabHotSpots, Str::TabHotSpotsShort, "###tab-hot-spots", View::HotSpots});
  tabs.push_back({Str::TabDashboard, Str::TabDashboardShort, "###tab-dashboard", View::Dashboard});
  tabs.push_back({Str::TabField, Str::TabFieldShort, "###tab-field", View::Field});
  tabs.push_back({Str::TabOutbox, Str::TabOutboxShort, "###tab-outbox", View::Outbox});
  return tabs;
}

namespace {

// The tab bar follows app.view(); a click on a tab changes the view. ImGui applies a programmatic
// selection (SetSelected) one frame late, so until the bar shows the wanted tab we keep asking.
void draw_tabs(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const std::vector<ViewTab> tabs = view_tabs(app);
  // Tabs keep their whole names where they fit; where not (English on a phone) they take their
  // short names, so every tab is in view, and only then does the bar scroll (arrows at its end)
  // rather than cutting every name to three letters.
  const ImGuiStyle& style = ImGui::GetStyle();
  float whole = 0;
  for (const ViewTab& t : tabs)
    whole += ImGui::CalcTextSize(std::string(tr(lang, t.name)).c_str()).x + style.FramePadding.x * 2 + style.ItemInnerSpacing.x;
  const bool short_names = whole > ImGui::GetContentRegionAvail().x;
  if (!ImGui::BeginTabBar("##views", ImGuiTabBarFlags_FittingPolicyScroll)) return;
  const View want = app.view();
  const bool forcing = frame.tab_shown != want;
  View shown = frame.tab_shown;
  for (const ViewTab& t : tabs) {
    const std::string label = std::string(tr(lang, short_names ? t.short_name : t.name)) + t.id;
    const ImGuiTabItemFlags flags = forcing && want == t.view ? ImGuiTabItemFlags_SetSelected : 0;
    const bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
    label_last_item(label.c_str());
    if (open) {
      shown = t.view;
      ImGui::EndTabItem();
    }
  }
  ImGui::EndTabBar();
  frame.tab_shown = shown;
  if (!forcing && shown != want) app.set_view(shown);
}

}  // namespace

namespace {
// A combo box wide enough for a text of this width beside its arrow.
float combo_width_for_text(float text) { return text + ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetFrameHeight(); }
}  // namespace

float combo_width_for(const std::vector<std::string>& choices, float at_least) {
  float text = 0;
  for (const std::string& c : choices) text = std::max(text, ImGui::CalcTextSize(c.c_str(), nullptr, true).x);
  return std::max(at_least, combo_width_for_text(text));
}

void next_in_row(float width, float spacing) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float gap = spacing >= 0 ? spacing : ImGui::GetStyle().ItemSpacing.x;
  if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0, spacing);
}

float button_width(const std::string& label) {
  return ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

std::string fit_to(const std::string& text, float room) {
  if (ImGui::CalcTextSize(text.c_str()).x <= room) return text;
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  const float dots = ImGui::CalcTextSize("…").x;
  float w = 0;
  const char* p = text.c_str();
  const char* end = p + text.size();
  const char* fits = p;  // The end of the characters that fit before "…".
  while (p < end) {
    unsigned int c = 0;
    const int len = ImTextCharFromUtf8(&c, p, end);
    if (len <= 0) break;
    w += (c > 0xFFFF ? font->FallbackAdvanceX : font->GetCharAdvance(static_cast<ImWchar>(c))) * scale;
    if (w + dots > room) break;
    p += len;
    fits = p;
  }
  return std::string(text.c_str(), fits) + "…";
}

void text_fit(const std::string& text, const ImVec4& colour) {
  const std::string shown = fit_to(text, ImGui::GetContentRegionAvail().x);
  const bool cut = shown != text;
  if (colour.w > 0) ImGui::TextColored(colour, "%s", shown.c_str());
  else ImGui::TextUnformatted(shown.c_str());
  if (cut && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
}

namespace {

// A character's advance in the font drawn now.
std::function<float(char32_t)> font_advance() {
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  return [font, scale](char32_t c) {
    return (c > 0xFFFF ? font->FallbackAdvanceX : font->GetCharAdvance(static_cast<ImWchar>(c))) * scale;
  };
}

// One wrapped input's text as shown, and its carets as the last frame left them.
struct WrappedInput {
  SoftWrap wrap;
  float width = -1;
  size_t cursor = 0, edit_from = 0;
  bool edited = false;  // This frame.
  int last_frame = 0;
  EditHistory history;  // Ctrl+Z and Ctrl+Y (ImGui's own undo is off: see EditHistory).
};

// The input's buffer becomes `text`, wrapped, with the cursor at `cursor` (an offset in `text`).
void replace_wrapped(ImGuiInputTextCallbackData* data, WrappedInput& in, const std::string& text, size_t cursor) {
  in.wrap = soft_wrap(text, in.width, font_advance());
  in.edited = true;
  data->DeleteChars(0, data->BufTextLen);
  data->InsertChars(0, in.wrap.display.data(), in.wrap.display.data() + in.wrap.display.size());
  data->CursorPos = data->SelectionStart = data->SelectionEnd = static_cast<int>(display_offset(in.wrap, cursor));
}
std::unordered_map<ImGuiID, WrappedInput> g_wrapped_inputs;

int wrapped_input_callback(ImGuiInputTextCallbackData* data) {
  auto& in = *static_cast<WrappedInput*>(data->UserData);
  auto as_size = [](int v) { return static_cast<size_t>(std::max(v, 0)); };
  if (data->EventFlag == ImGuiInputTextFlags_CallbackEdit) {
    const std::string_view edited(data->Buf, as_size(data->BufTextLen));
    std::vector<size_t> at{as_size(data->CursorPos), as_size(data->SelectionStart), as_size(data->SelectionEnd)};
    std::string text = unwrap_edit(in.wrap, edited, {in.cursor, in.edit_from, at[0]}, at);
    in.history.edited(in.wrap.text, text_offset(in.wrap, in.cursor), text, ImGui::GetTime());
    in.wrap = soft_wrap(text, in.width, font_advance());
    in.edited = true;
    if (in.wrap.display != edited) {
      data->DeleteChars(0, data->BufTextLen);
      data->InsertChars(0, in.wrap.display.data(), in.wrap.display.data() + in.wrap.display.size());
    }
    data->CursorPos = static_cast<int>(display_offset(in.wrap, at[0]));
    data->SelectionStart = static_cast<int>(display_offset(in.wrap, at[1]));
    data->SelectionEnd = static_cast<int>(display_offset(in.wrap, at[2]));
  } else if (!(data->Flags & ImGuiInputTextFlags_ReadOnly)) {
    // Ctrl+Z, Ctrl+Y and Ctrl+Shift+Z (Cmd on a Mac), held down to repeat.
    const bool undo = ImGui::IsKeyChordPressed(ImGuiMod_Shortcut | ImGuiKey_Z, 0, ImGuiInputFlags_Repeat);
    const bool redo = ImGui::IsKeyChordPressed(ImGuiMod_Shortcut | ImGuiKey_Y, 0, ImGuiInputFlags_Repeat) ||
                      ImGui::IsKeyChordPressed(ImGuiMod_Shortcut | ImGuiMod_Shift | ImGuiKey_Z, 0, ImGuiInputFlags_Repeat);
    if (undo || redo) {
      const std::string current = in.wrap.text;
      const size_t cursor = text_offset(in.wrap, as_size(data->CursorPos));
      if (auto step = undo ? in.history.undo(current, cursor) : in.history.redo(current, cursor))
        replace_wrapped(data, in, step->text, step->cursor);
    }
  }
  // Where the next edit starts from: the cursor, or the selection's start.
  in.cursor = as_size(data->CursorPos);
  in.edit_from = data->SelectionStart != data->SelectionEnd
                     ? as_size(std::min({data->SelectionStart, data->SelectionEnd, data->CursorPos}))
                     : in.cursor;
  return 0;
}

}  // namespace

std::string wrapped(std::string_view text, float wrap_pos_x) {
  const float right = wrap_pos_x > 0.0f ? wrap_pos_x : ImGui::GetContentRegionMax().x;
  const float width = right - ImGui::GetCursorPosX() - 1.0f;  // A pixel to spare for rounding.
  return break_lines(text, width, font_advance());
}

namespace {

// The wrapped input's state, wrapped again for `frame_w` when it is not being typed in.
WrappedInput& wrapped_input_state(ImGuiID id, const std::string& text, float frame_w) {
  WrappedInput& in = g_wrapped_inputs[id];
  in.last_frame = ImGui::GetFrameCount();
  const ImGuiStyle& style = ImGui::GetStyle();
  // The text's room: the frame less its padding and the vertical scroll bar's room, kept always.
  const float width = std::max(frame_w - style.FramePadding.x * 2 - style.ScrollbarSize - 2.0f, 1.0f);
  // ImGui keeps its own copy of an active input's text (1.90 has no way to give it another), so the
  // text is wrapped again only while the input is not being typed in: for a new width, or a text
  // changed from outside (a draft restored, the form cleared).
  if (ImGui::GetActiveID() != id && (in.width != width || in.wrap.text != text)) {
    in.width = width;
    if (in.wrap.text != text) in.history.clear();  // Replaced from outside: no way back across it.
    in.wrap = soft_wrap(text, width, font_advance());
    in.cursor = in.edit_from = in.wrap.display.size();
  }
  in.edited = false;
  return in;
}

bool draw_wrapped_input(const char* label, WrappedInput& in, std::string* text, const ImVec2& size,
                        ImGuiInputTextFlags flags) {
  std::string shown = in.wrap.display;
  const bool result = ImGui::InputTextMultiline(label, &shown, size,
                                                flags | ImGuiInputTextFlags_CallbackEdit | ImGuiInputTextFlags_CallbackAlways |
                                                    ImGuiInputTextFlags_NoUndoRedo,
                                                wrapped_input_callback, &in);
  if (in.edited) *text = in.wrap.text;
  // Inputs not drawn for a while are forgotten.
  if ((ImGui::GetFrameCount() & 1023) == 0)
    std::erase_if(g_wrapped_inputs, [](const auto& e) { return ImGui::GetFrameCount() - e.second.last_frame > 1024; });
  return result;
}

}  // namespace

bool wrapped_input(const char* label, std::string* text, const ImVec2& size, ImGuiInputTextFlags flags) {
  const float frame_w = ImGui::CalcItemSize(size, ImGui::CalcItemWidth(), 0).x;
  return draw_wrapped_input(label, wrapped_input_state(ImGui::GetID(label), *text, frame_w), text, size, flags);
}

bool wrapped_note_input(const char* label, const std::string& hint, std::string* text, float width, int max_lines,
                ImGuiInputTextFlags flags) {
  const ImGuiID id = ImGui::GetID(label);
  const float frame_w = width > 0 ? width : ImGui::CalcItemWidth();
  WrappedInput& in = wrapped_input_state(id, *text, frame_w);
  const auto lines = static_cast<int>(std::count(in.wrap.display.begin(), in.wrap.display.end(), '\n')) + 1;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float height = static_cast<float>(std::clamp(lines, 1, max_lines)) * ImGui::GetTextLineHeight() +
                       style.FramePadding.y * 2;
  const bool result = draw_wrapped_input(label, in, text, ImVec2(frame_w, height),
                                         flags | ImGuiInputTextFlags_CtrlEnterForNewLine);
  if (text->empty() && ImGui::GetActiveID() != id) {
    const ImVec2 at = ImGui::GetItemRectMin(), end = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(at, ImVec2(end.x - style.FramePadding.x, end.y), true);
    dl->AddText(ImVec2(at.x + style.FramePadding.x, at.y + style.FramePadding.y), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                hint.c_str());
    dl->PopClipRect();
  }
  return result;
}

namespace {

// The band's padding, its text's wrap width, and its text broken for that width.
struct BandText {
  float pad, wrap;
  std::string text;
  ImVec2 size;
};
BandText band_text(std::string_view raw) {
  BandText b;
  b.pad = ImGui::GetStyle().FramePadding.y * 2;
  b.wrap = ImGui::GetContentRegionAvail().x - b.pad * 2;
  b.text = wrapped(raw, ImGui::GetCursorPosX() + b.wrap);
  b.size = ImGui::CalcTextSize(b.text.c_str(), nullptr, false, b.wrap);
  return b;
}

// A notice over the bottom of the content, just above the status bar, drawn over everything and
// taking no room and no input: a tap goes to what lies under it.
void notice_overlay(std::string_view text) {
  const float pad = ImGui::GetFontSize() * 0.5f;
  const ImVec2 below = ImGui::GetCursorScreenPos();  // Under the content, after its spacing.
  const float width = ImGui::GetContentRegionAvail().x;
  const float wrap = width - pad * 2;
  const std::string lines = wrapped(text, ImGui::GetCursorPosX() + wrap);
  const ImVec2 size = ImGui::CalcTextSize(lines.c_str(), nullptr, false, wrap);
  const float bottom = below.y - ImGui::GetStyle().ItemSpacing.y;
  const ImVec2 from(below.x, bottom - size.y - pad * 2);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  dl->AddRectFilled(from, ImVec2(from.x + width, bottom), ImGui::GetColorU32(ImVec4(0.88f, 0.93f, 1.0f, 0.97f)),
                    ImGui::GetStyle().FrameRounding);
  dl->AddRect(from, ImVec2(from.x + width, bottom), ImGui::GetColorU32(ImVec4(0.55f, 0.68f, 0.88f, 1.0f)),
              ImGui::GetStyle().FrameRounding);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(from.x + pad, from.y + pad),
              ImGui::GetColorU32(ImVec4(0.10f, 0.33f, 0.66f, 1)), lines.c_str(), nullptr, wrap);
}

}  // namespace

float band_height(std::string_view text) {
  const BandText b = band_text(text);
  return b.size.y + b.pad * 2 + ImGui::GetStyle().ItemSpacing.y * 2;  // The Dummy below and the spacing after it.
}

namespace {
bool g_touch = false;
}  // namespace

void set_touch(bool touch) { g_touch = touch; }

bool touch_layout() { return g_touch; }

bool small_button(const char* label) { return g_touch ? ImGui::Button(label) : ImGui::SmallButton(label); }

bool choice(const std::string& label, bool on) {
  ImGui::PushStyleColor(ImGuiCol_Button, on ? kAccent : kChip);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? kAccent : kChipHover);
  ImGui::PushStyleColor(ImGuiCol_Text, on ? kWhite : kBody);
  const bool clicked = small_button(label.c_str());
  ImGui::PopStyleColor(3);
  return clicked;
}

void band(std::string_view text, const ImVec4& background, const ImVec4& colour) {
  const BandText b = band_text(text);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + b.size.y + b.pad * 2),
                                            ImGui::GetColorU32(background), ImGui::GetStyle().FrameRounding);
  ImGui::SetCursorScreenPos(ImVec2(p.x + b.pad, p.y + b.pad));
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + b.wrap);
  ImGui::TextUnformatted(b.text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + b.size.y + b.pad * 2));
  ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y));
}

float fit_text(ImDrawList* dl, ImVec2 at, float size, float min_size, float max_w, ImU32 col, const std::string& text) {
  const float w = ImGui::GetFont()->CalcTextSizeA(size, 1e9f, 0, text.c_str()).x;
  const float drawn = w > max_w && w > 0 ? std::max(min_size, size * max_w / w) : size;
  dl->AddText(ImGui::GetFont(), drawn, at, col, text.c_str());
  return w * drawn / size;  // A line's width scales with its size.
}

bool primary_button(const char* label, const ImVec2& size) {
  ImGui::PushStyleColor(ImGuiCol_Button, kAccent);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.22f, 0.50f, 0.88f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.12f, 0.34f, 0.66f, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, kWhite);
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

void status_pill(const std::string& text, TicketStatus status, bool awaiting_co) {
  struct Look {
    ImVec4 bg, fg;
  };
  // Stages by hue: new (blue), with a handler (violet, teal), waiting for the centre (amber), done
  // (green), closed (grey). Each tint is lighter than a selected row, its word dark on it.
  const Look waiting{ImVec4(1.00f, 0.92f, 0.76f, 1), ImVec4(0.52f, 0.31f, 0.0f, 1)};
  Look look{ImVec4(0.92f, 0.92f, 0.93f, 1), ImVec4(0.34f, 0.36f, 0.40f, 1)};
  switch (status) {
    case TicketStatus::Received: look = {ImVec4(0.88f, 0.92f, 1.00f, 1), ImVec4(0.12f, 0.30f, 0.66f, 1)}; break;
    case TicketStatus::Contacted: look = {ImVec4(0.86f, 0.95f, 0.99f, 1), ImVec4(0.03f, 0.36f, 0.52f, 1)}; break;
    case TicketStatus::Assigned: look = {ImVec4(0.92f, 0.90f, 1.00f, 1), ImVec4(0.35f, 0.21f, 0.64f, 1)}; break;
    case TicketStatus::InProgress: look = {ImVec4(0.85f, 0.95f, 0.93f, 1), ImVec4(0.02f, 0.40f, 0.36f, 1)}; break;
    case TicketStatus::Review: look = waiting; break;
    case TicketStatus::Handled: look = {ImVec4(0.87f, 0.96f, 0.87f, 1), ImVec4(0.09f, 0.43f, 0.15f, 1)}; break;
    case TicketStatus::Visited: look = {ImVec4(0.91f, 0.96f, 0.84f, 1), ImVec4(0.28f, 0.40f, 0.04f, 1)}; break;
    case TicketStatus::Closed: break;
  }
  if (awaiting_co) look = waiting;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const float pad = ImGui::GetFontSize() * 0.35f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + size.x + pad * 2, p.y + h), ImGui::GetColorU32(look.bg), h * 0.5f);
  dl->AddText(ImVec2(p.x + pad, p.y), ImGui::GetColorU32(look.fg), text.c_str());
  ImGui::Dummy(ImVec2(size.x + pad * 2, h));
}

namespace {
// For each combo open now (begin_combo returned true, end_combo not called yet), innermost last:
// whether begin_combo pushed a row spacing.
std::vector<bool> g_combo_touch;
}  // namespace

bool begin_combo(const char* id, const char* preview) {
  // A preview wider than the box would run up to its arrow, clipped: the box grows to hold it, as
  // far as the row has room.
  const float need = combo_width_for_text(ImGui::CalcTextSize(preview, nullptr, true).x);
  const float have = ImGui::CalcItemWidth();
  if (need > have) ImGui::SetNextItemWidth(std::min(need, std::max(have, ImGui::GetContentRegionAvail().x)));
  // Tall enough for every category (11) without a scroll.
  const bool open = ImGui::BeginCombo(id, preview, ImGuiComboFlags_HeightLarge);
  label_last_item(id);
  // A choice in the list is a finger's height apart (2.75 lines: 44 CSS pixels at 16), not a line
  // of text's: on a phone rows 26 pixels apart were easily missed for their neighbour.
  if (!open) return false;
  g_combo_touch.push_back(touch_layout());
  if (g_combo_touch.back()) {
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(style.ItemSpacing.x, std::max(style.ItemSpacing.y, ImGui::GetFontSize() * 1.75f)));
  }
  return true;
}

void end_combo() {
  if (!g_combo_touch.empty()) {
    if (g_combo_touch.back()) ImGui::PopStyleVar();
    g_combo_touch.pop_back();
  }
  ImGui::EndCombo();
}

void draw_ui(App& app, FrameInfo& frame) {
  if (app.needs_sign_in()) {
    draw_sign_in(app, frame);
    return;
  }
  if (!frame.field.draft_checked) {
    // A finding form left open when the tab closed (photos and all): open it again where it was.
    frame.field.draft_checked = true;
    if (auto kept = app.kept_finding_draft()) {
      FieldFrame& ff = frame.field;
      ff.campaign = kept->campaign;
      ff.community = kept->community;
      ff.week = kept->week;
      ff.sub = 0;
      ff.finding = std::move(*kept);
      ff.finding_open = true;
      app.set_view(View::Field);
    }
  }
  begin_root("##linli", kRootFlags);
  draw_menu_bar(app, frame);
  draw_reauth_banner(app, frame);
  draw_refold(app, frame);
  draw_first_sync(app, frame);
  draw_tabs(app, frame);

  float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  // A notice longer than half the status bar (the long one after starting again)
  // gets a band of its own above the bar, wrapped, for the seconds it shows: cut off in the bar
  // it said half of what happened.
  // The last error gets one too, in red, for as long as it stands: at the end of the bar, after the
  // link, the outbox and the counts, it was cut off on a phone (请填写理由 through 由) and easy to
  // miss on a wide screen.
  frame.notice_band.clear();
  frame.band_is_error = false;
  const float bar_w = ImGui::GetContentRegionAvail().x;
  if (!app.error().empty() && !app.error_is_storage()) {
    frame.notice_band = app.error();
    frame.band_is_error = true;
    status_h += band_height(frame.notice_band);
  } else if (app.error().empty() && platform::now_ms() - app.notice_at_ms() < 6000) {
    // On a phone every notice: the bar has no room left after the link, the outbox and the counts
    // ("Recorded" was cut to "Recor"). A notice's band lies over the bottom of the screen for its
    // seconds and takes no room (notice_overlay): made room for, it shrank the page from below,
    // and what had just been tapped there slid out of view under it.
    if (std::string n = app.notice(); !n.empty() && (phone_width() || ImGui::CalcTextSize(n.c_str()).x > bar_w * 0.5f))
      frame.notice_band = std::move(n);
  }
  ImGui::BeginChild("##content", ImVec2(0, -status_h), ImGuiChildFlags_None);
  if (app.view() == View::Tickets) {
    if (std::exchange(frame.list_wanted, false) && phone_width()) app.select("");
    const bool wide = frame.css_width >= 1000.0f;
    if (wide) {
      const float detail_w = ImGui::GetContentRegionAvail().x * 0.34f;
      ImGui::BeginChild("##list", ImVec2(-detail_w, 0));
      draw_ticket_list(app, frame);
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("##detail", ImVec2(0, 0), ImGuiChildFlags_Border);
      draw_ticket_detail(app, frame);
      ImGui::EndChild();
    } else if (app.selected_ticket() && phone_width()) {
      // A phone shows the ticket on the whole screen, the way back to the list above it: half a
      // phone's height is too little to read a ticket and act on it. The list keeps its scroll.
      const std::string back = std::string(tr(app.lang(), Str::BackToList)) + "##back-to-list";
      if (ImGui::ArrowButton("##back-arrow", ImGuiDir_Left)) app.select("");
      label_last_item("##back-arrow");
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      if (ImGui::Button(back.c_str())) app.select("");
      label_last_item(back.c_str());
      if (const Ticket* t = app.selected_ticket()) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", number_of(*t));
      }
      ImGui::BeginChild("##detail", ImVec2(0, 0), ImGuiChildFlags_Border);
      if (app.selected_ticket()) draw_ticket_detail(app, frame);
      ImGui::EndChild();
    } else {
      const bool has_detail = app.selected_ticket() != nullptr;
      ImGui::BeginChild("##list", ImVec2(0, has_detail ? -ImGui::GetContentRegionAvail().y * 0.45f : 0));
      draw_ticket_list(app, frame);
      ImGui::EndChild();
      if (has_detail) {
        ImGui::BeginChild("##detail", ImVec2(0, 0), ImGuiChildFlags_Border);
        draw_ticket_detail(app, frame);
        ImGui::EndChild();
      }
    }
  } else if (app.view() == View::Intake) {
    draw_intake_form(app, frame);
  } else if (app.view() == View::HotSpots) {
    draw_hot_spots(app, frame);
  } else if (app.view() == View::Dashboard) {
    draw_dashboard(app, frame);
  } else if (app.view() == View::Field) {
    draw_field(app, frame);
  } else {
    draw_outbox(app, frame);
  }
  ImGui::EndChild();
  if (frame.band_is_error) band(frame.notice_band, ImVec4(1.0f, 0.92f, 0.92f, 1), ImVec4(0.70f, 0.10f, 0.10f, 1));
  else if (!frame.notice_band.empty()) notice_overlay(frame.notice_band);
  ImGui::Separator();
  draw_status_bar(app, frame);
  draw_sign_out_dialog(app, frame);
  ImGui::End();

  // ImGui's Metrics window, for developers only: Ctrl+Alt+D (no menu puts it before a user).
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && io.KeyAlt && ImGui::IsKeyPressed(ImGuiKey_D, false)) frame.show_metrics = !frame.show_metrics;
  if (frame.show_metrics) ImGui::ShowMetricsWindow(&frame.show_metrics);
}

void draw_fatal(const std::string& message) {
  begin_root("##fatal", ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
  ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "本地数据库无法打开 / The local database cannot be opened");
  ImGui::Spacing();
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::Spacing();
  ImGui::TextWrapped("数据未被改动。请刷新页面重试；如仍失败，请联系城运中心。 / "
                     "Nothing was changed. Reload the page to retry; if it still fails, call the centre.");
  ImGui::End();
}

}  // namespace linli::ui
