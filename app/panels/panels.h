// The app's panels: each draws one part of the screen from App's state and emits App's commands.
#pragma once

#include "app.h"

namespace linli::ui {

struct FrameInfo {
  float pixel_ratio = 1.0f;  // Device pixels per CSS pixel.
  float css_width = 0.0f;    // Window width in CSS pixels: decides compact layouts.
  bool show_metrics = false;
  View tab_shown = View::Tickets;  // Which tab the tab bar showed last frame.
  bool sign_out_asked = false;     // The sign-out dialog is to be opened.
};

void draw_menu_bar(App& app, FrameInfo& frame);
void draw_sign_out_dialog(App& app, FrameInfo& frame);
void draw_ticket_list(App& app, const FrameInfo& frame);
void draw_ticket_detail(App& app, const FrameInfo& frame);
void draw_intake_form(App& app, const FrameInfo& frame);
void draw_status_bar(App& app, const FrameInfo& frame);
void draw_first_sync(App& app, const FrameInfo& frame);
void draw_outbox(App& app, const FrameInfo& frame);
void draw_sign_in(App& app, FrameInfo& frame);
void draw_reauth_banner(App& app, const FrameInfo& frame);

}  // namespace linli::ui
