// The characters text on screen needs beyond the first font, so the font atlas can add them from
// the rest of the font (fonts.h). Pure: no ImGui, no I/O. Code points are ImGui's 16-bit ones.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace linli::ui {

class GlyphSet {
 public:
  // At most this many characters are added: it bounds the atlas (the first font holds about
  // 4,100 glyphs; 18 px, 1024 x 2048). Names and addresses need a few dozen.
  static constexpr size_t kMaxNoted = 2048;

  // `first_font_ranges`: what the first font holds, as ImGui glyph ranges (pairs of first and last
  // code point, then 0).
  explicit GlyphSet(const uint16_t* first_font_ranges);

  // Notes each code point of `utf8` that the first font lacks. Control characters, malformed
  // bytes and code points beyond the BMP are skipped; past kMaxNoted nothing more is noted.
  void note(std::string_view utf8);
  // Something was noted since the last take_ranges().
  bool has_new() const { return m_new; }
  // Every code point noted so far as ImGui glyph ranges (pairs, then 0), for a build of the atlas;
  // afterwards has_new() is false. The vector stays valid until the next call.
  const std::vector<uint16_t>& take_ranges();
  // The code points noted so far, in the order they were first seen.
  const std::vector<uint16_t>& noted() const { return m_noted; }

 private:
  std::bitset<0x10000> m_known;  // In the first font, or noted.
  std::vector<uint16_t> m_noted;
  std::vector<uint16_t> m_ranges;
  bool m_new = false;
};

}  // namespace linli::ui
