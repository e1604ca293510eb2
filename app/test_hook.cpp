// ImGui test-engine hook implementations: ItemAdd gives each item's rectangle, ItemInfo its label.
#include "test_hook.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <unordered_map>
#include <vector>

namespace {

struct Item {
  ImGuiID id;
  ImRect bb;
  std::string label;
  bool disabled = false;  // Drawn inside BeginDisabled: shown, not clickable.
};

std::vector<Item> g_building;                    // Items of the frame being drawn.
std::unordered_map<ImGuiID, size_t> g_index;     // id -> position in g_building.
std::vector<Item> g_last;                        // Items of the last finished frame.

}  // namespace

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, ImGuiID id, const ImRect& bb, const ImGuiLastItemData* data) {
  if (id == 0) return;
  const bool disabled = data && (data->InFlags & ImGuiItemFlags_Disabled) != 0;
  const auto it = g_index.find(id);
  if (it != g_index.end()) {
    g_building[it->second].bb = bb;
    g_building[it->second].disabled = disabled;
    return;
  }
  g_index.emplace(id, g_building.size());
  g_building.push_back({id, bb, {}, disabled});
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  if (id == 0 || !label) return;
  const auto it = g_index.find(id);
  if (it != g_index.end()) g_building[it->second].label = label;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }

namespace linli::ui {

void install_test_hook() { ImGui::GetCurrentContext()->TestEngineHookItems = true; }

void label_last_item(const char* label) {
  ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(), label, 0);
}

void end_test_hook_frame() {
  g_last.swap(g_building);
  g_building.clear();
  g_index.clear();
}

std::string test_items_json(float pixel_ratio) {
  nlohmann::json out = nlohmann::json::array();
  for (const Item& it : g_last) {
    if (it.label.empty()) continue;
    const auto hash = it.label.find("##");
    const std::string visible = hash == std::string::npos ? it.label : it.label.substr(0, hash);
    out.push_back({{"label", visible},
                   {"id", it.label},
                   {"x", it.bb.Min.x / pixel_ratio},
                   {"y", it.bb.Min.y / pixel_ratio},
                   {"w", (it.bb.Max.x - it.bb.Min.x) / pixel_ratio},
                   {"h", (it.bb.Max.y - it.bb.Min.y) / pixel_ratio},
                   {"disabled", it.disabled}});
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace linli::ui
