// The page VFS: the pages a sink receives rebuild the database file exactly, and one edit
// costs a handful of pages however large the file has grown.
#include "store/page_vfs.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "store/store.h"
#include "support/changes.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

// Keeps the newest image of every page, as the browser's IndexedDB does.
class MapSink : public PageSink {
 public:
  void on_sync(std::string_view file, int64_t file_size, const std::vector<PageImage>& pages) override {
    last_file = std::string(file);
    size = file_size;
    last_page_count = pages.size();
    ++syncs;
    for (const auto& p : pages) images[p.index] = std::string(p.bytes);
  }
  std::string rebuild() const {
    std::string out(static_cast<size_t>(size), '\0');
    for (const auto& [index, bytes] : images) {
      const size_t off = size_t{index} * kPageSize;
      if (off < out.size()) out.replace(off, std::min(bytes.size(), out.size() - off), bytes.substr(0, out.size() - off));
    }
    return out;
  }
  std::string last_file;
  int64_t size = 0;
  size_t last_page_count = 0;
  int syncs = 0;
  std::map<uint32_t, std::string> images;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

Ticket numbered_ticket(int n) {
  Ticket t;
  char id[33];
  std::snprintf(id, sizeof id, "%032x", n);
  t.id = id;
  t.provisional_number = format_provisional_number(20261129, n);
  t.source = Source::Hotline;
  t.received_at_ms = 1'795'900'000'000 + n;
  t.citizen_name = "居民" + std::to_string(n);
  t.citizen_phone = "13900000000";
  t.community = "河滨花园";
  t.address = "河滨花园" + std::to_string(n % 12 + 1) + "号楼";
  t.category = Category::Sanitation;
  t.title = "垃圾箱满溢，请及时清运";
  t.description = std::string(300, 'x');
  return t;
}

// The browser's sink reads each page out of the file itself (MEMFS), in on_sync: the VFS hands it
// page numbers only, and what it reads then rebuilds the file as well.
class ReadingSink : public MapSink {
 public:
  void on_sync(std::string_view file, int64_t file_size, const std::vector<PageImage>& pages) override {
    std::ifstream in(std::string(file), std::ios::binary);
    std::vector<PageImage> read;
    std::vector<std::string> bytes(pages.size(), std::string(kPageSize, '\0'));
    for (size_t i = 0; i < pages.size(); ++i) {
      all_empty = all_empty && pages[i].bytes.empty();
      in.seekg(static_cast<std::streamoff>(pages[i].index) * kPageSize);
      in.read(bytes[i].data(), kPageSize);
      in.clear();
      read.push_back({pages[i].index, bytes[i]});
    }
    MapSink::on_sync(file, file_size, read);
  }
  bool reads_pages() const override { return true; }
  bool all_empty = true;
};

TEST(PageVfs, ASinkThatReadsThePagesItselfGetsTheirNumbersAndRebuildsTheFile) {
  test::TempDir dir;
  ReadingSink sink;
  ASSERT_TRUE(register_page_vfs("linli-pages-test-reads", &sink));
  const std::string path = dir.file("r.db");
  {
    auto store = Store::open(path, {.durability = Durability::PageSink, .vfs = "linli-pages-test-reads"});
    ASSERT_TRUE(store) << store.error().detail;
    for (int i = 1; i <= 300; ++i) ASSERT_TRUE(store->create_ticket(numbered_ticket(i)));
  }
  EXPECT_TRUE(sink.all_empty) << "page numbers only";
  EXPECT_GT(sink.syncs, 300);
  const std::string disk = read_file(path);
  ASSERT_EQ(static_cast<int64_t>(disk.size()), sink.size);
  EXPECT_TRUE(disk == sink.rebuild());
}

TEST(PageVfs, PagesReceivedRebuildTheFileByteForByte) {
  test::TempDir dir;
  MapSink sink;
  ASSERT_TRUE(register_page_vfs("linli-pages-test-1", &sink));
  const std::string path = dir.file("p.db");
  {
    auto store = Store::open(path, {.durability = Durability::PageSink, .vfs = "linli-pages-test-1"});
    ASSERT_TRUE(store) << store.error().detail;
    for (int i = 1; i <= 300; ++i) ASSERT_TRUE(store->create_ticket(numbered_ticket(i)));
  }
  EXPECT_GT(sink.syncs, 300);  // Every commit syncs.
  EXPECT_EQ(sink.last_file.substr(sink.last_file.size() - 4), "p.db");
  const std::string disk = read_file(path);
  ASSERT_EQ(static_cast<int64_t>(disk.size()), sink.size);
  EXPECT_TRUE(disk == sink.rebuild());

  // And the rebuilt bytes are a database that opens with every ticket in it.
  const std::string copy = dir.file("copy.db");
  { std::ofstream(copy, std::ios::binary) << sink.rebuild(); }
  auto reopened = Store::open(copy);
  ASSERT_TRUE(reopened) << reopened.error().detail;
  EXPECT_EQ(*reopened->count_tickets(), 300);
}

TEST(PageVfs, OneEditCostsAFewPagesHoweverLargeTheFile) {
  test::TempDir dir;
  MapSink sink;
  ASSERT_TRUE(register_page_vfs("linli-pages-test-2", &sink));
  auto store = Store::open(dir.file("big.db"), {.durability = Durability::PageSink, .vfs = "linli-pages-test-2"});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_ticket(numbered_ticket(1)));
  const size_t small_file_pages = sink.last_page_count;
  for (int i = 2; i <= 3000; ++i) ASSERT_TRUE(store->create_ticket(numbered_ticket(i)));
  ASSERT_TRUE(store->create_ticket(numbered_ticket(3001)));
  const size_t big_file_pages = sink.last_page_count;
  EXPECT_GT(sink.size, 1'000'000);  // Over a megabyte ...
  // ... yet an insert touches a few pages, as many in a big file as in a small one, give or take a
  // split: the table's leaf, one leaf of each index a ticket is in (the id, the received list, the
  // inbox's nine sorts of migration 8), the log's, the header, and the FTS5 search index's new
  // segment (merged with its neighbours now and then, as FTS5 does). What must not happen is a
  // cost that grows with the file.
  EXPECT_LE(big_file_pages, small_file_pages + 6) << "small file: " << small_file_pages;
  EXPECT_LE(small_file_pages, 24u);
  EXPECT_LE(big_file_pages, 26u) << "small file: " << small_file_pages;
}

TEST(PageVfs, ANumberedNewTicketIsOneDurableWrite) {
  test::TempDir dir;
  MapSink sink;
  ASSERT_TRUE(register_page_vfs("linli-pages-test-3", &sink));
  auto store = Store::open(dir.file("one.db"), {.durability = Durability::PageSink, .vfs = "linli-pages-test-3"});
  ASSERT_TRUE(store);
  const int before = sink.syncs;
  // As the app's intake does it (app/client/records.cpp): the day's number and the create_ticket
  // change in one transaction, so one commit and one IndexedDB transaction.
  test::Maker maker(test::replica(1));
  auto done = store->in_one_transaction([&]() -> Result<void> {
    auto seq = store->next_provisional_sequence(20261129);
    if (!seq) return seq.error();
    Change c = maker.create(numbered_ticket(1).id, 1'795'960'000'000);
    c.ticket = numbered_ticket(1);
    c.ticket.provisional_number = format_provisional_number(20261129, *seq);
    auto r = store->apply_changes({c}, ApplyMode::Local, 1'795'960'000'000);
    if (!r) return r.error();
    return Ok{};
  });
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_EQ((*store->get_ticket(numbered_ticket(1).id))->provisional_number, "临-20261129-0001");
  EXPECT_EQ(sink.syncs - before, 1);
}

}  // namespace
}  // namespace linli
