// The UI font: the CJK subset built at build time, rasterised at 18 px times the pixel ratio, and
// the characters it lacks added from the rest of the font once the page has fetched it.
// Builds the atlas between frames only; never reads the network itself.
#pragma once

#include <string>
#include <vector>

#include "glyph_set.h"

namespace linli::ui {

inline constexpr float kBaseFontPx = 18.0f;

// One ImFont: the first font, and merged into it (same ImFont, so layout is unchanged) the
// characters noted in glyphs() that the first font lacks, from the rest of the font.
// Until the rest is there those characters show ImGui's fallback glyph.
class Fonts {
 public:
  Fonts();
  // Text about to be shown passes through here (App's text hook, typed text).
  GlyphSet& glyphs() { return m_glyphs; }
  // Whether a build would add characters: some were noted since the last build and the rest of
  // the font is at hand (`rest_ready`: the page placed it at platform::kFontRestPath).
  // Never while the first font or the rest is unreadable: no build could add them.
  bool wants_rest(bool rest_ready) const {
    return rest_ready && m_glyphs.has_new() && m_first_ok && !m_rest_unreadable;
  }
  // (Re)builds the atlas for a pixel ratio; the caller re-uploads the texture. False when the
  // first font is missing or unreadable (ImGui's default, ASCII only, is used).
  bool build(float pixel_ratio, bool rest_ready);
  // For end-to-end tests: the atlas's size, the code points added and the ones noted.
  std::string test_json() const;

 private:
  bool load_rest();
  GlyphSet m_glyphs;
  std::vector<char> m_rest;  // The rest of the font, read once; the atlas borrows it.
  bool m_rest_unreadable = false;
  bool m_first_ok = false;
  std::vector<uint16_t> m_ranges;  // What the last build asked of the rest (ImGui keeps the pointer).
  int m_builds = 0;
  double m_last_build_ms = 0;
  float m_pixel_ratio = 0;
};

}  // namespace linli::ui
