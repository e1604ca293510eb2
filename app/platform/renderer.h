// Draws ImGui's draw lists with WebGL2. The app is the only user of its GL context, so the
// renderer sets the state it needs and reads nothing back: no glGet* call, each of which in a
// browser waits for the GPU process to catch up (with Chromium's software GL, for the whole
// previous frame to be rasterised) before the main thread may go on. ImGui's stock OpenGL3
// backend saves and restores the caller's GL state every frame with about twenty such calls,
// which made them a sixth of the main thread's time during a first sync (docs/benchmarks.md).
#pragma once

struct ImDrawData;

namespace linli::platform::renderer {

// Compiles the shaders and makes the buffers; needs the current GL context. False if a shader
// does not compile (the message is on stderr).
bool init();
void shutdown();
// The font atlas as a texture; made again after ImGui's font atlas was built again.
void create_fonts_texture();
void destroy_fonts_texture();
// Clears the framebuffer of fb_width × fb_height pixels to `clear` (RGBA) and draws a frame's
// draw data into it; true if it drew. A frame that would show exactly what the last one drawn
// shows (hover and animations settled, a caret between blinks) is not drawn: the canvas keeps
// its picture, and the browser has no new frame to composite. With Chromium's software GL a
// frame drawn costs the GPU process tens of milliseconds at 1600 × 900; while it composites, the
// next animation frame waits, and with it the answer to the user's next click or key.
bool render(const ImDrawData* data, int fb_width, int fb_height, const float clear[4]);

}  // namespace linli::platform::renderer
