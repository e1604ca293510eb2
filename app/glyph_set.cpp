// GlyphSet: a bit per BMP code point (8 KB), so noting text costs a bit test per character and
// nothing for ASCII.
#include "glyph_set.h"

#include <algorithm>

namespace linli::ui {
namespace {

// Decodes one UTF-8 sequence at s[i], advancing i. Returns 0 for a malformed one (i moves on by a
// byte), so a broken string costs a few fallback glyphs and never a loop.
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i++]);
  if (b0 < 0x80) return b0;
  const int extra = (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : 0;
  if (extra == 0) return 0;  // A continuation byte, or no UTF-8 lead byte.
  uint32_t cp = b0 & (0x3F >> extra);
  if (i + extra > s.size()) return 0;
  for (int k = 0; k < extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  i += extra;
  return cp;
}

}  // namespace

GlyphSet::GlyphSet(const uint16_t* first_font_ranges) {
  // Control characters (C0, DEL, C1) are never drawn.
  for (uint32_t c = 0; c < 0x20; ++c) m_known.set(c);
  for (uint32_t c = 0x7F; c < 0xA0; ++c) m_known.set(c);
  for (const uint16_t* r = first_font_ranges; r && r[0] != 0; r += 2)
    for (uint32_t c = r[0]; c <= r[1]; ++c) m_known.set(c);
}

void GlyphSet::note(std::string_view utf8) {
  for (size_t i = 0; i < utf8.size();) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      ++i;  // ASCII is in the first font.
      continue;
    }
    const uint32_t cp = next_code_point(utf8, i);
    if (cp == 0 || cp > 0xFFFF || m_known.test(cp)) continue;
    if (m_noted.size() >= kMaxNoted) return;
    m_known.set(cp);
    m_noted.push_back(static_cast<uint16_t>(cp));
    m_new = true;
  }
}

const std::vector<uint16_t>& GlyphSet::take_ranges() {
  std::vector<uint16_t> sorted = m_noted;
  std::sort(sorted.begin(), sorted.end());
  m_ranges.clear();
  for (const uint16_t c : sorted) {
    if (!m_ranges.empty() && m_ranges.back() + 1 == c) m_ranges.back() = c;
    else m_ranges.insert(m_ranges.end(), {c, c});
  }
  m_ranges.push_back(0);
  m_new = false;
  return m_ranges;
}

}  // namespace linli::ui
