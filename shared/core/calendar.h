// The official working-day calendar of mainland China: public holidays and the make-up working
// days (调休上班) of the State Council's yearly notice. Days not listed follow the week (Monday to
// Friday work). A year without a notice is unknown: every question about it says so (nullopt),
// never a guess. Pure; days are counted from 1970-01-01 (civil_time.h), in Shanghai.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace linli {

// One year's notice, as the calendar data file gives it.
struct CalendarYear {
  int year = 0;
  std::string source;                                // The notice, e.g. "国办发明电〔2024〕12号".
  std::vector<std::pair<int64_t, int64_t>> holidays;  // Inclusive day ranges off work.
  std::vector<int64_t> workdays;                      // Weekend days worked instead (调休).
  friend bool operator==(const CalendarYear&, const CalendarYear&) = default;
};

class WorkdayCalendar {
 public:
  // Checks and adds (or replaces) a year: every day listed must fall in that year, ranges must
  // not be reversed, and a make-up working day must not also be a holiday.
  Result<void> add_year(CalendarYear year);

  bool covers_year(int year) const { return m_years.count(year) != 0; }
  // The years known, ascending.
  std::vector<int> years() const;
  const CalendarYear* year(int y) const;

  // nullopt when the day's year has no notice here.
  std::optional<bool> is_workday(int64_t day) const;
  // The n-th working day after `day` (n ≥ 1; `day` itself does not count, whether it is a working
  // day or not). nullopt when the count runs into a year without a notice.
  std::optional<int64_t> add_workdays(int64_t day, int n) const;
  // Working days strictly after `from` up to and including `to` (0 when to ≤ from); nullopt when
  // a year between has no notice.
  std::optional<int> workdays_between(int64_t from, int64_t to) const;

  friend bool operator==(const WorkdayCalendar&, const WorkdayCalendar&) = default;

 private:
  std::map<int, CalendarYear> m_years;
  std::set<int64_t> m_holidays;  // Every holiday day of every year, expanded.
  std::set<int64_t> m_workdays;
};

// The year (e.g. 2026) of a day counted from 1970-01-01.
int year_of_day(int64_t day);
// "2026-10-01" → days since 1970-01-01; nullopt when not such a date.
std::optional<int64_t> parse_iso_day(std::string_view text);
// Days since 1970-01-01 → "2026-10-01".
std::string format_iso_day(int64_t day);

}  // namespace linli
