// Photos this device holds (store/local_photos.cpp): kept with their bytes, listed while they wait
// for their upload, and never lost to a second save of the same bytes.
#include <gtest/gtest.h>

#include "store/store.h"
#include "support/changes.h"
#include "support/stores.h"
#include "support/temp_dir.h"
#include "sync/client_sync.h"

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

// An own change rewritten before the server answered it (a photo given up becomes a comment,
// app/photos.cpp): the same id and stamp with the new content, its ticket folded again; an id the
// outbox does not hold is NotFound.
TEST(LocalPhotos, AnUnsentChangeIsRewrittenInPlaceAndItsTicketFoldedAgain) {
  test::TempDir dir;
  Store s = test::open_store(dir, "a.db");
  const ReplicaId me = test::replica(1);
  ClientSync client(s, me, Author{"hebin.li", Role::Committee});
  const std::string t = test::ticket_id(1);
  Change create;
  create.kind = ChangeKind::CreateTicket;
  create.ticket_id = t;
  create.ticket = test::new_ticket(t);
  Change photo;
  photo.kind = ChangeKind::AttachPhoto;
  photo.ticket_id = t;
  photo.photo = Photo{std::string(64, 'a'), 5, "image/jpeg", PhotoPhase::Before};
  auto recorded = client.record({create, photo}, 1'772'000'100'000);
  ASSERT_TRUE(recorded) << recorded.error().detail;
  ASSERT_EQ(recorded->size(), 2u);
  const Change taken = (*recorded)[1];
  auto dump = s.canonical_dump(t);
  ASSERT_TRUE(dump);
  EXPECT_NE(dump->find(std::string(64, 'a')), std::string::npos) << "the photo, before";

  Change comment = taken;
  comment.kind = ChangeKind::AddEntry;
  comment.photo = Photo{};
  comment.entry.kind = EntryKind::Comment;
  comment.entry.text = "照片未能上传（服务器拒收），已放弃";
  ASSERT_TRUE(s.rewrite_unsent_change(comment));
  auto unsent = s.unsent_changes(me, 10);
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 2u);
  EXPECT_EQ((*unsent)[1].id, taken.id);
  EXPECT_EQ((*unsent)[1].stamp, taken.stamp);
  EXPECT_EQ((*unsent)[1].kind, ChangeKind::AddEntry);
  EXPECT_EQ((*unsent)[1].entry.text, comment.entry.text);
  dump = s.canonical_dump(t);
  ASSERT_TRUE(dump);
  EXPECT_EQ(dump->find(std::string(64, 'a')), std::string::npos) << "folded again: no photo";
  EXPECT_NE(dump->find("照片未能上传"), std::string::npos);

  Change stranger = comment;
  stranger.id.counter = 99;
  auto missing = s.rewrite_unsent_change(stranger);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace linli
