// The dashboard's charts (chart.h), with ImGui's draw lists. Each chart is one ImGui item of its
// own size, so layout, hover and the end-to-end tests' item list treat it like any widget.
#include "chart.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "test_hook.h"

namespace linli::ui::chart {
namespace {

constexpr ImU32 kAxis = IM_COL32(148, 155, 166, 255);
constexpr ImU32 kGrid = IM_COL32(226, 230, 236, 255);
constexpr ImU32 kText = IM_COL32(75, 85, 99, 255);
constexpr ImU32 kHover = IM_COL32(37, 99, 235, 28);

struct Box {
  ImVec2 Min, Max;
  Box() = default;
  Box(ImVec2 a, ImVec2 b) : Min(a), Max(b) {}
  float GetWidth() const { return Max.x - Min.x; }
  float GetHeight() const { return Max.y - Min.y; }
};

std::string number(float v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", static_cast<double>(v));
  return b;
}

// Reserves a rectangle as an item; false when it is clipped away.
bool begin_item(const char* id, ImVec2 size, Box* out) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  label_last_item(id);
  *out = Box(p, ImVec2(p.x + size.x, p.y + size.y));
  return ImGui::IsItemVisible();
}

// Each bar as an item of its own (no input, no layout): the end-to-end tests find "id/label=value"
// and where it was drawn.
void label_bar(const char* id, const std::string& label, float value, ImVec2 min, ImVec2 max) {
  const std::string text = std::string(id) + "/" + label + "=" + number(value);
  if (ImGui::ItemAdd(ImRect(min, max), ImGui::GetID(text.c_str()), nullptr, ImGuiItemFlags_NoNav)) label_last_item(text.c_str());
}

void legend(ImDrawList* dl, ImVec2 at, const Series& s, bool as_line) {
  const float h = ImGui::GetFontSize();
  if (as_line) dl->AddLine(ImVec2(at.x, at.y + h * 0.5f), ImVec2(at.x + h, at.y + h * 0.5f), s.color, 2.5f);
  else dl->AddRectFilled(ImVec2(at.x, at.y + h * 0.2f), ImVec2(at.x + h, at.y + h * 0.8f), s.color, 2.0f);
  dl->AddText(ImVec2(at.x + h * 1.3f, at.y), kText, s.name.c_str());
}

}  // namespace

Axis nice_axis(float max, int ticks) {
  if (max <= 0) return {1, 1};
  const float raw = max / static_cast<float>(ticks);
  const float mag = std::pow(10.0f, std::floor(std::log10(raw)));
  float step = mag;
  for (float m : {1.0f, 2.0f, 5.0f, 10.0f})
    if (m * mag >= raw) {
      step = std::max(1.0f, m * mag);  // Counts: no step below one.
      break;
    }
  return {std::ceil(max / step) * step, step};
}

void draw_columns(const char* id, float height, const std::vector<std::string>& labels, const Series& bars,
                  const Series& line, int label_every) {
  const float w = ImGui::GetContentRegionAvail().x;
  Box r;
  if (!begin_item(id, ImVec2(w, height), &r)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fh = ImGui::GetFontSize();
  const size_t n = labels.size();
  float max = 0;
  for (float v : bars.values) max = std::max(max, v);
  for (float v : line.values) max = std::max(max, v);
  const Axis axis = nice_axis(max);
  // Plot area: room for the y ticks on the left, the legend on top, the x labels below.
  const float left = r.Min.x + ImGui::CalcTextSize(number(axis.top).c_str()).x + fh * 0.6f;
  const Box plot(ImVec2(left, r.Min.y + fh * 1.8f), ImVec2(r.Max.x - fh * 0.5f, r.Max.y - fh * 1.5f));
  const float ph = plot.GetHeight();
  auto y_of = [&](float v) { return plot.Max.y - v / axis.top * ph; };
  for (float t = 0; t <= axis.top + 0.5f; t += axis.step) {
    const float y = y_of(t);
    dl->AddLine(ImVec2(plot.Min.x, y), ImVec2(plot.Max.x, y), t == 0 ? kAxis : kGrid, 1.0f);
    const std::string s = number(t);
    dl->AddText(ImVec2(plot.Min.x - ImGui::CalcTextSize(s.c_str()).x - fh * 0.3f, y - fh * 0.5f), kText, s.c_str());
  }
  legend(dl, ImVec2(left, r.Min.y), bars, false);
  legend(dl, ImVec2(left + ImGui::CalcTextSize(bars.name.c_str()).x + fh * 3, r.Min.y), line, true);
  if (n == 0) return;
  const float slot = plot.GetWidth() / static_cast<float>(n);
  int hovered = -1;
  if (ImGui::IsItemHovered()) {
    const float mx = ImGui::GetIO().MousePos.x;
    if (mx >= plot.Min.x && mx < plot.Max.x) hovered = static_cast<int>((mx - plot.Min.x) / slot);
  }
  if (hovered >= 0)
    dl->AddRectFilled(ImVec2(plot.Min.x + slot * static_cast<float>(hovered), plot.Min.y),
                      ImVec2(plot.Min.x + slot * static_cast<float>(hovered + 1), plot.Max.y), kHover);
  const float bw = std::max(1.0f, slot * 0.62f);
  float label_end = r.Min.x;  // Where the last x label drawn ends, with a gap.
  for (size_t i = 0; i < n && i < bars.values.size(); ++i) {
    const float x = plot.Min.x + slot * static_cast<float>(i) + (slot - bw) * 0.5f;
    if (bars.values[i] > 0) {
      dl->AddRectFilled(ImVec2(x, y_of(bars.values[i])), ImVec2(x + bw, plot.Max.y), bars.color, 1.5f);
      label_bar(id, labels[i], bars.values[i], ImVec2(x, y_of(bars.values[i])), ImVec2(x + bw, plot.Max.y));
    }
    if (label_every > 0 && i % static_cast<size_t>(label_every) == 0) {
      const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
      // Centred under its column, but never past the chart's edges ("day 31" on a phone), nor on
      // the label before it.
      const float x = std::clamp(plot.Min.x + slot * (static_cast<float>(i) + 0.5f) - ts.x * 0.5f, r.Min.x, r.Max.x - ts.x);
      if (x >= label_end) {
        dl->AddText(ImVec2(x, plot.Max.y + fh * 0.25f), kText, labels[i].c_str());
        label_end = x + ts.x + fh * 0.5f;
      }
    }
  }
  std::vector<ImVec2> points;
  for (size_t i = 0; i < n && i < line.values.size(); ++i)
    points.push_back(ImVec2(plot.Min.x + slot * (static_cast<float>(i) + 0.5f), y_of(line.values[i])));
  if (points.size() > 1) dl->AddPolyline(points.data(), static_cast<int>(points.size()), line.color, ImDrawFlags_None, 2.5f);
  for (const ImVec2& p : points) dl->AddCircleFilled(p, 3.0f, line.color);
  if (hovered >= 0 && static_cast<size_t>(hovered) < n) {
    const size_t i = static_cast<size_t>(hovered);
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(labels[i].c_str());
    if (i < bars.values.size()) ImGui::Text("%s: %s", bars.name.c_str(), number(bars.values[i]).c_str());
    if (i < line.values.size()) ImGui::Text("%s: %s", line.name.c_str(), number(line.values[i]).c_str());
    ImGui::EndTooltip();
  }
}

void draw_bars(const char* id, const std::vector<std::string>& labels, const std::vector<float>& values, ImU32 color) {
  const float fh = ImGui::GetFontSize();
  const float row = fh * 1.6f;
  const float w = ImGui::GetContentRegionAvail().x;
  Box r;
  if (!begin_item(id, ImVec2(w, row * static_cast<float>(labels.size()) + fh * 0.4f), &r)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float label_w = 0, max = 0;
  for (const std::string& l : labels) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
  label_w = std::min(label_w, w * 0.4f);
  for (float v : values) max = std::max(max, v);
  const float x0 = r.Min.x + label_w + fh * 0.6f;
  const float room = std::max(fh, r.Max.x - x0 - ImGui::CalcTextSize("00000").x);
  int hovered = -1;
  if (ImGui::IsItemHovered()) hovered = static_cast<int>((ImGui::GetIO().MousePos.y - r.Min.y) / row);
  dl->AddLine(ImVec2(x0, r.Min.y), ImVec2(x0, r.Max.y), kAxis);
  for (size_t i = 0; i < labels.size() && i < values.size(); ++i) {
    const float y = r.Min.y + row * static_cast<float>(i);
    if (static_cast<int>(i) == hovered) dl->AddRectFilled(ImVec2(r.Min.x, y), ImVec2(r.Max.x, y + row), kHover);
    // The label, right-aligned against the axis, clipped to its column.
    const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
    dl->PushClipRect(ImVec2(r.Min.x, y), ImVec2(x0 - fh * 0.3f, y + row), true);
    dl->AddText(ImVec2(x0 - fh * 0.4f - ts.x, y + (row - fh) * 0.5f), kText, labels[i].c_str());
    dl->PopClipRect();
    const float bw = max > 0 ? values[i] / max * room : 0;
    dl->AddRectFilled(ImVec2(x0 + 1, y + row * 0.18f), ImVec2(x0 + 1 + bw, y + row * 0.82f), color, 2.0f);
    const std::string v = number(values[i]);
    dl->AddText(ImVec2(x0 + bw + fh * 0.4f, y + (row - fh) * 0.5f), kText, v.c_str());
    label_bar(id, labels[i], values[i], ImVec2(x0 + 1, y + row * 0.18f), ImVec2(x0 + 1 + bw, y + row * 0.82f));
  }
  if (hovered >= 0 && static_cast<size_t>(hovered) < labels.size() && static_cast<size_t>(hovered) < values.size()) {
    ImGui::BeginTooltip();
    ImGui::Text("%s: %s", labels[static_cast<size_t>(hovered)].c_str(), number(values[static_cast<size_t>(hovered)]).c_str());
    ImGui::EndTooltip();
  }
}

}  // namespace linli::ui::chart
