// Records each labelled ImGui item of a frame (ImGui's test-engine hooks) so end-to-end tests
// can find a widget by its label and click it. Costs a vector push per item; no drawing.
#pragma once

#include <string>

namespace linli::ui {

// Installs the hooks on the current ImGui context.
void install_test_hook();
// Labels the last item for tests where ImGui reports no label of its own (tab items).
void label_last_item(const char* label);
// Call after ImGui::EndFrame(): what the frame showed becomes the answer to items_json().
void end_test_hook_frame();
// [{"label":"保存","id":"保存##save","x":..,"y":..,"w":..,"h":..}, ...] in CSS pixels.
std::string test_items_json(float pixel_ratio);

}  // namespace linli::ui
