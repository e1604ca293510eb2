// The UI font: the CJK subset built at build time, rasterised at 18 px times the pixel ratio.
#pragma once

namespace linli::ui {

inline constexpr float kBaseFontPx = 18.0f;

// (Re)builds the font atlas for a pixel ratio; the caller re-uploads the texture.
// False when the font file is missing or unreadable (ImGui's default, ASCII only, is used).
bool build_fonts(float pixel_ratio);

}  // namespace linli::ui
