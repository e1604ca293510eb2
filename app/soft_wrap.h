// Soft wrapping for a text being edited: ImGui 1.90's multi-line input does not wrap, so a long
// 问题描述 ran off to the right and the dispatcher saw only its tail. The input is given the text
// with a newline put in at each line break (the "display"); these functions keep the breaks apart
// from the newlines the user typed, so the text kept is only what was typed. Pure: no ImGui; the
// caller gives each character's advance in the font and size drawn (app/line_break.h breaks).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linli::ui {

struct SoftWrap {
  std::string text;            // What the user typed.
  std::string display;         // `text` with a '\n' before each of `breaks`.
  std::vector<size_t> breaks;  // Byte offsets in `text` where a line wraps, ascending.
};

// `text` wrapped to `width` (spaces stay at the end of the line they follow: nothing is dropped).
SoftWrap soft_wrap(std::string_view text, float width, const std::function<float(char32_t)>& advance);

// Byte offset in `w.text` of a position in `w.display` (a position just after a wrap is the
// character it comes before).
size_t text_offset(const SoftWrap& w, size_t display_pos);
// Byte offset in `w.display` of a position in `w.text`; at a wrap, the start of the next line.
size_t display_offset(const SoftWrap& w, size_t text_pos);

// Where the input's cursor was and went: the cursor before an edit, where the edit could start
// (the selection's start, or the cursor), and the cursor after it (the end of what was typed).
struct EditCarets {
  size_t cursor_before, edit_from;  // Offsets in the display before the edit.
  size_t cursor_after;              // Offset in the edited display.
};

// The input edited `w.display` into `edited` (one edit or several in one frame). What the user's
// text is now, and where each of `positions` (offsets in `edited`: cursor, selection) falls in it.
// The part of `edited` that differs from `w.display` is all the user's; the same parts before and
// after it keep their wraps, which are taken out. The changed part is taken to lie between the
// carets (`edit_from` .. `cursor_after`) where it can, so a newline typed beside a wrap is the
// user's. A wrap deleted alone (Backspace at the start of a wrapped line, Delete at the end of
// one, no selection) deletes the character before it or after it instead, as in any editor.
std::string unwrap_edit(const SoftWrap& w, std::string_view edited, const EditCarets& carets,
                        std::vector<size_t>& positions);

// Undo and redo of a wrapped input, kept on the typed text. ImGui's own undo records offsets in
// the display, which move whenever the text wraps again, so its Ctrl+Z deleted the wrong
// characters; the input turns it off and keeps this one instead. Typing that goes on in one
// direction (adding or deleting) without a pause is one step, as in any editor.
class EditHistory {
 public:
  struct Step {
    std::string text;
    size_t cursor = 0;  // Byte offset in `text`.
  };
  static constexpr size_t kMostSteps = 200;
  static constexpr double kPause = 1.0;  // Seconds of no typing that end a step.

  // The text went from `before` (the cursor at `cursor_before`) to `after` at time `now` (seconds).
  void edited(const std::string& before, size_t cursor_before, const std::string& after, double now);
  // The text to go back to from `current` (nullopt: nothing to undo); `current` can be redone.
  std::optional<Step> undo(const std::string& current, size_t cursor);
  std::optional<Step> redo(const std::string& current, size_t cursor);
  // The text was replaced from outside (a draft restored, the form cleared): no way back across it.
  void clear();
  bool can_undo() const { return !m_undo.empty(); }
  bool can_redo() const { return !m_redo.empty(); }

 private:
  std::vector<Step> m_undo, m_redo;
  double m_last_edit = -1e9;
  int m_direction = 0;  // +1 adding, -1 deleting, 0: the next edit starts a step.
};

}  // namespace linli::ui
