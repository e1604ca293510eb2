// Line breaking for text wrapped on screen, as Chinese typesetting does it (避头尾): a line never
// starts with closing punctuation (，。、；：？！）》」』”’…) and never ends with opening
// punctuation (（《「『“‘); Chinese text breaks between any two characters, Latin words and
// numbers only at spaces (a word longer than the line is cut), a number stays with the character
// after it (927弄, 102只), and a date with its time ("2026-12-04 04:13"). ImGui's own wrapping breaks a run of
// Chinese wherever it overflows, so a lone "。" could open a line. Pure: no ImGui; the caller gives
// each character's advance in the font and size drawn.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace linli::ui {

// Where `text` breaks into lines no wider than `width`: each cut ends a line at byte `end` and starts
// the next at byte `next`. Dropping spaces (keep_spaces false), `end` is before the spaces at the
// break and `next` after them; keeping them, the spaces end the line and `end` == `next`. Existing
// newlines are no cuts: a line starts after each.
struct LineCut {
  size_t end, next;
};
std::vector<LineCut> line_cuts(std::string_view text, float width, const std::function<float(char32_t)>& advance,
                               bool keep_spaces);

// `text` with '\n' put in so that no line is wider than `width` (when it can be helped: one
// character wider than the line stands alone). Existing newlines are kept; spaces at a break are
// dropped. `advance` gives a code point's width.
std::string break_lines(std::string_view text, float width, const std::function<float(char32_t)>& advance);

}  // namespace linli::ui
