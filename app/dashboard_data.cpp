// The dashboard's figures (dashboard_data.h): the report through a reader over the replica, and
// the cards and series the panel draws. No drawing, no ImGui.
#include "dashboard_data.h"

#include <algorithm>
#include <cmath>

#include "core/civil_time.h"
#include "report/store_reader.h"

namespace linli::ui {
namespace {

RateCard card(Str label, const report::Rate& now, const report::Rate& before, bool lower_is_better) {
  RateCard c;
  c.label = label;
  c.lower_is_better = lower_is_better;
  c.now = now.value();
  c.before = before.value();
  c.now_known = now.of > 0;
  c.before_known = before.of > 0;
  c.count = now.count;
  c.of = now.of;
  return c;
}

std::vector<Bar> sorted_bars(std::vector<Bar> bars) {
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
  return bars;
}

}  // namespace

Trend trend_of(const RateCard& c) {
  if (!c.now_known || !c.before_known) return Trend::Unknown;
  // As the card shows them (one decimal of hours or of a percentage): no arrow when those are equal.
  const double scale = c.hours ? 10 : 1000;
  if (std::lround(c.now * scale) == std::lround(c.before * scale)) return Trend::Same;
  return (c.now < c.before) == c.lower_is_better ? Trend::Better : Trend::Worse;
}

Dashboard derive_dashboard(report::MonthlyReport r, Lang lang) {
  Dashboard d;
  d.year = r.year;
  d.month = r.month;
  const report::MonthlyRates& p = r.previous;
  d.cards = {card(Str::RateHandled, r.handled, p.handled, false),
             card(Str::RateOnTime, r.handled_on_time, p.handled_on_time, false),
             card(Str::RateContacted, r.contacted_on_time, p.contacted_on_time, false),
             card(Str::RateSameDay, r.replied_same_day, p.replied_same_day, false),
             card(Str::RateSatisfied, r.satisfied, p.satisfied, false),
             card(Str::RateResolved, r.resolved, p.resolved, false),
             card(Str::RateReassigned, r.reassigned, p.reassigned, true),
             card(Str::RateExtended, r.extended, p.extended, true),
             card(Str::RateRebound, r.rebound, p.rebound, true),
             card(Str::RateCoReplied, r.co_replied_on_time, p.co_replied_on_time, false)};
  RateCard contact;
  contact.label = Str::DashContactTime;
  contact.lower_is_better = true;
  contact.hours = true;
  contact.now = r.contact_time.average_hours();
  contact.before = p.contact_time.average_hours();
  contact.now_known = r.contact_time.of > 0;
  contact.before_known = p.contact_time.of > 0;
  contact.of = r.contact_time.of;
  d.cards.push_back(contact);
  // The line stops at the report's day: the days of this month still to come handled nothing
  // yet, which is not the same as none (the chart draws no point for them).
  const int64_t first_day = shanghai_days(r.from_ms);
  const int64_t last_seen = r.as_of_ms > 0 ? shanghai_days(r.as_of_ms) - first_day : INT64_MAX;
  for (size_t i = 0; i < r.days.size(); ++i) {
    d.received_per_day.push_back(static_cast<float>(r.days[i].received));
    if (static_cast<int64_t>(i) <= last_seen) d.handled_per_day.push_back(static_cast<float>(r.days[i].handled));
  }
  for (const auto& [c, n] : r.by_category) d.by_category.push_back({std::string(label(lang, c)), static_cast<float>(n)});
  d.by_category = sorted_bars(std::move(d.by_category));
  std::vector<Bar> communities;
  for (const auto& [c, n] : r.by_community) communities.push_back({c, static_cast<float>(n)});
  communities = sorted_bars(std::move(communities));
  if (communities.size() > Dashboard::kCommunityBars) {
    Bar rest{std::string(label(lang, Category::Other)), 0};
    for (size_t i = Dashboard::kCommunityBars - 1; i < communities.size(); ++i) rest.value += communities[i].value;
    communities.resize(Dashboard::kCommunityBars - 1);
    communities.push_back(rest);
  }
  d.by_community = std::move(communities);
  for (const auto& [dept, n] : r.by_department)
    d.by_department.push_back({dept.empty()                     ? std::string(tr(lang, Str::DashUnassigned))
                               : dept == report::kCentreAnswered ? std::string(tr(lang, Str::AnsweredByCentre))
                                                                 : dept,
                               static_cast<float>(n)});
  d.by_department = sorted_bars(std::move(d.by_department));
  for (const auto& [src, n] : r.by_source) d.by_source.push_back({std::string(label(lang, src)), static_cast<float>(n)});
  d.by_source = sorted_bars(std::move(d.by_source));
  d.report = std::move(r);
  return d;
}

const Dashboard* DashboardCache::get(Store& store, const WorkdayCalendar& calendar, int year, int month, Lang lang,
                                     uint64_t revision, int64_t now_ms) {
  const bool same_month = m_dashboard && m_year == year && m_month == month && m_lang == lang;
  if (same_month && (m_revision == revision || now_ms - m_computed_at < kRefreshMs)) return &*m_dashboard;
  report::StoreTicketReader reader(store);  // The replica holds its user's scope: every ticket counts.
  auto r = report::monthly_report(reader, year, month, calendar, now_ms);
  ++m_computations;
  m_year = year;
  m_month = month;
  m_lang = lang;
  m_revision = revision;
  m_computed_at = now_ms;
  if (!r) {
    m_error = r.error().detail;
    m_dashboard.reset();
    return nullptr;
  }
  m_error.clear();
  m_dashboard = derive_dashboard(std::move(*r), lang);
  return &*m_dashboard;
}

}  // namespace linli::ui
