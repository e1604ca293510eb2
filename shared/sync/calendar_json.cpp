#include "sync/calendar_json.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace linli {
namespace {

using json = nlohmann::json;

Error bad(const std::string& what) { return Error{ErrorCode::InvalidArgument, "[calendar] " + what}; }

Result<CalendarYear> year_from(int year, const json& j) {
  if (!j.is_object()) return bad(std::to_string(year) + ": not an object");
  CalendarYear y;
  y.year = year;
  if (auto s = j.find("source"); s != j.end()) {
    if (!s->is_string()) return bad(std::to_string(year) + ": \"source\" is not text");
    y.source = s->get<std::string>();
  }
  const auto day = [&](const json& v) -> Result<int64_t> {
    if (!v.is_string()) return bad(std::to_string(year) + ": a day is not text");
    auto d = parse_iso_day(v.get<std::string>());
    if (!d) return bad(std::to_string(year) + ": \"" + v.get<std::string>() + "\" is not a date (YYYY-MM-DD)");
    return *d;
  };
  auto h = j.find("holidays");
  if (h == j.end() || !h->is_array()) return bad(std::to_string(year) + ": \"holidays\" must be a list of [first, last]");
  for (const json& range : *h) {
    if (!range.is_array() || range.size() != 2) return bad(std::to_string(year) + ": a holiday is not [first, last]");
    auto first = day(range[0]);
    if (!first) return first.error();
    auto last = day(range[1]);
    if (!last) return last.error();
    y.holidays.emplace_back(*first, *last);
  }
  auto w = j.find("workdays");
  if (w == j.end() || !w->is_array()) return bad(std::to_string(year) + ": \"workdays\" must be a list of days");
  for (const json& v : *w) {
    auto d = day(v);
    if (!d) return d.error();
    y.workdays.push_back(*d);
  }
  return y;
}

json year_json(const CalendarYear& y) {
  json h = json::array(), w = json::array();
  for (const auto& [first, last] : y.holidays) h.push_back(json::array({format_iso_day(first), format_iso_day(last)}));
  for (int64_t d : y.workdays) w.push_back(format_iso_day(d));
  return json{{"source", y.source}, {"holidays", h}, {"workdays", w}};
}

}  // namespace

Result<WorkdayCalendar> parse_calendar_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return bad("not JSON");
  auto years = j.find("years");
  if (!j.is_object() || years == j.end() || !years->is_object()) return bad("no \"years\" object");
  WorkdayCalendar calendar;
  for (auto it = years->begin(); it != years->end(); ++it) {
    const std::string& key = it.key();
    char* end = nullptr;
    const long n = std::strtol(key.c_str(), &end, 10);
    if (key.size() != 4 || end != key.c_str() + key.size()) return bad("\"" + key + "\" is not a year");
    auto y = year_from(static_cast<int>(n), it.value());
    if (!y) return y.error();
    if (auto added = calendar.add_year(std::move(y).value()); !added) return added.error();
  }
  return calendar;
}

Result<CalendarYear> parse_calendar_year_json(int year, std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return bad("not JSON");
  auto y = year_from(year, j);
  if (!y) return y.error();
  WorkdayCalendar check;  // The same checks as a year of the file.
  if (auto added = check.add_year(*y); !added) return added.error();
  return y;
}

std::string calendar_year_to_json(const CalendarYear& y) { return year_json(y).dump(); }

std::string calendar_to_json(const WorkdayCalendar& calendar) {
  json years = json::object();
  for (int y : calendar.years()) years[std::to_string(y)] = year_json(*calendar.year(y));
  return json{{"years", years}}.dump();
}

const WorkdayCalendar& builtin_calendar() {
  static const WorkdayCalendar calendar = [] {
    auto c = parse_calendar_json(builtin_calendar_json());
    // The file is checked by a test at build time; a broken one leaves the calendar empty, which
    // reports every deadline as unknown rather than guessing.
    return c ? std::move(c).value() : WorkdayCalendar{};
  }();
  return calendar;
}

}  // namespace linli
