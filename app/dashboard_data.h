// The dashboard's figures (统计): the monthly report over what this replica holds, and what the
// panel draws from it (rate cards against last month, chart series). Computed when the month or the
// data changes, never per frame. No drawing here; the panel is panels/dashboard.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "i18n.h"
#include "report/monthly.h"
#include "store/store.h"

namespace linli::ui {

// One rate card: this month's figure beside last month's.
struct RateCard {
  Str label = Str::RateHandled;
  bool lower_is_better = false;  // 重派率, 延期率, 反弹率, time to contact: a fall is good.
  bool hours = false;            // The average contact time (hours), not a rate.
  double now = 0, before = 0;
  bool now_known = false, before_known = false;  // 0 of 0 is not a figure.
  int count = 0, of = 0;
};
enum class Trend { Same, Better, Worse, Unknown };
Trend trend_of(const RateCard& c);

// A bar of a chart: its label and value.
struct Bar {
  std::string label;
  float value = 0;
};

struct Dashboard {
  int year = 0, month = 0;
  report::MonthlyReport report;
  std::vector<RateCard> cards;
  std::vector<float> received_per_day, handled_per_day;
  std::vector<Bar> by_category;   // Most first.
  std::vector<Bar> by_community;  // Most first; past kCommunityBars the rest are summed as 其他.
  std::vector<Bar> by_department;  // Most first; not assigned yet as 未派单.
  std::vector<Bar> by_source;      // Most first.
  static constexpr size_t kCommunityBars = 12;
};

// The dashboard of a computed report, with labels in `lang`.
Dashboard derive_dashboard(report::MonthlyReport report, Lang lang);

// The month's report over `store`, cached: read again only when the month, the language or the
// data revision changed, and while the data pours in (a first sync) at most every kRefreshMs.
class DashboardCache {
 public:
  static constexpr int64_t kRefreshMs = 5'000;
  const Dashboard* get(Store& store, const WorkdayCalendar& calendar, int year, int month, Lang lang,
                       uint64_t revision, int64_t now_ms);
  const std::string& error() const { return m_error; }
  const Dashboard* last() const { return m_dashboard ? &*m_dashboard : nullptr; }  // As last computed.
  int computations() const { return m_computations; }  // For tests: how often it read the store.

 private:
  std::optional<Dashboard> m_dashboard;
  int m_year = 0, m_month = 0;
  Lang m_lang = Lang::Zh;
  uint64_t m_revision = 0;
  int64_t m_computed_at = 0;
  int m_computations = 0;
  std::string m_error;
};

}  // namespace linli::ui
