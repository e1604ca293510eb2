// The demo's two photos, drawn and written as PNG (demo_photos.h). The encoder is the smallest
// that is still a real PNG: one IDAT of a zlib stream, deflate with the fixed Huffman code, each
// byte a literal or the run of the byte before it (distance 1), so a drawing of flat colours
// comes to a few tens of kilobytes.
#include "core/demo_photos.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string_view>

#include "core/sha256.h"

namespace linli {
namespace {

// ---- PNG -----------------------------------------------------------------------------------

uint32_t crc32(std::string_view bytes, uint32_t crc = 0) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (const char ch : bytes) crc = table[(crc ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void put_chunk(std::string& png, std::string_view type, std::string_view data) {
  put_u32(png, static_cast<uint32_t>(data.size()));
  std::string body(type);
  body.append(data);
  png.append(body);
  put_u32(png, crc32(body));
}

// Bits into bytes, least significant bit first, as deflate (RFC 1951) packs them.
class BitWriter {
 public:
  void bits(uint32_t value, int count) {
    for (int i = 0; i < count; ++i) push((value >> i) & 1);
  }
  // A Huffman code goes most significant bit first.
  void code(uint32_t value, int length) {
    for (int i = length - 1; i >= 0; --i) push((value >> i) & 1);
  }
  std::string finish() {
    if (m_used) m_out.push_back(static_cast<char>(m_byte));
    m_byte = 0;
    m_used = 0;
    return std::move(m_out);
  }

 private:
  void push(uint32_t bit) {
    m_byte |= static_cast<uint8_t>(bit << m_used);
    if (++m_used == 8) {
      m_out.push_back(static_cast<char>(m_byte));
      m_byte = 0;
      m_used = 0;
    }
  }
  std::string m_out;
  uint8_t m_byte = 0;
  int m_used = 0;
};

// The fixed literal/length code (RFC 1951, 3.2.6).
void literal_or_length(BitWriter& w, int symbol) {
  if (symbol < 144) w.code(0x30 + symbol, 8);
  else if (symbol < 256) w.code(0x190 + (symbol - 144), 9);
  else if (symbol < 280) w.code(symbol - 256, 7);
  else w.code(0xC0 + (symbol - 280), 8);
}

// A match of `length` (3-258) at distance 1.
void run(BitWriter& w, int length) {
  static constexpr std::array<int, 29> kBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
  static constexpr std::array<int, 29> kExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
  int i = 28;
  while (kBase[static_cast<size_t>(i)] > length) --i;
  literal_or_length(w, 257 + i);
  w.bits(static_cast<uint32_t>(length - kBase[static_cast<size_t>(i)]), kExtra[static_cast<size_t>(i)]);
  w.code(0, 5);  // Distance code 0: distance 1, no extra bits.
}

std::string zlib_fixed(std::string_view data) {
  BitWriter w;
  w.bits(1, 1);  // BFINAL: the only block.
  w.bits(1, 2);  // BTYPE 01: fixed Huffman codes.
  size_t i = 0;
  while (i < data.size()) {
    const auto byte = static_cast<uint8_t>(data[i]);
    literal_or_length(w, byte);
    size_t same = 0;
    while (i + 1 + same < data.size() && static_cast<uint8_t>(data[i + 1 + same]) == byte) ++same;
    i += 1;
    while (same >= 3) {
      const int length = static_cast<int>(std::min<size_t>(same, 258));
      run(w, length);
      same -= static_cast<size_t>(length);
      i += static_cast<size_t>(length);
    }
    for (; same > 0; --same, ++i) literal_or_length(w, byte);
  }
  literal_or_length(w, 256);  // End of block.
  uint32_t a = 1, b = 0;      // Adler-32 of the uncompressed data.
  for (const char ch : data) {
    a = (a + static_cast<uint8_t>(ch)) % 65521;
    b = (b + a) % 65521;
  }
  std::string out = "\x78\x01";  // Deflate, 32 KiB window, no dictionary, fastest.
  out += w.finish();
  put_u32(out, (b << 16) | a);
  return out;
}

// ---- The drawing ---------------------------------------------------------------------------

constexpr int kWidth = 960, kHeight = 720;

enum Ink : uint8_t {
  Sky, Facade, Window, Wall, Pavement, Road, Cardboard, Tape, BikeYellow, BikeBlue, Tyre, Bag, Steel,
  Marking, White, Banner, Leaf, GateMetal, Stamp, Trunk, Shadow, Paper, kInkCount
};
constexpr std::array<uint8_t, 3 * kInkCount> kPalette = {
    0xC9, 0xDB, 0xE8,  // Sky: an overcast February day.
    0xE4, 0xD6, 0xBE,  // Facade.
    0x5A, 0x6B, 0x7D,  // Window.
    0xB7, 0xB2, 0xA8,  // Wall.
    0x9C, 0x9A, 0x95,  // Pavement.
    0x55, 0x57, 0x5C,  // Road.
    0xB9, 0x86, 0x4E,  // Cardboard.
    0x8A, 0x5E, 0x30,  // Tape, a box's dark side.
    0xF2, 0xC2, 0x1B,  // A delivery bike, yellow.
    0x1E, 0x8B, 0xE0,  // A delivery bike, blue.
    0x22, 0x22, 0x24,  // Tyre.
    0x2F, 0x3D, 0x33,  // Rubbish bag.
    0x8F, 0x99, 0xA3,  // Steel shelf.
    0xF5, 0xD0, 0x2A,  // Yellow marking.
    0xFA, 0xFA, 0xF7,  // White.
    0xC8, 0x1E, 0x1E,  // The red banner and the gate's name board.
    0x4E, 0x8A, 0x3E,  // Leaves.
    0x4A, 0x4E, 0x55,  // The gate's metal.
    0xFF, 0x8A, 0x1C,  // The camera's date stamp.
    0x6B, 0x4A, 0x2B,  // Trunk.
    0x7E, 0x7C, 0x78,  // Shadow on the pavement.
    0xF3, 0xEE, 0xDC,  // The sign-in book's paper.
};

class Canvas {
 public:
  Canvas() : m_px(static_cast<size_t>(kWidth) * kHeight, Sky) {}
  void rect(int x0, int y0, int x1, int y1, Ink ink) {
    x0 = std::clamp(x0, 0, kWidth);
    x1 = std::clamp(x1, 0, kWidth);
    y0 = std::clamp(y0, 0, kHeight);
    y1 = std::clamp(y1, 0, kHeight);
    for (int y = y0; y < y1; ++y)
      std::fill_n(m_px.begin() + static_cast<ptrdiff_t>(y) * kWidth + x0, std::max(0, x1 - x0), ink);
  }
  void frame(int x0, int y0, int x1, int y1, int thick, Ink ink) {
    rect(x0, y0, x1, y0 + thick, ink);
    rect(x0, y1 - thick, x1, y1, ink);
    rect(x0, y0, x0 + thick, y1, ink);
    rect(x1 - thick, y0, x1, y1, ink);
  }
  void disc(int cx, int cy, int r, Ink ink) {
    for (int y = std::max(0, cy - r); y < std::min(kHeight, cy + r + 1); ++y)
      for (int x = std::max(0, cx - r); x < std::min(kWidth, cx + r + 1); ++x)
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) m_px[static_cast<size_t>(y) * kWidth + x] = ink;
  }
  // A parcel: its face, its darker side and a strip of tape.
  void box(int x, int y, int w, int h) {
    rect(x, y, x + w, y + h, Cardboard);
    rect(x + w - w / 6, y, x + w, y + h, Tape);
    rect(x, y + h / 2 - 2, x + w - w / 6, y + h / 2 + 2, Tape);
  }
  // A delivery e-bike seen from the side, its box on the back; `facing` is 1 or -1.
  void bike(int x, int y, int facing, Ink body) {
    disc(x - 38, y, 17, Tyre);
    disc(x + 38, y, 17, Tyre);
    disc(x - 38, y, 7, Steel);
    disc(x + 38, y, 7, Steel);
    rect(x - 40, y - 16, x + 40, y - 4, body);
    const int front = x + facing * 34;
    rect(std::min(front, front + facing * 8), y - 52, std::max(front, front + facing * 8) + 1, y - 4, GateMetal);
    rect(front - 10, y - 56, front + 10, y - 50, Tyre);
    const int back = x - facing * 26;
    rect(back - 24, y - 58, back + 24, y - 16, body);  // The delivery box.
    rect(back - 24, y - 40, back + 24, y - 36, White);
    rect(x - 10, y - 28, x + 12, y - 18, Tyre);  // Saddle.
  }
  void tree(int x, int ground) {
    rect(x - 7, ground - 120, x + 7, ground, Trunk);
    disc(x, ground - 150, 55, Leaf);
    disc(x - 38, ground - 118, 36, Leaf);
    disc(x + 38, ground - 118, 36, Leaf);
  }
  // Digits, '-' and ':' of a 3x5 font at `scale`, as a phone camera stamps the time.
  void stamp(int x, int y, std::string_view text, int scale) {
    static constexpr std::array<const char*, 12> kGlyphs = {
        "111101101101111", "010110010010111", "111001111100111", "111001111001111",
        "101101111001001", "111100111001111", "111100111101111", "111001001001001",
        "111101111101111", "111101111001111", "000000111000000", "000010000010000"};
    for (const char ch : text) {
      int g = ch >= '0' && ch <= '9' ? ch - '0' : ch == '-' ? 10 : ch == ':' ? 11 : -1;
      if (g >= 0)
        for (int k = 0; k < 15; ++k)
          if (kGlyphs[static_cast<size_t>(g)][k] == '1')
            rect(x + (k % 3) * scale, y + (k / 3) * scale, x + (k % 3 + 1) * scale, y + (k / 3 + 1) * scale, Stamp);
      x += 4 * scale;
    }
  }
  const std::vector<uint8_t>& pixels() const { return m_px; }

 private:
  std::vector<uint8_t> m_px;
};

// What both photos share: the block behind, the wall, the gate with its name board, the trees,
// the pavement and the road.
void street(Canvas& c) {
  c.rect(0, 70, kWidth, 430, Facade);
  for (int row = 0; row < 4; ++row)
    for (int col = 0; col < 10; ++col) c.rect(40 + col * 92, 95 + row * 62, 96 + col * 92, 132 + row * 62, Window);
  c.rect(0, 330, kWidth, 440, Wall);
  c.rect(0, 440, kWidth, 600, Pavement);
  c.rect(0, 600, kWidth, kHeight, Road);
  for (int x = 20; x < kWidth; x += 140) c.rect(x, 656, x + 70, 664, White);
  c.rect(360, 330, 600, 440, Pavement);  // The way in.
  c.rect(325, 240, 365, 445, GateMetal);
  c.rect(595, 240, 635, 445, GateMetal);
  c.rect(320, 222, 640, 268, Banner);  // 河滨花园, its characters as white blocks.
  for (int k = 0; k < 4; ++k) c.rect(372 + k * 58, 232, 410 + k * 58, 258, White);
  c.tree(120, 440);
  c.tree(850, 440);
}

std::vector<uint8_t> draw(PhotoPhase phase) {
  Canvas c;
  street(c);
  if (phase != PhotoPhase::After) {
    // 7 February: parcels dropped all over the gate, bikes left where they stopped, rubbish bags.
    uint32_t seed = 20200207;
    auto next = [&seed](int n) {
      seed = seed * 1103515245u + 12345u;
      return static_cast<int>((seed >> 16) % static_cast<uint32_t>(n));
    };
    for (int k = 0; k < 34; ++k) {
      const int w = 34 + next(50), h = 24 + next(36);
      const int x = 250 + next(460), y = 430 + next(150) - h;
      c.rect(x + 4, y + h, x + w + 4, y + h + 5, Shadow);
      c.box(x, y, w, h);
    }
    c.bike(220, 560, 1, BikeYellow);
    c.bike(470, 585, -1, BikeBlue);
    c.bike(690, 540, 1, BikeYellow);
    c.bike(800, 590, -1, BikeBlue);
    for (int k = 0; k < 5; ++k) c.disc(640 + k * 26, 470 + (k % 2) * 14, 20, Bag);
    c.stamp(612, 676, "2020-02-07 13:11", 5);
  } else {
    // 8 February: the delivery point in a marked corner inside the gate, two shelves of parcels,
    // a table with the sign-in book, the bikes parked in a row, the way in clear.
    c.frame(640, 440, 940, 596, 7, Marking);
    c.rect(650, 300, 930, 336, Banner);
    for (int k = 0; k < 6; ++k) c.rect(668 + k * 44, 308, 700 + k * 44, 328, White);
    for (const int x0 : {660, 800}) {
      c.rect(x0, 340, x0 + 8, 570, Steel);
      c.rect(x0 + 122, 340, x0 + 130, 570, Steel);
      for (int shelf = 0; shelf < 3; ++shelf) {
        const int y = 410 + shelf * 75;
        c.rect(x0, y, x0 + 130, y + 8, Steel);
        for (int b = 0; b < 3; ++b) c.box(x0 + 12 + b * 38, y - 46 + (b % 2) * 8, 34, 46 - (b % 2) * 8);
      }
    }
    c.rect(560, 505, 640, 515, Steel);  // The table and its book.
    c.rect(566, 515, 574, 570, Steel);
    c.rect(626, 515, 634, 570, Steel);
    c.rect(578, 492, 622, 505, Paper);
    c.frame(12, 470, 364, 596, 6, Marking);
    c.bike(75, 570, 1, BikeYellow);
    c.bike(190, 570, 1, BikeBlue);
    c.bike(305, 570, 1, BikeYellow);
    c.stamp(612, 676, "2020-02-08 12:08", 5);
  }
  return c.pixels();
}

}  // namespace

std::string encode_png_indexed(int width, int height, const std::vector<uint8_t>& palette_rgb,
                               const std::vector<uint8_t>& pixels) {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string header;
  put_u32(header, static_cast<uint32_t>(width));
  put_u32(header, static_cast<uint32_t>(height));
  header += std::string{'\x08', '\x03', '\x00', '\x00', '\x00'};  // 8 bits, palette, deflate, no filter, no interlace.
  put_chunk(png, "IHDR", header);
  put_chunk(png, "PLTE", std::string(palette_rgb.begin(), palette_rgb.end()));
  std::string raw;
  raw.reserve(static_cast<size_t>(width + 1) * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    raw.push_back('\0');  // Filter: none.
    const auto row = pixels.begin() + static_cast<ptrdiff_t>(y) * width;
    raw.append(row, row + width);
  }
  put_chunk(png, "IDAT", zlib_fixed(raw));
  put_chunk(png, "IEND", "");
  return png;
}

std::string demo_photo_png(PhotoPhase phase) {
  return encode_png_indexed(kWidth, kHeight, std::vector<uint8_t>(kPalette.begin(), kPalette.end()),
                            draw(phase == PhotoPhase::After ? PhotoPhase::After : PhotoPhase::Before));
}

Photo demo_photo(PhotoPhase phase) {
  const PhotoPhase p = phase == PhotoPhase::After ? PhotoPhase::After : PhotoPhase::Before;
  const std::string bytes = demo_photo_png(p);
  return Photo{sha256_hex(bytes), static_cast<int64_t>(bytes.size()), "image/png", p};
}

}  // namespace linli
