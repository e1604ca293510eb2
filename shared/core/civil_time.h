// Shanghai wall-clock time (UTC+8, no daylight saving) to and from UTC milliseconds. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linli {

struct CivilDay {
  int year, month, day;
};
// The civil date of a day counted from 1970-01-01 (proleptic Gregorian).
CivilDay civil_from_days(int64_t days);
// Days since 1970-01-01 of a civil date (proleptic Gregorian); month 1-12.
int64_t days_from_civil(int64_t year, int64_t month, int64_t day);
// The UTC instant at which a Shanghai day (days since 1970-01-01) begins: its 00:00 local time.
int64_t shanghai_day_start_ms(int64_t days);
// Days since 1970-01-01 of Shanghai's date at a UTC instant.
int64_t shanghai_days(int64_t utc_ms);

// "2026-11-29 14:30" for the Shanghai local time of a UTC instant.
std::string format_shanghai_minute(int64_t utc_ms);
// The reverse; also takes "2026-11-29 14:30:05" and "2026-11-29T14:30". nullopt when the text
// is not such a time or names a day that does not exist (2026-02-30).
std::optional<int64_t> parse_shanghai_minute(std::string_view text);

}  // namespace linli
