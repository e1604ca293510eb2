// Linli's browser app: opens the replica's store, sets up GLFW, WebGL2 and ImGui, draws frames.
// Everything specific to the browser goes through platform/platform.h.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_impl_glfw.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/html5.h>
#endif

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "app.h"
#include "fonts.h"
#include "platform/platform.h"
#include "platform/renderer.h"
#include "test_hook.h"
#include "ui.h"

namespace {

#ifdef __EMSCRIPTEN__
// The wheel, as ImGui's GLFW backend reads it (100 pixels, 3 lines or 1/80 page a step), but heard
// on the canvas: the backend listens on the document, where Chromium makes a wheel listener passive,
// so its preventDefault logged "Unable to preventDefault inside passive event listener" at every
// notch (dozens of console errors a session, burying real ones).
EM_BOOL wheel_on_canvas(int, const EmscriptenWheelEvent* ev, void*) {
  const float step = ev->deltaMode == DOM_DELTA_PIXEL  ? 1.0f / 100.0f
                     : ev->deltaMode == DOM_DELTA_LINE ? 1.0f / 3.0f
                     : ev->deltaMode == DOM_DELTA_PAGE ? 80.0f
                                                       : 0.0f;
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(ev->deltaX) * -step, static_cast<float>(ev->deltaY) * -step);
  return EM_TRUE;
}
#endif

using namespace linli;

// The sync server, as the app sees it: requests through the browser, its clock and randomness.
class PlatformTransport : public app::Transport {
 public:
  void send(app::HttpRequest request, app::HttpDone done) override { platform::http_send(std::move(request), std::move(done)); }
  int64_t now_ms() override { return platform::now_ms(); }
  int64_t sent_bytes(const std::string& path) override { return platform::http_sent_bytes(path); }
  Received received_bytes(const std::string& path) override {
    Received r;
    r.got = platform::http_received_bytes(path, &r.total);
    return r;
  }
  double random01() override {
    uint32_t r = 0;
    platform::fill_random(reinterpret_cast<uint8_t*>(&r), sizeof r);
    return static_cast<double>(r) / 4294967296.0;
  }
};

struct Runtime {
  PlatformTransport transport;
  GLFWwindow* window = nullptr;
  std::optional<ui::App> app;
  std::string fatal;  // Why the store could not be opened; the app is not started then.
  ui::FrameInfo frame;
  ui::Fonts fonts;
  float built_for_ratio = 0.0f;
  float styled_for_ratio = 0.0f;  // The style's sizes (follow_style): for this ratio,
  bool styled_for_touch = false;  // and the phone's.
  bool font_ok = false;
  int64_t fonts_built_ms = 0;
  uint64_t noted_revision = ~uint64_t{0};
  bool first_frame_marked = false;
  ImGuiStyle base_style;
  // Idle frames are skipped: a frame is drawn after input, a change of the app or of the display,
  // a durable write starting or ending, and twice a second for clocks and countdowns; then a few
  // more so hover and animations settle. The browser's main thread stays free for IndexedDB and
  // the network while nothing happens.
  int frames_left = 3;
  int64_t last_draw_ms = 0;
  uint64_t drawn_revision = ~uint64_t{0};
  int drawn_pending = -1;
  int drawn_width = 0, drawn_height = 0;
  uint64_t drawn_layout = 0;  // The windows' sizes and content sizes as last drawn.
  bool wanted_text = false;
  ImGuiPlatformImeData ime;
};

Runtime g_rt;

void set_ime_data(ImGuiViewport*, ImGuiPlatformImeData* data) { g_rt.ime = *data; }
const char* get_clipboard(void*) { return ""; }  // Pasted text arrives as input characters.
void set_clipboard(void*, const char* text) { platform::set_clipboard_text(text); }

void setup_style() {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 0;
  s.FrameRounding = 4;
  s.GrabRounding = 4;
  s.TabRounding = 4;
  s.FramePadding = ImVec2(8, 5);
  s.ItemSpacing = ImVec2(10, 8);
  s.CellPadding = ImVec2(6, 4);
  s.DisabledAlpha = 0.45f;
  // Inputs, boxes and radio buttons are white: a thin grey edge keeps them visible on a white
  // dialog and an unticked box or radio button visible at all.
  s.FrameBorderSize = 1.0f;
  s.Colors[ImGuiCol_Border] = ImVec4(0.78f, 0.80f, 0.84f, 1);  // A step that may not be taken reads as such at a glance (0.6 is close to enabled).
  s.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1);
  // A list that opens over the form hides it: the text under it showed through (0.98) and mixed
  // with the choices.
  s.Colors[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 1);
  // Rows, selectables and menus: a selected or hovered row stays a light tint, so the red of an
  // overdue deadline or an urgent ticket and the status pills keep their contrast on it (the light
  // style's hover is a saturated blue, under which red text all but disappears).
  s.Colors[ImGuiCol_Header] = ImVec4(0.75f, 0.85f, 0.97f, 1);
  s.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.91f, 0.94f, 0.99f, 1);  // Lighter than a marked row (panels/palette.h).
  s.Colors[ImGuiCol_HeaderActive] = ImVec4(0.68f, 0.80f, 0.96f, 1);
  g_rt.base_style = s;
}

// Fonts and sizes follow the device pixel ratio: ImGui works in device pixels. The atlas is
// built again, between frames, when characters the first font lacks were noted and the rest of
// the font is at hand: at most every 250 ms, so text pouring in costs one build, not one a frame.
void follow_fonts(float ratio, int64_t now) {
  const bool ratio_changed = ratio != g_rt.built_for_ratio;
  const bool rest_ready = platform::font_rest_ready();
  const bool add = g_rt.fonts.wants_rest(rest_ready) && now - g_rt.fonts_built_ms >= 250;
  if (!ratio_changed && !add) return;
  g_rt.font_ok = g_rt.fonts.build(ratio, rest_ready);
  g_rt.fonts_built_ms = now;
  platform::renderer::destroy_fonts_texture();
  platform::renderer::create_fonts_texture();
  if (ratio_changed) g_rt.built_for_ratio = ratio;
  g_rt.frames_left = std::max(g_rt.frames_left, 1);  // Draw what the new glyphs show.
}

// A phone's screen (narrower than ui::kTouchWidth CSS pixels) is worked with a finger, often a field
// worker's on the move: buttons, inputs, boxes and combos get taller (about 36 CSS pixels, not 26)
// and a little more room between rows, so a tap lands on what it aims at. Sizes follow the device
// pixel ratio too.
void follow_style(float ratio, float css_width) {
  const bool touch = css_width > 0 && css_width < ui::kTouchWidth;
  if (ratio == g_rt.styled_for_ratio && touch == g_rt.styled_for_touch) return;
  ImGuiStyle s = g_rt.base_style;
  if (touch) {
    s.FramePadding.y = 10;
    s.ItemSpacing.y = 10;
    s.GrabMinSize = 16;
  }
  s.ScaleAllSizes(ratio);
  ImGui::GetStyle() = s;
  g_rt.styled_for_ratio = ratio;
  g_rt.styled_for_touch = touch;
  ui::set_touch(touch);
  g_rt.frames_left = std::max(g_rt.frames_left, 1);
}

// Text that reaches the screen without being read from the store passes through the glyph set:
// the signed-in user's name and scope, the device's other owner, notices and errors.
void note_app_text(ui::App& app) {
  ui::GlyphSet& g = g_rt.fonts.glyphs();
  if (const app::Session* s = app.session()) {
    g.note(s->display_name);
    g.note(s->scope);
  }
  g.note(app.sign_in_form().other_owner);
  g.note(app.notice());
  g.note(app.error());
}

void frame() {
  if (platform::store_taken_over()) {
    // Another tab owns the store: nothing more from this one (web/linli.js shows why).
    g_rt.app.reset();
    platform::stop_main_loop();
    return;
  }
  const platform::Display d = platform::read_display();
  platform::apply_display(d);
  follow_fonts(d.pixel_ratio, platform::now_ms());
  follow_style(d.pixel_ratio, static_cast<float>(d.width) / d.pixel_ratio);

  ImGuiIO& io = ImGui::GetIO();
  const std::string typed = platform::take_text_input();
  if (!typed.empty()) {
    io.AddInputCharactersUTF8(typed.c_str());
    g_rt.fonts.glyphs().note(typed);
  }
  if (g_rt.app && platform::take_network_back()) g_rt.app->sync_now();
  if (g_rt.app) g_rt.app->tick();

  const int64_t now = platform::now_ms();
  const uint64_t revision = g_rt.app ? g_rt.app->revision() : 0;
  if (g_rt.app && revision != g_rt.noted_revision) {
    note_app_text(*g_rt.app);
    g_rt.noted_revision = revision;
  }
  const int pending = platform::pending_durable_writes();
  const bool input = !typed.empty() || ImGui::GetCurrentContext()->InputEventsQueue.Size > 0 || g_rt.wanted_text ||
                     d.width != g_rt.drawn_width || d.height != g_rt.drawn_height || !g_rt.first_frame_marked;
  // A change of data (a sync answer taken, a write made durable) is one frame, at most ten a
  // second: during a first sync the main thread belongs to the pulls, not to redrawing the list.
  const bool changed = (revision != g_rt.drawn_revision || pending != g_rt.drawn_pending) && now - g_rt.last_draw_ms >= 100;
  if (input) g_rt.frames_left = 3;
  else if (changed || now - g_rt.last_draw_ms >= 500) g_rt.frames_left = std::max(g_rt.frames_left, 1);
  if (g_rt.frames_left <= 0) return;
  --g_rt.frames_left;
  const double drawn_from = platform::precise_now_ms();
  g_rt.last_draw_ms = now;
  g_rt.drawn_revision = revision;
  if (g_rt.app) g_rt.app->note_drawn(revision);
  g_rt.drawn_pending = pending;
  g_rt.drawn_width = d.width;
  g_rt.drawn_height = d.height;

  ImGui_ImplGlfw_NewFrame();
  io.DisplaySize = ImVec2(static_cast<float>(d.width), static_cast<float>(d.height));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  ImGui::NewFrame();

  g_rt.frame.pixel_ratio = d.pixel_ratio;
  g_rt.frame.css_width = static_cast<float>(d.width) / d.pixel_ratio;
  if (g_rt.app) ui::draw_ui(*g_rt.app, g_rt.frame);
  else ui::draw_fatal(g_rt.fatal);

  ImGui::Render();
  const double built_at = platform::precise_now_ms();
  // A window fits what it held on the frame before (a popup that gained a row grows on the next
  // frame): while any window's size or the extent of what it drew moves, one more frame, so
  // nothing stays cut off until the next clock tick.
  uint64_t layout = 1469598103934665603ull;
  for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->Active)
      for (const float v : {w->Size.x, w->Size.y, w->DC.CursorMaxPos.x - w->DC.CursorStartPos.x,
                            w->DC.CursorMaxPos.y - w->DC.CursorStartPos.y})
        layout = (layout ^ static_cast<uint64_t>(static_cast<int64_t>(v))) * 1099511628211ull;
  if (layout != g_rt.drawn_layout) g_rt.frames_left = std::max(g_rt.frames_left, 1);
  g_rt.drawn_layout = layout;
  ui::end_test_hook_frame();
  // The root window draws no background (ui.cpp): the clear is its background.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const float background[4] = {bg.x, bg.y, bg.z, 1.0f};
  const bool drawn = platform::renderer::render(ImGui::GetDrawData(), d.width, d.height, background);

  platform::note_frame(platform::precise_now_ms() - drawn_from, built_at - drawn_from, drawn);
  g_rt.wanted_text = io.WantTextInput;  // A caret blinks: keep drawing while typing.
  platform::update_text_input(io.WantTextInput, g_rt.ime.InputPos.x, g_rt.ime.InputPos.y, g_rt.ime.InputLineHeight);
  if (!g_rt.first_frame_marked && g_rt.font_ok) {
    platform::mark_first_frame();
    g_rt.first_frame_marked = true;
  }
}

void open_store() {
  if (auto r = platform::install_durable_storage(); !r) {
    g_rt.fatal = r.error().detail;
    return;
  }
  // A page cache of 32 MiB, not SQLite's 2 MiB: the pages a search or a sort reads (the search
  // index's entries, the sort's index) stay in memory from one command to the next. Each page
  // missed is read again through Emscripten's file system (a call into JavaScript) and parsed
  // again: at 100,000 tickets a search's frame took 60-90 ms with 2 MiB, 27 ms with 32 MiB
  // (docs/benchmarks.md).
  constexpr int kCachePages = 8192;
  auto store = Store::open(platform::kDatabasePath,
                           {.durability = Durability::PageSink, .vfs = platform::kDatabaseVfs, .cache_pages = kCachePages});
  if (!store) {
    g_rt.fatal = store.error().detail;
    return;
  }
  g_rt.app.emplace(std::move(store).value(), g_rt.transport);
  g_rt.app->set_text_seen([](std::string_view text) { g_rt.fonts.glyphs().note(text); });
}

}  // namespace

int main() {
  open_store();
  if (!glfwInit()) {
    std::fprintf(stderr, "linli: glfwInit failed\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // An opaque canvas with no depth or stencil buffer: ImGui uses neither, the page composites
  // the canvas without blending it over what lies behind, and no buffer is cleared for nothing.
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  const platform::Display d = platform::read_display();
  g_rt.window = glfwCreateWindow(d.width > 0 ? d.width : 1280, d.height > 0 ? d.height : 800, "Linli", nullptr, nullptr);
  if (!g_rt.window) {
    std::fprintf(stderr, "linli: no WebGL2 context\n");
    return 1;
  }
  glfwMakeContextCurrent(g_rt.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // Layout is code; nothing to persist.
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.SetPlatformImeDataFn = set_ime_data;
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  setup_style();
  ImGui_ImplGlfw_InitForOpenGL(g_rt.window, true);
#ifdef __EMSCRIPTEN__
  emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
  emscripten_set_wheel_callback("#canvas", nullptr, false, wheel_on_canvas);
#endif
  glfwSetCharCallback(g_rt.window, nullptr);  // Text comes from the IME textarea, or ASCII arrives twice.
  if (!platform::renderer::init()) return 1;
  ui::install_test_hook();

  platform::set_test_providers([] { return ui::test_items_json(g_rt.frame.pixel_ratio); },
                               [] { return g_rt.app ? g_rt.app->state_json() : std::string("{\"fatal\":true}"); });
  platform::set_test_fonts_provider([] { return g_rt.fonts.test_json(); });
  platform::set_bench_edit([] {
    if (!g_rt.app || g_rt.app->inbox_total() == 0) return false;
    if (!g_rt.app->selected_ticket()) g_rt.app->select(g_rt.app->inbox_row(0)->id);
    return g_rt.app->add_entry(EntryKind::Comment, "基准测试：一条备注");
  });
  platform::set_bench_report([](int year, int month) {
    if (!g_rt.app) return -1;
    g_rt.app->forget_dashboard();
    const ui::Dashboard* d = g_rt.app->dashboard(year, month);
    return d ? d->report.received : -1;
  });
  platform::set_bench_probe([] {
    // The ticket the inbox shows on top, from what is already read ("-" while nothing is).
    const InboxRow* top = g_rt.app ? g_rt.app->inbox_row_read(0) : nullptr;
    return top ? top->id : std::string("-");
  });
  platform::run_main_loop(frame);
  return 0;
}
