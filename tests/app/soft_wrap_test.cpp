// Soft wrapping of a text being edited (app/soft_wrap.h): the input shows the text wrapped, and
// whatever the user does to the wrapped text, what is kept is exactly what was typed.
#include "soft_wrap.h"

#include <gtest/gtest.h>

#include <random>

namespace linli::ui {
namespace {

// Every ideograph and fullwidth mark 2 wide, everything else 1: a line of width 20 holds ten
// Chinese characters.
float advance(char32_t c) { return c >= 0x2E80 ? 2.0f : 1.0f; }
SoftWrap wrap(std::string_view text, float width = 20) { return soft_wrap(text, width, advance); }

// The input's edit: `at` .. `at + erase` of the display replaced by `insert`; the cursor after it.
struct Edited {
  std::string text;
  size_t cursor;
};
// The cursor was at `cursor_before`, and the edit could start from `edit_from` (a selection's
// start; by default `at`, the selection [at, at + erase) replaced; a key press: the cursor).
Edited edit(const SoftWrap& w, size_t at, size_t erase, std::string_view insert, size_t cursor_before,
            size_t edit_from = std::string::npos) {
  std::string shown = w.display;
  shown.replace(at, erase, insert);
  std::vector<size_t> positions{at + insert.size()};
  if (edit_from == std::string::npos) edit_from = std::min(at, cursor_before);
  const EditCarets carets{cursor_before, edit_from, at + insert.size()};
  std::string text = unwrap_edit(w, shown, carets, positions);
  return {text, positions[0]};
}

TEST(SoftWrap, ALongDescriptionIsShownOnLinesAndKeptAsTyped) {
  const std::string typed = "小区东门外的下水道从上周开始一直堵塞，污水漫到人行道上。";
  const SoftWrap w = wrap(typed);
  EXPECT_EQ(w.text, typed);
  EXPECT_EQ(w.display, "小区东门外的下水道从\n上周开始一直堵塞，污\n水漫到人行道上。");
  EXPECT_EQ(w.breaks.size(), 2u);
  // Nothing dropped, spaces included: a Latin line ends with its space.
  EXPECT_EQ(wrap("The drain by the east gate", 10).display, "The drain \nby the \neast gate");
  EXPECT_EQ(wrap("短的").display, "短的");
  EXPECT_EQ(wrap("两行\n都短").display, "两行\n都短");
  EXPECT_TRUE(wrap("两行\n都短").breaks.empty());
}

TEST(SoftWrap, PositionsMapBothWaysAndAWrapIsTheStartOfTheNextLine) {
  const SoftWrap w = wrap("小区东门外的下水道从上周");  // Wraps before 上 (text byte 30).
  ASSERT_EQ(w.breaks, std::vector<size_t>{30});
  EXPECT_EQ(text_offset(w, 30), 30u);  // Before the wrap: the end of the first line.
  EXPECT_EQ(text_offset(w, 31), 30u);  // After it: the start of the second.
  EXPECT_EQ(text_offset(w, 34), 33u);
  EXPECT_EQ(display_offset(w, 30), 31u);
  EXPECT_EQ(display_offset(w, 3), 3u);
  EXPECT_EQ(display_offset(w, 36), 37u);
}

TEST(SoftWrap, TypingAtTheEndOfAFullLineGoesOnTheNextLine) {
  const SoftWrap w = wrap("小区东门外的下水道从");  // Exactly one full line.
  const Edited e = edit(w, w.display.size(), 0, "上", w.display.size());
  EXPECT_EQ(e.text, "小区东门外的下水道从上");
  const SoftWrap after = wrap(e.text);
  EXPECT_EQ(after.display, "小区东门外的下水道从\n上");
  EXPECT_EQ(display_offset(after, e.cursor), after.display.size());
}

TEST(SoftWrap, NewlinesTypedBesideAWrapAreKeptAndTheWrapIsNot) {
  const SoftWrap w = wrap("小区东门外的下水道从上周");
  EXPECT_EQ(edit(w, 30, 0, "\n", 30).text, "小区东门外的下水道从\n上周");  // At the end of the first line.
  EXPECT_EQ(edit(w, 31, 0, "\n", 31).text, "小区东门外的下水道从\n上周");  // At the start of the second.
  EXPECT_EQ(edit(w, 34, 0, "\n", 34).text, "小区东门外的下水道从上\n周");
}

TEST(SoftWrap, BackspaceAtAWrapDeletesTheCharacterBeforeItAndDeleteTheOneAfter) {
  const SoftWrap w = wrap("小区东门外的下水道从上周");
  const Edited back = edit(w, 30, 1, "", 31, 31);  // The cursor was at the start of the second line.
  EXPECT_EQ(back.text, "小区东门外的下水道上周");
  EXPECT_EQ(back.cursor, 27u);
  const Edited del = edit(w, 30, 1, "", 30, 30);  // The cursor was at the end of the first line.
  EXPECT_EQ(del.text, "小区东门外的下水道从周");
  EXPECT_EQ(del.cursor, 30u);
  // ASCII at the wrap too.
  const SoftWrap latin = wrap("The drain by", 10);
  ASSERT_EQ(latin.display, "The drain \nby");
  EXPECT_EQ(edit(latin, 10, 1, "", 11, 11).text, "The drainby");
  EXPECT_EQ(edit(latin, 10, 1, "", 10, 10).text, "The drain y");
}

TEST(SoftWrap, ASelectionAcrossAWrapIsDeletedAsTheTextBetween) {
  const SoftWrap w = wrap("小区东门外的下水道从上周开始");
  // From 道 (display 24) to 周 (display 34, after the wrap at 30): 道从 + wrap + 上 go.
  const Edited e = edit(w, 24, 10, "", 34);
  EXPECT_EQ(e.text, "小区东门外的下水周开始");
  EXPECT_EQ(e.cursor, 24u);
}

TEST(SoftWrap, APasteInTheMiddleIsKeptWhole) {
  const SoftWrap w = wrap("小区东门外的下水道从上周开始一直堵塞");
  const Edited e = edit(w, 6, 0, "（3号楼旁）", 6);
  EXPECT_EQ(e.text, "小区（3号楼旁）东门外的下水道从上周开始一直堵塞");
  EXPECT_EQ(e.cursor, 6u + std::string("（3号楼旁）").size());
}

// Any one edit of the wrapped text is the same edit of the typed text.
TEST(SoftWrap, EveryEditOfTheWrappedTextIsTheSameEditOfTheTypedText) {
  const std::vector<std::string> pieces = {"小", "区", "。", "，", "（", "）", " ", "a", "b", "12", "\n", "下水道"};
  std::mt19937 rng(20261204);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  int wraps_met = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (size_t n = pick(40); n > 0; --n) text += pieces[pick(pieces.size())];
    const SoftWrap w = soft_wrap(text, 6.0f + static_cast<float>(pick(20)), advance);
    wraps_met += !w.breaks.empty();
    // Edits at character boundaries of the display.
    std::vector<size_t> bounds;
    for (size_t i = 0; i <= w.display.size(); ++i)
      if (i == w.display.size() || (static_cast<unsigned char>(w.display[i]) & 0xC0) != 0x80) bounds.push_back(i);
    size_t a = bounds[pick(bounds.size())], b = bounds[pick(bounds.size())];
    if (a > b) std::swap(a, b);
    const std::string insert = pick(2) ? pieces[pick(pieces.size())] : "";
    // A lone wrap deleted is a Backspace or Delete of a character (its own test): skipped here.
    if (insert.empty() && b == a + 1 && w.display[a] == '\n' && text_offset(w, a) == text_offset(w, b)) continue;
    std::string expected = text;
    const size_t ta = text_offset(w, a), tb = text_offset(w, b);
    expected.replace(ta, tb - ta, insert);
    const Edited e = edit(w, a, b - a, insert, b);
    ASSERT_EQ(e.text, expected) << "text \"" << text << "\" display \"" << w.display << "\" edit [" << a << ", " << b
                                << ") <- \"" << insert << "\"";
    EXPECT_EQ(e.cursor, ta + insert.size());
  }
  EXPECT_GT(wraps_met, 1000);
}

// Backspace and Delete anywhere, at a wrap or not: one character of the typed text goes.
TEST(SoftWrap, BackspaceAndDeleteAnywhereDeleteOneTypedCharacter) {
  const std::vector<std::string> pieces = {"小", "区", "。", "（", " ", "a", "12", "\n"};
  std::mt19937 rng(4);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto start_of = [](const std::string& s, size_t i) {  // The character before byte i starts at.
    do --i; while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80);
    return i;
  };
  auto end_of = [](const std::string& s, size_t i) {  // The character at byte i ends at.
    do ++i; while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80);
    return i;
  };
  int at_wraps = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (size_t n = 1 + pick(30); n > 0; --n) text += pieces[pick(pieces.size())];
    const SoftWrap w = soft_wrap(text, 6.0f + static_cast<float>(pick(10)), advance);
    std::vector<size_t> bounds;
    for (size_t i = 0; i <= w.display.size(); ++i)
      if (i == w.display.size() || (static_cast<unsigned char>(w.display[i]) & 0xC0) != 0x80) bounds.push_back(i);
    const size_t c = bounds[pick(bounds.size())];
    const bool back = pick(2) == 1;
    if (back ? c == 0 : c == w.display.size()) continue;
    // The input deletes the display's character before or after the cursor.
    const size_t from = back ? start_of(w.display, c) : c, to = back ? c : end_of(w.display, c);
    at_wraps += to == from + 1 && w.display[from] == '\n' && text_offset(w, from) == text_offset(w, to);
    std::string expected = text;
    const size_t t = text_offset(w, c);
    const size_t tf = back ? start_of(text, t) : t, tt = back ? t : end_of(text, t);
    if (back ? t == 0 : t == text.size()) continue;  // Only a wrap could go there: none stands at either end.
    expected.erase(tf, tt - tf);
    const Edited e = edit(w, from, to - from, "", c, c);
    ASSERT_EQ(e.text, expected) << "text \"" << text << "\" display \"" << w.display << "\" " << (back ? "Backspace" : "Delete")
                                << " at " << c;
    EXPECT_EQ(e.cursor, tf);
  }
  EXPECT_GT(at_wraps, 100);
}

// Undo works on the typed text: a step is a run of typing without a pause, and what comes back
// is exactly a text the user had, wherever it wrapped.
TEST(EditHistory, TypingWithoutAPauseIsOneStepAndUndoGivesBackTheTextBeforeIt) {
  EditHistory h;
  std::string text;
  double now = 10.0;
  for (std::string piece : {"河滨", "花园", "快递"}) {  // An input method's commits, 0.3 s apart.
    const std::string before = text;
    text += piece;
    h.edited(before, before.size(), text, now);
    now += 0.3;
  }
  now += 2.0;  // A pause: the next typing is a step of its own.
  h.edited(text, text.size(), text + "代收点", now);
  text += "代收点";

  auto back = h.undo(text, text.size());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "河滨花园快递");
  EXPECT_EQ(back->cursor, back->text.size());
  back = h.undo(back->text, back->cursor);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "");
  EXPECT_FALSE(h.undo(back->text, back->cursor));  // Nothing before the first text.

  auto again = h.redo("", 0);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->text, "河滨花园快递");
  again = h.redo(again->text, again->cursor);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->text, "河滨花园快递代收点");
  EXPECT_FALSE(h.redo(again->text, again->cursor));
}

TEST(EditHistory, DeletingAfterTypingIsAStepOfItsOwnAndANewEditForgetsWhatCouldBeRedone) {
  EditHistory h;
  h.edited("", 0, "门口", 1.0);
  h.edited("门口", 6, "门", 1.2);  // Backspace at once: the direction changed.
  auto back = h.undo("门", 3);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "门口");
  EXPECT_EQ(back->cursor, 6u);
  ASSERT_TRUE(h.can_redo());
  h.edited("门口", 6, "门口处", 1.4);  // Typing after an undo: the undone edit is gone for good.
  EXPECT_FALSE(h.can_redo());
  back = h.undo("门口处", 9);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "门口");  // Typing after an undo starts its own step.
  back = h.undo(back->text, back->cursor);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "");
}

TEST(EditHistory, ItKeepsAtMostItsStepsAndForgetsAllWhenTheTextIsReplacedFromOutside) {
  EditHistory h;
  std::string text;
  for (size_t i = 0; i < EditHistory::kMostSteps + 50; ++i) {
    const std::string before = text;
    text += "a";
    h.edited(before, before.size(), text, static_cast<double>(i) * 5);  // A pause before each.
  }
  size_t steps = 0;
  while (auto back = h.undo(text, text.size())) {
    text = back->text;
    ++steps;
  }
  EXPECT_EQ(steps, EditHistory::kMostSteps);
  EXPECT_EQ(text, std::string(50, 'a'));  // The oldest were dropped, the newest kept.
  h.edited(text, 0, "b", 10000);
  h.clear();
  EXPECT_FALSE(h.can_undo());
  EXPECT_FALSE(h.can_redo());
  h.edited("b", 1, "b", 10001);  // No change: nothing to undo.
  EXPECT_FALSE(h.can_undo());
}

}  // namespace
}  // namespace linli::ui
