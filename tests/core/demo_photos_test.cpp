// The demo photos (core/demo_photos.h): real PNG files, read back here by a small inflate of
// their own (fixed Huffman codes, the only kind the encoder writes), the same bytes every time,
// and attached to ticket 1 of the demo street, before then after, by the committee handling it.
#include <gtest/gtest.h>

#include <optional>

#include "core/demo_data.h"
#include "core/demo_photos.h"
#include "core/sha256.h"

namespace linli {
namespace {

uint32_t be32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

// Inflates one final block of fixed Huffman codes (RFC 1951, 3.2.6), as a reader independent of
// the writer: a bitwise CRC-32 and Adler-32 are checked too. Nullopt, and why, for what it cannot read.
class Inflater {
 public:
  explicit Inflater(std::string_view in) : m_in(in) {}
  std::optional<std::string> run() {
    if (bits(1) != 1 || bits(2) != 1) return fail("not one final fixed-code block");
    std::string out;
    while (m_why.empty()) {
      const int sym = symbol();
      if (sym < 0) return fail("not a fixed code");
      if (sym < 256) {
        out.push_back(static_cast<char>(sym));
        continue;
      }
      if (sym == 256) return out;
      if (sym > 285) return fail("not a length code");
      static const int kBase[] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
      static const int kExtra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
      const int i = sym - 257;
      const int length = kBase[i] + static_cast<int>(bits(kExtra[i]));
      const uint32_t dcode = code(5);
      if (dcode > 3) return fail("a distance this reader does not expect");
      const size_t distance = dcode + 1;
      if (distance > out.size()) return fail("a distance before the start");
      for (int k = 0; k < length; ++k) out.push_back(out[out.size() - distance]);
    }
    return std::nullopt;
  }
  const std::string& why() const { return m_why; }

 private:
  std::optional<std::string> fail(const char* why) {
    if (m_why.empty()) m_why = why;
    return std::nullopt;
  }
  uint32_t bit() {
    if (m_pos / 8 >= m_in.size()) {
      fail("past the end");
      return 0;
    }
    const uint32_t b = (static_cast<uint8_t>(m_in[m_pos / 8]) >> (m_pos % 8)) & 1;
    ++m_pos;
    return b;
  }
  uint32_t bits(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v |= bit() << i;
    return v;
  }
  uint32_t code(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 1) | bit();
    return v;
  }
  int symbol() {
    uint32_t c = code(7);
    if (c <= 0x17) return 256 + static_cast<int>(c);
    c = (c << 1) | bit();
    if (c >= 0x30 && c <= 0xBF) return static_cast<int>(c - 0x30);
    if (c >= 0xC0 && c <= 0xC7) return 280 + static_cast<int>(c - 0xC0);
    c = (c << 1) | bit();
    if (c >= 0x190 && c <= 0x1FF) return 144 + static_cast<int>(c - 0x190);
    return -1;
  }
  std::string_view m_in;
  size_t m_pos = 0;
  std::string m_why;
};

uint32_t crc32_bitwise(std::string_view s) {
  uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : s) {
    crc ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

struct Decoded {
  uint32_t width = 0, height = 0;
  std::string palette;
  std::string scanlines;  // Each row: its filter byte, then its pixels.
};

Decoded decode(const std::string& png) {
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n"));
  Decoded d;
  std::string idat;
  std::vector<std::string> order;
  for (size_t at = 8; at < png.size();) {
    const uint32_t n = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    const std::string body = png.substr(at + 8, n);
    EXPECT_EQ(be32(png, at + 8 + n), crc32_bitwise(type + body)) << type;
    order.push_back(type);
    if (type == "IHDR") {
      d.width = be32(body, 0);
      d.height = be32(body, 4);
      EXPECT_EQ(body.substr(8), std::string("\x08\x03\x00\x00\x00", 5)) << "8-bit palette, no interlace";
    }
    if (type == "PLTE") d.palette = body;
    if (type == "IDAT") idat += body;
    at += 12 + n;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"IHDR", "PLTE", "IDAT", "IEND"}));
  EXPECT_EQ(idat.substr(0, 2), "\x78\x01");
  EXPECT_EQ((static_cast<uint8_t>(idat[0]) * 256 + static_cast<uint8_t>(idat[1])) % 31, 0) << "zlib header check";
  Inflater inflater(std::string_view(idat).substr(2, idat.size() - 6));
  const std::optional<std::string> raw = inflater.run();
  EXPECT_TRUE(raw.has_value()) << inflater.why();
  d.scanlines = raw.value_or("");
  uint32_t a = 1, b = 0;
  for (const char ch : d.scanlines) {
    a = (a + static_cast<uint8_t>(ch)) % 65521;
    b = (b + a) % 65521;
  }
  EXPECT_EQ(be32(idat, idat.size() - 4), (b << 16) | a) << "Adler-32";
  return d;
}

TEST(DemoPhotos, ASmallImageReadsBackPixelForPixel) {
  // Runs of every length the code has a base for, and single pixels between them.
  std::vector<uint8_t> pixels;
  for (int run = 1; pixels.size() < 40 * 30; ++run) pixels.insert(pixels.end(), static_cast<size_t>(run % 300), static_cast<uint8_t>(run % 3));
  pixels.resize(40 * 30);
  const std::vector<uint8_t> palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  const Decoded d = decode(encode_png_indexed(40, 30, palette, pixels));
  EXPECT_EQ(d.width, 40u);
  EXPECT_EQ(d.height, 30u);
  EXPECT_EQ(d.palette, std::string(palette.begin(), palette.end()));
  ASSERT_EQ(d.scanlines.size(), 41u * 30u);
  for (size_t y = 0; y < 30; ++y) {
    EXPECT_EQ(d.scanlines[y * 41], '\0') << "filter none";
    EXPECT_EQ(d.scanlines.substr(y * 41 + 1, 40), std::string(pixels.begin() + static_cast<ptrdiff_t>(y * 40),
                                                             pixels.begin() + static_cast<ptrdiff_t>(y * 40 + 40)));
  }
}

TEST(DemoPhotos, BothPhotosAreWholePngFilesThatDifferAndNeverChange) {
  const std::string before = demo_photo_png(PhotoPhase::Before), after = demo_photo_png(PhotoPhase::After);
  for (const std::string* png : {&before, &after}) {
    const Decoded d = decode(*png);
    EXPECT_EQ(d.width, 960u);
    EXPECT_EQ(d.height, 720u);
    EXPECT_EQ(d.scanlines.size(), 961u * 720u);
    for (size_t i = 0; i < d.scanlines.size(); ++i)
      if (i % 961 != 0) {
        ASSERT_LT(static_cast<uint8_t>(d.scanlines[i]) * 3u, d.palette.size()) << "an index in the palette";
      }
    EXPECT_LT(png->size(), 100'000u);
  }
  EXPECT_NE(before, after);
  EXPECT_EQ(before, demo_photo_png(PhotoPhase::Before));
  EXPECT_EQ(demo_photo(PhotoPhase::After).sha256, sha256_hex(after));
  EXPECT_EQ(demo_photo(PhotoPhase::After).size, static_cast<int64_t>(after.size()));
  EXPECT_EQ(demo_photo(PhotoPhase::Before).type, "image/png");
}

TEST(DemoPhotos, TheDeliveryPointTicketHasItsBeforePhotoThenItsAfterPhotoFromItsCommittee) {
  std::vector<Change> photos;
  for (const Change& c : demo_changes(1'795'960'000'000, ReplicaId{1, 1}, 1))
    if (c.kind == ChangeKind::AttachPhoto) photos.push_back(c);
  ASSERT_EQ(photos.size(), 2u);
  for (const Change& c : photos) {
    EXPECT_EQ(c.ticket_id, demo_ticket_id(1));
    EXPECT_EQ(c.author.user, "hebin.li");
    EXPECT_EQ(c.author.role, Role::Committee);
  }
  EXPECT_EQ(photos[0].photo, demo_photo(PhotoPhase::Before));
  EXPECT_EQ(photos[1].photo, demo_photo(PhotoPhase::After));
  EXPECT_LT(photos[0].stamp, photos[1].stamp);
}

}  // namespace
}  // namespace linli
