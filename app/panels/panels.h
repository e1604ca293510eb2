// The app's panels: each draws one part of the screen from App's state and emits App's commands.
#pragma once

#include <cstdint>
#include <string>

#include "app.h"

namespace linli::ui {

struct FrameInfo {
  float pixel_ratio = 1.0f;  // Device pixels per CSS pixel.
  float css_width = 0.0f;    // Window width in CSS pixels: decides compact layouts.
  bool show_metrics = false;
  View tab_shown = View::Tickets;  // Which tab the tab bar showed last frame.
  bool sign_out_asked = false;     // The sign-out dialog is to be opened.
  // The detail panel's half-made input, for the ticket detail_of.
  std::string detail_of;
  int editing = -1;                // The EditableField being edited in place, -1 none.
  std::string edit_buffer;
  bool edit_focus = false;
  std::string assign_to;           // The department chosen for 派单.
  int satisfaction = 1;            // For 回访: Satisfaction's value.
  int entry_kind = 0;              // Which kind of note the add-entry row adds.
  std::string entry_text;
  float detail_label_w = 0;        // The detail panel's label column, this frame.
  // The inbox: the search box's text (given to the filter once typing pauses), and keyboard moves.
  std::string search_text;
  int64_t search_changed_at_ms = 0;
  bool focus_search = false;
  bool scroll_to_selected = false;
  // The detail panel's request forms (退单 / 延期) and decisions.
  int request_kind = 0;  // 0 none, 1 return, 2 extension.
  std::string request_reason;
  int request_days = 3;
  // The detail panel's joint handling (联合处置, panels/co_handlers.cpp).
  std::string co_add;         // The department chosen to add as co-handler.
  std::string co_reply_text;  // A co-handler's reply being written.
};

void draw_menu_bar(App& app, FrameInfo& frame);
void draw_sign_out_dialog(App& app, FrameInfo& frame);
void draw_ticket_list(App& app, FrameInfo& frame);
void draw_ticket_detail(App& app, FrameInfo& frame);
// The detail panel's 联合处置 section: co-handlers with sub-status, replies and deadline; the
// centre adds and removes them, a co-handling department replies.
void draw_co_handlers(App& app, FrameInfo& frame);
void draw_intake_form(App& app, const FrameInfo& frame);
void draw_status_bar(App& app, const FrameInfo& frame);
void draw_first_sync(App& app, const FrameInfo& frame);
void draw_outbox(App& app, const FrameInfo& frame);
void draw_sign_in(App& app, FrameInfo& frame);
void draw_reauth_banner(App& app, const FrameInfo& frame);

}  // namespace linli::ui
