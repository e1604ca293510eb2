#include "line_break.h"

#include <vector>

namespace linli::ui {
namespace {

// A code point of `s` at byte `i`, and its length (malformed bytes: one byte, as U+FFFD).
char32_t decode(std::string_view s, size_t i, size_t& len) {
  const auto b = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
  auto bits = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
  if (b < 0x80) return len = 1, b;
  if ((b & 0xE0) == 0xC0 && cont(1)) return len = 2, (static_cast<char32_t>(b & 0x1F) << 6) | bits(1);
  if ((b & 0xF0) == 0xE0 && cont(1) && cont(2))
    return len = 3, (static_cast<char32_t>(b & 0x0F) << 12) | (bits(1) << 6) | bits(2);
  if ((b & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3))
    return len = 4, (static_cast<char32_t>(b & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
  return len = 1, U'\uFFFD';
}

// Never at the start of a line.
bool closing(char32_t c) {
  switch (c) {
    case U'，': case U'。': case U'、': case U'；': case U'：': case U'？': case U'！': case U'）': case U'》':
    case U'」': case U'』': case U'”': case U'’': case U'…': case U'—': case U'〉': case U'】': case U'〕':
    case U'％': case U'·': case U'・': case U'～':
    case U',': case U'.': case U';': case U':': case U'?': case U'!': case U')': case U']': case U'}': case U'%':
      return true;
    default: return false;
  }
}

// Never at the end of a line.
bool opening(char32_t c) {
  switch (c) {
    case U'（': case U'《': case U'「': case U'『': case U'“': case U'‘': case U'〈': case U'【': case U'〔':
    case U'(': case U'[': case U'{':
      return true;
    default: return false;
  }
}

// Characters a line may break beside without a space: CJK ideographs, kana, their punctuation
// and fullwidth forms.
bool ideographic(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF) || c == U'“' || c == U'”' || c == U'‘' ||
         c == U'’' || c == U'…' || c == U'—' || c == U'·';
}

struct Glyph {
  size_t at, len;
  char32_t c;
  float w;
};

}  // namespace

std::vector<LineCut> line_cuts(std::string_view text, float width, const std::function<float(char32_t)>& advance,
                               bool keep_spaces) {
  std::vector<LineCut> cuts;
  std::vector<Glyph> line;  // The current line's characters.
  float line_w = 0;
  // May a line break before line[k] (k > 0)?
  auto may_break_before = [&](size_t k) {
    const char32_t prev = line[k - 1].c, cur = line[k].c;
    if (closing(cur) || opening(prev) || cur == U' ') return false;  // Spaces stay with the word before.
    auto digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
    if (digit(prev) && ideographic(cur)) return false;  // A number keeps its measure word: 927弄.
    // A date keeps its time: "2026-12-04 04:13" (a space between two numbers).
    if (prev == U' ' && k >= 2 && digit(line[k - 2].c) && digit(cur)) return false;
    return prev == U' ' || ideographic(prev) || ideographic(cur);
  };
  for (size_t i = 0; i < text.size();) {
    size_t len = 0;
    const char32_t c = decode(text, i, len);
    if (c == U'\n') {
      line.clear();
      line_w = 0;
      i += len;
      continue;
    }
    const float w = advance(c);
    line.push_back({i, len, c, w});
    line_w += w;
    i += len;
    if (line_w <= width || c == U' ' || line.size() == 1) continue;
    // Overflow: break at the last opportunity on this line (so the characters after it, the new
    // one included, go down), else cut before the new character.
    size_t at = 0;
    for (size_t k = line.size() - 1; k > 0 && at == 0; --k)
      if (may_break_before(k)) at = k;
    if (at == 0) at = line.size() - 1;
    size_t end = at;
    if (!keep_spaces)
      while (end > 0 && line[end - 1].c == U' ') --end;  // Spaces at the break go.
    cuts.push_back({end == 0 ? line[0].at : line[end - 1].at + line[end - 1].len, line[at].at});
    line.erase(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(at));
    line_w = 0;
    for (const Glyph& g : line) line_w += g.w;
  }
  return cuts;
}

std::string break_lines(std::string_view text, float width, const std::function<float(char32_t)>& advance) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t from = 0;
  for (const LineCut& cut : line_cuts(text, width, advance, false)) {
    out.append(text.substr(from, cut.end - from));
    out.push_back('\n');
    from = cut.next;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace linli::ui
