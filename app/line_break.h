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

namespace linli::ui {

// `text` with '\n' put in so that no line is wider than `width` (when it can be helped: one
// character wider than the line stands alone). Existing newlines are kept; spaces at a break are
// dropped. `advance` gives a code point's width.
std::string break_lines(std::string_view text, float width, const std::function<float(char32_t)>& advance);

}  // namespace linli::ui
