// The whole screen, one frame: menu bar, view tabs, the current view, status bar.
#pragma once

#include "panels/panels.h"

namespace linli::ui {

void draw_ui(App& app, FrameInfo& frame);
// Shown instead of the app when the local database could not be opened: nothing is overwritten.
void draw_fatal(const std::string& message);

// A phone's screen, narrower than this in CSS pixels, is worked with a finger: the style's sizes
// grow (app/main.cpp) and so do small buttons (set_touch, panels.h small_button).
inline constexpr float kTouchWidth = 600.0f;
void set_touch(bool touch);

}  // namespace linli::ui
