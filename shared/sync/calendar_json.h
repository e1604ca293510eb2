// The working-day calendar's JSON form: the data file the product ships
// (shared/data/cn-workday-calendar.json, built in) and what GET /api/v1/calendar answers.
//   {"years": {"2026": {"source": "...", "holidays": [["2026-01-01", "2026-01-03"], ...],
//                       "workdays": ["2026-01-04", ...]}, ...}}
// A year's own object alone (as an administrator adds the next notice) is the same without the
// outer "years".
#pragma once

#include <string>
#include <string_view>

#include "core/calendar.h"
#include "core/result.h"

namespace linli {

Result<WorkdayCalendar> parse_calendar_json(std::string_view text);
// One year's notice: {"source": ..., "holidays": [...], "workdays": [...]}.
Result<CalendarYear> parse_calendar_year_json(int year, std::string_view text);
std::string calendar_to_json(const WorkdayCalendar& calendar);
std::string calendar_year_to_json(const CalendarYear& year);

// The calendar built into this program from shared/data/cn-workday-calendar.json.
const WorkdayCalendar& builtin_calendar();
// Its text, as shipped.
std::string_view builtin_calendar_json();

}  // namespace linli
