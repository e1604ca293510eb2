// 统计 (dashboard): the monthly report over the tickets this replica holds, as of the last sync: a
// month picker, the rate cards (this month against the last), and the charts (chart.h). Draws the
// figures App::dashboard derived (dashboard_data.h); computes nothing itself.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "chart.h"
#include "core/civil_time.h"
#include "panels/palette.h"
#include "panels/panels.h"
#include "platform/platform.h"

namespace linli::ui {

using namespace palette;
namespace {


std::string fmt(Lang lang, Str s, auto... args) {
  char b[160];
  std::snprintf(b, sizeof b, std::string(tr(lang, s)).c_str(), args...);
  return b;
}

std::string value_text(Lang lang, const RateCard& c, double v, bool known) {
  if (!known) return "—";
  char b[32];
  if (c.hours) return fmt(lang, Str::DashHours, v);
  std::snprintf(b, sizeof b, "%.1f%%", v * 100);
  return b;
}

// The month picker: 上一年 ‹ 2020年3月 › 下一年 and 本月. Steps frame.dash_year/month. The year
// buttons, the arrows and the month keep together on a line; 下一年 and 本月 wrap when they must.
// A month still to come has nothing to count: the picker stops at this month.
void draw_month_picker(Lang lang, FrameInfo& frame, float spacing) {
  const CivilDay today = civil_from_days(shanghai_days(platform::now_ms()));
  const int latest = static_cast<int>(today.year) * 12 + static_cast<int>(today.month) - 1;
  const int shown = frame.dash_year * 12 + (frame.dash_month - 1);
  auto step = [&](int by) {
    const int m = std::min(shown + by, latest);
    frame.dash_year = m / 12;
    frame.dash_month = m % 12 + 1;
  };
  const std::string prev_year = std::string(tr(lang, Str::DashPrevYear)) + "##dash-prev-year";
  const std::string next_year = std::string(tr(lang, Str::DashNextYear)) + "##dash-next-year";
  const std::string this_month = std::string(tr(lang, Str::DashThisMonth)) + "##dash-this";
  const std::string month = fmt(lang, Str::DashMonth, frame.dash_year, frame.dash_month);
  const float arrow = ImGui::GetFrameHeight(), gap = ImGui::GetStyle().ItemSpacing.x;
  next_in_row(button_width(prev_year) + arrow * 2 + ImGui::CalcTextSize(month.c_str()).x + gap * 3, spacing);
  if (ImGui::Button(prev_year.c_str())) step(-12);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##dash-prev", ImGuiDir_Left)) step(-1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(tr(lang, Str::DashPrevMonth)).c_str());
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(month.c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(shown >= latest);
  if (ImGui::ArrowButton("##dash-next", ImGuiDir_Right)) step(1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(tr(lang, Str::DashNextMonth)).c_str());
  next_in_row(button_width(next_year));
  if (ImGui::Button(next_year.c_str())) step(12);
  next_in_row(button_width(this_month));
  if (ImGui::Button(this_month.c_str())) frame.dash_year = 0;
  ImGui::EndDisabled();
}

// What a card counts, of what (docs/metrics.md): "80% 12 / 15" means little without it.
Str meaning_of(Str card) {
  switch (card) {
    case Str::RateHandled: return Str::MeanHandled;
    case Str::RateOnTime: return Str::MeanOnTime;
    case Str::RateContacted: return Str::MeanContacted;
    case Str::RateSameDay: return Str::MeanSameDay;
    case Str::RateSatisfied: return Str::MeanSatisfied;
    case Str::RateResolved: return Str::MeanResolved;
    case Str::RateReassigned: return Str::MeanReassigned;
    case Str::RateExtended: return Str::MeanExtended;
    case Str::RateRebound: return Str::MeanRebound;
    case Str::RateCoReplied: return Str::MeanCoReplied;
    default: return Str::MeanContactTime;
  }
}

// One card: the label, the figure, how many of how many, and last month's with the change's arrow.
void draw_card(Lang lang, const RateCard& c, float w, float h) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h));
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 22);
    ImGui::TextUnformatted(S(lang, meaning_of(c.label)).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fh = ImGui::GetFontSize(), pad = fh * 0.6f, inner = w - pad * 2;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), kCardBgU, 6.0f);
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), kCardBorderU, 6.0f);
  dl->PushClipRect(p, ImVec2(p.x + w, p.y + h), true);
  fit_text(dl, ImVec2(p.x + pad, p.y + pad), fh, fh * 0.75f, inner, kMutedU, std::string(tr(lang, c.label)));
  const std::string v = value_text(lang, c, c.now, c.now_known);
  char of[48] = "";
  if (!c.hours && c.of > 0) std::snprintf(of, sizeof of, "%d / %d", c.count, c.of);
  const float of_w = of[0] ? ImGui::CalcTextSize(of).x + fh * 0.6f : 0;
  const float vw = fit_text(dl, ImVec2(p.x + pad, p.y + pad + fh * 1.3f), fh * 1.5f, fh, inner - of_w, kInkU, v);
  if (of[0]) dl->AddText(ImVec2(p.x + pad + vw + fh * 0.6f, p.y + pad + fh * 1.75f), kMutedU, of);
  // Last month, and the arrow of the change: green when better, red when worse.
  const float y = p.y + h - pad - fh;
  const Trend t = trend_of(c);
  float x = p.x + pad;
  if (t == Trend::Better || t == Trend::Worse) {
    const ImU32 col = t == Trend::Better ? kGoodU : kProblemU;
    const bool up = c.now > c.before;
    const float s = fh * 0.36f, cx = x + s, cy = y + fh * 0.5f;
    if (up) dl->AddTriangleFilled(ImVec2(cx, cy - s), ImVec2(cx + s, cy + s * 0.8f), ImVec2(cx - s, cy + s * 0.8f), col);
    else dl->AddTriangleFilled(ImVec2(cx - s, cy - s * 0.8f), ImVec2(cx + s, cy - s * 0.8f), ImVec2(cx, cy + s), col);
    x += fh * 1.0f;
  }
  const std::string before = c.before_known ? fmt(lang, Str::DashVsLast, value_text(lang, c, c.before, true).c_str())
                                            : std::string(tr(lang, Str::DashNoLast));
  fit_text(dl, ImVec2(x, y), fh, fh * 0.75f, p.x + w - pad - x, kMutedU, before);
  dl->PopClipRect();
}

void draw_cards(Lang lang, const Dashboard& d) {
  const float fh = ImGui::GetFontSize(), gap = fh * 0.6f;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int fit = std::clamp(static_cast<int>((avail + gap) / (fh * 11.5f + gap)), 2, 6);
  // As few rows as the width allows, the cards spread evenly over them: 11 cards where 5 fit go
  // 4, 4, 3, not 5, 5 and one alone.
  const int n = std::max(1, static_cast<int>(d.cards.size()));
  const int rows = (n + fit - 1) / fit;
  const int cols = std::max(std::min(2, n), (n + rows - 1) / rows);
  const float w = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  const float h = fh * 5.4f;
  for (size_t i = 0; i < d.cards.size(); ++i) {
    if (i % static_cast<size_t>(cols) != 0) ImGui::SameLine(0, gap);
    draw_card(lang, d.cards[i], w, h);
  }
}

// The section title, with the figure beside it when there is one.
void heading(Lang lang, Str title, const std::string& extra = {}) {
  ImGui::Spacing();
  ImGui::TextUnformatted(std::string(tr(lang, title)).c_str());
  if (!extra.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(kMuted, "%s", extra.c_str());
  }
}

struct BarChart {
  Str title;
  const char* id;
  const std::vector<Bar>* bars;
};

void draw_bar_chart(Lang lang, const BarChart& c) {
  std::vector<std::string> labels;
  std::vector<float> values;
  for (const Bar& x : *c.bars) labels.push_back(x.label), values.push_back(x.value);
  heading(lang, c.title);
  chart::draw_bars(c.id, labels, values);
}

// Two bar charts side by side on a wide screen, one under the other on a narrow one.
void bar_pair(Lang lang, bool side, const BarChart& a, const BarChart& b) {
  if (side && ImGui::BeginTable((std::string("##dash-") + a.id).c_str(), 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    draw_bar_chart(lang, a);
    ImGui::TableNextColumn();
    draw_bar_chart(lang, b);
    ImGui::EndTable();
  } else {
    draw_bar_chart(lang, a);
    draw_bar_chart(lang, b);
  }
}

void draw_charts(App& app, const Dashboard& d, float css_width) {
  const Lang lang = app.lang();
  const float fh = ImGui::GetFontSize();
  std::vector<std::string> days;
  for (size_t i = 0; i < d.received_per_day.size(); ++i) days.push_back(fmt(lang, Str::DashDay, static_cast<int>(i) + 1));
  heading(lang, Str::DashPerDay);
  const chart::Series received{std::string(tr(lang, Str::DashIntake)), d.received_per_day, chart::kBarColor};
  const chart::Series handled{std::string(tr(lang, Str::DashHandled)), d.handled_per_day, chart::kLineColor};
  const int every = ImGui::GetContentRegionAvail().x / static_cast<float>(std::max<size_t>(1, days.size())) > fh * 2.6f ? 1 : 5;
  chart::draw_columns("per-day", fh * 12, days, received, handled, every);

  const bool side = css_width >= 1000.0f;
  bar_pair(lang, side, {Str::DashByCategory, "by-category", &d.by_category},
           {Str::DashByCommunity, "by-community", &d.by_community});
  bar_pair(lang, side, {Str::DashByDepartment, "by-department", &d.by_department},
           {Str::DashBySource, "by-source", &d.by_source});
}

// The month's overdue tickets, as the print version lists them: which, with whom, which stage, due
// when, and whether still open. A row opens its ticket in the list, where the dispatcher chases it.
void draw_overdue(App& app, const Dashboard& d) {
  const Lang lang = app.lang();
  const auto& overdue = d.report.overdue;
  heading(lang, Str::DashOverdueList, overdue.empty() ? std::string() : std::to_string(overdue.size()));
  if (overdue.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kMuted, "%s", wrapped(tr(lang, Str::DashOverdueNone)).c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  ImGui::TextColored(kMuted, "%s", S(lang, Str::DashOverdueHint).c_str());
  constexpr size_t kShown = 50;  // The rest are in the print version and the CSV.
  const bool narrow = ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 40;
  const int columns = narrow ? 4 : 6;
  if (!ImGui::BeginTable("##dash-overdue", columns, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                                        ImGuiTableFlags_SizingFixedFit))
    return;
  ImGui::TableSetupColumn(S(lang, Str::ColNumber).c_str());
  ImGui::TableSetupColumn(S(lang, Str::ColTitle).c_str(), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(S(lang, Str::ColLeadDept).c_str());
  if (!narrow) {
    ImGui::TableSetupColumn(S(lang, Str::DashColStage).c_str());
    ImGui::TableSetupColumn(S(lang, Str::DashColDue).c_str());
  }
  ImGui::TableSetupColumn(S(lang, Str::DashColState).c_str());
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < overdue.size() && i < kShown; ++i) {
    const report::OverdueTicket& o = overdue[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string number = (o.official_number.empty() ? o.id.substr(0, 8) : o.official_number) + "##overdue-" + o.id;
    if (ImGui::Selectable(number.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
      app.select(o.id);
      app.set_view(View::Tickets);
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(o.title.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(o.lead_department.empty() ? S(lang, Str::DashUnassigned).c_str() : o.lead_department.c_str());
    if (!narrow) {
      ImGui::TableNextColumn();
      const Str stage = o.stage == DeadlineStage::Contact          ? Str::DeadlineContact
                        : o.stage == DeadlineStage::Rehandling     ? Str::DeadlineRe
                        : o.stage == DeadlineStage::ProgressReport ? Str::DeadlineReport
                                                                   : Str::DeadlineFirst;
      ImGui::TextUnformatted(S(lang, stage).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_shanghai_minute(o.due_ms - 60'000).c_str());  // Its last minute, as the detail says.
    }
    ImGui::TableNextColumn();
    if (o.open) ImGui::TextColored(kProblem, "%s", S(lang, Str::DashOverdueOpen).c_str());
    else ImGui::TextColored(kMuted, "%s", S(lang, Str::DashOverdueLate).c_str());
  }
  ImGui::EndTable();
  if (overdue.size() > kShown)
    ImGui::TextColored(kMuted, "%s", fmt(lang, Str::DashOverdueMore, static_cast<int>(overdue.size() - kShown)).c_str());
}

}  // namespace

void draw_dashboard(App& app, FrameInfo& frame) {
  const Lang lang = app.lang();
  if (frame.dash_year == 0) {  // The current month, in Shanghai.
    const CivilDay today = civil_from_days(shanghai_days(platform::now_ms()));
    frame.dash_year = static_cast<int>(today.year);
    frame.dash_month = static_cast<int>(today.month);
  }
  ImGui::BeginChild("##dashboard", ImVec2(0, 0), ImGuiChildFlags_None);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(std::string(tr(lang, Str::DashTitle)).c_str());
  draw_month_picker(lang, frame, ImGui::GetFontSize() * 1.5f);
  const Dashboard* d = app.dashboard(frame.dash_year, frame.dash_month);

  // The exports, on the right of the same row.
  const std::string csv = std::string(tr(lang, Str::DashDownloadCsv)) + "##dash-csv";
  const std::string print = std::string(tr(lang, Str::DashPrint)) + "##dash-print";
  // On the right of the picker's line when both fit there, else on a line of their own.
  const float bw = button_width(csv) + button_width(print) + ImGui::GetStyle().ItemSpacing.x;
  const float right = ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetFontSize() + bw <= right)
    ImGui::SameLine(right - bw);
  ImGui::BeginDisabled(d == nullptr);
  if (ImGui::Button(csv.c_str())) app.download_report_csv(frame.dash_year, frame.dash_month);
  ImGui::SameLine();
  if (ImGui::Button(print.c_str())) app.open_print_report(frame.dash_year, frame.dash_month);
  ImGui::EndDisabled();

  const int64_t last = app.sync_status().last_ok_ms;
  const std::string stamp = last > 0 ? fmt(lang, Str::DashAsOf, format_shanghai_minute(last).c_str())
                                     : std::string(tr(lang, Str::DashNotSynced));
  ImGui::PushTextWrapPos(0.0f);  // Two lines on a phone rather than cut off.
  ImGui::TextColored(kMuted, "%s · %s", stamp.c_str(), std::string(tr(lang, Str::DashScope)).c_str());
  ImGui::PopTextWrapPos();
  if (!d) {
    ImGui::TextColored(kWarn, "%s", app.dashboard_error().c_str());
    ImGui::EndChild();
    return;
  }
  ImGui::Separator();
  char received[64];
  std::snprintf(received, sizeof received, "%s  %d", std::string(tr(lang, Str::DashReceived)).c_str(), d->report.received);
  ImGui::TextUnformatted(received);
  // The counts beside it, each wrapping to the next line on a phone.
  const std::string co = std::string(tr(lang, Str::DashCoHandled)) + "  " + std::to_string(d->report.co_handled);
  const std::string overdue = std::string(tr(lang, Str::DashOverdue)) + "  " + std::to_string(d->report.overdue.size());
  next_in_row(ImGui::CalcTextSize(co.c_str()).x, ImGui::GetFontSize() * 2);
  ImGui::TextColored(kMuted, "%s", co.c_str());
  next_in_row(ImGui::CalcTextSize(overdue.c_str()).x, ImGui::GetFontSize() * 1.5f);
  ImGui::TextColored(kMuted, "%s", overdue.c_str());
  if (d->report.received == 0) ImGui::TextColored(kMuted, "%s", std::string(tr(lang, Str::DashEmpty)).c_str());
  ImGui::Spacing();
  draw_cards(lang, *d);
  ImGui::Spacing();
  draw_charts(app, *d, frame.css_width);
  ImGui::Spacing();
  draw_overdue(app, *d);
  ImGui::EndChild();
}

}  // namespace linli::ui
