#include "core/calendar.h"

#include <cstdio>

#include "core/civil_time.h"

namespace linli {
namespace {

Error bad_calendar(const std::string& what) { return Error{ErrorCode::InvalidArgument, "[calendar] " + what}; }

// 1970-01-01 was a Thursday: day 0 → 4 (Sunday 0 ... Saturday 6).
int weekday(int64_t day) {
  const int64_t w = (day + 4) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

}  // namespace

int year_of_day(int64_t day) { return civil_from_days(day).year; }

std::optional<int64_t> parse_iso_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int v[3] = {0, 0, 0};
  const size_t at[3] = {0, 5, 8}, width[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i)
    for (size_t k = 0; k < width[i]; ++k) {
      const char c = s[at[i] + k];
      if (c < '0' || c > '9') return std::nullopt;
      v[i] = v[i] * 10 + (c - '0');
    }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1) return std::nullopt;
  const int64_t day = days_from_civil(v[0], v[1], v[2]);
  const CivilDay back = civil_from_days(day);
  if (back.year != v[0] || back.month != v[1] || back.day != v[2]) return std::nullopt;  // 2026-02-30
  return day;
}

std::string format_iso_day(int64_t day) {
  const CivilDay d = civil_from_days(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Result<void> WorkdayCalendar::add_year(CalendarYear y) {
  if (y.year < 1990 || y.year > 2200) return bad_calendar("year " + std::to_string(y.year) + " is out of range");
  std::set<int64_t> off;
  for (const auto& [first, last] : y.holidays) {
    if (last < first) return bad_calendar("holiday " + format_iso_day(first) + " ends before it begins");
    if (year_of_day(first) != y.year && year_of_day(last) != y.year)
      return bad_calendar("holiday " + format_iso_day(first) + " is not in " + std::to_string(y.year));
    if (last - first > 31) return bad_calendar("holiday from " + format_iso_day(first) + " is longer than a month");
    for (int64_t d = first; d <= last; ++d) off.insert(d);
  }
  for (int64_t d : y.workdays) {
    if (year_of_day(d) != y.year) return bad_calendar("working day " + format_iso_day(d) + " is not in " + std::to_string(y.year));
    if (off.count(d)) return bad_calendar(format_iso_day(d) + " is both a holiday and a working day");
  }
  // Replace: take out what the year gave before.
  if (auto it = m_years.find(y.year); it != m_years.end()) {
    for (const auto& [first, last] : it->second.holidays)
      for (int64_t d = first; d <= last; ++d) m_holidays.erase(d);
    for (int64_t d : it->second.workdays) m_workdays.erase(d);
  }
  m_holidays.insert(off.begin(), off.end());
  m_workdays.insert(y.workdays.begin(), y.workdays.end());
  const int key = y.year;
  m_years[key] = std::move(y);
  return Ok{};
}

std::vector<int> WorkdayCalendar::years() const {
  std::vector<int> out;
  for (const auto& [y, _] : m_years) out.push_back(y);
  return out;
}

const CalendarYear* WorkdayCalendar::year(int y) const {
  auto it = m_years.find(y);
  return it == m_years.end() ? nullptr : &it->second;
}

std::optional<bool> WorkdayCalendar::is_workday(int64_t day) const {
  if (!covers_year(year_of_day(day))) return std::nullopt;
  if (m_workdays.count(day)) return true;
  if (m_holidays.count(day)) return false;
  const int w = weekday(day);
  return w != 0 && w != 6;
}

std::optional<int64_t> WorkdayCalendar::add_workdays(int64_t day, int n) const {
  int64_t d = day;
  // The longest run of days off in any notice is well under a month; 400 bounds the loop.
  for (int left = n, guard = 0; left > 0; ++guard) {
    if (guard > n + 400) return std::nullopt;
    ++d;
    const auto w = is_workday(d);
    if (!w) return std::nullopt;
    if (*w) --left;
  }
  return d;
}

std::optional<int> WorkdayCalendar::workdays_between(int64_t from, int64_t to) const {
  int n = 0;
  for (int64_t d = from + 1; d <= to; ++d) {
    const auto w = is_workday(d);
    if (!w) return std::nullopt;
    if (*w) ++n;
  }
  return n;
}

}  // namespace linli
