// Photos this device holds (store/local_photos.cpp): kept with their bytes, listed while they wait
// for their upload, and never lost to a second save of the same bytes.
#include <gtest/gtest.h>

#include "store/store.h"
#include "support/stores.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

LocalPhoto photo(char c, int64_t at, LocalPhotoState state = LocalPhotoState::Waiting) {
  LocalPhoto p;
  p.sha256 = std::string(64, c);
  p.ticket_id = std::string(32, '1');
  p.phase = PhotoPhase::Before;
  p.type = "image/jpeg";
  p.size = 5;
  p.width = 1600;
  p.height = 1200;
  p.state = state;
  p.created_at_ms = at;
  return p;
}

TEST(LocalPhotos, APhotoIsKeptWithItsBytesAndWaitsUntilUploaded) {
  test::TempDir dir;
  const std::string bytes("\xff\xd8\x00\xff\xd9", 5);  // Binary, with a NUL inside.
  {
    Store s = test::open_store(dir, "a.db");
    ASSERT_TRUE(s.put_local_photo(photo('b', 20), bytes));
    ASSERT_TRUE(s.put_local_photo(photo('a', 10), bytes));
  }
  Store s = test::open_store(dir, "a.db");  // Reopened: it is in the file.
  auto waiting = s.waiting_photos();
  ASSERT_TRUE(waiting) << waiting.error().detail;
  ASSERT_EQ(waiting->size(), 2u);
  EXPECT_EQ((*waiting)[0].sha256, std::string(64, 'a')) << "oldest first";
  EXPECT_EQ((*waiting)[0].phase, PhotoPhase::Before);
  EXPECT_EQ((*waiting)[0].width, 1600);
  auto held = s.local_photo_bytes(std::string(64, 'a'));
  ASSERT_TRUE(held && *held);
  EXPECT_EQ(**held, bytes);
  ASSERT_TRUE(s.set_local_photo_state(std::string(64, 'a'), LocalPhotoState::Uploaded));
  waiting = s.waiting_photos();
  ASSERT_EQ(waiting->size(), 1u);
  auto row = s.local_photo(std::string(64, 'a'));
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->state, LocalPhotoState::Uploaded);
  EXPECT_TRUE(s.local_photo_bytes(std::string(64, 'a'))->has_value()) << "kept to be shown";
  EXPECT_FALSE(s.local_photo(std::string(64, 'c'))->has_value());
  EXPECT_FALSE(s.local_photo_bytes(std::string(64, 'c'))->has_value());
}

TEST(LocalPhotos, SavingTheSameBytesAgainKeepsTheFirstRowAndItsState) {
  test::TempDir dir;
  Store s = test::open_store(dir, "a.db");
  ASSERT_TRUE(s.put_local_photo(photo('a', 10), "12345"));
  ASSERT_TRUE(s.set_local_photo_state(std::string(64, 'a'), LocalPhotoState::Uploaded));
  LocalPhoto again = photo('a', 99);
  again.phase = PhotoPhase::After;
  ASSERT_TRUE(s.put_local_photo(again, "12345"));
  auto row = s.local_photo(std::string(64, 'a'));
  EXPECT_EQ((*row)->state, LocalPhotoState::Uploaded) << "not waiting again for an upload the server has";
  EXPECT_EQ((*row)->created_at_ms, 10);
  // A photo fetched for display (cached) and then taken here: the server has it.
  ASSERT_TRUE(s.put_local_photo(photo('c', 30, LocalPhotoState::Cached), "abc"));
  ASSERT_TRUE(s.put_local_photo(photo('c', 40), "abc"));
  EXPECT_EQ((*s.local_photo(std::string(64, 'c')))->state, LocalPhotoState::Uploaded);
  EXPECT_TRUE(s.waiting_photos()->empty());
}

TEST(LocalPhotos, APhotoAndItsChangeCommitTogetherOrNotAtAll) {
  test::TempDir dir;
  Store s = test::open_store(dir, "a.db");
  auto r = s.in_one_transaction([&]() -> Result<void> {
    if (auto p = s.put_local_photo(photo('a', 10), "12345"); !p) return p.error();
    return Error{ErrorCode::Storage, "the change could not be written"};
  });
  EXPECT_FALSE(r);
  EXPECT_FALSE(s.local_photo(std::string(64, 'a'))->has_value()) << "rolled back with the change";
  EXPECT_TRUE(s.waiting_photos()->empty());
}

}  // namespace
}  // namespace linli
