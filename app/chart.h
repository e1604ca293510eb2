// Small charts drawn with ImGui's draw lists (ImPlot is not reachable): columns with a line over
// them, and horizontal bars; axes with round ticks, labels in any language the font has, the value
// under the mouse in a tooltip. Draws what it is given; computes nothing of the report.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace linli::ui::chart {

// Colours the dashboard and its end-to-end pixel test share.
inline constexpr ImU32 kBarColor = IM_COL32(37, 99, 235, 255);    // Columns and bars: blue.
inline constexpr ImU32 kLineColor = IM_COL32(234, 88, 12, 255);   // The line: orange.

struct Series {
  std::string name;          // In the legend and the tooltip.
  std::vector<float> values;
  ImU32 color = kBarColor;
};

// Columns of `bars` and the line of `line` over the same x slots (labels[i] names slot i; every
// `label_every`-th is written under the axis). `height` in pixels; the width is what is left.
void draw_columns(const char* id, float height, const std::vector<std::string>& labels, const Series& bars,
                  const Series& line, int label_every);

// One horizontal bar per label, the value written at its end; the width is what is left.
void draw_bars(const char* id, const std::vector<std::string>& labels, const std::vector<float>& values,
               ImU32 color = kBarColor);

// A "nice" axis top and step for values up to `max` (1, 2 or 5 times a power of ten).
struct Axis {
  float top = 1;
  float step = 1;
};
Axis nice_axis(float max, int ticks = 4);

}  // namespace linli::ui::chart
