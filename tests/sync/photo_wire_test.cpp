// A photo's phase (before / after) on the wire, in the change record and in the fold: optional,
// so an older client's attach_photo (no phase) stays valid and means "neither".
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "support/changes.h"
#include "support/stores.h"
#include "support/temp_dir.h"
#include "sync/wire.h"

namespace linli {
namespace {

using test::Maker;

Change photo_with(PhotoPhase phase) {
  Maker m(test::replica(4), Role::Committee, "hebin.li");
  Change c = m.photo(test::ticket_id(42), 1'772'000'000'020);
  c.photo.phase = phase;
  return c;
}

// The change as a push sends it, with `photo` replaced by `photo_json`.
std::string push_with_photo(const nlohmann::json& photo_json) {
  auto j = nlohmann::json::parse(encode(PushRequest{test::replica(4), {photo_with(PhotoPhase::None)}, {}}));
  j["changes"][0]["photo"] = photo_json;
  return j.dump();
}

// ... and as a pull answer sends it (the app's fast decoder reads these).
std::string pull_with_photo(const nlohmann::json& photo_json) {
  PullResponse p;
  p.from = 0;
  p.next = 1;
  p.changes.push_back(SequencedChange{photo_with(PhotoPhase::None), 1});
  auto j = nlohmann::json::parse(encode(p));
  j["changes"][0]["photo"] = photo_json;
  return j.dump();
}

nlohmann::json photo_json(const char* phase) {
  nlohmann::json p = {{"sha256", std::string(64, 'a')}, {"size", 123456}, {"type", "image/jpeg"}};
  if (phase) p["phase"] = phase;
  return p;
}

TEST(PhotoWire, ABeforeOrAfterPhaseRoundTripsThroughPushAndPull) {
  for (PhotoPhase phase : {PhotoPhase::Before, PhotoPhase::After}) {
    const Change c = photo_with(phase);
    const auto j = nlohmann::json::parse(encode(PushRequest{test::replica(4), {c}, {}}));
    EXPECT_EQ(j["changes"][0]["photo"]["phase"], to_string(phase));
    auto push = decode_push_request(j.dump());
    ASSERT_TRUE(push) << push.error().detail;
    ASSERT_EQ(push->unreadable, std::vector<std::string>(1)) << "read whole";
    EXPECT_EQ(push->changes[0].photo.phase, phase);
    PullResponse p;
    p.next = 1;
    p.changes.push_back(SequencedChange{c, 1});
    auto pull = decode_pull_response(encode(p));
    ASSERT_TRUE(pull) << pull.error().detail;
    EXPECT_EQ(pull->changes[0].change.photo.phase, phase);
  }
}

TEST(PhotoWire, APhotoWithoutAPhaseIsWrittenWithoutOneAndReadAsNeither) {
  const auto j = nlohmann::json::parse(encode(PushRequest{test::replica(4), {photo_with(PhotoPhase::None)}, {}}));
  EXPECT_FALSE(j["changes"][0]["photo"].contains("phase")) << "an older server or client never sees the member";
  for (const std::string& text : {push_with_photo(photo_json(nullptr))}) {
    auto push = decode_push_request(text);
    ASSERT_TRUE(push) << push.error().detail;
    EXPECT_EQ(push->changes[0].photo.phase, PhotoPhase::None);
  }
  auto pull = decode_pull_response(pull_with_photo(photo_json(nullptr)));
  ASSERT_TRUE(pull) << pull.error().detail;
  EXPECT_EQ(pull->changes[0].change.photo.phase, PhotoPhase::None);
}

TEST(PhotoWire, AnUnknownPhaseOrNoneSpelledOutIsRefusedWithItsName) {
  // In a push the change alone is refused (invalid), with the reason; a pull answer is unreadable.
  for (const char* bad : {"none", "during", "Before", ""}) {
    auto push = decode_push_request(push_with_photo(photo_json(bad)));
    ASSERT_TRUE(push) << bad;
    ASSERT_EQ(push->unreadable.size(), 1u);
    EXPECT_EQ(push->unreadable[0], "[sync.decode] change 0: unknown \"photo.phase\" code") << bad;
    EXPECT_FALSE(decode_pull_response(pull_with_photo(photo_json(bad)))) << bad;
  }
  nlohmann::json number = photo_json(nullptr);
  number["phase"] = 1;
  auto push = decode_push_request(push_with_photo(number));
  ASSERT_TRUE(push);
  EXPECT_EQ(push->unreadable[0], "[sync.decode] change 0: \"photo.phase\" is not a string");
  EXPECT_FALSE(decode_pull_response(pull_with_photo(number)));
}

TEST(PhotoRecord, ThePhaseIsKeptAndARecordWithoutOneIsAsBefore) {
  const Change none = photo_with(PhotoPhase::None);
  const Change after = photo_with(PhotoPhase::After);
  const std::string old_record = encode_change_record(none);
  EXPECT_EQ(encode_change_record(after).size(), old_record.size() + 1) << "one byte more, only when set";
  auto back = decode_change_record(encode_change_record(after));
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->photo.phase, PhotoPhase::After);
  auto old = decode_change_record(old_record);
  ASSERT_TRUE(old) << old.error().detail;
  EXPECT_EQ(old->photo.phase, PhotoPhase::None);
  std::string bad = encode_change_record(after);
  bad.back() = 7;  // No such phase.
  EXPECT_FALSE(decode_change_record(bad));
}

TEST(PhotoFold, TheFoldKeepsEachPhotosPhase) {
  test::TempDir dir;
  Store s = test::open_store(dir, "a.db");
  Maker m(test::replica(1), Role::Committee, "hebin.li");
  const std::string t = test::ticket_id(1);
  const Change create = m.create(t, 1'772'000'000'000);
  Change before = m.photo(t, 1'772'000'000'010);
  before.photo.phase = PhotoPhase::Before;
  before.photo.sha256 = std::string(64, 'b');
  Change after = m.photo(t, 1'772'000'000'020);
  after.photo.phase = PhotoPhase::After;
  after.photo.sha256 = std::string(64, 'c');
  ASSERT_TRUE(s.apply_changes({create, before, after, m.photo(t, 1'772'000'000'030)},
                              ApplyMode::Local, 1'772'000'000'000));
  auto dump = s.canonical_dump(t);
  ASSERT_TRUE(dump) << dump.error().detail;
  EXPECT_NE(dump->find(std::string(64, 'b') + "\t123456\timage/jpeg\tbefore"), std::string::npos) << *dump;
  EXPECT_NE(dump->find(std::string(64, 'c') + "\t123456\timage/jpeg\tafter"), std::string::npos) << *dump;
  EXPECT_NE(dump->find(std::string(64, 'a') + "\t123456\timage/jpeg\tnone"), std::string::npos) << *dump;
}

}  // namespace
}  // namespace linli
