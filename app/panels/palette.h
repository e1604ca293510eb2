// The app's colours, named by what they mean, so that red, amber and blue say the same thing on
// every screen: one place to change them, none picked again by a panel of its own.
#pragma once

#include <imgui.h>

namespace linli::ui::palette {

// Text.
inline constexpr ImVec4 kInk(0.07f, 0.09f, 0.15f, 1.0f);      // Headings, figures.
inline constexpr ImVec4 kBody(0.20f, 0.22f, 0.26f, 1.0f);     // Text on a light chip or in a row.
inline constexpr ImVec4 kMuted(0.42f, 0.44f, 0.48f, 1.0f);    // What explains: labels, times, hints.
inline constexpr ImVec4 kWhite(1.0f, 1.0f, 1.0f, 1.0f);       // On a filled button or band.

// Meaning.
inline constexpr ImVec4 kGood(0.10f, 0.50f, 0.22f, 1.0f);     // Done, met, online, after.
inline constexpr ImVec4 kProblem(0.78f, 0.12f, 0.12f, 1.0f);  // Errors, refusals, overdue, urgent.
inline constexpr ImVec4 kWarn(0.72f, 0.06f, 0.20f, 1.0f);     // 预警: the centre's warning.
inline constexpr ImVec4 kAmber(0.72f, 0.40f, 0.0f, 1.0f);     // Waiting, due soon, conflicts, offline.
inline constexpr ImVec4 kRebound(0.42f, 0.27f, 0.62f, 1.0f);  // 反弹: the problem came back here.
inline constexpr ImVec4 kAccent(0.16f, 0.42f, 0.78f, 1.0f);   // Links, the next step, a chosen chip.
inline constexpr ImVec4 kAccentHover(0.86f, 0.90f, 0.97f, 1.0f);  // Behind an accent word on hover.

// Surfaces.
inline constexpr ImVec4 kChip(0.93f, 0.94f, 0.96f, 1.0f);     // A chip or toggle not chosen.
inline constexpr ImVec4 kChipHover(0.86f, 0.89f, 0.94f, 1.0f);

// The same, packed for draw lists.
inline constexpr ImU32 kCardBgU = IM_COL32(248, 250, 252, 255);
inline constexpr ImU32 kCardBorderU = IM_COL32(222, 228, 236, 255);
inline constexpr ImU32 kInkU = IM_COL32(17, 24, 39, 255);
inline constexpr ImU32 kMutedU = IM_COL32(100, 108, 120, 255);
inline constexpr ImU32 kGoodU = IM_COL32(22, 128, 61, 255);
inline constexpr ImU32 kProblemU = IM_COL32(200, 30, 45, 255);
inline constexpr ImU32 kDoneRowU = IM_COL32(226, 244, 232, 255);    // A row checked off.
inline constexpr ImU32 kMarkedRowU = IM_COL32(214, 228, 250, 255);  // A row marked for a bulk action.
inline constexpr ImU32 kTintRowU = IM_COL32(226, 236, 250, 255);    // A row or band set apart.

}  // namespace linli::ui::palette
