// WebGL2 renderer for ImGui's draw data (platform/renderer.h): one vertex array with its two
// buffers and two programs, one for the font atlas (one byte a pixel, its coverage) and one for
// images (photos: RGBA GL textures whose names are their ImTextureID).
#include "platform/renderer.h"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

namespace linli::platform::renderer {
namespace {

constexpr const char* kVertexShader = R"glsl(#version 300 es
precision highp float;
layout (location = 0) in vec2 position;
layout (location = 1) in vec2 uv;
layout (location = 2) in vec4 color;
uniform mat4 projection;
out vec2 frag_uv;
out vec4 frag_color;
void main() {
  frag_uv = uv;
  frag_color = color;
  gl_Position = projection * vec4(position, 0.0, 1.0);
}
)glsl";

// The two fragment shaders: what they share, then each one's main().
constexpr const char* kFragmentHead = R"glsl(#version 300 es
precision mediump float;
uniform sampler2D atlas;
in vec2 frag_uv;
in vec4 frag_color;
layout (location = 0) out vec4 out_color;
)glsl";
// The atlas is uploaded as one byte a pixel (R8), not as the RGBA ImGui can expand it to: a
// quarter of the upload and of the texture (2048x4096 at pixel ratio 2: 8 MiB, not 32).
constexpr const char* kFontMain = "void main() { out_color = vec4(frag_color.rgb, frag_color.a * texture(atlas, frag_uv).r); }\n";
constexpr const char* kImageMain = "void main() { out_color = frag_color * texture(atlas, frag_uv); }\n";

struct Program {
  GLuint id = 0;
  GLint projection = -1, atlas = -1;
};

struct State {
  Program font, image;
  GLuint vertex_array = 0, vertices = 0, indices = 0, font_texture = 0;
  // The frame on screen and the one being drawn, as bytes (describe()).
  std::vector<unsigned char> shown, next;
};
State g;

GLuint compile(GLenum type, const char* source) {
  const GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);  // Once, at start: not a per-frame read.
  if (ok != GL_TRUE) {
    char log[1024] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "linli: a shader did not compile: %s\n", log);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

Program link(GLuint vs, const char* fragment_main) {
  const std::string fragment = std::string(kFragmentHead) + fragment_main;
  const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment.c_str());
  if (!fs) return {};
  Program p;
  p.id = glCreateProgram();
  glAttachShader(p.id, vs);
  glAttachShader(p.id, fs);
  glLinkProgram(p.id);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(p.id, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    std::fprintf(stderr, "linli: a shader program did not link\n");
    glDeleteProgram(p.id);
    return {};
  }
  p.projection = glGetUniformLocation(p.id, "projection");
  p.atlas = glGetUniformLocation(p.id, "atlas");
  return p;
}

// The state every frame draws with, set whole: nothing else draws in this context.
void set_state(int fb_width, int fb_height, const ImDrawData* data) {
  glViewport(0, 0, fb_width, fb_height);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  // ImGui's coordinates (DisplayPos at the top left) to clip space, y down.
  const float l = data->DisplayPos.x, r = data->DisplayPos.x + data->DisplaySize.x;
  const float t = data->DisplayPos.y, b = data->DisplayPos.y + data->DisplaySize.y;
  const float projection[16] = {2.0f / (r - l), 0, 0, 0, 0, 2.0f / (t - b), 0, 0, 0, 0, -1, 0,
                                (r + l) / (l - r), (t + b) / (b - t), 0, 1};
  for (const Program* p : {&g.image, &g.font}) {  // Ends with the font's program in use.
    glUseProgram(p->id);
    glUniform1i(p->atlas, 0);
    glUniformMatrix4fv(p->projection, 1, GL_FALSE, projection);
  }
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(g.vertex_array);
  glBindBuffer(GL_ARRAY_BUFFER, g.vertices);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.indices);
}

// What a frame puts on screen, as bytes: the framebuffer's size and clear colour, the draw lists'
// vertices and indices, and each command's clip rectangle, texture and range. Textures' contents
// are not in it: WebGL's names are never used twice, and a new font atlas empties `shown`.
void describe(const ImDrawData* data, int fb_width, int fb_height, const float clear[4],
              std::vector<unsigned char>& out) {
  out.clear();
  const auto put = [&out](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    out.insert(out.end(), b, b + n);
  };
  const auto put_vec2 = [&put](ImVec2 v) { put(&v.x, sizeof v.x), put(&v.y, sizeof v.y); };
  put(&fb_width, sizeof fb_width);
  put(&fb_height, sizeof fb_height);
  put(clear, 4 * sizeof clear[0]);
  put_vec2(data->DisplayPos);
  put_vec2(data->DisplaySize);
  put_vec2(data->FramebufferScale);
  for (const ImDrawList* list : data->CmdLists) {
    put(&list->VtxBuffer.Size, sizeof list->VtxBuffer.Size);
    put(list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert));
    put(&list->IdxBuffer.Size, sizeof list->IdxBuffer.Size);
    put(list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      const auto texture = reinterpret_cast<intptr_t>(cmd.GetTexID());
      const auto callback = reinterpret_cast<uintptr_t>(cmd.UserCallback);
      put(&cmd.ClipRect, sizeof cmd.ClipRect);
      put(&texture, sizeof texture);
      put(&callback, sizeof callback);
      put(&cmd.IdxOffset, sizeof cmd.IdxOffset);
      put(&cmd.ElemCount, sizeof cmd.ElemCount);
    }
  }
}

}  // namespace

bool init() {
  const GLuint vs = compile(GL_VERTEX_SHADER, kVertexShader);
  if (!vs) return false;
  g.font = link(vs, kFontMain);
  g.image = link(vs, kImageMain);
  glDeleteShader(vs);
  if (!g.font.id || !g.image.id) return false;

  glGenVertexArrays(1, &g.vertex_array);
  glGenBuffers(1, &g.vertices);
  glGenBuffers(1, &g.indices);
  glBindVertexArray(g.vertex_array);
  glBindBuffer(GL_ARRAY_BUFFER, g.vertices);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  constexpr GLsizei kStride = sizeof(ImDrawVert);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, kStride, reinterpret_cast<void*>(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, kStride, reinterpret_cast<void*>(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, kStride, reinterpret_cast<void*>(offsetof(ImDrawVert, col)));
  glBindVertexArray(0);

  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "linli_webgl2";
  return true;
}

void shutdown() {
  destroy_fonts_texture();
  if (g.vertices) glDeleteBuffers(1, &g.vertices);
  if (g.indices) glDeleteBuffers(1, &g.indices);
  if (g.vertex_array) glDeleteVertexArrays(1, &g.vertex_array);
  for (const Program* p : {&g.font, &g.image})
    if (p->id) glDeleteProgram(p->id);
  g = State{};
}

void create_fonts_texture() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
  glGenTextures(1, &g.font_texture);
  glBindTexture(GL_TEXTURE_2D, g.font_texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(g.font_texture)));
}

void destroy_fonts_texture() {
  g.shown.clear();
  if (!g.font_texture) return;
  glDeleteTextures(1, &g.font_texture);
  g.font_texture = 0;
  ImGui::GetIO().Fonts->SetTexID(ImTextureID{});
}

bool render(const ImDrawData* data, int fb_width, int fb_height, const float clear[4]) {
  describe(data, fb_width, fb_height, clear, g.next);
  if (g.next == g.shown) return false;
  g.shown.swap(g.next);
  glDisable(GL_SCISSOR_TEST);  // The clear is of the whole canvas.
  glViewport(0, 0, fb_width, fb_height);
  glClearColor(clear[0], clear[1], clear[2], clear[3]);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!g.font.id || fb_width <= 0 || fb_height <= 0 || data->CmdListsCount == 0) return true;
  set_state(fb_width, fb_height, data);
  const ImVec2 origin = data->DisplayPos;
  const ImVec2 scale = data->FramebufferScale;
  GLuint bound = g.font_texture;  // set_state leaves the font's program in use; its texture is bound below.
  glBindTexture(GL_TEXTURE_2D, bound);
  const Program* in_use = &g.font;
  for (const ImDrawList* list : data->CmdLists) {
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * sizeof(ImDrawVert),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState) set_state(fb_width, fb_height, data);
        else cmd.UserCallback(list, &cmd);
        bound = 0;
        continue;
      }
      // The clip rectangle in framebuffer pixels; GL's scissor box counts rows from the bottom.
      const float x0 = (cmd.ClipRect.x - origin.x) * scale.x, y0 = (cmd.ClipRect.y - origin.y) * scale.y;
      const float x1 = (cmd.ClipRect.z - origin.x) * scale.x, y1 = (cmd.ClipRect.w - origin.y) * scale.y;
      if (x1 <= x0 || y1 <= y0 || cmd.ElemCount == 0) continue;
      glScissor(static_cast<GLint>(x0), static_cast<GLint>(static_cast<float>(fb_height) - y1),
                static_cast<GLsizei>(x1 - x0), static_cast<GLsizei>(y1 - y0));
      const auto texture = static_cast<GLuint>(reinterpret_cast<intptr_t>(cmd.GetTexID()));
      if (texture != bound) {
        glBindTexture(GL_TEXTURE_2D, texture);
        bound = texture;
        const Program* wanted = texture == g.font_texture ? &g.font : &g.image;
        if (wanted != in_use) glUseProgram(wanted->id);
        in_use = wanted;
      }
      // WebGL2 has no base vertex: ImGui keeps each list under 65,536 vertices (no
      // ImGuiBackendFlags_RendererHasVtxOffset), so VtxOffset is always 0.
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<void*>(static_cast<intptr_t>(cmd.IdxOffset * sizeof(ImDrawIdx))));
    }
  }
  glBindVertexArray(0);
  return true;
}

}  // namespace linli::platform::renderer
