// Photos of tickets (app/photos.h) with the sync loop against the real linli-server: a photo is
// stored with its attach_photo change in one write, uploaded (HEAD, then PUT) before that change is
// pushed, and a push never carries a change naming a photo the server does not have yet.
#include <httplib.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "app/test_transport.h"
#include "client/records.h"
#include "client/session.h"
#include "client/sync_loop.h"
#include "core/sha256.h"
#include "photos.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client_sync.h"

namespace linli::test {
namespace {

constexpr int64_t kNow = 1'795'960'000'000;

app::Session sign_in(int port, const std::string& user) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);  // Password hashing is slow on a loaded machine.
  auto res = c.Post("/api/v1/login", R"({"user":")" + user + R"(","password":"linli-demo"})", "application/json");
  EXPECT_TRUE(res && res->status == 200);
  auto s = app::parse_login_answer(res ? res->body : "");
  EXPECT_TRUE(s);
  return s ? *s : app::Session{};
}

Change new_ticket(const std::string& id) {
  Change c;
  c.ticket_id = id;
  c.kind = ChangeKind::CreateTicket;
  Ticket& t = c.ticket;
  t.id = id;
  t.provisional_number = "临-20261129-0007";
  t.source = Source::Patrol;
  t.received_at_ms = kNow;
  t.created_at_ms = t.updated_at_ms = kNow;
  t.community = "河滨花园";
  t.address = "河滨花园快递点";
  t.category = Category::HoardingRefuse;
  t.title = "快递点堆物";
  return c;
}

// A picture's bytes (the server takes any bytes of an allowed type; the hash names them).
std::string picture(char seed) {
  std::string b = "\xff\xd8\xff\xe0 photo ";
  for (int i = 0; i < 5000; ++i) b.push_back(static_cast<char>(seed + i * 7));
  return b + "\xff\xd9";
}

class PhotosTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir.path() / "web");
    std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--db", dir.file("server.db"), "--web", dir.file("web"), "--demo-users"});
    ASSERT_GT(server->port(), 0);
    session = sign_in(server->port(), "hebin.li");
    transport = std::make_unique<TestTransport>(server->port());
    store = std::make_unique<Store>(*Store::open(dir.file("hebin.db")));
    uint8_t random[16] = {7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    replica = *app::device_replica(*store, random);
    client = std::make_unique<ClientSync>(*store, replica, Author{session.user, session.role});
    app::SyncOptions o;
    o.long_poll_s = 0;
    loop = std::make_unique<app::SyncLoop>(*store, *client, *transport, session.token, o);
  }
  bool run_until(const std::function<bool()>& done, int steps = 300) {
    for (int i = 0; i < steps; ++i) {
      if (done()) return true;
      transport->advance(100);
      loop->tick();
      transport->deliver();
    }
    return done();
  }

  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  app::Session session;
  std::unique_ptr<TestTransport> transport;
  std::unique_ptr<Store> store;
  ReplicaId replica;
  std::unique_ptr<ClientSync> client;
  std::unique_ptr<app::SyncLoop> loop;
};

TEST_F(PhotosTest, AChangeNamingAWaitingPhotoAndThoseAfterItAreNotPushable) {
  const std::string t = std::string(32, 'd');
  ASSERT_TRUE(client->record({new_ticket(t)}, kNow));
  auto photo = app::save_photo(*store, *client, t, PhotoPhase::Before, {picture('a'), "image/jpeg", 1600, 1200}, kNow);
  ASSERT_TRUE(photo) << photo.error().detail;
  EXPECT_EQ(photo->photo.sha256, sha256_hex(picture('a')));
  EXPECT_EQ(photo->photo.phase, PhotoPhase::Before);
  Change note;
  note.ticket_id = t;
  note.kind = ChangeKind::AddEntry;
  note.entry.kind = EntryKind::Comment;
  note.entry.text = "已拍照";
  ASSERT_TRUE(client->record({note}, kNow));
  auto unsent = store->unsent_changes(replica, 10);
  ASSERT_EQ(unsent->size(), 3u);
  EXPECT_EQ(app::pushable_prefix(*store, *unsent), 1u) << "the create goes; the photo's change and the note wait";
  ASSERT_TRUE(store->set_local_photo_state(photo->photo.sha256, LocalPhotoState::Uploaded));
  EXPECT_EQ(app::pushable_prefix(*store, *unsent), 3u);
}

TEST_F(PhotosTest, APhotoTooLargeOrEmptyIsRefusedAndNothingIsRecorded) {
  const std::string t = std::string(32, 'd');
  ASSERT_TRUE(client->record({new_ticket(t)}, kNow));
  auto empty = app::save_photo(*store, *client, t, PhotoPhase::None, {"", "image/jpeg", 0, 0}, kNow);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().detail, "[photos.save] the photo has no bytes");
  auto big = app::save_photo(*store, *client, t, PhotoPhase::None,
                             {std::string(app::kMaxUploadBytes + 1, 'x'), "image/jpeg", 0, 0}, kNow);
  EXPECT_FALSE(big);
  EXPECT_EQ(*store->count_unsent(replica), 1);
  EXPECT_TRUE(store->waiting_photos()->empty());
}

TEST_F(PhotosTest, OfflineThePhotoWaitsAndOnlineItIsUploadedBeforeTheChangeNamingItIsPushed) {
  const std::string t = std::string(32, 'e');
  transport->point_at(0);  // Offline from the start: the photo is taken in a basement.
  ASSERT_TRUE(client->record({new_ticket(t)}, kNow));
  const std::string before = picture('b'), after = picture('c');
  auto b = app::save_photo(*store, *client, t, PhotoPhase::Before, {before, "image/jpeg", 1600, 1200}, kNow);
  auto a = app::save_photo(*store, *client, t, PhotoPhase::After, {after, "image/jpeg", 1200, 1600}, kNow);
  ASSERT_TRUE(b && a);
  loop->edited();
  run_until([] { return false; }, 50);
  EXPECT_EQ(loop->status().link, app::Link::Offline);
  EXPECT_EQ(loop->status().photos_waiting, 2);
  EXPECT_EQ(loop->status().unsent, 3);

  transport->point_at(server->port());
  loop->retry_now();
  ASSERT_TRUE(run_until([&] { return loop->status().unsent == 0 && loop->status().photos_waiting == 0 && !loop->busy(); }))
      << loop->status().problem;
  // The order on the wire: each photo's PUT comes before the push that names it.
  const auto& log = transport->requests();
  for (const Change* c : {&*b, &*a}) {
    const std::string sha = c->photo.sha256;
    const auto put = std::find(log.begin(), log.end(), "PUT api/v1/blobs/" + sha);
    ASSERT_NE(put, log.end()) << sha;
    EXPECT_NE(std::find(log.begin(), put, "HEAD api/v1/blobs/" + sha), put) << "asked first";
    const auto push = std::find_if(log.begin(), log.end(), [&](const std::string& r) {
      return r.rfind("POST api/v1/sync/push", 0) == 0 && r.find(sha) != std::string::npos;
    });
    ASSERT_NE(push, log.end());
    EXPECT_LT(put - log.begin(), push - log.begin()) << "uploaded before the change naming it was pushed";
  }
  // The server holds the bytes stored here, under their hash, with the phase on the change.
  httplib::Client c("127.0.0.1", server->port());
  for (const auto& [sha, bytes] : {std::pair{b->photo.sha256, before}, std::pair{a->photo.sha256, after}}) {
    auto res = c.Get("/api/v1/blobs/" + sha, httplib::Headers{{"Authorization", "Bearer " + session.token}});
    ASSERT_TRUE(res && res->status == 200);
    EXPECT_EQ(res->body, bytes);
    EXPECT_EQ(**store->local_photo_bytes(sha), bytes);
    EXPECT_EQ((*store->local_photo(sha))->state, LocalPhotoState::Uploaded);
  }
  EXPECT_EQ(loop->status().photos_uploaded_this_session, 2);
}

// The outbox's progress bar follows the bytes the transport says it sent while the PUT is out.
TEST_F(PhotosTest, AnUploadsProgressIsTheBytesTheTransportHasSent) {
  const std::string t = std::string(32, 'f');
  ASSERT_TRUE(client->record({new_ticket(t)}, kNow));
  const std::string bytes = picture('p');
  auto p = app::save_photo(*store, *client, t, PhotoPhase::Before, {bytes, "image/jpeg", 1600, 1200}, kNow);
  ASSERT_TRUE(p);
  const std::string path = "api/v1/blobs/" + p->photo.sha256;
  loop->edited();
  // Step answer by answer until the PUT is out, its answer held back.
  bool put_out = false;
  for (int i = 0; i < 100 && !put_out; ++i) {
    transport->advance(100);
    loop->tick();
    const auto& log = transport->requests();
    put_out = std::find(log.begin(), log.end(), "PUT " + path) != log.end();
    if (!put_out) transport->deliver_one();
  }
  ASSERT_TRUE(put_out);
  EXPECT_EQ(loop->status().uploading, p->photo.sha256);
  EXPECT_EQ(loop->status().upload_total, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(loop->status().upload_sent, 0);
  transport->set_sent_bytes(path, 2000);
  loop->tick();
  EXPECT_EQ(loop->status().upload_sent, 2000);
  transport->set_sent_bytes(path, 1'000'000);  // Headers counted too: never past the photo.
  loop->tick();
  EXPECT_EQ(loop->status().upload_sent, static_cast<int64_t>(bytes.size()));
  transport->set_sent_bytes(path, -1);
  ASSERT_TRUE(run_until([&] { return loop->status().photos_waiting == 0 && loop->status().unsent == 0 && !loop->busy(); }));
  EXPECT_EQ(loop->status().upload_sent, static_cast<int64_t>(bytes.size()));
}

TEST_F(PhotosTest, ABlobTheServerAlreadyHasIsNotSentAgain) {
  const std::string t = std::string(32, 'f');
  ASSERT_TRUE(client->record({new_ticket(t)}, kNow));
  const std::string bytes = picture('d');
  const std::string sha = sha256_hex(bytes);
  httplib::Client c("127.0.0.1", server->port());
  auto put = c.Put("/api/v1/blobs/" + sha, httplib::Headers{{"Authorization", "Bearer " + session.token}}, bytes,
                   "image/jpeg");
  ASSERT_TRUE(put && put->status == 201);  // An upload whose answer was lost, say.
  ASSERT_TRUE(app::save_photo(*store, *client, t, PhotoPhase::None, {bytes, "image/jpeg", 10, 10}, kNow));
  loop->edited();
  ASSERT_TRUE(run_until([&] { return loop->status().unsent == 0 && !loop->busy(); })) << loop->status().problem;
  const auto& log = transport->requests();
  EXPECT_NE(std::find(log.begin(), log.end(), "HEAD api/v1/blobs/" + sha), log.end());
  EXPECT_EQ(std::find(log.begin(), log.end(), "PUT api/v1/blobs/" + sha), log.end());
}

TEST_F(PhotosTest, APhotoTheServerRefusesForGoodIsMarkedFailedTheOthersGoAndGivingItUpLetsThePushThrough) {
  const std::string t = std::string(32, 'a');
  ASSERT_TRUE(client->record({new_ticket(t)}, kNow));
  auto bad = app::save_photo(*store, *client, t, PhotoPhase::Before, {picture('g'), "image/jpeg", 800, 600}, kNow);
  auto good = app::save_photo(*store, *client, t, PhotoPhase::After, {picture('h'), "image/jpeg", 800, 600}, kNow + 1);
  ASSERT_TRUE(bad && good);
  // The stored bytes of the first one are damaged (a disk's fault, through another connection to
  // the same file): they are no longer their name, and the server refuses them 422, for good.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("hebin.db").c_str(), &db), SQLITE_OK);
    const std::string sql = "UPDATE local_photo_bytes SET bytes = substr(bytes, 2) WHERE sha256 = '" + bad->photo.sha256 + "'";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }
  Change note;
  note.ticket_id = t;
  note.kind = ChangeKind::AddEntry;
  note.entry.kind = EntryKind::Comment;
  note.entry.text = "已整改";
  ASSERT_TRUE(client->record({note}, kNow + 2));
  loop->edited();
  // The refused photo is failed with the server's reason; the other one is uploaded all the same;
  // the create goes, the refused photo's change and those after it wait.
  ASSERT_TRUE(run_until([&] {
    return loop->status().photos_failed == 1 && loop->status().photos_waiting == 0 && loop->status().unsent == 3 &&
           !loop->busy();
  })) << loop->status().problem;
  auto failed = store->failed_photos();
  ASSERT_TRUE(failed && failed->size() == 1u);
  EXPECT_EQ(failed->front().sha256, bad->photo.sha256);
  EXPECT_EQ(failed->front().failure, "422 hash_mismatch");
  EXPECT_EQ((*store->local_photo(good->photo.sha256))->state, LocalPhotoState::Uploaded);
  EXPECT_EQ(loop->status().link, app::Link::Online) << "a refusal is an answer, not a lost link";
  run_until([] { return false; }, 30);
  EXPECT_EQ(loop->status().unsent, 3) << "never pushed without its blob";

  // Given up: the change becomes a comment under the same id; everything reaches the server.
  auto n = app::give_up_photo(*store, replica, bad->photo.sha256, "整改前照片未能上传（422），已放弃");
  ASSERT_TRUE(n) << n.error().detail;
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(*store->local_photo(bad->photo.sha256));
  EXPECT_FALSE(*store->local_photo_bytes(bad->photo.sha256));
  loop->outbox_changed();
  loop->edited();
  ASSERT_TRUE(run_until([&] { return loop->status().unsent == 0 && !loop->busy(); })) << loop->status().problem;
  EXPECT_EQ(*store->count_refused(), 0);
  EXPECT_EQ(loop->status().photos_failed, 0);
  // As the server has it: the comment in place of the photo, the other photo and the note.
  httplib::Client c("127.0.0.1", server->port());
  const httplib::Headers auth{{"Authorization", "Bearer " + session.token}};
  auto head = c.Head("/api/v1/blobs/" + bad->photo.sha256, auth);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 404);
  auto other = c.Get("/api/v1/blobs/" + good->photo.sha256, auth);
  ASSERT_TRUE(other && other->status == 200);
  EXPECT_EQ(other->body, picture('h'));
  const auto timeline = store->timeline_of(t);
  ASSERT_TRUE(timeline);
  std::vector<std::string> texts;
  for (const auto& e : *timeline) texts.push_back(e.entry.text);
  EXPECT_NE(std::find(texts.begin(), texts.end(), "整改前照片未能上传（422），已放弃"), texts.end());
  EXPECT_NE(std::find(texts.begin(), texts.end(), "已整改"), texts.end());
  auto log = store->ticket_log(t);
  ASSERT_TRUE(log);
  std::vector<std::string> photos;
  for (const Change& x : *log)
    if (x.kind == ChangeKind::AttachPhoto) photos.push_back(x.photo.sha256);
  EXPECT_EQ(photos, std::vector<std::string>{good->photo.sha256});
  // Acknowledged under the id the photo's change had: the server took that counter.
  const auto rewritten = std::find_if(log->begin(), log->end(), [&](const Change& x) { return x.id == bad->id; });
  ASSERT_NE(rewritten, log->end());
  EXPECT_EQ(rewritten->kind, ChangeKind::AddEntry);
}

}  // namespace
}  // namespace linli::test
