// The monthly report's CSV (report/csv.h). Pure: formats what compute_monthly counted, no arithmetic
// of its own beyond the percentages.
#include "report/csv.h"

#include <cstdio>

#include "core/civil_time.h"

namespace linli::report {
namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class Table {
 public:
  Table() : m_out("\xEF\xBB\xBF") {}  // UTF-8 BOM: spreadsheets then read the Chinese as UTF-8.
  void row(std::string_view a, std::string_view b, std::string_view c = "", std::string_view d = "",
           std::string_view e = "", std::string_view f = "") {
    m_out += field(a) + "," + field(b) + "," + field(c) + "," + field(d) + "," + field(e) + "," + field(f) + "\r\n";
  }
  void rates(std::string_view item, const MonthlyRates& r) {
    for (const NamedRate& nr : kRates) {
      const Rate& rate = r.*nr.rate;
      row(item, nr.label, std::to_string(rate.count), std::to_string(rate.of), percent_text(rate));
    }
    row(item, "先行联系平均用时", hours_text(r.contact_time.average_hours()), std::to_string(r.contact_time.of), "",
        "工作小时");
  }
  std::string take() { return std::move(m_out); }

 private:
  std::string m_out;
};

}  // namespace

std::string month_text(int year, int month) {
  char m[16];
  std::snprintf(m, sizeof m, "%04d-%02d", year, month);
  return m;
}

std::string_view category_label(Category c) {
  static constexpr std::string_view k[] = {"环境卫生", "病媒防治", "疫情防控", "物业管理", "市政设施", "噪音扰民",
                                           "违法搭建", "堆物堆料", "生活服务", "企业服务", "其他"};
  return k[static_cast<int>(c)];
}
std::string_view source_label(Source s) {
  static constexpr std::string_view k[] = {"12345热线", "来电", "来访", "巡查发现"};
  return k[static_cast<int>(s)];
}
std::string_view stage_label(DeadlineStage s) {
  static constexpr std::string_view k[] = {"", "先行联系", "首次处置", "再次处置"};
  return k[static_cast<int>(s)];
}

std::string percent_text(const Rate& r) {
  if (r.of == 0) return "";
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.1f%%", r.value() * 100);
  return pct;
}

std::string hours_text(double hours) {
  char h[32];
  std::snprintf(h, sizeof h, "%.1f", hours);
  return h;
}

std::string encode_monthly_csv(const MonthlyReport& r) {
  Table t;
  t.row("项目", "名称", "数量", "总数", "比率", "说明");
  t.row("月份", month_text(r.year, r.month), "", "", "", "上海时间");
  t.row("受理", "合计", std::to_string(r.received));
  for (const auto& [c, n] : r.by_category) t.row("类别", category_label(c), std::to_string(n));
  for (const auto& [c, n] : r.by_community) t.row("社区", c, std::to_string(n));
  for (const auto& [s, n] : r.by_source) t.row("来源", source_label(s), std::to_string(n));
  for (const auto& [d, n] : r.by_department) t.row("承办部门", d.empty() ? "未派单" : d, std::to_string(n));
  t.rates("比率", r);
  t.row("协办", "协办工单", std::to_string(r.co_handled));
  const auto [py, pm] = previous_month(r.year, r.month);
  t.rates("上月比率", r.previous);
  t.row("上月", month_text(py, pm));
  const int64_t first_day = shanghai_days(r.from_ms);
  for (size_t i = 0; i < r.days.size(); ++i)
    t.row("每日受理", format_iso_day(first_day + static_cast<int64_t>(i)), std::to_string(r.days[i].received));
  for (size_t i = 0; i < r.days.size(); ++i)
    t.row("每日办结", format_iso_day(first_day + static_cast<int64_t>(i)), std::to_string(r.days[i].handled));
  for (const CampaignInMonth& c : r.campaigns) {
    t.row("巡查活动", c.name, "", "", "", c.from + " 至 " + c.to);
    for (const NamedFigure& f : kCampaignFigures)
      t.row("巡查合计", std::string(f.label), std::to_string(c.totals.street.*f.figure), "", "", c.name);
  }
  for (const OverdueTicket& o : r.overdue)
    t.row("超时", o.official_number.empty() ? o.id : o.official_number, "", "", "",
          o.title + "；" + std::string(stage_label(o.stage)) + "，" + format_shanghai_minute(o.due_ms - 60'000) +
              " 前" + (o.open ? "，超时未完成" : "，逾期完成"));
  return t.take();
}

std::string monthly_csv_name(const MonthlyReport& r) { return "linli-report-" + month_text(r.year, r.month) + ".csv"; }

}  // namespace linli::report
