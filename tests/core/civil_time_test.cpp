// Shanghai wall-clock times.
#include "core/civil_time.h"

#include <gtest/gtest.h>

namespace linli {
namespace {

TEST(CivilTime, FormatsTheShanghaiMinute) {
  EXPECT_EQ(format_shanghai_minute(1'795'967'999'000), "2026-11-29 23:59");
  EXPECT_EQ(format_shanghai_minute(1'795'968'000'000), "2026-11-30 00:00");
  EXPECT_EQ(format_shanghai_minute(0), "1970-01-01 08:00");
}

TEST(CivilTime, ParsesWhatItFormats) {
  for (int64_t t : {int64_t{0}, int64_t{951'782'400'000}, int64_t{1'795'967'940'000}})
    EXPECT_EQ(parse_shanghai_minute(format_shanghai_minute(t)), t) << t;
  EXPECT_EQ(parse_shanghai_minute("2026-11-29T23:59:59"), 1'795'967'999'000);
  EXPECT_EQ(parse_shanghai_minute(" 2026-11-29 23:59 "), 1'795'967'940'000);
}

TEST(CivilTime, RefusesTimesThatDoNotExist) {
  EXPECT_FALSE(parse_shanghai_minute("2026-02-29 10:00"));  // 2026 is not a leap year.
  EXPECT_TRUE(parse_shanghai_minute("2028-02-29 10:00"));
  EXPECT_FALSE(parse_shanghai_minute("2026-13-01 10:00"));
  EXPECT_FALSE(parse_shanghai_minute("2026-11-29 24:00"));
  EXPECT_FALSE(parse_shanghai_minute("2026-11-29"));
  EXPECT_FALSE(parse_shanghai_minute("2026/11/29 10:00"));
  EXPECT_FALSE(parse_shanghai_minute("昨天下午"));
  EXPECT_FALSE(parse_shanghai_minute(""));
}

}  // namespace
}  // namespace linli
