// The change feed and group commit of the sync server, in one process: a real store on disk, no
// HTTP. The feed's answers must be the text a database read gives; its `concerns` may say yes
// too often (a slower pull) but never no when a change does concern the caller.
#include "change_feed.h"
#include "group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/changes.h"
#include "support/temp_dir.h"

namespace linli::server {
namespace {

constexpr int64_t kMs = 1'795'960'000'000;

User user(Role role, std::string scope) {
  User u;
  u.name = "someone";
  u.role = role;
  u.scope = std::move(scope);
  return u;
}

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open(m_dir.file("linli.db"));
    ASSERT_TRUE(s) << s.error().detail;
    m_store = std::make_unique<Store>(std::move(s).value());
  }
  void apply(const std::vector<Change>& changes) {
    auto r = m_store->apply_changes(changes, ApplyMode::Accept, kMs);
    ASSERT_TRUE(r) << r.error().detail;
    for (const ChangeResult& c : *r) ASSERT_EQ(c.status, ApplyStatus::Applied) << c.detail;
  }
  Change create_in(const std::string& ticket, const std::string& community) {
    Change c = m_maker.create(ticket, ++m_clock);
    c.ticket.community = community;
    return c;
  }
  // What a pull read from the database answers after `from`.
  std::string from_database(int64_t from, int limit) {
    auto changes = m_store->changes_after(from, limit + 1);
    EXPECT_TRUE(changes);
    PullResponse p;
    p.from = from;
    p.more = static_cast<int>(changes->size()) > limit;
    if (p.more) changes->pop_back();
    p.changes = *changes;
    p.next = p.changes.empty() ? from : p.changes.back().seq;  // The last change it covers.
    p.head = m_store->last_seq();  // How far the log goes, as the answer says.
    return encode(p);
  }

  test::TempDir m_dir;
  std::unique_ptr<Store> m_store;
  test::Maker m_maker{test::replica(1)};
  int64_t m_clock = kMs;
};

TEST_F(ChangeFeedTest, ACentresAnswerIsTheTextADatabaseReadGives) {
  apply({create_in(test::ticket_id(1), "河滨花园")});
  ChangeFeed feed;
  feed.start_after(m_store->last_seq());
  const int64_t start = feed.last_seq();
  apply({create_in(test::ticket_id(2), "河滨花园"), m_maker.note(test::ticket_id(1), ++m_clock)});
  apply({m_maker.note(test::ticket_id(2), ++m_clock)});
  ASSERT_TRUE(feed.publish(*m_store));
  EXPECT_EQ(feed.last_seq(), m_store->last_seq());
  for (int limit : {1, 2, 3, 500}) {
    std::string text;
    PullResponse head;
    head.from = start;
    const auto sent = feed.answer(head, limit, text);
    ASSERT_TRUE(sent);
    EXPECT_EQ(*sent, std::min<size_t>(static_cast<size_t>(limit), 3));
    EXPECT_EQ(text, from_database(start, limit)) << "limit " << limit;
  }
  std::string text;
  PullResponse before;
  before.from = start - 1;  // Older than the feed: read the database.
  EXPECT_FALSE(feed.answer(before, 10, text));
}

// A scoped pull's window from the feed is what a read of the log gives: each change's text as
// encoded from the log, with the ticket, kind and replica it is routed by.
TEST_F(ChangeFeedTest, AWindowHoldsWhatTheLogHoldsWithWhatRoutesEachChange) {
  apply({create_in(test::ticket_id(1), "河滨花园")});
  ChangeFeed feed;
  feed.start_after(m_store->last_seq());
  const int64_t start = feed.last_seq();
  test::Maker other(test::replica(2));
  apply({create_in(test::ticket_id(2), "中华新路927弄"), m_maker.note(test::ticket_id(1), ++m_clock)});
  apply({other.set(test::ticket_id(2), ++m_clock, EditableField::Urgency, "urgent")});
  ASSERT_TRUE(feed.publish(*m_store));
  auto log = m_store->changes_after(start, 10);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 3u);
  for (int max : {1, 2, 3, 10}) {
    bool more = true;
    const auto window = feed.window(start, max, &more);
    ASSERT_TRUE(window);
    ASSERT_EQ(window->size(), std::min<size_t>(static_cast<size_t>(max), 3));
    EXPECT_EQ(more, max < 3) << "max " << max;
    for (size_t i = 0; i < window->size(); ++i) {
      const FedChange& f = *(*window)[i];
      const SequencedChange& sc = (*log)[i];
      EXPECT_EQ(f.seq, sc.seq);
      EXPECT_EQ(f.kind, sc.change.kind);
      EXPECT_EQ(f.ticket_id, sc.change.ticket_id);
      EXPECT_EQ(f.replica, sc.change.id.replica);
      EXPECT_EQ(f.json, encode_sequenced(sc));
      EXPECT_EQ(feed.find(sc.seq), (*window)[i]);  // The same record, not a copy.
    }
  }
  EXPECT_EQ((*feed.window(start, 3, nullptr))[2]->replica, test::replica(2));
  bool more = true;
  ASSERT_TRUE(feed.window(feed.last_seq(), 10, &more));  // Nothing after the last.
  EXPECT_TRUE(feed.window(feed.last_seq(), 10, &more)->empty());
  EXPECT_FALSE(more);
  EXPECT_FALSE(feed.window(start - 1, 10, nullptr));  // Older than the feed: read the log.
  EXPECT_EQ(feed.find(start), nullptr);
  EXPECT_EQ(feed.find(feed.last_seq() + 1), nullptr);
}

TEST_F(ChangeFeedTest, OldChangesLeaveTheFeedPastItsSize) {
  ChangeFeed feed(2000);  // Bytes: a few changes.
  feed.start_after(m_store->last_seq());
  for (int i = 1; i <= 20; ++i) apply({create_in(test::ticket_id(i), "河滨花园")});
  ASSERT_TRUE(feed.publish(*m_store));
  std::string text;
  PullResponse head;
  EXPECT_FALSE(feed.answer(head, 10, text));  // From 0: gone.
  head.from = feed.last_seq() - 1;
  ASSERT_TRUE(feed.answer(head, 10, text));
  EXPECT_EQ(text, from_database(head.from, 10));
}

TEST_F(ChangeFeedTest, AChangeConcernsWhoSeesItsTicketBeforeOrAfterIt) {
  apply({create_in(test::ticket_id(9), "河滨花园")});  // Before the feed started: unknown to it.
  ChangeFeed feed;
  feed.start_after(m_store->last_seq());
  const User hebin = user(Role::Committee, "河滨花园"), other = user(Role::Committee, "中华新路927弄"),
             centre = user(Role::Centre, ""), pest = user(Role::Department, "除害站"),
             field = user(Role::Field, "除害站");
  int64_t cursor = feed.last_seq();
  auto published = [&] {
    EXPECT_TRUE(feed.publish(*m_store));
    const int64_t from = cursor;
    cursor = feed.last_seq();
    return from;
  };
  apply({create_in(test::ticket_id(1), "河滨花园")});
  int64_t from = published();
  EXPECT_TRUE(*feed.concerns(from, hebin));
  EXPECT_TRUE(*feed.concerns(from, centre));
  EXPECT_FALSE(*feed.concerns(from, other));
  EXPECT_FALSE(*feed.concerns(from, pest));
  int64_t through = 0;  // How far it looked: a pull that found nothing moves its cursor there.
  EXPECT_FALSE(*feed.concerns(from, other, &through));
  EXPECT_EQ(through, feed.last_seq());
  // Dispatched to a department: it and the field team that works for it see the ticket now.
  apply({m_maker.set(test::ticket_id(1), ++m_clock, EditableField::LeadDepartment, "除害站")});
  from = published();
  EXPECT_TRUE(*feed.concerns(from, pest));
  EXPECT_TRUE(*feed.concerns(from, field));
  EXPECT_FALSE(*feed.concerns(from, other));
  // Moved to another community: the committee it left must hear (to drop it), and the new one.
  apply({m_maker.set(test::ticket_id(1), ++m_clock, EditableField::Community, "中华新路927弄")});
  from = published();
  EXPECT_TRUE(*feed.concerns(from, hebin));
  EXPECT_TRUE(*feed.concerns(from, other));
  apply({m_maker.note(test::ticket_id(1), ++m_clock)});
  from = published();
  EXPECT_FALSE(*feed.concerns(from, hebin));  // Gone from its scope for good.
  EXPECT_TRUE(*feed.concerns(from, other));
  // A ticket the feed has not seen since the server started may be held by anyone.
  apply({m_maker.note(test::ticket_id(9), ++m_clock)});
  from = published();
  EXPECT_TRUE(*feed.concerns(from, other));
  EXPECT_FALSE(*feed.concerns(feed.last_seq(), hebin));  // Nothing after the last.
  EXPECT_FALSE(feed.concerns(-1, hebin));                // Before the feed: ask the database.
}

TEST_F(ChangeFeedTest, AWaitEndsAtAPublishOrAStop) {
  ChangeFeed feed;
  feed.start_after(m_store->last_seq());
  const auto far = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    apply({create_in(test::ticket_id(1), "河滨花园")});
    EXPECT_TRUE(feed.publish(*m_store));
  });
  feed.wait_beyond(feed.last_seq(), far);
  writer.join();
  EXPECT_EQ(feed.last_seq(), m_store->last_seq());
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    feed.stop();
  });
  const auto start = std::chrono::steady_clock::now();
  feed.wait_beyond(feed.last_seq(), far);
  stopper.join();
  EXPECT_TRUE(feed.stopping());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// Every job is written exactly once, by one writer at a time, and jobs that wait while the
// writer is busy are written together.
TEST(GroupCommit, EveryJobIsWrittenOnceAndWaitingJobsGoTogether) {
  struct Job {
    int written = 0;
  };
  GroupCommit<Job> commits;
  constexpr int kJobs = 64;
  std::vector<Job> jobs(kJobs);
  std::atomic<int> writing{0}, groups{0}, largest{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kJobs; ++i)
    threads.emplace_back([&, i] {
      commits.submit(&jobs[static_cast<size_t>(i)], [&](const std::vector<Job*>& group) {
        EXPECT_EQ(++writing, 1);  // One writer at a time.
        for (Job* j : group) ++j->written;
        ++groups;
        largest = std::max(largest.load(), static_cast<int>(group.size()));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // A slow fsync.
        --writing;
      });
      EXPECT_EQ(jobs[static_cast<size_t>(i)].written, 1);  // Written before submit returns.
    });
  for (auto& t : threads) t.join();
  for (const Job& j : jobs) EXPECT_EQ(j.written, 1);
  EXPECT_LT(groups.load(), kJobs);
  EXPECT_GT(largest.load(), 1);
}

}  // namespace
}  // namespace linli::server
