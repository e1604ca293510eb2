// 统计: the monthly report over this replica (App::dashboard), its CSV download and the server's
// print version. The figures are shared/report's; this file only wires them to the page.
#include "app.h"
#include "platform/platform.h"
#include "report/csv.h"

namespace linli::ui {

const Dashboard* App::dashboard(int year, int month) {
  return m_dashboard.get(m_store, calendar(), year, month, m_lang, m_data_revision, platform::now_ms());
}

void App::download_report_csv(int year, int month) {
  const Dashboard* d = dashboard(year, month);
  if (!d) return;
  platform::download_file(report::monthly_csv_name(d->report), "text/csv;charset=utf-8",
                          report::encode_monthly_csv(d->report));
}

void App::open_print_report(int year, int month) {
  if (!m_session) return;
  if (!platform::open_authorized_page("/api/v1/reports/monthly?month=" + report::month_text(year, month) + "&format=html",
                                      m_session->token))
    set_notice(Str::DashPopupBlocked);
}

}  // namespace linli::ui
