// GlyphSet: which characters of the text shown the first font lacks, for the atlas to add.
#include "glyph_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace linli::ui {
namespace {

// A first font of ASCII, 李 and the run 王..环 (U+738B..U+73AF), as the generated ranges are laid out.
const uint16_t kFirst[] = {0x0020, 0x007E, 0x674E, 0x674E, 0x738B, 0x73AF, 0};

std::vector<uint16_t> ranges_of(GlyphSet& g) { return g.take_ranges(); }

TEST(GlyphSet, NotesOnlyWhatTheFirstFontLacks) {
  GlyphSet g(kFirst);
  g.note("李堃 at 王 Road");
  EXPECT_EQ(g.noted(), (std::vector<uint16_t>{0x5803}));  // 堃; 李, 王 and ASCII are in the first font.
  EXPECT_TRUE(g.has_new());
}

TEST(GlyphSet, NamesAndAddressesGiveTheirRareCharacters) {
  GlyphSet g(kFirst);
  g.note("李堃");
  g.note("喆昇路珺园3号");
  EXPECT_EQ(g.noted(), (std::vector<uint16_t>{0x5803, 0x5586, 0x6607, 0x8DEF, 0x73FA, 0x56ED, 0x53F7}));
}

TEST(GlyphSet, TakeRangesGivesSortedMergedPairsEndedByZeroAndClearsNew) {
  GlyphSet g(kFirst);
  g.note("昇喆堃");
  g.note("\u5804\u5805");  // Next to 堃 (U+5803): one range.
  EXPECT_EQ(ranges_of(g), (std::vector<uint16_t>{0x5586, 0x5586, 0x5803, 0x5805, 0x6607, 0x6607, 0}));
  EXPECT_FALSE(g.has_new());
}

TEST(GlyphSet, NotingTheSameTextAgainIsNothingNew) {
  GlyphSet g(kFirst);
  g.note("珺");
  (void)g.take_ranges();
  g.note("珺珺 李");
  EXPECT_FALSE(g.has_new());
  EXPECT_EQ(g.noted().size(), 1u);
  g.note("喆");
  EXPECT_TRUE(g.has_new());
  EXPECT_EQ(ranges_of(g), (std::vector<uint16_t>{0x5586, 0x5586, 0x73FA, 0x73FA, 0}));
}

TEST(GlyphSet, SkipsMalformedBytesControlsAndCodePointsBeyondTheBmp) {
  GlyphSet g(kFirst);
  std::string bytes = "\x80";    // A lone continuation byte.
  bytes += "\xE5\xA0";           // A three-byte sequence cut short by the next lead byte,
  bytes += "\xE5";               // a lead byte followed by ASCII,
  bytes += "a";
  bytes += "\xC2\x85";           // a C1 control character (U+0085),
  bytes += "\xF0\x9F\x98\x80";   // an emoji (U+1F600, beyond the BMP),
  bytes += "\xE5\xA0\x83";       // then U+5803.
  g.note(bytes);
  EXPECT_EQ(g.noted(), (std::vector<uint16_t>{0x5803}));
}

TEST(GlyphSet, AnEmptySetTakesOnlyTheTerminator) {
  GlyphSet g(kFirst);
  g.note("plain ASCII, 李王");
  EXPECT_FALSE(g.has_new());
  EXPECT_EQ(ranges_of(g), (std::vector<uint16_t>{0}));
}

TEST(GlyphSet, StopsNotingAtTheLimitSoTheAtlasStaysBounded) {
  GlyphSet g(kFirst);
  std::string hangul;  // 가 (U+AC00) onwards: three bytes each.
  for (uint32_t c = 0xAC00; c < 0xAC00 + GlyphSet::kMaxNoted + 10; ++c) {
    hangul += static_cast<char>(0xE0 | (c >> 12));
    hangul += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    hangul += static_cast<char>(0x80 | (c & 0x3F));
  }
  g.note(hangul);
  EXPECT_EQ(g.noted().size(), GlyphSet::kMaxNoted);
  g.note("堃");
  EXPECT_EQ(g.noted().size(), GlyphSet::kMaxNoted);
}

}  // namespace
}  // namespace linli::ui
