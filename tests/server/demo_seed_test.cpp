// linli-server --seed-demo against the real server: the demo street is in the change log, so every
// signed-in replica pulls the tickets of its scope with their whole timelines and official numbers,
// folds them without a conflict, and a restart with --seed-demo adds nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/demo_data.h"
#include "core/demo_field.h"
#include "core/sha256.h"
#include "core/merge.h"
#include "support/sync_fixture.h"
#include "sync/client_sync.h"

namespace linli {
namespace {

using nlohmann::json;
using test::Replica;

// The script folded here, as the reference: each ticket's final state and its number of changes.
struct Expected {
  std::map<std::string, TicketState> states;
  std::map<std::string, size_t> changes;  // Per ticket, without the official number.
};

Expected expected_street() {
  Expected e;
  for (const Change& c : demo_changes(1'795'960'000'000, ReplicaId{1, 1}, 1)) {
    merge_change(e.states[c.ticket_id], c);
    ++e.changes[c.ticket_id];
  }
  return e;
}

class DemoSeedTest : public test::SyncFixture {
 protected:
  std::string seed_flag() const override { return "--seed-demo"; }

  void restart() {
    m_server->stop();
    m_server = std::make_unique<test::ServerProcess>(
        std::vector<std::string>{"--db", m_dir.file("linli.db"), "--web", m_dir.file("web"), "--seed-demo"});
    ASSERT_GT(m_server->port(), 0);
    m_http = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
  }

  // Pulls from cursor 0 to the end into a fresh client store; returns every change pulled.
  std::vector<SequencedChange> pull_all(const Replica& r, Store& store) {
    ClientSync client(store, r.id, Author{r.user, r.role});
    std::vector<SequencedChange> all;
    for (int page = 0; page < 50; ++page) {
      const PullResponse p = pull(r, store.pull_cursor());
      auto taken = client.take_pull_response(p, r.clock);
      EXPECT_TRUE(taken && *taken) << (taken ? "ignored" : taken.error().detail);
      all.insert(all.end(), p.changes.begin(), p.changes.end());
      if (!p.more) break;
    }
    return all;
  }

  // Ticket id → changes pulled of it, and those that are official numbers.
  static std::map<std::string, size_t> count_by_ticket(const std::vector<SequencedChange>& all,
                                                       std::map<std::string, std::string>& numbers) {
    std::map<std::string, size_t> out;
    for (const SequencedChange& sc : all) {
      const Change& c = sc.change;
      if (is_field_kind(c.kind)) continue;  // The spring campaign's (core/demo_field.h): no ticket.
      if (c.kind == ChangeKind::SetField && c.field == EditableField::OfficialNumber)
        numbers[c.ticket_id] = c.value;
      else
        ++out[c.ticket_id];
    }
    return out;
  }

  // Checks a scoped pull: exactly `wanted`, each with its whole timeline and its number.
  void expect_exactly(const std::vector<SequencedChange>& all, const std::set<std::string>& wanted) {
    const Expected e = expected_street();
    std::map<std::string, std::string> numbers;
    const auto counts = count_by_ticket(all, numbers);
    std::set<std::string> got;
    for (const auto& [id, n] : counts) got.insert(id);
    EXPECT_EQ(got, wanted);
    for (const std::string& id : wanted) {
      EXPECT_EQ(counts.count(id) ? counts.at(id) : 0, e.changes.at(id)) << id << ": the whole timeline";
      EXPECT_TRUE(numbers.count(id) && is_valid_official_number(numbers[id])) << id;
    }
  }
};

TEST_F(DemoSeedTest, ACentreReplicaPullingFromZeroReceivesEveryDemoTicketWithItsWholeTimelineAndNumber) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto store = Store::open(m_dir.file("centre.db"));
  ASSERT_TRUE(store);
  const auto all = pull_all(centre, *store);
  std::set<std::string> every;
  for (int n = 1; n <= demo_ticket_count(); ++n) every.insert(demo_ticket_id(n));
  expect_exactly(all, every);
  std::set<std::string> authors;
  for (const SequencedChange& sc : all) authors.insert(sc.change.author.user);
  for (const char* who : {"zhang.bin", "hebin.li", "guanli.wang", "chuhai.chen", "server"})
    EXPECT_TRUE(authors.count(who)) << who;
  // The spring campaign comes with the street: every one of its changes, once.
  size_t field = 0;
  for (const SequencedChange& sc : all) field += is_field_kind(sc.change.kind) ? 1 : 0;
  EXPECT_EQ(field, demo_field_changes(ReplicaId{}, 1).size());
}

TEST_F(DemoSeedTest, TheFoldIntoAFreshClientStoreHasNoRejectedOrReviewConflicts) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  auto store = Store::open(m_dir.file("centre.db"));
  ASSERT_TRUE(store);
  pull_all(centre, *store);
  const Expected e = expected_street();
  for (const auto& [id, want] : e.states) {
    auto st = store->get_ticket_state(id);
    ASSERT_TRUE(st && st->has_value()) << id;
    const TicketState& s = **st;
    EXPECT_EQ(s.ticket.status, want.ticket.status) << id << " " << s.ticket.title;
    EXPECT_NE(s.ticket.status, TicketStatus::Review) << id;
    EXPECT_EQ(s.lead_department, want.lead_department) << id;
    EXPECT_EQ(s.work_count, want.work_count) << id;
    EXPECT_TRUE(is_valid_official_number(s.ticket.official_number)) << id;
    auto dump = store->canonical_dump(id);
    ASSERT_TRUE(dump);
    EXPECT_EQ(dump->substr(dump->rfind("## conflicts\n")), "## conflicts\n") << id << ": a conflict kept";
  }
}

TEST_F(DemoSeedTest, ACommitteePullingFromZeroReceivesExactlyTheDemoTicketsOfItsCommunity) {
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  auto store = Store::open(m_dir.file("hebin.db"));
  ASSERT_TRUE(store);
  std::set<std::string> wanted;
  for (const auto& [id, s] : expected_street().states)
    if (s.ticket.community == "河滨花园") wanted.insert(id);
  EXPECT_GE(wanted.size(), 10u);
  expect_exactly(pull_all(committee, *store), wanted);
}

TEST_F(DemoSeedTest, ADepartmentPullingFromZeroReceivesExactlyTheDemoTicketsItLeads) {
  Replica department = sign_in("guanli.wang", Role::Department, 3);
  auto store = Store::open(m_dir.file("guanli.db"));
  ASSERT_TRUE(store);
  std::set<std::string> wanted;
  for (const auto& [id, s] : expected_street().states)
    if (s.lead_department == "管理办") wanted.insert(id);
  EXPECT_GE(wanted.size(), 8u);
  expect_exactly(pull_all(department, *store), wanted);
}

// What it leads, and every ticket found on patrol in any community (write policy P4).
TEST_F(DemoSeedTest, AFieldTeamPullingFromZeroReceivesExactlyTheDemoTicketsItLeadsOrFoundOnPatrol) {
  Replica field = sign_in("chuhai.chen", Role::Field, 4);
  auto store = Store::open(m_dir.file("chuhai.db"));
  ASSERT_TRUE(store);
  std::set<std::string> wanted;
  for (const auto& [id, s] : expected_street().states)
    if (s.lead_department == "除害站" || s.ticket.source == Source::Patrol) wanted.insert(id);
  EXPECT_GE(wanted.size(), 8u);
  expect_exactly(pull_all(field, *store), wanted);
}

// The handlers the 2020 hotline added have accounts too: the market office (a department) and
// 中华新路's committee pull exactly their tickets, 2020 included.
TEST_F(DemoSeedTest, TheNewHandlersOfThe2020HotlineSignInAndPullExactlyTheirTickets) {
  Replica market = sign_in("shijian.ma", Role::Department, 5);
  auto market_store = Store::open(m_dir.file("shijian.db"));
  ASSERT_TRUE(market_store);
  std::set<std::string> led;
  for (const auto& [id, s] : expected_street().states)
    if (s.lead_department == "市场监管所") led.insert(id);
  EXPECT_GE(led.size(), 20u);
  expect_exactly(pull_all(market, *market_store), led);

  Replica committee = sign_in("zhonghua.gu", Role::Committee, 6);
  auto committee_store = Store::open(m_dir.file("zhonghua.db"));
  ASSERT_TRUE(committee_store);
  std::set<std::string> community;
  for (const auto& [id, s] : expected_street().states)
    if (s.ticket.community == "中华新路927弄") community.insert(id);
  EXPECT_TRUE(community.count(demo_ticket_id(16))) << "the hoarder's ticket";
  EXPECT_GE(community.size(), 60u);
  expect_exactly(pull_all(committee, *committee_store), community);
}

// The delivery point at 河滨花园's gate, before and after (core/demo_photos.h): the committee's
// two attach_photo changes come with ticket 1, and the server holds each photo's bytes under its name.
TEST_F(DemoSeedTest, TheDeliveryPointsBeforeAndAfterPhotosArriveWithTheirBytesOnTheServer) {
  Replica committee = sign_in("hebin.li", Role::Committee, 2);
  auto store = Store::open(m_dir.file("hebin.db"));
  ASSERT_TRUE(store);
  std::map<PhotoPhase, Photo> photos;
  for (const SequencedChange& sc : pull_all(committee, *store))
    if (sc.change.kind == ChangeKind::AttachPhoto) {
      EXPECT_EQ(sc.change.ticket_id, demo_ticket_id(1));
      EXPECT_EQ(sc.change.author.user, "hebin.li");
      photos[sc.change.photo.phase] = sc.change.photo;
    }
  ASSERT_EQ(photos.size(), 2u);
  ASSERT_TRUE(photos.count(PhotoPhase::Before) && photos.count(PhotoPhase::After));
  EXPECT_NE(photos[PhotoPhase::Before].sha256, photos[PhotoPhase::After].sha256);
  for (const auto& [phase, photo] : photos) {
    auto got = m_http->Get("/api/v1/blobs/" + photo.sha256, {{"Authorization", "Bearer " + committee.token}});
    ASSERT_TRUE(got);
    ASSERT_EQ(got->status, 200) << to_string(phase);
    EXPECT_EQ(got->get_header_value("Content-Type"), "image/png");
    EXPECT_EQ(static_cast<int64_t>(got->body.size()), photo.size);
    EXPECT_EQ(sha256_hex(got->body), photo.sha256) << "the bytes are the photo the change names";
    EXPECT_EQ(got->body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n"));
    EXPECT_LT(photo.size, 100'000) << "a drawing, small enough for the demo";
  }
}

TEST_F(DemoSeedTest, AServerRestartedWithSeedDemoAgainAddsNothing) {
  Replica centre = sign_in("zhang.bin", Role::Centre, 1);
  const PullResponse before = pull(centre, 0);
  auto health = [&] { return json::parse(m_http->Get("/healthz")->body)["tickets"].get<int>(); };
  EXPECT_EQ(health(), demo_ticket_count());
  int64_t last = 0;
  for (int64_t cursor = 0;;) {  // The last sequence number given.
    const PullResponse p = pull(centre, cursor);
    if (!p.changes.empty()) last = p.changes.back().seq;
    if (!p.more) break;
    cursor = p.next;
  }
  restart();
  centre = sign_in("zhang.bin", Role::Centre, 1);
  EXPECT_EQ(health(), demo_ticket_count());
  const PullResponse after = pull(centre, last);
  EXPECT_TRUE(after.changes.empty()) << after.changes.size() << " changes added by the second seeding";
  const PullResponse again = pull(centre, 0);
  ASSERT_EQ(again.changes.size(), before.changes.size());
  for (size_t i = 0; i < before.changes.size(); ++i) EXPECT_EQ(again.changes[i].seq, before.changes[i].seq);
}

}  // namespace
}  // namespace linli
