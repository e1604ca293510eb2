// The monthly report's print version (report_html.h).
#include "report_html.h"

#include <cstdio>

#include "core/civil_time.h"
#include "report/csv.h"

namespace linli::server {
namespace {

std::string esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string rate_cell(const report::Rate& r) {
  if (r.of == 0) return "<td class=num>—</td><td class=num>0 / 0</td>";
  return "<td class=num>" + report::percent_text(r) + "</td><td class=num>" + std::to_string(r.count) + " / " +
         std::to_string(r.of) + "</td>";
}

template <class Map, class Label>
std::string count_table(const char* title, const char* column, const Map& m, Label label) {
  std::string h = std::string("<section><h2>") + title + "</h2><table><thead><tr><th>" + column +
                  "</th><th class=num>件数</th></tr></thead><tbody>";
  for (const auto& [k, n] : m) h += "<tr><td>" + esc(label(k)) + "</td><td class=num>" + std::to_string(n) + "</td></tr>";
  return h + "</tbody></table></section>";
}

std::string rates_section(const report::MonthlyReport& r) {
  const auto [py, pm] = report::previous_month(r.year, r.month);
  std::string h = "<section><h2>考核指标</h2><table><thead><tr><th>指标</th><th class=num>本月</th><th class=num>件数</th>"
                  "<th class=num>上月（" + report::month_text(py, pm) + "）</th><th class=num>件数</th></tr></thead><tbody>";
  for (const report::NamedRate& nr : report::kRates)
    h += "<tr><td>" + std::string(nr.label) + "</td>" + rate_cell(r.*nr.rate) + rate_cell(r.previous.*nr.rate) + "</tr>";
  h += "<tr><td>先行联系平均用时（工作小时）</td><td class=num>" + report::hours_text(r.contact_time.average_hours()) +
       "</td><td class=num>" + std::to_string(r.contact_time.of) + "</td><td class=num>" +
       report::hours_text(r.previous.contact_time.average_hours()) + "</td><td class=num>" +
       std::to_string(r.previous.contact_time.of) + "</td></tr>";
  return h + "</tbody></table></section>";
}

std::string days_section(const report::MonthlyReport& r) {
  std::string h = "<section><h2>每日受理与办结</h2><table class=days><thead><tr><th>日期</th>";
  std::string received = "<tr><th>受理</th>", handled = "<tr><th>办结</th>";
  for (size_t i = 0; i < r.days.size(); ++i) {
    h += "<th class=num>" + std::to_string(i + 1) + "</th>";
    received += "<td class=num>" + std::to_string(r.days[i].received) + "</td>";
    handled += "<td class=num>" + std::to_string(r.days[i].handled) + "</td>";
  }
  return h + "</tr></thead><tbody>" + received + "</tr>" + handled + "</tr></tbody></table></section>";
}

std::string overdue_section(const report::MonthlyReport& r) {
  std::string h = "<section class=overdue><h2>超时工单（" + std::to_string(r.overdue.size()) +
                  " 件）</h2><table><thead><tr><th>编号</th><th>标题</th><th>社区</th><th>承办部门</th><th>环节</th>"
                  "<th>到期</th><th>情况</th></tr></thead><tbody>";
  for (const report::OverdueTicket& o : r.overdue)
    h += "<tr><td>" + esc(o.official_number.empty() ? o.id : o.official_number) + "</td><td>" + esc(o.title) +
         "</td><td>" + esc(o.community) + "</td><td>" + (o.lead_department.empty() ? "未派单" : esc(o.lead_department)) +
         "</td><td>" + std::string(report::stage_label(o.stage)) +
         // As the app says a deadline: the last minute of its day (24:00 is the next day's 00:00).
         "</td><td>" + format_shanghai_minute(o.due_ms - 60'000) + " 前</td><td>" +
         // The stage was met late, or is still not met: contact, handling or a report alike.
         (o.open ? "超时未完成" : "逾期完成") + "</td></tr>";
  if (r.overdue.empty()) h += "<tr><td colspan=7>无</td></tr>";
  return h + "</tbody></table></section>";
}

// 巡查活动: one table, a column per campaign overlapping the month, its street totals.
std::string campaigns_section(const report::MonthlyReport& r) {
  std::string h = "<section class=campaigns><h2>巡查活动</h2><table><thead><tr><th>项目</th>";
  for (const CampaignInMonth& c : r.campaigns)
    h += "<th class=num>" + esc(c.name) + "<br>" + esc(c.from) + " 至 " + esc(c.to) + "</th>";
  h += "</tr></thead><tbody>";
  if (r.campaigns.empty()) return h + "<tr><td>本月无巡查活动</td></tr></tbody></table></section>";
  for (const NamedFigure& f : kCampaignFigures) {
    h += "<tr><td>" + std::string(f.label) + "</td>";
    for (const CampaignInMonth& c : r.campaigns) h += "<td class=num>" + std::to_string(c.totals.street.*f.figure) + "</td>";
    h += "</tr>";
  }
  return h + "</tbody></table></section>";
}

}  // namespace

std::string encode_report_html(const report::MonthlyReport& r) {
  char title[64];
  std::snprintf(title, sizeof title, "%d年%d月 工单月报", r.year, r.month);
  std::string h = "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>" + std::string(title) +
                  "</title><link rel=stylesheet href=\"report-print.css\"></head><body><header><h1>" + title +
                  "</h1><p class=meta>街道城运中心 · 统计时间 " + format_shanghai_minute(r.as_of_ms) +
                  "（上海时间）· 受理工单 " + std::to_string(r.received) + " 件 · 协办工单 " +
                  std::to_string(r.co_handled) + " 件</p></header>";
  if (r.calendar_missing) h += "<p class=warn>部分时限所在年份缺少工作日历，相关指标不完整。</p>";
  h += rates_section(r);
  h += "<div class=cols>";
  h += count_table("按类别", "类别", r.by_category, [](Category c) { return std::string(report::category_label(c)); });
  h += count_table("按来源", "来源", r.by_source, [](Source s) { return std::string(report::source_label(s)); });
  h += "</div><div class=cols>";
  h += count_table("按社区", "社区", r.by_community, [](const std::string& c) { return c; });
  h += count_table("按承办部门", "承办部门", r.by_department,
                   [](const std::string& d) { return d.empty() ? std::string("未派单") : d; });
  h += "</div>";
  h += days_section(r);
  h += campaigns_section(r);
  h += overdue_section(r);
  // What a reader of the paper needs to weigh the figures, not where the code keeps them.
  return h + "<footer>邻里 · 时限按工作日计（法定节假日与调休以上海市公布为准）· 各项比率均按当月受理的工单计算"
             "</footer><script src=\"report-print.js\"></script></body></html>";
}

}  // namespace linli::server
