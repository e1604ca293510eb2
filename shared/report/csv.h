// The monthly report as one CSV table for a spreadsheet (docs/metrics.md, "The route"): UTF-8 with a
// byte-order mark so Excel reads the Chinese, RFC 4180 quoting, CRLF lines. One encoder, used by the
// server's route and by the browser's download, so both give the same file. Pure.
#pragma once

#include <string>
#include <string_view>

#include "report/monthly.h"

namespace linli::report {

// "2020-03".
std::string month_text(int year, int month);
// The Chinese labels the CSV and the printed report use.
std::string_view category_label(Category c);
std::string_view source_label(Source s);
std::string_view stage_label(DeadlineStage s);

// The report's rates in the order every output lists them: the code (JSON), the Chinese label.
struct NamedRate {
  std::string_view code;
  std::string_view label;
  Rate MonthlyRates::*rate;
};
inline constexpr NamedRate kRates[] = {
    {"handled", "办结率", &MonthlyRates::handled},
    {"handled_on_time", "按时办结率", &MonthlyRates::handled_on_time},
    {"contacted_on_time", "先行联系及时率", &MonthlyRates::contacted_on_time},
    {"replied_same_day", "当日回复率", &MonthlyRates::replied_same_day},
    {"satisfied", "满意率", &MonthlyRates::satisfied},
    {"resolved", "解决率", &MonthlyRates::resolved},
    {"reassigned", "重派率", &MonthlyRates::reassigned},
    {"extended", "延期率", &MonthlyRates::extended},
    {"rebound", "反弹率", &MonthlyRates::rebound},
    {"co_replied_on_time", "协办按时回复率", &MonthlyRates::co_replied_on_time},
};

// "86.7%", or "" for 0 of 0.
std::string percent_text(const Rate& r);
// "15.8" (one decimal).
std::string hours_text(double hours);

// The file: BOM, the header 项目,名称,数量,总数,比率,说明, then the rows.
std::string encode_monthly_csv(const MonthlyReport& r);
// The file name a download takes: "linli-report-2020-03.csv".
std::string monthly_csv_name(const MonthlyReport& r);

}  // namespace linli::report
