// The seam between the app and where it runs. The browser implementation is platform_web.cpp;
// the UI code calls only this header, so no #ifdef __EMSCRIPTEN__ appears outside this folder.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "client/http.h"
#include "store/page_vfs.h"

struct GLFWwindow;

namespace linli::platform {

// Where the replica's database lives, and the VFS whose page sink makes it durable.
inline constexpr const char* kDatabasePath = "/data/linli.db";
inline constexpr const char* kDatabaseVfs = "linli-idb";
// The CJK font, placed by the page before main() runs.
inline constexpr const char* kFontPath = "/fonts/linli-cjk.ttf";
// The rest of the CJK font (what the first one lacks), placed by the page after the first frame.
inline constexpr const char* kFontRestPath = "/fonts/linli-cjk-rest.ttf";

// Registers the page VFS whose sink writes changed pages to durable storage (IndexedDB).
Result<void> install_durable_storage();
// Writes handed to durable storage and not yet confirmed: the UI says "saving" while > 0.
int pending_durable_writes();
// The last durable-storage failure, empty if none.
std::string durable_storage_error();

// Runs `frame` once per display refresh, forever.
void run_main_loop(std::function<void()> frame);

// Canvas size in device pixels and the device pixel ratio, read each frame.
struct Display {
  int width = 0;
  int height = 0;
  float pixel_ratio = 1.0f;
};
Display read_display();
// Makes the drawing buffer match the display.
void apply_display(const Display& d);

// Chinese and other composed input. While `active`, a hidden text field at (x, y) in device
// pixels holds the keyboard focus so the input method can compose; its text arrives through
// take_text_input().
void update_text_input(bool active, float x, float y, float line_height);
std::string take_text_input();
// Clipboard: what the last paste brought, and a copy out to the system clipboard.
void set_clipboard_text(const char* text);

int64_t now_ms();
// A monotonic clock in fractions of a millisecond, for measuring (performance.now()).
double precise_now_ms();
void fill_random(uint8_t* out, size_t n);
// Whether the sync server answered its last health check (every 10 s, and when the network returns).
bool is_online();
// True once after the browser said the network came back ('online' event): worth trying at once.
bool take_network_back();
// Another tab of the app took the local store over: this one must stop before it writes again.
bool store_taken_over();
// Stops calling the frame function for good.
void stop_main_loop();

// Sends a request to the sync server (the page's own origin, Emscripten Fetch API). Never blocks:
// `done` runs later, between frames, with the answer (status 0 when none came).
void http_send(app::HttpRequest request, app::HttpDone done);
// Bytes of the body of the PUT out to `path` sent so far (the browser's upload progress events);
// -1 when no such request is out.
int64_t http_sent_bytes(const std::string& path);
// Bytes of the answer to the GET out to `path` come so far, and in `total` its length (-1 when not
// told); -1 when no such request is out. Only downloads to a file (HttpRequest::save_to) count.
int64_t http_received_bytes(const std::string& path, int64_t* total);
// Deletes this device's data (the IndexedDB database) and reloads the page. Does not return in the
// browser; nothing is written after it is called.
void wipe_local_data_and_reload();

// Hands `bytes` to the user as a file named `name` (the page: a Blob, an object URL and a click on
// an <a download>), e.g. the monthly report's CSV.
void download_file(const std::string& name, const std::string& mime, const std::string& bytes);
// Fetches `path` from the sync server with the bearer token and opens the answer in a new window
// (the print version of a report): the token goes in the request's header, never in a URL.
// False when the browser opened no window (a pop-up blocker): the caller says so.
bool open_authorized_page(const std::string& path, const std::string& token);
// Calls `number` (a tel: link: the phone's dialler, or a desktop's calling app).
void dial(const std::string& number);

// ---- Photos (app/photos.h). Opens the page's file chooser for one picture (the rear camera on a
// phone: accept="image/*" capture="environment"). Call it in the frame that handled the user's
// click: the page still holds the click's user activation then. The page scales the picture to at
// most kPhotoMaxSide px on its longest side, compresses it to JPEG (quality 0.8) and hands it back;
// take_chosen_photo() gives it once (error set, bytes empty, when it could not be read).
inline constexpr int kPhotoMaxSide = 1600;
struct ChosenPhoto {
  std::string bytes;
  int width = 0;
  int height = 0;
  std::string error;
};
void choose_photo();
std::optional<ChosenPhoto> take_chosen_photo();
// A chosen photo is being read and scaled by the page.
bool photo_processing();
// The photo handed back last was stored (its size in bytes): the page times choice to durable.
void photo_saved(int64_t size);
// A photo decoded into a texture the UI draws (ImTextureID), by key (its SHA-256 and size).
// decode_photo starts it once, scaled to at most max_side px on its longest side (0: as it is:
// thumbnails are decoded small, so a ticket of many photos costs little to draw); photo_texture
// says how far it is. release_photo_textures frees them all.
struct PhotoTexture {
  enum class State { None, Decoding, Ready, Failed };
  State state = State::None;
  unsigned id = 0;
  int width = 0;
  int height = 0;
};
void decode_photo(const std::string& key, const std::string& bytes, const std::string& type, int max_side);
PhotoTexture photo_texture(const std::string& key);
void release_photo_textures();

// Small persistent settings (the UI language).
std::string load_setting(const char* key);
void save_setting(const char* key, const std::string& value);

// Tells the page a frame with the CJK font was drawn (first time only: page-load metric); the
// page then fetches the rest of the font.
void mark_first_frame();
// A frame was made: the main thread's milliseconds for it, from input to the draw calls, of
// those the UI's (ImGui's new frame to its draw lists built, the store's reads included), and
// whether it was drawn (false: it showed what the canvas already shows, renderer.h).
void note_frame(double ms, double ui_ms, bool drawn);
// The page has placed the rest of the font at kFontRestPath (from the network or, offline, from
// the service worker's cache). Asked every frame: cheap.
bool font_rest_ready();
// End-to-end tests ask the page for JSON: the labelled items of the last frame and the app's
// state. These providers answer; they run between frames.
void set_test_providers(std::function<std::string()> items_json, std::function<std::string()> state_json);
// ... and the font atlas: what it holds of the characters noted on screen (fonts.h).
void set_test_fonts_provider(std::function<std::string()> fonts_json);
// Benchmarks make one edit from inside the page (bench/browser_persist.mjs): this does it.
void set_bench_edit(std::function<bool()> edit);
// ... and compute a month's report afresh (bench/browser_report.mjs): the tickets it counted.
void set_bench_report(std::function<int(int year, int month)> compute);
// ... and read what the inbox shows on top without reading the store (bench/browser_inbox.mjs).
void set_bench_probe(std::function<std::string()> probe);

}  // namespace linli::platform
