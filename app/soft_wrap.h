// Soft wrapping for a text being edited: ImGui 1.90's multi-line input does not wrap, so a long
// 问题描述 ran off to the right and the dispatcher saw only its tail. The input is given the text
// with a newline put in at each line break (the "display"); these functions keep the breaks apart
// from the newlines the user typed, so the text kept is only what was typed. Pure: no ImGui; the
// caller gives each character's advance in the font and size drawn (app/line_break.h breaks).
#pragma once

#include <cstddef>
#include <functional>
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

}  // namespace linli::ui
