// The browser platform: Emscripten, the canvas, and the JS glue in web/linli.js (window.Linli).
// JS owns IndexedDB, the hidden IME textarea and the clipboard; C++ asks and is told through here.
#include "platform/platform.h"

#include <emscripten.h>
#include <emscripten/fetch.h>
#include <emscripten/html5.h>
#include <sys/random.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace linli::platform {
namespace {

// ---- JS side (web/linli.js defines window.Linli) ---------------------------------------------

// web/linli.js reads the pages out of the file in Emscripten's file system (IndexedDbSink::reads_pages).
EM_JS(void, js_persist_pages, (const char* file, double size, const uint32_t* indexes, int count, int page_size), {
  Linli.storage.persistPages(UTF8ToString(file), size, HEAPU32.subarray(indexes >> 2, (indexes >> 2) + count), page_size);
});
EM_JS(int, js_pending_writes, (), { return Linli.storage.pending; });
EM_JS(char*, js_storage_error, (), {
  const s = Linli.storage.error;
  if (!s) return 0;  // Asked every frame: no allocation while all is well.
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_update_text_input, (int active, double x, double y, double h), {
  Linli.ime.update(!!active, x, y, h);
});
EM_JS(char*, js_take_text_input, (), {
  const s = Linli.ime.take();
  if (!s) return 0;
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_set_clipboard, (const char* text), { Linli.ime.copy(UTF8ToString(text)); });
EM_JS(int, js_is_online, (), { return Linli.net.reachable ? 1 : 0; });
EM_JS(int, js_take_network_back, (), {
  const back = Linli.net.back;
  Linli.net.back = false;
  return back ? 1 : 0;
});
EM_JS(int, js_store_taken_over, (), { return Linli.owner.lost ? 1 : 0; });
EM_JS(char*, js_load_setting, (const char* key), {
  let s = null;
  try { s = localStorage.getItem("linli." + UTF8ToString(key)); } catch (e) {}
  if (s === null) return 0;
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_save_setting, (const char* key, const char* value), {
  try { localStorage.setItem("linli." + UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
// A GET whose 200 body goes straight into a file of Emscripten's file system (HttpRequest::save_to):
// read as it comes into one buffer of the answer's length, which becomes the file's contents
// (canOwn), copied neither into the heap nor again; what came so far is counted for the progress
// bar (js_received_bytes). Any other answer's text is kept for linli_file_fetched to take
// (js_take_fetched_text).
EM_JS(void, js_fetch_to_file, (int id, const char* url, const char* token, const char* file, int timeout_ms), {
  const path = UTF8ToString(file);
  const t = UTF8ToString(token);
  const where = UTF8ToString(url);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeout_ms);
  const finish = (status, text, date) => {
    clearTimeout(timer);
    Linli.net.received.delete(where);
    Linli.fetchedText = text || '';
    Module._linli_file_fetched(id, status, date || 0);
  };
  Linli.net.received.set(where, [0, -1]);
  fetch(where, { headers: t ? { Authorization: 'Bearer ' + t } : {}, signal: ctl.signal, cache: 'no-store' })
    .then(async (r) => {
      const date = Date.parse(r.headers.get('date') || '') || 0;
      if (r.status !== 200) return finish(r.status, await r.text(), date);
      const total = Number(r.headers.get('content-length'));
      let bytes;
      if (r.body && total > 0 && !r.headers.get('content-encoding')) {
        bytes = new Uint8Array(total);
        const reader = r.body.getReader();
        let got = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (got + value.length > total) throw new Error('longer than its Content-Length');
          bytes.set(value, got);
          got += value.length;
          Linli.net.received.set(where, [got, total]);
        }
        if (got !== total) throw new Error('shorter than its Content-Length');
      } else {
        bytes = new Uint8Array(await r.arrayBuffer());
      }
      FS.writeFile(path, bytes, { canOwn: true });
      finish(200, '', date);
    })
    .catch(() => finish(0, '', 0));
});
EM_JS(char*, js_take_fetched_text, (), {
  const s = Linli.fetchedText || '';
  Linli.fetchedText = '';
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_mark_first_frame, (), { Linli.metrics.markFirstFrame(); });
EM_JS(void, js_note_frame, (double ms, double ui_ms, int drawn), { Linli.metrics.noteFrame(ms, ui_ms, drawn); });
EM_JS(int, js_font_rest_ready, (), { return Linli.fonts.restReady ? 1 : 0; });
EM_JS(double, js_parse_http_date, (const char* text), {
  const t = Date.parse(UTF8ToString(text));
  return isNaN(t) ? 0 : t;
});
EM_JS(void, js_wipe_and_reload, (), { Linli.wipeAndReload(); });
EM_JS(void, js_download, (const char* name, const char* mime, const char* bytes, double size), {
  Linli.files.download(UTF8ToString(name), UTF8ToString(mime), HEAPU8.slice(bytes, bytes + size));
});
EM_JS(int, js_open_authorized, (const char* path, const char* token), {
  return Linli.files.openAuthorized(UTF8ToString(path), UTF8ToString(token)) ? 1 : 0;
});

EM_JS(void, js_dial, (const char* number), { Linli.files.dial(UTF8ToString(number)); });
EM_JS(double, js_sent_bytes, (const char* path), { return Linli.net.sentBytes(UTF8ToString(path)); });
EM_JS(double, js_received_bytes, (const char* path, double* total), {
  const r = Linli.net.received.get(UTF8ToString(path)) || [-1, -1];
  HEAPF64[total >> 3] = r[1];
  return r[0];
});
EM_JS(void, js_choose_photo, (), { Linli.photos.choose(); });
EM_JS(int, js_photo_processing, (), { return Linli.photos.busy ? 1 : 0; });
EM_JS(void, js_photo_saved, (double size), { Linli.photos.saved(size); });
// Decodes a photo off the main thread's frame (createImageBitmap) and uploads it into a WebGL
// texture registered with Emscripten's GL object table, so its id is an ImTextureID the ImGui
// renderer binds like its own. The texture binding is put back as it was.
EM_JS(void, js_decode_photo, (const char* key, const uint8_t* bytes, double size, const char* type, int max_side), {
  const k = UTF8ToString(key);
  const blob = new Blob([HEAPU8.slice(bytes, bytes + size)], { type: UTF8ToString(type) });
  const textures = Linli.photos.textures;
  textures.set(k, { state: 1, id: 0, w: 0, h: 0 });
  createImageBitmap(blob).then((whole) => {
    const long = Math.max(whole.width, whole.height);
    if (max_side <= 0 || long <= max_side) return whole;
    const o = whole.width >= whole.height ? { resizeWidth: max_side, resizeQuality: 'high' }
                                          : { resizeHeight: max_side, resizeQuality: 'high' };
    return createImageBitmap(whole, o).finally(() => whole.close());
  }).then((bitmap) => {
    const gl = GLctx;
    const tex = gl.createTexture();
    const id = GL.getNewId(GL.textures);
    tex.name = id;
    GL.textures[id] = tex;
    const prev = gl.getParameter(gl.TEXTURE_BINDING_2D);
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    gl.bindTexture(gl.TEXTURE_2D, prev);
    textures.set(k, { state: 2, id: id, w: bitmap.width, h: bitmap.height });
    bitmap.close();
  }).catch((e) => {
    console.warn('linli: a photo could not be decoded:', e);
    textures.set(k, { state: 3, id: 0, w: 0, h: 0 });
  });
});
// state, id, width, height of a photo's texture into out[4].
EM_JS(void, js_photo_texture, (const char* key, int* out), {
  const t = Linli.photos.textures.get(UTF8ToString(key));
  const base = out >> 2;
  HEAP32[base] = t ? t.state : 0;
  HEAP32[base + 1] = t ? t.id : 0;
  HEAP32[base + 2] = t ? t.w : 0;
  HEAP32[base + 3] = t ? t.h : 0;
});
EM_JS(void, js_release_photo_textures, (), {
  Linli.photos.textures.forEach((t) => {
    if (t.id && GL.textures[t.id]) {
      GLctx.deleteTexture(GL.textures[t.id]);
      GL.textures[t.id] = null;
    }
  });
  Linli.photos.textures.clear();
});

std::string take_js_string(char* p) {
  if (!p) return {};
  std::string s(p);
  std::free(p);
  return s;
}

// ---- Durable storage: changed pages to IndexedDB ------------------------------------------

class IndexedDbSink : public PageSink {
 public:
  void on_sync(std::string_view file, int64_t file_size, const std::vector<PageImage>& pages) override {
    m_indexes.clear();
    for (const auto& p : pages) m_indexes.push_back(p.index);
    const std::string name(file);
    js_persist_pages(name.c_str(), static_cast<double>(file_size), m_indexes.data(), static_cast<int>(pages.size()),
                     kPageSize);
  }
  bool reads_pages() const override { return true; }

 private:
  std::vector<uint32_t> m_indexes;
};

IndexedDbSink g_sink;
std::optional<ChosenPhoto> g_chosen;  // Handed over by the page (linli_photo_chosen), taken once.
std::function<void()> g_frame;
std::function<std::string()> g_test_items;
std::function<std::string()> g_test_state;
std::function<std::string()> g_test_fonts;
std::string g_test_buffer;
std::function<bool()> g_bench_edit;
std::function<int(int, int)> g_bench_report;
std::function<std::string()> g_bench_probe;

void frame_trampoline() { g_frame(); }

// ---- Requests to the sync server: the Emscripten Fetch API, asynchronous, on the main thread.

struct FetchCall {
  app::HttpDone done;
  std::string method;
  std::string body;
  std::vector<std::string> header_text;  // Owns what `headers` points at.
  std::vector<const char*> headers;      // name, value, ..., nullptr.
};

// The value of header `name` (lowercase) in a raw "Name: value\r\n" block, empty if absent.
std::string header_value(const std::string& raw, std::string_view name) {
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t end = raw.find('\n', pos);
    if (end == std::string::npos) end = raw.size();
    std::string line = raw.substr(pos, end - pos);
    pos = end + 1;
    const size_t colon = line.find(':');
    if (colon == std::string::npos || colon != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < colon && same; ++i)
      same = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i]))) == name[i];
    if (!same) continue;
    std::string v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
    while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
    return v;
  }
  return {};
}

void fetch_finished(emscripten_fetch_t* f) {
  std::unique_ptr<FetchCall> call(static_cast<FetchCall*>(f->userData));
  app::HttpResponse r;
  r.status = f->status;
  if (f->data && f->numBytes > 0) r.body.assign(f->data, static_cast<size_t>(f->numBytes));
  if (r.status != 0) {
    const size_t n = emscripten_fetch_get_response_headers_length(f);
    std::string raw(n + 1, '\0');
    emscripten_fetch_get_response_headers(f, raw.data(), raw.size());
    raw.resize(n);
    const std::string retry = header_value(raw, "retry-after");
    if (!retry.empty()) r.retry_after_s = std::atoi(retry.c_str());
    const std::string date = header_value(raw, "date");
    if (!date.empty()) r.server_time_ms = static_cast<int64_t>(js_parse_http_date(date.c_str()));
  }
  emscripten_fetch_close(f);
  call->done(std::move(r));
}

}  // namespace

// Downloads to a file in flight (js_fetch_to_file), by their number.
std::map<int, app::HttpDone> g_file_fetches;
int g_file_fetch_id = 0;

void http_send(app::HttpRequest request, app::HttpDone done) {
  if (!request.save_to.empty() && request.method == "GET") {
    const int id = ++g_file_fetch_id;
    g_file_fetches.emplace(id, std::move(done));
    js_fetch_to_file(id, request.path.c_str(), request.token.c_str(), request.save_to.c_str(), request.timeout_ms);
    return;
  }
  auto call = std::make_unique<FetchCall>();
  call->done = std::move(done);
  call->method = std::move(request.method);
  call->body = std::move(request.body);
  if (!call->body.empty()) {
    call->header_text.push_back("Content-Type");
    call->header_text.push_back(request.content_type.empty() ? "application/json" : request.content_type);
  }
  if (!request.token.empty()) {
    call->header_text.push_back("Authorization");
    call->header_text.push_back("Bearer " + request.token);
  }
  for (const auto& h : call->header_text) call->headers.push_back(h.c_str());
  call->headers.push_back(nullptr);

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, call->method.c_str(), sizeof attr.requestMethod - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY | EMSCRIPTEN_FETCH_REPLACE;
  attr.requestHeaders = call->headers.data();
  if (!call->body.empty()) {
    attr.requestData = call->body.data();
    attr.requestDataSize = call->body.size();
  }
  attr.timeoutMSecs = static_cast<unsigned long>(request.timeout_ms);
  attr.onsuccess = fetch_finished;
  attr.onerror = fetch_finished;
  attr.userData = call.release();
  emscripten_fetch(&attr, request.path.c_str());
}

int64_t http_sent_bytes(const std::string& path) { return static_cast<int64_t>(js_sent_bytes(path.c_str())); }
int64_t http_received_bytes(const std::string& path, int64_t* total) {
  double t = -1;
  const double got = js_received_bytes(path.c_str(), &t);
  *total = static_cast<int64_t>(t);
  return static_cast<int64_t>(got);
}

void wipe_local_data_and_reload() { js_wipe_and_reload(); }
void download_file(const std::string& name, const std::string& mime, const std::string& bytes) {
  js_download(name.c_str(), mime.c_str(), bytes.data(), static_cast<double>(bytes.size()));
}
bool open_authorized_page(const std::string& path, const std::string& token) {
  return js_open_authorized(path.c_str(), token.c_str()) != 0;
}

void dial(const std::string& number) { js_dial(number.c_str()); }

Result<void> install_durable_storage() { return register_page_vfs(kDatabaseVfs, &g_sink); }
int pending_durable_writes() { return js_pending_writes(); }
std::string durable_storage_error() { return take_js_string(js_storage_error()); }

void run_main_loop(std::function<void()> frame) {
  g_frame = std::move(frame);
  emscripten_set_main_loop(frame_trampoline, 0, true);
}

Display read_display() {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  Display d;
  d.pixel_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (d.pixel_ratio <= 0) d.pixel_ratio = 1;
  d.width = static_cast<int>(w * d.pixel_ratio + 0.5);
  d.height = static_cast<int>(h * d.pixel_ratio + 0.5);
  return d;
}

void apply_display(const Display& d) {
  int cw = 0, ch = 0;
  emscripten_get_canvas_element_size("#canvas", &cw, &ch);
  if (cw != d.width || ch != d.height) emscripten_set_canvas_element_size("#canvas", d.width, d.height);
}

void update_text_input(bool active, float x, float y, float line_height) {
  js_update_text_input(active ? 1 : 0, x, y, line_height);
}
std::string take_text_input() { return take_js_string(js_take_text_input()); }
void set_clipboard_text(const char* text) { js_set_clipboard(text ? text : ""); }

int64_t now_ms() { return static_cast<int64_t>(emscripten_date_now()); }
double precise_now_ms() { return emscripten_get_now(); }

void fill_random(uint8_t* out, size_t n) {
  // getentropy is backed by crypto.getRandomValues; it takes at most 256 bytes a call.
  while (n > 0) {
    const size_t chunk = n < 256 ? n : 256;
    if (getentropy(out, chunk) != 0) std::abort();  // No randomness: ids would collide. Never expected.
    out += chunk;
    n -= chunk;
  }
}

bool is_online() { return js_is_online() != 0; }
bool take_network_back() { return js_take_network_back() != 0; }
bool store_taken_over() { return js_store_taken_over() != 0; }
void stop_main_loop() { emscripten_cancel_main_loop(); }

void choose_photo() { js_choose_photo(); }
std::optional<ChosenPhoto> take_chosen_photo() { return std::exchange(g_chosen, std::nullopt); }
bool photo_processing() { return js_photo_processing() != 0; }
void photo_saved(int64_t size) { js_photo_saved(static_cast<double>(size)); }
void decode_photo(const std::string& key, const std::string& bytes, const std::string& type, int max_side) {
  js_decode_photo(key.c_str(), reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<double>(bytes.size()),
                  type.c_str(), max_side);
}
PhotoTexture photo_texture(const std::string& key) {
  int out[4] = {0, 0, 0, 0};
  js_photo_texture(key.c_str(), out);
  PhotoTexture t;
  t.state = static_cast<PhotoTexture::State>(out[0]);
  t.id = static_cast<unsigned>(out[1]);
  t.width = out[2];
  t.height = out[3];
  return t;
}
void release_photo_textures() { js_release_photo_textures(); }

std::string load_setting(const char* key) { return take_js_string(js_load_setting(key)); }
void save_setting(const char* key, const std::string& value) { js_save_setting(key, value.c_str()); }

void mark_first_frame() { js_mark_first_frame(); }
void note_frame(double ms, double ui_ms, bool drawn) { js_note_frame(ms, ui_ms, drawn ? 1 : 0); }
bool font_rest_ready() { return js_font_rest_ready() != 0; }

void set_test_providers(std::function<std::string()> items_json, std::function<std::string()> state_json) {
  g_test_items = std::move(items_json);
  g_test_state = std::move(state_json);
}

void set_test_fonts_provider(std::function<std::string()> fonts_json) { g_test_fonts = std::move(fonts_json); }

void set_bench_edit(std::function<bool()> edit) { g_bench_edit = std::move(edit); }
void set_bench_report(std::function<int(int, int)> compute) { g_bench_report = std::move(compute); }
void set_bench_probe(std::function<std::string()> probe) { g_bench_probe = std::move(probe); }

}  // namespace linli::platform

// Called by a benchmark through Module: one edit, recorded and handed to IndexedDB before it
// returns (1), or 0 when there was nothing to edit.
extern "C" EMSCRIPTEN_KEEPALIVE int linli_bench_edit() {
  using namespace linli::platform;
  return g_bench_edit && g_bench_edit() ? 1 : 0;
}

// Called by a benchmark through Module: the month's report computed afresh; the tickets it counted
// (-1 when it could not be computed).
extern "C" EMSCRIPTEN_KEEPALIVE int linli_bench_report(int year, int month) {
  using namespace linli::platform;
  return g_bench_report ? g_bench_report(year, month) : -1;
}

// Called by web/linli.js when a download to a file ends (js_fetch_to_file, HttpRequest::save_to):
// status 0 when nothing answered; an answer other than 200 brings its text.
extern "C" EMSCRIPTEN_KEEPALIVE void linli_file_fetched(int id, int status, double date_ms) {
  using namespace linli::platform;
  const auto it = g_file_fetches.find(id);
  if (it == g_file_fetches.end()) return;
  linli::app::HttpDone done = std::move(it->second);
  g_file_fetches.erase(it);
  linli::app::HttpResponse r;
  r.status = status;
  r.body = take_js_string(js_take_fetched_text());
  r.server_time_ms = static_cast<int64_t>(date_ms);
  done(std::move(r));
}

// A frame at once, asked by the page right after a click, a key or committed text (web/linli.js):
// the answer to a command is drawn without waiting for the next animation frame, which the
// browser may hold back for tens of milliseconds while it composites the last one. Not before the
// main loop runs.
extern "C" EMSCRIPTEN_KEEPALIVE void linli_frame_now() {
  using namespace linli::platform;
  if (g_frame) g_frame();
}

// Called by a benchmark through Module, as often as every frame: what the inbox shows on top
// (set_bench_probe). The pointer is valid until the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* linli_bench_probe() {
  using namespace linli::platform;
  static std::string answer;
  answer = g_bench_probe ? g_bench_probe() : std::string();
  return answer.c_str();
}

// Called by web/linli.js once a chosen picture is scaled and compressed (width 0: it could not be
// read, and bytes hold the reason). The app takes it at its next frame (take_chosen_photo).
extern "C" EMSCRIPTEN_KEEPALIVE void linli_photo_chosen(const char* bytes, int size, int width, int height) {
  using namespace linli::platform;
  ChosenPhoto p;
  if (width > 0) {
    p.bytes.assign(bytes, static_cast<size_t>(size));
    p.width = width;
    p.height = height;
  } else {
    p.error.assign(bytes, static_cast<size_t>(size));
  }
  g_chosen = std::move(p);
}

// Called by web/linli.js (window.linliTest) between frames. The pointer is valid until the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* linli_test_items() {
  using namespace linli::platform;
  g_test_buffer = g_test_items ? g_test_items() : "[]";
  return g_test_buffer.c_str();
}
extern "C" EMSCRIPTEN_KEEPALIVE const char* linli_test_state() {
  using namespace linli::platform;
  g_test_buffer = g_test_state ? g_test_state() : "{}";
  return g_test_buffer.c_str();
}
extern "C" EMSCRIPTEN_KEEPALIVE const char* linli_test_fonts() {
  using namespace linli::platform;
  g_test_buffer = g_test_fonts ? g_test_fonts() : "{}";
  return g_test_buffer.c_str();
}
