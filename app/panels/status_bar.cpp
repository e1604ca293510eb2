// Status bar: the link to the server as the last real exchange found it, the outbox, the last
// sync, the device clock when it is far off, whether every edit is durable, the last message.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"

namespace linli::ui {

using namespace palette;
namespace {

constexpr int64_t kClockWarnMs = 2 * 60 * 1000;

std::string fmt(std::string_view pattern, long long a) {
  char buf[256];
  std::snprintf(buf, sizeof buf, std::string(pattern).c_str(), a);
  return buf;
}

// Tighter on a phone, where the bar has room for the link, the outbox and the counts and little more.
void gap() { ImGui::SameLine(0, ImGui::GetFontSize() * (touch_layout() ? 0.8f : 1.2f)); }

}  // namespace

void draw_status_bar(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  const app::SyncStatus& s = app.sync_status();
  const int64_t now = platform::now_ms();

  // The link, from real answers: unknown until the first one.
  const bool online = s.link == app::Link::Online;
  const bool offline = s.link == app::Link::Offline;
  ImGui::TextColored(online ? kGood : offline ? kMuted : kAmber, "●");
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(std::string(tr(lang, online ? Str::Online : offline ? Str::Offline : Str::Connecting)).c_str());
  if (offline && s.next_try_ms > now) {
    // The seconds to the next try only where there is room: on a phone they pushed the outbox's
    // count and the deadlines off the bar; 立即重试 says enough.
    if (!touch_layout()) {
      ImGui::SameLine();
      ImGui::TextColored(kMuted, "(%s)", fmt(tr(lang, Str::RetryIn), (s.next_try_ms - now + 999) / 1000).c_str());
    }
    ImGui::SameLine();
    if (ImGui::SmallButton((std::string(tr(lang, Str::RetryNow)) + "##retry").c_str())) app.sync_now();
  }
  if (!s.problem.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.problem.c_str());

  // The outbox next: offline on a phone, what waits to be sent is the fact that matters. "All
  // sent" only where there is room for it: on a phone the green dot says as much, and the counts
  // after it (催办 1) were cut off at 360 pixels.
  if (s.unsent > 0) {
    gap();
    ImGui::TextColored(kAmber, "%s", fmt(tr(lang, Str::UnsentCount), s.unsent).c_str());
  } else if (!touch_layout()) {
    gap();
    ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::AllSent)).c_str());
  }
  if (s.refused > 0) {
    gap();
    const std::string refused = fmt(tr(lang, Str::RefusedCount), s.refused) + "##refused-link";
    ImGui::PushStyleColor(ImGuiCol_Text, kProblem);
    if (ImGui::SmallButton(refused.c_str())) app.set_view(View::Outbox);
    ImGui::PopStyleColor();
  }

  // Deadlines over every ticket here, always in sight; a click filters the list to them.
  {
    const Store::DeadlineCounts& d = app.deadline_counts();
    gap();
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    // Under the pointer a light tint, so the red or amber word stays readable on it.
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kAccentHover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.78f, 0.85f, 0.96f, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);  // Words that filter, not boxes.
    bool first = true;
    // A count in its colour (grey at 0); a click shows the inbox filtered by `to`.
    const auto count = [&](Str words, int64_t n, const ImVec4& colour, const char* id, void (*to)(InboxFilter&)) {
      if (n == 0 && touch_layout()) return;  // A phone's bar has no room for a grey 0.
      if (!first) ImGui::SameLine(0, 2);
      first = false;
      ImGui::PushStyleColor(ImGuiCol_Text, n > 0 ? colour : kMuted);
      if (ImGui::SmallButton((fmt(tr(lang, words), n) + id).c_str())) {
        to(app.inbox_query().filter);
        app.inbox_changed();
        app.set_view(View::Tickets);
        frame.list_wanted = true;
      }
      ImGui::PopStyleColor();
    };
    count(Str::OverdueCount, d.overdue, kProblem, "##status-overdue", [](InboxFilter& f) { f.overdue = true, f.due_today = false; });
    count(Str::DueTodayCount, d.due_today, kAmber, "##status-due-today",
          [](InboxFilter& f) { f.due_today = true, f.overdue = false; });
    // 待审批: requests waiting for the centre's decision (only the centre decides them).
    if (d.pending_requests > 0 && app.session() && app.session()->role == Role::Centre)
      count(Str::PendingCount, d.pending_requests, kAmber, "###status-pending", [](InboxFilter& f) { f.pending_request = true; });
    // 催办: what the centre presses this handler for (the centre finds its own in the list's chip).
    if (d.urged > 0 && app.session() && app.session()->role != Role::Centre)
      count(Str::UrgedCount, d.urged, kProblem, "###status-urged", [](InboxFilter& f) { f.urged = true; });
    // 预警: dissatisfied return visits waiting on re-handling.
    if (d.warnings > 0) count(Str::WarningCount, d.warnings, kProblem, "##status-warnings", [](InboxFilter& f) { f.warning = true; });
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(3);
  }

  // What needs the user comes before what only reassures: on a narrow screen the line ends before
  // the time of the last sync and "saved", never before a failure, a clock far off or a notice.
  const std::string storage_error = platform::durable_storage_error();
  if (!storage_error.empty()) {
    gap();
    ImGui::TextColored(kProblem, "%s: %s", std::string(tr(lang, Str::SaveFailed)).c_str(), storage_error.c_str());
  }
  if (s.clock_known && std::llabs(s.clock_offset_ms) > kClockWarnMs) {
    gap();
    ImGui::TextColored(kProblem, "%s", fmt(tr(lang, Str::ClockWarning), std::llabs(s.clock_offset_ms) / 60000).c_str());
  }
  if (s.halt == app::Halt::ForgedReplica || s.halt == app::Halt::Upgrade) {
    gap();
    char buf[256];
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::SyncHalted)).c_str(),
                  std::string(tr(lang, s.halt == app::Halt::Upgrade ? Str::HaltUpgrade : Str::HaltForged)).c_str());
    ImGui::TextColored(kProblem, "%s", buf);
  }
  if (!app.error().empty() && frame.band_is_error) {
    // In the red band above the bar (ui.cpp).
  } else if (!app.error().empty()) {
    gap();
    if (app.error_is_storage())
      ImGui::TextColored(kProblem, "%s: %s", std::string(tr(lang, Str::ErrStorage)).c_str(), app.error().c_str());
    else
      ImGui::TextColored(kProblem, "%s", app.error().c_str());
  } else if (frame.notice_band.empty() && now - app.notice_at_ms() < 6000) {
    if (const std::string notice = app.notice(); !notice.empty()) {
      gap();
      ImGui::TextColored(kAccent, "%s", notice.c_str());
    }
  }

  std::string last_sync;
  if (s.last_ok_ms > 0) {
    const std::string when = format_shanghai_minute(s.last_ok_ms).substr(11);  // "HH:MM"
    char buf[128];
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::LastSync)).c_str(), when.c_str());
    last_sync = buf;
  } else {
    last_sync = std::string(tr(lang, Str::NeverSynced));
  }
  const bool saving = platform::pending_durable_writes() > 0;
  const std::string saved = storage_error.empty() ? std::string(tr(lang, saving ? Str::Saving : Str::Saved)) : std::string();
  for (const std::string* text : {&std::as_const(last_sync), &saved}) {
    if (text->empty()) continue;
    gap();
    if (ImGui::CalcTextSize(text->c_str()).x > ImGui::GetContentRegionAvail().x) break;
    ImGui::TextColored(kMuted, "%s", text->c_str());
  }
}

// 100000 → "100,000".
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
  return n < 0 ? "-" + digits : digits;
}

namespace {

// A progress bar with its words inside; where they do not fit (a phone's width, English), the
// words above and a thin bar under them, never cut at both ends.
void progress(float fraction, const char* words) {
  const ImGuiStyle& style = ImGui::GetStyle();
  if (ImGui::CalcTextSize(words).x + style.FramePadding.x * 4 <= ImGui::GetContentRegionAvail().x) {
    ImGui::ProgressBar(fraction, ImVec2(-1, 0), words);
    return;
  }
  ImGui::TextWrapped("%s", words);
  ImGui::ProgressBar(fraction, ImVec2(-1, std::max(4.0f, ImGui::GetFontSize() * 0.35f)), "");
}

}  // namespace

// A new calendar (a year the server added, an upgraded store): deadlines recomputed between
// frames, a bar with counts; the list and its counts fill in as they are.
void draw_refold(App& app, const FrameInfo&) {
  const auto [done, of] = app.refold_progress();
  if (of == 0) return;
  char line[256];
  std::snprintf(line, sizeof line, std::string(tr(app.lang(), Str::RefoldProgress)).c_str(), grouped(done).c_str(),
                grouped(of).c_str());
  progress(static_cast<float>(static_cast<double>(done) / static_cast<double>(of)), line);
}

// While a first sync brings a large scope in: a bar with counts, the cursor against the server's
// log as its last answer said it went (`head`, docs/protocol.md). A server that does not say
// (an older one) gets a bar that moves through each batch, with what came so far.
void draw_first_sync(App& app, const FrameInfo&) {
  const app::SyncStatus& s = app.sync_status();
  const Lang lang = app.lang();
  // The server builds this device's store (docs/protocol.md, "Image"), sends it, and the device
  // takes it: a bar with what came so far, then one that says the page will hold still a moment.
  char buf[256];
  const auto mb = [](int64_t bytes) { return grouped((bytes + 500'000) / 1'000'000); };
  if (s.image_arrived) {
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::ImageTaking)).c_str(), mb(s.image_total).c_str());
    progress(1.0f, buf);
    return;
  }
  if (s.image_in_flight) {
    if (s.image_got > 0 && s.image_total > 0) {
      std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::ImageDownload)).c_str(), mb(s.image_got).c_str(),
                    mb(s.image_total).c_str());
      progress(static_cast<float>(static_cast<double>(s.image_got) / static_cast<double>(s.image_total)), buf);
      return;
    }
    progress(0.0f, std::string(tr(lang, Str::ImageInFlight)).c_str());
    return;
  }
  if (s.caught_up || s.link != app::Link::Online || s.pulled_this_session == 0) return;
  if (s.head > 0) {
    const int64_t done = std::min(s.cursor, s.head);
    std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::SyncProgress)).c_str(), grouped(done).c_str(),
                  grouped(s.head).c_str());
    progress(static_cast<float>(static_cast<double>(done) / static_cast<double>(s.head)), buf);
    return;
  }
  std::snprintf(buf, sizeof buf, std::string(tr(lang, Str::FirstSync)).c_str(), static_cast<long long>(s.pulled_this_session),
                static_cast<int>(app.inbox_total()));
  const float phase = static_cast<float>(s.pulled_this_session % 1000) / 1000.0f;
  progress(phase, buf);
}

}  // namespace linli::ui
