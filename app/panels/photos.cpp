// Photos of the selected ticket (照片): the buttons that take one (before / after the work, or
// neither), the before/after pairs side by side, the other photos, each a thumbnail with who took
// it and when (and "waiting to upload" until the server has it); a click opens it large. And the
// outbox's list of photos waiting to upload. Draws from App's state; never touches the store.
#include <imgui.h>

#include <algorithm>
#include <optional>
#include <string>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "test_hook.h"
#include "refusal_text.h"

namespace linli::ui {

using namespace palette;
namespace {

const ImVec4 kBeforeTint(0.62f, 0.30f, 0.10f, 1.0f);

// The photo opened large ("" none), kept across frames.
std::string g_open_sha;
std::string g_open_type;
std::string g_open_caption;  // 整改前 · 12-05 05:27 · 李主任: what the viewer is showing.

// The widest a thumbnail may be this frame: half the section, so a pair fits a narrow panel.
float g_max_thumb_w = 1e9f;

// The thumbnail's box, in ImGui units (the font scales with the display).
ImVec2 thumb_box() {
  const float w = std::min(ImGui::GetFontSize() * 7.0f * 4.0f / 3.0f, g_max_thumb_w);
  return ImVec2(w, w * 3.0f / 4.0f);
}

// A framed box with a line of text in it: a photo that cannot be drawn (yet).
void placeholder(const std::string& id, ImVec2 size, const std::string& text, const ImVec4& colour) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), IM_COL32(240, 241, 244, 255), 6.0f);
  dl->AddRect(at, ImVec2(at.x + size.x, at.y + size.y), IM_COL32(200, 204, 212, 255), 6.0f);
  ImGui::PushClipRect(at, ImVec2(at.x + size.x, at.y + size.y), true);
  const float pad = ImGui::GetStyle().FramePadding.x;
  ImGui::SetCursorScreenPos(ImVec2(at.x + pad, at.y + size.y * 0.5f - ImGui::GetFontSize()));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + size.x - 2 * pad);
  ImGui::TextColored(colour, "%s", text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopClipRect();
  ImGui::SetCursorScreenPos(at);
  ImGui::Dummy(size);
  label_last_item(id.c_str());
}

// The image fitted into `box` (aspect kept), centred.
void fitted_image(const App::PhotoImage& img, ImVec2 box) {
  const float k = std::min(box.x / static_cast<float>(img.width), box.y / static_cast<float>(img.height));
  const ImVec2 size(static_cast<float>(img.width) * k, static_cast<float>(img.height) * k);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(ImVec2(at.x + (box.x - size.x) * 0.5f, at.y + (box.y - size.y) * 0.5f));
  ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(img.texture)), size);
  ImGui::SetCursorScreenPos(at);
  ImGui::Dummy(box);
}

// One photo: the thumbnail (a button that opens it large), then who took it and when.
void thumbnail(App& app, const app::TicketPhoto& p) {
  const Lang lang = app.lang();
  const Photo& photo = p.change.photo;
  const ImVec2 box = thumb_box();
  const std::string id = "photo-" + photo.sha256.substr(0, 12);
  ImGui::BeginGroup();
  // Decoded at the box's size (device pixels), not at its full 1600 px.
  const App::PhotoImage img = app.photo_image(photo.sha256, photo.type, static_cast<int>(box.x));
  if (img.show == App::PhotoShow::Ready && img.width > 0 && img.height > 0) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(("##" + id).c_str(), box);
    label_last_item(("##" + id).c_str());
    const bool hovered = ImGui::IsItemHovered();
    if (ImGui::IsItemClicked()) {
      g_open_sha = photo.sha256;
      g_open_type = photo.type;
      const std::string phase = photo.phase == PhotoPhase::Before  ? std::string(tr(lang, Str::PhotoBefore)) + " · "
                                : photo.phase == PhotoPhase::After ? std::string(tr(lang, Str::PhotoAfter)) + " · "
                                                                   : std::string();
      g_open_caption = phase + format_shanghai_minute(p.change.stamp.ms) + " · " + app.person(p.change.author.user);
    }
    ImGui::SetCursorScreenPos(at);
    ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + box.x, at.y + box.y), IM_COL32(24, 26, 30, 255), 6.0f);
    fitted_image(img, box);
    if (hovered) ImGui::GetWindowDrawList()->AddRect(at, ImVec2(at.x + box.x, at.y + box.y), IM_COL32(42, 111, 176, 255), 6.0f, 0, 2.0f);
  } else if (img.show == App::PhotoShow::NotHere) {
    placeholder(id, box, std::string(tr(lang, Str::PhotoOfflineNotCached)), kMuted);
  } else if (img.show == App::PhotoShow::Failed) {
    placeholder(id, box, std::string(tr(lang, Str::PhotoFailed)), kMuted);
  } else {
    placeholder(id, box, std::string(tr(lang, Str::PhotoLoading)), kMuted);
  }
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + box.x);
  // When and who: one line if it fits under the picture, else the time and the author on lines of
  // their own (a user id is not broken in the middle).
  const std::string when = format_shanghai_minute(p.change.stamp.ms).substr(5);
  const std::string who = app.person(p.change.author.user);
  const std::string caption = when + " · " + who;
  if (ImGui::CalcTextSize(caption.c_str()).x <= box.x) {
    ImGui::TextColored(kMuted, "%s", caption.c_str());
  } else {
    ImGui::TextColored(kMuted, "%s", when.c_str());
    ImGui::TextColored(kMuted, "%s", who.c_str());
  }
  if (p.waiting_upload) ImGui::TextColored(kAmber, "%s", std::string(tr(lang, Str::PhotoWaitingUpload)).c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

// A missing half of a pair: an empty box that says which.
void missing(const std::string& id, Str what, Lang lang) {
  ImGui::BeginGroup();
  placeholder(id, thumb_box(), std::string(tr(lang, what)), kMuted);
  ImGui::EndGroup();
}

// The photo opened large: as big as the window allows, with a close button.
void photo_viewer(App& app) {
  const Lang lang = app.lang();
  if (!g_open_sha.empty() && !ImGui::IsPopupOpen("##photo-viewer")) ImGui::OpenPopup("##photo-viewer");
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowSize(ImVec2(display.x * 0.8f, display.y * 0.85f), ImGuiCond_Always);
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  bool open = true;
  if (!ImGui::BeginPopupModal("##photo-viewer", &open, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                                          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoScrollbar)) {
    g_open_sha.clear();
    return;
  }
  if (ImGui::Button((std::string(tr(lang, Str::PhotoClose)) + "##photo-close").c_str()) ||
      ImGui::IsKeyPressed(ImGuiKey_Escape)) {
    g_open_sha.clear();
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(g_open_caption.empty() ? g_open_sha.substr(0, 16).c_str() : g_open_caption.c_str());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const App::PhotoImage img = app.photo_image(g_open_sha, g_open_type, 0);
  if (img.show == App::PhotoShow::Ready && img.width > 0) fitted_image(img, avail);
  else ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::PhotoLoading)).c_str());
  ImGui::EndPopup();
}

}  // namespace

void draw_ticket_photos(App& app, FrameInfo&) {
  const Lang lang = app.lang();
  ImGui::SeparatorText(std::string(tr(lang, Str::SectionPhotos)).c_str());
  g_max_thumb_w = std::max(ImGui::GetFontSize() * 4.0f,
                           (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 5.0f) / 2.0f);
  // The next useful action first: a photo before the work, after it, or neither.
  const auto refusal = app.why_not_photo();
  const bool busy = app.photo_processing();
  ImGui::BeginDisabled(refusal.has_value() || busy);
  if (ImGui::Button((std::string(tr(lang, Str::PhotoTakeBefore)) + "##photo-before").c_str()))
    app.take_photo(PhotoPhase::Before);
  ImGui::SameLine();
  if (ImGui::Button((std::string(tr(lang, Str::PhotoTakeAfter)) + "##photo-after").c_str()))
    app.take_photo(PhotoPhase::After);
  ImGui::SameLine();
  if (ImGui::Button((std::string(tr(lang, Str::PhotoTake)) + "##photo-other").c_str())) app.take_photo(PhotoPhase::None);
  ImGui::EndDisabled();
  if (refusal && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s%s", std::string(tr(lang, Str::WhyNot)).c_str(), refusal_text(lang, *refusal).c_str());
  if (busy) {
    ImGui::SameLine();
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::PhotoProcessing)).c_str());
  }

  const auto& photos = app.photos();
  if (photos.empty()) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::PhotoNone)).c_str());
    return;
  }
  const auto pairs = app::pair_photos(photos);
  if (!pairs.empty() && ImGui::BeginTable("##photo-pairs", 2, ImGuiTableFlags_SizingFixedFit)) {
    const float w = thumb_box().x + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::TableSetupColumn("before", ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableSetupColumn("after", ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextColored(kBeforeTint, "%s", std::string(tr(lang, Str::PhotoBefore)).c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(kGood, "%s", std::string(tr(lang, Str::PhotoAfter)).c_str());
    for (size_t i = 0; i < pairs.size(); ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (pairs[i].before) thumbnail(app, *pairs[i].before);
      else missing("photo-missing-before-" + std::to_string(i), Str::PhotoNoBefore, lang);
      ImGui::TableNextColumn();
      if (pairs[i].after) thumbnail(app, *pairs[i].after);
      else missing("photo-missing-after-" + std::to_string(i), Str::PhotoNoAfter, lang);
    }
    ImGui::EndTable();
  }
  // Photos of neither phase, in a row that wraps.
  bool first = true;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (const app::TicketPhoto& p : photos) {
    if (p.change.photo.phase != PhotoPhase::None) continue;
    if (first) {
      ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::PhotoOther)).c_str());
      first = false;
    } else if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + thumb_box().x < right) {
      ImGui::SameLine();
    }
    thumbnail(app, p);
  }
  photo_viewer(app);
}

void draw_photo_uploads(App& app) {
  const Lang lang = app.lang();
  const auto& waiting = app.waiting_photos();
  const auto& failed = app.failed_photos();
  const app::SyncStatus& st = app.sync_status();
  ImGui::SeparatorText(std::string(tr(lang, Str::PhotoUploadsTitle)).c_str());
  if (!failed.empty()) ImGui::TextColored(kProblem, "%s", std::string(tr(lang, Str::PhotoRefusedHint)).c_str());
  if (waiting.empty() && failed.empty()) {
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::PhotoUploadsNone)).c_str());
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##photo-uploads", 4, flags)) return;
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColWhen)).c_str(), ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColTicket)).c_str(), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(std::string(tr(lang, Str::SectionPhotos)).c_str(), ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn(std::string(tr(lang, Str::ColStatus)).c_str(), ImGuiTableColumnFlags_WidthFixed,
                          ImGui::GetFontSize() * 12);
  ImGui::TableHeadersRow();
  const auto row = [&](const LocalPhoto& p) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_shanghai_minute(p.created_at_ms).c_str());
    ImGui::TableNextColumn();
    const auto [number, title] = app.ticket_label(p.ticket_id);
    ImGui::Text("%s  %s", number.c_str(), title.c_str());
    ImGui::TableNextColumn();
    const char* phase = p.phase == PhotoPhase::Before  ? tr(lang, Str::PhotoBefore).data()
                        : p.phase == PhotoPhase::After ? tr(lang, Str::PhotoAfter).data()
                                                       : "";
    ImGui::Text("%s %d×%d · %.0f KB", phase, p.width, p.height, static_cast<double>(p.size) / 1024.0);
    ImGui::TableNextColumn();
  };
  // Refused for good first: they hold the outbox back until given up.
  std::optional<std::string> give_up;
  for (const LocalPhoto& p : failed) {
    row(p);
    ImGui::PushTextWrapPos(0.0f);  // The server's answer wraps in its cell rather than being cut.
    ImGui::TextColored(kProblem, "%s · %s", std::string(tr(lang, Str::PhotoRefused)).c_str(), p.failure.c_str());
    ImGui::PopTextWrapPos();
    if (small_button((std::string(tr(lang, Str::PhotoDiscard)) + "##photo-discard-" + p.sha256.substr(0, 12)).c_str()))
      give_up = p.sha256;
  }
  for (const LocalPhoto& p : waiting) {
    row(p);
    // Progress: the photo on its way now, by the bytes sent (the browser's upload progress); a
    // waiting photo shows 0 and an uploaded one leaves the list.
    const bool now = st.uploading == p.sha256;
    const float done = now && st.upload_total > 0 ? static_cast<float>(st.upload_sent) / static_cast<float>(st.upload_total) : 0.0f;
    std::string text = std::string(tr(lang, now ? Str::PhotoUploading : Str::PhotoWaitingUpload));
    if (now && st.upload_total > 0) text += " " + std::to_string(static_cast<int>(done * 100.0f + 0.5f)) + "%";
    ImGui::ProgressBar(now ? std::max(done, 0.05f) : 0.0f, ImVec2(-1, 0), text.c_str());
  }
  ImGui::EndTable();
  if (give_up) app.discard_failed_photo(*give_up);
}

}  // namespace linli::ui
