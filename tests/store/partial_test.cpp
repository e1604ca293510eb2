// A scoped replica's store (partial replication): counters with gaps, tickets coming into the scope
// with older changes, tickets forgotten when they leave it, own changes the server refused.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>

#include "store/store.h"
#include "support/changes.h"
#include "support/fault_vfs.h"
#include "support/random_changes.h"
#include "support/stores.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

using namespace test;
using F = EditableField;

constexpr int64_t kNow = 1'772'000'000'000;
const std::string kT = ticket_id(1), kOther = ticket_id(2);

// The server's changes of one ticket, in order: what a pull brings when it comes into a scope.
std::vector<SequencedChange> history(Store& server, const std::string& ticket) {
  auto h = server.changes_of_ticket(ticket, INT64_MAX);
  EXPECT_TRUE(h);
  return *h;
}

std::vector<ApplyStatus> times(size_t n, ApplyStatus s) { return std::vector<ApplyStatus>(n, s); }

// The centre's changes to two tickets, interleaved: counters 1 and 3 are kT's, 2 and 4 kOther's.
void two_tickets(Store& server, Maker& centre) {
  ASSERT_TRUE(server.apply_changes({centre.create(kT, kNow), centre.create(kOther, kNow + 1), centre.note(kT, kNow + 2),
                                    centre.note(kOther, kNow + 3)},
                                   ApplyMode::Accept, kNow));
}

// A server with one ticket (kT) that the client holds, and who makes the changes: the centre, and
// the client itself (a committee).
struct OneTicket {
  TempDir dir;
  Store server = open_store(dir, "server.db");
  Store client = open_store(dir, "client.db");
  Maker centre{replica(1)};
  Maker mine{replica(2), Role::Committee, "李主任"};
  Change create = centre.create(kT, kNow);
  OneTicket() {
    EXPECT_TRUE(server.apply_changes({create}, ApplyMode::Accept, kNow));
    EXPECT_TRUE(client.apply_pulled(pull_all(server), kNow));
  }
};

TEST(StorePartial, APulledChangePastAGapInItsReplicasCounterIsApplied) {
  TempDir dir;
  Store server = open_store(dir, "server.db"), client = open_store(dir, "client.db");
  Maker centre(replica(1));
  two_tickets(server, centre);
  auto r = client.apply_pulled(history(server, kOther), kNow);  // A scope holding kOther only.
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(statuses(*r), times(2, ApplyStatus::Applied));
  EXPECT_EQ(client.applied_counter(replica(1)), 4u);
  EXPECT_EQ(client.pull_cursor(), 4);
  EXPECT_EQ(dump(client, kOther), dump(server, kOther));
  EXPECT_FALSE(client.get_ticket_state(kT)->has_value());
}

TEST(StorePartial, ATicketComingIntoTheScopeBringsOlderChangesThatApplyOnce) {
  TempDir dir;
  Store server = open_store(dir, "server.db"), client = open_store(dir, "client.db");
  Maker centre(replica(1));
  two_tickets(server, centre);
  ASSERT_TRUE(client.apply_pulled(history(server, kOther), kNow));
  // kT's counters 1 and 3 are below the 4 seen: not in the log, so not duplicates.
  auto r = client.apply_pulled(history(server, kT), kNow);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(statuses(*r), times(2, ApplyStatus::Applied));
  EXPECT_EQ(client.applied_counter(replica(1)), 4u);  // Never down.
  EXPECT_EQ(dump(client), dump(server));
  r = client.apply_pulled(history(server, kT), kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(statuses(*r), times(2, ApplyStatus::Duplicate));
  EXPECT_EQ(*client.count_changes(), 4);
  EXPECT_EQ(dump(client), dump(server));
}

TEST(StorePartial, AForgottenTicketLeavesNothingBehindAndComesBackWholeFromItsHistory) {
  TempDir dir;
  Store server = open_store(dir, "server.db"), client = open_store(dir, "client.db"), nobody = open_store(dir, "0.db");
  Maker centre(replica(1)), other(replica(3)), mine(replica(2), Role::Committee, "李主任");
  Change create = centre.create(kT, kNow);
  create.ticket.title = "夜间施工噪音";
  ASSERT_TRUE(server.apply_changes({create, centre.create(kOther, kNow + 1), centre.photo(kT, kNow + 2),
                                    centre.link(kT, kNow + 3, kOther), centre.set(kT, kNow + 4, F::Urgency, "urgent")},
                                   ApplyMode::Accept, kNow));
  // A concurrent urgency edit: a field conflict (R3).
  ASSERT_TRUE(server.apply_changes({other.set(kT, kNow + 5, F::Urgency, "normal")}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(client.apply_pulled(pull_all(server), kNow));
  const Change note = mine.note(kT, kNow + 6);  // An own note, sent and acknowledged.
  ASSERT_TRUE(client.apply_changes({note}, ApplyMode::Local, kNow));
  auto took = server.apply_changes({note}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(took);
  ASSERT_TRUE(client.acknowledge({Ack{note.id, (*took)[0].seq, (*took)[0].stamp, 0}}));
  ASSERT_EQ(dump(client), dump(server));
  const std::string held = dump(client, kT), kept = dump(client, kOther);
  for (const char* rows : {"timeline", "photos", "links", "conflicts"})
    ASSERT_EQ(dump_section_lines(held, rows), 1) << rows;
  ASSERT_EQ(client.search_tickets("施工噪音")->size(), 1u);
  const Ticket before = client.get_ticket(kT)->value();
  ASSERT_EQ(client.left_tickets()->second, 0);

  ASSERT_TRUE(client.forget_tickets({kT}, kNow + 9));
  EXPECT_FALSE(client.get_ticket_state(kT)->has_value());
  // The user is told which ticket left, by the number and title they knew it by.
  auto left = client.left_tickets();
  ASSERT_TRUE(left) << left.error().detail;
  ASSERT_EQ(left->second, 1);
  ASSERT_EQ(left->first.size(), 1u);
  EXPECT_EQ(left->first[0].ticket_id, kT);
  EXPECT_EQ(left->first[0].number, before.official_number.empty() ? before.provisional_number : before.official_number);
  EXPECT_FALSE(left->first[0].number.empty());
  EXPECT_EQ(left->first[0].title, before.title);
  EXPECT_EQ(left->first[0].left_at_ms, kNow + 9);
  ASSERT_TRUE(client.dismiss_left_tickets());
  EXPECT_EQ(client.left_tickets()->second, 0);
  ASSERT_TRUE(client.forget_tickets({kT}, kNow + 10));  // Not here any more: nothing to tell.
  EXPECT_EQ(client.left_tickets()->second, 0);
  EXPECT_EQ(dump(client, kT), dump(nobody, kT));
  EXPECT_TRUE(client.search_tickets("施工噪音")->empty());
  EXPECT_EQ(*client.count_changes(), 1);  // kOther's create.
  EXPECT_EQ(dump(client, kOther), kept);
  EXPECT_TRUE(client.leaving_tickets().empty());
  // Back in the scope: its whole history, the own note too, applies anew.
  auto back = client.apply_pulled(history(server, kT), kNow);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(statuses(*back), times(6, ApplyStatus::Applied));
  EXPECT_EQ(dump(client), dump(server));
  EXPECT_EQ(client.search_tickets("施工噪音")->size(), 1u);
  // Left and back before the user read the notice: no longer news.
  ASSERT_TRUE(client.forget_tickets({kT}, kNow + 11));
  EXPECT_EQ(client.left_tickets()->second, 1);
  ASSERT_TRUE(client.apply_pulled(history(server, kT), kNow));
  EXPECT_EQ(client.left_tickets()->second, 0);
}

TEST(StorePartial, ATicketWithUnsentOwnChangesIsKeptLeavingUntilTheServerHasAnsweredThem) {
  OneTicket w;
  auto& [dir, server, client, centre, mine, create] = w;
  const Change note = mine.note(kT, kNow + 1);
  ASSERT_TRUE(client.apply_changes({note}, ApplyMode::Local, kNow));
  ASSERT_TRUE(client.forget_tickets({kT}, kNow));
  EXPECT_TRUE(client.get_ticket_state(kT)->has_value());
  EXPECT_EQ(client.leaving_tickets(), std::vector<std::string>{kT});
  client = open_store(dir, "client.db");  // The mark is on disk.
  EXPECT_EQ(client.leaving_tickets(), std::vector<std::string>{kT});
  ASSERT_TRUE(client.forget_tickets(client.leaving_tickets(), kNow));  // Still unanswered: kept.
  EXPECT_TRUE(client.get_ticket_state(kT)->has_value());
  EXPECT_EQ(client.left_tickets()->second, 0);  // Not gone yet: nothing to tell.
  ASSERT_TRUE(client.refuse_changes({PushRefusal{note.id, "out_of_scope", "ticket outside the scope"}}, kNow + 2));
  ASSERT_TRUE(client.forget_tickets(client.leaving_tickets(), kNow));
  EXPECT_FALSE(client.get_ticket_state(kT)->has_value());
  EXPECT_TRUE(client.leaving_tickets().empty());
  EXPECT_EQ(client.left_tickets()->second, 1);
  EXPECT_EQ(*client.count_changes(), 0);
  auto refused = client.refused_changes();
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ((*refused)[0].change.id, note.id);
  EXPECT_EQ((*refused)[0].code, "out_of_scope");
}

TEST(StorePartial, R10_ALeavingTicketTheServerSendsAgainIsBackAndFoldsWhatItMissedBeneathUnsentChanges) {
  OneTicket w;
  auto& [dir, server, client, centre, mine, create] = w;
  const Change retitle = mine.set(kT, kNow + 5, F::Title, "乙改的标题");
  ASSERT_TRUE(client.apply_changes({retitle}, ApplyMode::Local, kNow));
  ASSERT_TRUE(client.forget_tickets({kT}, kNow));
  ASSERT_EQ(client.leaving_tickets(), std::vector<std::string>{kT});
  // Out of the scope and back, with a concurrent edit made meanwhile (an earlier clock: it loses,
  // R3): the server sends the whole history.
  ASSERT_TRUE(server.apply_changes({centre.set(kT, kNow + 2, F::Title, "中心改的标题")}, ApplyMode::Accept, kNow));
  auto back = client.apply_pulled(history(server, kT), kNow);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(statuses(*back), (std::vector<ApplyStatus>{ApplyStatus::Duplicate, ApplyStatus::Applied}));
  EXPECT_TRUE(client.leaving_tickets().empty());
  EXPECT_EQ(client.unsent_changes(replica(2), 10)->size(), 1u);
  const std::string folded = dump(client, kT);
  EXPECT_EQ(dump_section_lines(folded, "conflicts"), 1) << folded;  // Folded beneath the own edit.
  EXPECT_EQ((*client.get_ticket_state(kT))->ticket.title, "乙改的标题");
  ASSERT_TRUE(server.apply_changes({retitle}, ApplyMode::Accept, kNow));
  ASSERT_TRUE(client.apply_pulled(pull_all(server, 2), kNow));
  EXPECT_TRUE(client.unsent_changes(replica(2), 10)->empty());
  EXPECT_EQ(dump(client), dump(server));
}

TEST(StorePartial, ARefusedChangeLeavesTheOutboxAndTheFoldAndIsKeptWithItsReason) {
  OneTicket w;
  auto& [dir, server, client, centre, mine, create] = w;
  const Change retitle = mine.set(kT, kNow + 1, F::Title, "乙改的标题"), note = mine.note(kT, kNow + 2);
  ASSERT_TRUE(client.apply_changes({retitle, note}, ApplyMode::Local, kNow));
  const PushRefusal refusal{retitle.id, "forbidden", "a committee may not retitle"};
  ASSERT_TRUE(client.refuse_changes({refusal}, kNow + 3));
  auto state = client.get_ticket_state(kT);
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->ticket.title, create.ticket.title);
  EXPECT_TRUE((*state)->fields[static_cast<size_t>(F::Title)].id.is_zero());
  EXPECT_EQ((*state)->work_count, 1);
  auto unsent = client.unsent_changes(replica(2), 10);
  ASSERT_EQ(unsent->size(), 1u);
  EXPECT_EQ((*unsent)[0].id, note.id);
  EXPECT_EQ(client.applied_counter(replica(2)), 2u);  // The server consumed the number.
  auto refused = client.refused_changes();
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->size(), 1u);
  const RefusedChange& r = (*refused)[0];
  EXPECT_EQ(encode_change_record(r.change), encode_change_record(retitle));
  EXPECT_EQ(r.code, "forbidden");
  EXPECT_EQ(r.detail, "a committee may not retitle");
  EXPECT_EQ(r.refused_at_ms, kNow + 3);
  EXPECT_EQ(r.ticket_number, create.ticket.provisional_number);
  EXPECT_EQ(r.ticket_title, "乙改的标题");  // As the user saw it when the refusal came.
  // Taken twice: nothing more.
  ASSERT_TRUE(client.refuse_changes({refusal}, kNow + 4));
  EXPECT_EQ(client.refused_changes()->at(0).refused_at_ms, kNow + 3);
  // The note follows the consumed number on the server; a refusal of an acknowledged change is void.
  ASSERT_TRUE(server.skip_change(retitle.id));
  auto took = server.apply_changes({note}, ApplyMode::Accept, kNow);
  ASSERT_TRUE(took);
  ASSERT_EQ((*took)[0].status, ApplyStatus::Applied);
  ASSERT_TRUE(client.acknowledge({Ack{note.id, (*took)[0].seq, (*took)[0].stamp, 0}}));
  ASSERT_TRUE(client.refuse_changes({PushRefusal{note.id, "forbidden", "stale"}}, kNow + 5));
  EXPECT_EQ(client.refused_changes()->size(), 1u);
  EXPECT_EQ(dump(client), dump(server));
}

TEST(StorePartial, ARefusedCreateTakesItsTicketAwayAndKeepsItsNumberAndTitle) {
  TempDir dir;
  Store client = open_store(dir, "client.db"), nobody = open_store(dir, "0.db");
  Maker mine(replica(2), Role::Committee, "李主任");
  Change create = mine.create(kT, kNow);
  create.ticket.title = "夜间施工噪音";
  const Change note = mine.note(kT, kNow + 1);
  ASSERT_TRUE(client.apply_changes({create, note}, ApplyMode::Local, kNow));
  ASSERT_TRUE(client.refuse_changes({PushRefusal{create.id, "out_of_scope", "not this committee's community"}}, kNow + 2));
  // The note is still to be answered, on a ticket that is not here (R1).
  EXPECT_FALSE(client.get_ticket_state(kT)->has_value());
  EXPECT_TRUE(client.search_tickets("施工噪音")->empty());
  EXPECT_EQ(client.unsent_changes(replica(2), 10)->size(), 1u);
  auto refused = client.refused_changes();
  ASSERT_TRUE(refused && refused->size() == 1u);
  EXPECT_EQ((*refused)[0].ticket_number, create.ticket.provisional_number);
  EXPECT_EQ((*refused)[0].ticket_title, "夜间施工噪音");
  ASSERT_TRUE(client.refuse_changes({PushRefusal{note.id, "out_of_scope", "unknown ticket"}}, kNow + 3));
  EXPECT_EQ(*client.count_changes(), 0);
  EXPECT_EQ(dump(client), dump(nobody));
  EXPECT_EQ(client.refused_changes()->size(), 2u);
  EXPECT_EQ(client.refused_changes()->at(0).change.id, note.id);  // Newest first.
}

// Fault injection: fail the 1st, 2nd, ... write of a forget until it gets through. Each failure
// must leave the ticket whole, and the forget must work afterwards.
TEST(StoreFaults, AWriteFailingWhileForgettingATicketLeavesItWhole) {
  FaultVfs::install();
  TempDir dir;
  StoreOptions o;
  o.vfs = FaultVfs::kName;
  o.cache_pages = 4;  // Spill pages mid-transaction so writes happen before the commit too.
  Store server = open_store(dir, "server.db"), nobody = open_store(dir, "0.db");
  Maker centre(replica(1));
  std::vector<Change> log = {centre.create(kT, kNow), centre.create(kOther, kNow)};
  for (int i = 0; i < 40; ++i) log.push_back(centre.note(kT, kNow + i, EntryKind::HandlingNote, std::string(300, 'x')));
  ASSERT_TRUE(server.apply_changes(log, ApplyMode::Accept, kNow));
  int failures = 0;
  for (int nth = 1; nth < 1000; ++nth) {
    const std::string name = "f" + std::to_string(nth) + ".db";
    Store s = open_store(dir, name, o);
    ASSERT_TRUE(s.apply_pulled(pull_all(server), kNow));
    const std::string before = dump(s);
    FaultVfs::arm(nth);
    auto r = s.forget_tickets({kT}, kNow);
    FaultVfs::disarm();
    if (r) {
      EXPECT_EQ(dump(s, kT), dump(nobody, kT));
      break;
    }
    ++failures;
    EXPECT_EQ(dump(s), before) << "after failing write " << nth;
    // From a new connection: after some failed writes SQLite's FTS5 keeps a stale index structure
    // in the failed connection and the next delete of a ticket row reads as corrupt (a bare
    // external-content FTS5 table with a delete trigger does it too), whatever the store does.
    s = open_store(dir, name, o);
    EXPECT_EQ(dump(s), before) << "reopened after failing write " << nth;
    auto retry = s.forget_tickets({kT}, kNow);
    ASSERT_TRUE(retry) << retry.error().detail;
    EXPECT_EQ(dump(s, kT), dump(nobody, kT)) << "after failing write " << nth;
    EXPECT_EQ(dump(s, kOther), dump(server, kOther));
  }
  EXPECT_GT(failures, 1) << "the forget should write more than once before its commit";
  std::printf("failing writes tried: %d\n", failures);
}

}  // namespace
}  // namespace linli
