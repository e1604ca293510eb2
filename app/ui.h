// The whole screen, one frame: menu bar, view tabs, the current view, status bar.
#pragma once

#include "panels/panels.h"

namespace linli::ui {

void draw_ui(App& app, FrameInfo& frame);
// Shown instead of the app when the local database could not be opened: nothing is overwritten.
void draw_fatal(const std::string& message);

}  // namespace linli::ui
