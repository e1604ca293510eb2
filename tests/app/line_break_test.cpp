// Chinese line breaking (app/line_break.h): no closing punctuation opens a line, no opening one
// ends it, Latin words stay whole.
#include "line_break.h"

#include <gtest/gtest.h>

namespace linli::ui {
namespace {

// Every ideograph and fullwidth mark 2 wide, everything else 1: a line of width 20 holds ten
// Chinese characters.
float advance(char32_t c) { return c >= 0x2E80 ? 2.0f : 1.0f; }
std::string lines(std::string_view text, float width) { return break_lines(text, width, advance); }

TEST(LineBreak, ChineseBreaksBetweenAnyTwoCharactersWhenNothingForbidsIt) {
  EXPECT_EQ(lines("小区垃圾箱房今天一早就满了", 20), "小区垃圾箱房今天一早\n就满了");
  EXPECT_EQ(lines("小区垃圾箱房", 20), "小区垃圾箱房");
}

// The case seen on a phone: "。" alone on the last line. The character before it goes down with it.
TEST(LineBreak, AClosingMarkNeverOpensALine) {
  EXPECT_EQ(lines("小区垃圾箱房今天一早。", 20), "小区垃圾箱房今天一\n早。");
  EXPECT_EQ(lines("再决定结案、重派或重开", 10), "再决定结\n案、重派或\n重开");
  // Two closing marks in a row go down with the character before them (“ and ” are 1 wide here).
  EXPECT_EQ(lines("他说“门岗已加派一人。”", 20), "他说“门岗已加派一\n人。”");
}

TEST(LineBreak, AnOpeningMarkNeverEndsALine) {
  EXPECT_EQ(lines("请城运中心核对“时间线”", 16), "请城运中心核对\n“时间线”");
}

TEST(LineBreak, LatinWordsAndNumbersBreakOnlyAtSpaces) {
  EXPECT_EQ(lines("The centre checks the timeline", 12), "The centre\nchecks the\ntimeline");
  // Beside an ideograph a number may break, but keeps the measure word after it: 927弄, 102只.
  EXPECT_EQ(lines("中华新路927弄12号", 12), "中华新路\n927弄12号");
  EXPECT_EQ(lines("共捕鼠102只", 10), "共捕鼠\n102只");
  EXPECT_EQ(lines("no 927 here", 5), "no\n927\nhere");
  // A date and its time stay together (a space between two numbers is no break).
  EXPECT_EQ(lines("last report 2026-12-04 04:13", 20), "last report\n2026-12-04 04:13");
  // A word longer than the line is cut.
  EXPECT_EQ(lines("abcdefghij", 4), "abcd\nefgh\nij");
}

TEST(LineBreak, NewlinesStayAndNothingIsLost) {
  EXPECT_EQ(lines("第一行\n第二行", 20), "第一行\n第二行");
  EXPECT_EQ(lines("", 10), "");
  // A character wider than the line stands alone rather than looping.
  EXPECT_EQ(lines("中文", 1), "中\n文");
  // Malformed bytes pass through untouched.
  EXPECT_EQ(lines("a\xff" "b", 10), "a\xff" "b");
}

}  // namespace
}  // namespace linli::ui
