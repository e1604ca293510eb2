#include "soft_wrap.h"

#include <algorithm>

#include "line_break.h"

namespace linli::ui {

SoftWrap soft_wrap(std::string_view text, float width, const std::function<float(char32_t)>& advance) {
  SoftWrap w;
  w.text = std::string(text);
  for (const LineCut& cut : line_cuts(text, width, advance, true)) w.breaks.push_back(cut.next);
  w.display.reserve(text.size() + w.breaks.size());
  size_t from = 0;
  for (size_t at : w.breaks) {
    w.display.append(text.substr(from, at - from));
    w.display.push_back('\n');
    from = at;
  }
  w.display.append(text.substr(from));
  return w;
}

// The wrap i sits at display offset breaks[i] + i.
size_t text_offset(const SoftWrap& w, size_t display_pos) {
  size_t before = 0;  // Wraps before display_pos.
  while (before < w.breaks.size() && w.breaks[before] + before < display_pos) ++before;
  return std::min(display_pos - before, w.text.size());
}

size_t display_offset(const SoftWrap& w, size_t text_pos) {
  const auto wraps = static_cast<size_t>(std::upper_bound(w.breaks.begin(), w.breaks.end(), text_pos) - w.breaks.begin());
  return text_pos + wraps;
}

std::string unwrap_edit(const SoftWrap& w, std::string_view edited, const EditCarets& carets,
                        std::vector<size_t>& positions) {
  const size_t cursor_before = carets.cursor_before, edit_from = carets.edit_from;
  const std::string_view before = w.display;
  const size_t most = std::min(before.size(), edited.size());
  size_t prefix = 0;
  while (prefix < most && before[prefix] == edited[prefix]) ++prefix;
  // One wrap deleted and nothing else, by Backspace after it or Delete before it (no selection):
  // the character beside it goes instead.
  const bool key_at_wrap = edit_from == cursor_before && (cursor_before == prefix + 1 || cursor_before == prefix);
  if (key_at_wrap && edited.size() + 1 == before.size() && before[prefix] == '\n' &&
      before.substr(prefix + 1) == edited.substr(prefix)) {
    for (size_t i = 0; i < w.breaks.size(); ++i) {
      if (w.breaks[i] + i != prefix) continue;
      const size_t at = w.breaks[i];
      size_t from = at, to = at;
      if (cursor_before > prefix) {  // Backspace from the start of the next line.
        while (from > 0 && (static_cast<unsigned char>(w.text[from - 1]) & 0xC0) == 0x80) --from;
        if (from > 0) --from;
      } else {  // Delete at the end of the line.
        if (to < w.text.size()) ++to;
        while (to < w.text.size() && (static_cast<unsigned char>(w.text[to]) & 0xC0) == 0x80) ++to;
      }
      for (size_t& p : positions) p = from;
      return w.text.substr(0, from) + w.text.substr(to);
    }
  }
  prefix = std::min(prefix, edit_from);
  size_t suffix = 0;
  const size_t suffix_most = std::min(most - prefix, edited.size() - std::min(carets.cursor_after, edited.size()));
  while (suffix < suffix_most && before[before.size() - 1 - suffix] == edited[edited.size() - 1 - suffix]) ++suffix;
  // The unchanged head and tail in the text's terms.
  const size_t head = text_offset(w, prefix);
  const size_t tail_from = text_offset(w, before.size() - suffix);
  const std::string_view middle = edited.substr(prefix, edited.size() - suffix - prefix);
  std::string text;
  text.reserve(head + middle.size() + (w.text.size() - tail_from));
  text.append(w.text, 0, head);
  text.append(middle);
  text.append(w.text, tail_from);
  for (size_t& p : positions) {
    p = std::min(p, edited.size());
    if (p <= prefix) p = text_offset(w, p);
    else if (p <= edited.size() - suffix) p = head + (p - prefix);
    else p = text.size() - (w.text.size() - text_offset(w, before.size() - (edited.size() - p)));
  }
  return text;
}

void EditHistory::edited(const std::string& before, size_t cursor_before, const std::string& after, double now) {
  if (before == after) return;
  const int direction = after.size() >= before.size() ? 1 : -1;
  if (m_direction == 0 || direction != m_direction || now - m_last_edit > kPause || m_undo.empty()) {
    m_undo.push_back({before, std::min(cursor_before, before.size())});
    if (m_undo.size() > kMostSteps) m_undo.erase(m_undo.begin());
  }
  m_direction = direction;
  m_last_edit = now;
  m_redo.clear();
}

std::optional<EditHistory::Step> EditHistory::undo(const std::string& current, size_t cursor) {
  if (m_undo.empty()) return std::nullopt;
  Step back = std::move(m_undo.back());
  m_undo.pop_back();
  m_redo.push_back({current, std::min(cursor, current.size())});
  m_direction = 0;
  return back;
}

std::optional<EditHistory::Step> EditHistory::redo(const std::string& current, size_t cursor) {
  if (m_redo.empty()) return std::nullopt;
  Step again = std::move(m_redo.back());
  m_redo.pop_back();
  m_undo.push_back({current, std::min(cursor, current.size())});
  m_direction = 0;
  return again;
}

void EditHistory::clear() {
  m_undo.clear();
  m_redo.clear();
  m_direction = 0;
}

}  // namespace linli::ui
