// A replica's image (Store::adopt_image; docs/protocol.md, "Image"): a fresh replica takes a store
// built elsewhere with the pulls it would have made, page for page, keeping its own app values;
// anything but a fresh replica and a sound image of this schema is refused with the store unchanged.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <map>

#include "store/page_vfs.h"
#include "store/store.h"
#include "support/changes.h"
#include "support/temp_dir.h"
#include "sync/client_sync.h"

namespace linli {
namespace {

class KeepingSink : public PageSink {
 public:
  void on_sync(std::string_view, int64_t file_size, const std::vector<PageImage>& pages) override {
    size = file_size;
    ++syncs;
    last_pages = pages.size();
    for (const auto& p : pages) images[p.index] = std::string(p.bytes);
  }
  std::string rebuild() const {
    std::string out(static_cast<size_t>(size), '\0');
    for (const auto& [index, bytes] : images)
      if (size_t off = size_t{index} * kPageSize; off < out.size()) out.replace(off, kPageSize, bytes);
    return out;
  }
  int64_t size = 0;
  int syncs = 0;
  size_t last_pages = 0;
  std::map<uint32_t, std::string> images;
};

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

constexpr int64_t kNow = 1'772'100'000'000;

// What a server sends a replica: its pull answer of `tickets` tickets, each created, edited and
// commented on by the centre's desk, then taken by ClientSync into a store at `path`.
PullResponse answer_of(int tickets) {
  test::Maker desk(test::replica(1));
  PullResponse p;
  int64_t seq = 0;
  for (int i = 1; i <= tickets; ++i) {
    const std::string id = test::ticket_id(i);
    p.changes.push_back({desk.create(id, kNow + i), ++seq});
    p.changes.push_back({desk.set(id, kNow + i + 1, EditableField::Address, "中华新路" + std::to_string(i) + "号"), ++seq});
  }
  p.from = 0;
  p.next = seq;
  p.head = seq;
  return p;
}

std::string image_of(const test::TempDir& dir, const ReplicaId& self, const PullResponse& answer) {
  const std::string path = dir.file("image.db");
  {
    auto built = Store::open(path, {.durability = Durability::PageSink});
    EXPECT_TRUE(built) << built.error().detail;
    ClientSync client(*built, self, Author{"zhang.bin", Role::Centre});
    auto taken = client.take_pull_response(answer, kNow + 10'000);
    EXPECT_TRUE(taken && *taken);
  }
  return read_file(path);
}

KeepingSink g_sink;

TEST(Image, AFreshReplicaTakesTheImageWholeKeepingItsSessionAndGoesOnFromItsCursor) {
  ASSERT_TRUE(register_page_vfs("linli-image-test", &g_sink));
  test::TempDir dir;
  const ReplicaId self = test::replica(42);
  const PullResponse answer = answer_of(300);
  const std::string bytes = image_of(dir, self, answer);
  ASSERT_GT(bytes.size(), 100u * kPageSize);

  const std::string path = dir.file("device.db");
  auto device = Store::open(path, {.durability = Durability::PageSink, .vfs = "linli-image-test"});
  ASSERT_TRUE(device) << device.error().detail;
  ASSERT_TRUE(device->write_value("app.session", "{\"user\":\"zhang.bin\"}"));
  ASSERT_TRUE(device->write_value("app.replica", "2a"));
  const int syncs = g_sink.syncs;

  auto changes = device->adopt_image(dir.file("image.db"));
  ASSERT_TRUE(changes) << changes.error().detail;
  EXPECT_EQ(*changes, static_cast<int64_t>(answer.changes.size()));
  EXPECT_EQ(device->pull_cursor(), answer.next);
  EXPECT_EQ(*device->count_tickets(), 300);
  auto t = device->get_ticket(test::ticket_id(7));
  ASSERT_TRUE(t && *t);
  EXPECT_EQ((*t)->address, "中华新路7号");
  EXPECT_EQ(*device->read_value("app.session"), std::optional<std::string>("{\"user\":\"zhang.bin\"}"));
  EXPECT_EQ(*device->read_value("app.replica"), std::optional<std::string>("2a"));
  // Every page reached the sink, in one commit for the pages and one for the kept values.
  EXPECT_LE(g_sink.syncs - syncs, 2);
  EXPECT_EQ(static_cast<size_t>(g_sink.size), std::filesystem::file_size(path));
  EXPECT_EQ(g_sink.rebuild(), read_file(path));

  // It goes on as a replica: the first own change is counter 1, and the next pull applies.
  ClientSync client(*device, self, Author{"zhang.bin", Role::Centre});
  Change note;
  note.ticket_id = test::ticket_id(7);
  note.kind = ChangeKind::AddEntry;
  note.entry.kind = EntryKind::Contact;
  note.entry.text = "已电话联系。";
  auto recorded = client.record({note}, kNow + 20'000);
  ASSERT_TRUE(recorded) << recorded.error().detail;
  EXPECT_EQ(recorded->front().id.counter, 1u);
  test::Maker other(test::replica(2));
  PullResponse later;
  later.from = answer.next;
  later.changes.push_back({other.set(test::ticket_id(8), kNow + 30'000, EditableField::Address, "新地址"), answer.next + 1});
  later.next = answer.next + 1;
  later.head = later.next;
  auto taken = client.take_pull_response(later, kNow + 31'000);
  ASSERT_TRUE(taken && *taken);
  EXPECT_EQ((*device->get_ticket(test::ticket_id(8)))->address, "新地址");

  // Opened again from its file (the browser's next load): the same store.
  { Store closing = std::move(*device); }
  auto again = Store::open(path, {.durability = Durability::PageSink, .vfs = "linli-image-test"});
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(*again->count_tickets(), 300);
  EXPECT_EQ(again->pull_cursor(), answer.next + 1);
  EXPECT_EQ(*again->count_unsent(self), 1);
}

TEST(Image, AnythingButAFreshReplicaAndASoundImageIsRefusedAndChangesNothing) {
  test::TempDir dir;
  const ReplicaId self = test::replica(43);
  const std::string bytes = image_of(dir, self, answer_of(20));

  // A replica holding a change of its own.
  {
    auto used = Store::open(dir.file("used.db"), {.durability = Durability::PageSink});
    ASSERT_TRUE(used);
    ClientSync client(*used, self, Author{"zhang.bin", Role::Centre});
    Change c;
    c.ticket_id = test::ticket_id(900);
    c.kind = ChangeKind::CreateTicket;
    c.ticket = test::new_ticket(c.ticket_id);
    ASSERT_TRUE(client.record({c}, kNow));
    auto r = used->adopt_image(dir.file("image.db"));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("not a fresh replica"), std::string::npos) << r.error().detail;
    EXPECT_EQ(*used->count_tickets(), 1);
    EXPECT_EQ(*used->count_unsent(self), 1);
  }
  auto fresh = Store::open(dir.file("fresh.db"), {.durability = Durability::PageSink});
  ASSERT_TRUE(fresh);
  ASSERT_TRUE(fresh->write_value("app.session", "kept"));
  // None; not a store; cut short; its header damaged. (The pages inside are checked where the
  // file is made: the server runs PRAGMA quick_check on it before sending it.)
  const std::string tried = dir.file("tried.db");
  EXPECT_FALSE(fresh->adopt_image(dir.file("missing.db")));
  write_file(tried, "not a database");
  EXPECT_FALSE(fresh->adopt_image(tried));
  write_file(tried, bytes.substr(0, bytes.size() - kPageSize));
  EXPECT_FALSE(fresh->adopt_image(tried));
  std::string damaged = bytes;
  damaged[31] = static_cast<char>(damaged[31] ^ 0x04);  // The header's page count, big-endian at 28..31.
  write_file(tried, damaged);
  EXPECT_FALSE(fresh->adopt_image(tried));
  // A server's store, and a store an app has used (its values under "app.").
  {
    auto server = Store::open(dir.file("server.db"), {.durability = Durability::PageSink, .use = StoreUse::Server});
    ASSERT_TRUE(server);
  }
  EXPECT_FALSE(fresh->adopt_image(dir.file("server.db")));
  // Another schema.
  std::string older = bytes;  // The header's user_version, big-endian at 60..63.
  older[63] = static_cast<char>(older[63] ^ 0x01);
  write_file(tried, older);
  auto r = fresh->adopt_image(tried);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("schema"), std::string::npos) << r.error().detail;

  EXPECT_EQ(*fresh->count_tickets(), 0);
  EXPECT_EQ(fresh->pull_cursor(), 0);
  EXPECT_EQ(*fresh->read_value("app.session"), std::optional<std::string>("kept"));
  // The sound image is still taken after all that.
  ASSERT_TRUE(fresh->adopt_image(dir.file("image.db")));
  EXPECT_EQ(*fresh->count_tickets(), 20);
  EXPECT_EQ(*fresh->read_value("app.session"), std::optional<std::string>("kept"));
}

}  // namespace
}  // namespace linli
