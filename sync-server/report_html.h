// The monthly report as a print-friendly HTML page (format=html): Chinese headings, the rates beside
// last month's, the counts, intake per day and the overdue list. Its style is /report-print.css
// (the server's policy allows no inline style). Formats; computes nothing.
#pragma once

#include <string>

#include "report/monthly.h"

namespace linli::server {

std::string encode_report_html(const report::MonthlyReport& r);

}  // namespace linli::server
