// The report's tally kept by the fold (tickets.report_tally, core/report_tally.h) against the
// report folded again from each ticket's log (FoldingTicketReader, the reference): the same report
// over the demo street, every month, scoped and not; over random tickets edited offline on three
// devices and delivered in any order, by pull and by push; and over a store of an earlier build
// (no tally yet) before and after it is folded again.
#include "report/store_reader.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "core/civil_time.h"
#include "core/demo_data.h"
#include "core/workflow.h"
#include "policy/write_policy.h"
#include "report/csv.h"
#include "support/changes.h"
#include "support/temp_dir.h"
#include "sync/calendar_json.h"

namespace linli::report {

// What a failed comparison prints: the report as its CSV has it, and its overdue list.
void PrintTo(const MonthlyReport& r, std::ostream* os) {
  *os << "\n" << encode_monthly_csv(r).substr(3) << "overdue " << r.overdue.size() << "\n";
}

namespace {

// Each ticket's changes in the given order, folded by facts_of: the report of the changes alone.
class ChangesReader : public TicketReader {
 public:
  explicit ChangesReader(const std::vector<Change>& in_fold_order) {
    std::map<std::string, std::vector<Change>> by_ticket;
    for (const Change& c : in_fold_order) by_ticket[c.ticket_id].push_back(c);
    for (const auto& [id, log] : by_ticket) m_tickets.push_back(facts_of(log));
  }
  Result<std::vector<TicketFacts>> received_between(int64_t from, int64_t to) override {
    std::vector<TicketFacts> out;
    for (const TicketFacts& f : m_tickets)
      if (f.state.ticket.received_at_ms >= from && f.state.ticket.received_at_ms < to) out.push_back(f);
    return out;
  }

 private:
  std::vector<TicketFacts> m_tickets;
};

MonthlyReport report_of(TicketReader& reader, std::pair<int, int> month, int64_t as_of) {
  auto r = monthly_report(reader, month.first, month.second, builtin_calendar(), as_of);
  EXPECT_TRUE(r) << r.error().detail;
  return r ? *r : MonthlyReport{};
}

// The months the changes' tickets were received in.
std::set<std::pair<int, int>> months_of(const std::vector<Change>& changes) {
  std::set<std::pair<int, int>> out;
  for (const Change& c : changes) {
    if (c.kind != ChangeKind::CreateTicket) continue;
    const CivilDay d = civil_from_days(shanghai_days(c.ticket.received_at_ms));
    out.insert({d.year, d.month});
  }
  return out;
}

const Actor kScopes[] = {{Role::Centre, ""},          {Role::Committee, "河滨花园"}, {Role::Committee, "普善路小区"},
                         {Role::Department, "管理办"}, {Role::Department, "平安办"}, {Role::Department, "城管中队"}};

// The tally reader's report equals the folding reader's for every month and scope; returns how
// many tickets the months held (so a test sees it compared something).
int expect_tally_equals_fold(Store& store, const std::set<std::pair<int, int>>& months, int64_t as_of) {
  int counted = 0;
  for (const auto& month : months) {
    StoreTicketReader tally(store);
    FoldingTicketReader fold(store);
    const MonthlyReport want = report_of(fold, month, as_of);
    EXPECT_EQ(report_of(tally, month, as_of), want) << month.first << "-" << month.second;
    counted += want.received;
    for (const Actor& a : kScopes) {
      const TicketScope keep = [&](const TicketState& s) { return may_see(a, s); };
      StoreTicketReader scoped_tally(store, keep);
      FoldingTicketReader scoped_fold(store, keep);
      EXPECT_EQ(report_of(scoped_tally, month, as_of), report_of(scoped_fold, month, as_of))
          << month.first << "-" << month.second << " as " << a.scope;
    }
  }
  return counted;
}

std::vector<SequencedChange> numbered(const std::vector<Change>& changes) {
  std::vector<SequencedChange> out;
  for (size_t i = 0; i < changes.size(); ++i) out.push_back({changes[i], static_cast<int64_t>(i + 1)});
  return out;
}

// Delivers sequenced changes in a random order, in random batches: tickets folded again (R10).
void pull_shuffled(Store& store, std::vector<SequencedChange> changes, std::mt19937_64& rng) {
  std::shuffle(changes.begin(), changes.end(), rng);
  for (size_t at = 0; at < changes.size();) {
    const size_t n = std::min(changes.size() - at, size_t{1} + static_cast<size_t>(rng() % 40));
    ASSERT_TRUE(store.apply_pulled({changes.begin() + static_cast<std::ptrdiff_t>(at), changes.begin() + static_cast<std::ptrdiff_t>(at + n)},
                                   1'800'000'000'000));
    at += n;
  }
}

constexpr int64_t kDemoNow = 1'795'960'000'000;

TEST(ReportTally, PacksIntoOneColumnAndBackSaturatingItsCounts) {
  ReportTally t{3, 1, 2, true, 2, Satisfaction::Dissatisfied, Satisfaction::BasicallySatisfied};
  EXPECT_EQ(unpack_tally(pack_tally(t)), t);
  EXPECT_EQ(unpack_tally(pack_tally(ReportTally{})), ReportTally{});
  EXPECT_GE(pack_tally(t), 0);
  ReportTally many{100'000, 5000, 4096, false, 9999, Satisfaction::Leaning, Satisfaction::Satisfied};
  const auto back = unpack_tally(pack_tally(many));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->assignments, 4095);  // "More than one" stays more than one.
  EXPECT_EQ(back->extensions, 4095);
  EXPECT_EQ(back->visits, 4095);
  EXPECT_EQ(back->first_visit, Satisfaction::Leaning);
  EXPECT_FALSE(unpack_tally(-1));
  EXPECT_FALSE(unpack_tally(int64_t{1} << 60));
}

TEST(ReportTally, TheDemoStreetsEveryMonthIsTheSameReportFromTheTallyAsFromTheLog) {
  test::TempDir dir;
  auto store = Store::open(dir.file("demo.db"));
  ASSERT_TRUE(store);
  const std::vector<Change> demo = demo_changes(kDemoNow, ReplicaId{1, 1}, 1);
  ASSERT_TRUE(store->apply_pulled(numbered(demo), kDemoNow));
  const auto months = months_of(demo);
  EXPECT_GE(months.size(), 3u);
  EXPECT_EQ(expect_tally_equals_fold(*store, months, kDemoNow), demo_ticket_count());
  // And both are the report of the changes themselves.
  ChangesReader changes(demo);
  StoreTicketReader tally(*store);
  for (const auto& month : months) EXPECT_EQ(report_of(tally, month, kDemoNow), report_of(changes, month, kDemoNow));
  EXPECT_EQ(report_of(tally, {2020, 3}, kDemoNow).by_category.at(Category::EpidemicControl), 300);
}

TEST(ReportTally, TheDemoStreetDeliveredInAnyOrderKeepsTheTallyOfItsFoldOrder) {
  const std::vector<Change> demo = demo_changes(kDemoNow, ReplicaId{1, 1}, 1);
  const auto months = months_of(demo);
  ChangesReader changes(demo);
  for (uint64_t seed : {1u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    test::TempDir dir;
    auto store = Store::open(dir.file("shuffled.db"));
    ASSERT_TRUE(store);
    pull_shuffled(*store, numbered(demo), rng);
    StoreTicketReader tally(*store);
    for (const auto& month : months) EXPECT_EQ(report_of(tally, month, kDemoNow), report_of(changes, month, kDemoNow));
    // Sequence numbers in a random order: a fold order unlike the stamps', many moves rejected.
    std::vector<Change> reordered = demo;
    std::shuffle(reordered.begin(), reordered.end(), rng);
    auto other = Store::open(dir.file("reordered.db"));
    ASSERT_TRUE(other);
    pull_shuffled(*other, numbered(reordered), rng);
    EXPECT_EQ(expect_tally_equals_fold(*other, months, kDemoNow), demo_ticket_count());
    ChangesReader reordered_changes(reordered);
    StoreTicketReader other_tally(*other);
    for (const auto& month : months)
      EXPECT_EQ(report_of(other_tally, month, kDemoNow), report_of(reordered_changes, month, kDemoNow));
  }
}

// Tickets edited on three devices that sync now and then: each drafts from what it has seen, so
// edits are concurrent (R3, R5, R6) and the fold order is the server's, not the authors'.
class OfflineStreet {
 public:
  explicit OfflineStreet(uint64_t seed) : m_rng(seed) {}

  std::vector<Change> make(int tickets, int steps) {
    for (int n = 0; n < tickets; ++n) create(n);
    for (int i = 0; i < steps; ++i) step();
    return m_log;
  }

 private:
  static constexpr int kDevices = 3;
  static constexpr int64_t kStart = 1'767'225'600'000;  // 2026-01-01 08:00, Shanghai.

  int pick(int n) { return static_cast<int>(m_rng() % static_cast<uint64_t>(n)); }

  TicketState view(int device, const std::string& id) const {
    TicketState s;
    for (size_t i = 0; i < m_log.size(); ++i)
      if (m_log[i].ticket_id == id && (i < m_seen[device] || m_log[i].id.replica == replica(device)))
        merge_change(s, m_log[i]);
    return s;
  }
  static ReplicaId replica(int device) { return test::replica(static_cast<uint64_t>(device + 1)); }

  Change draft(int device, const std::string& id, ChangeKind kind, Role role) {
    Change c;
    c.id = ChangeId{replica(device), ++m_counter[device]};
    m_clock[device] += 60'000 + pick(7'200'000);
    c.stamp = Hlc{m_clock[device], 0};
    c.author = Author{role == Role::Centre ? "zhang.bin" : "handler", role};
    c.ticket_id = id;
    c.kind = kind;
    return c;
  }
  void emit(Change c) { m_log.push_back(std::move(c)); }

  void create(int n) {
    static const char* const kCommunities[] = {"河滨花园", "普善路小区", "长安路"};
    const int device = pick(kDevices);
    Change c = draft(device, test::ticket_id(9000 + n), ChangeKind::CreateTicket, Role::Centre);
    c.ticket = test::new_ticket(c.ticket_id);
    c.ticket.received_at_ms = kStart + static_cast<int64_t>(pick(80)) * 86'400'000 + pick(86'400'000);
    c.ticket.created_at_ms = c.ticket.updated_at_ms = c.ticket.received_at_ms;
    c.ticket.community = kCommunities[pick(3)];
    c.ticket.source = static_cast<Source>(pick(kSourceCount));
    c.ticket.category = static_cast<Category>(pick(kCategoryCount));
    c.ticket.urgency = pick(5) == 0 ? Urgency::Urgent : Urgency::Normal;
    m_clock[device] = std::max(m_clock[device], c.ticket.received_at_ms);
    c.stamp = Hlc{m_clock[device], 0};
    m_tickets.push_back(c.ticket_id);
    emit(std::move(c));
  }

  void step() {
    const int device = pick(kDevices);
    if (pick(3) == 0) m_seen[device] = m_log.size();  // Synced.
    const std::string& id = m_tickets[static_cast<size_t>(pick(static_cast<int>(m_tickets.size())))];
    const TicketState s = view(device, id);
    if (!s.exists) return;
    static const char* const kDepartments[] = {"管理办", "平安办", "城管中队"};
    switch (pick(8)) {
      case 0: {  // 派单 (again: 重派), to a department.
        Change f = draft(device, id, ChangeKind::SetField, Role::Centre);
        f.field = EditableField::LeadDepartment;
        f.value = kDepartments[pick(3)];
        f.base = s.fields[static_cast<size_t>(EditableField::LeadDepartment)].id;
        emit(std::move(f));
        return move(device, s, WorkflowAction::Assign, Role::Centre);
      }
      case 1: {
        Change e = draft(device, id, ChangeKind::AddEntry, Role::Centre);
        e.entry.kind = EntryKind::Contact;
        emit(std::move(e));
        return move(device, s, WorkflowAction::ContactCitizen, Role::Centre);
      }
      case 2: {
        static const WorkflowAction kHandler[] = {WorkflowAction::Start, WorkflowAction::Handle};
        return move(device, s, kHandler[pick(2)], Role::Department);
      }
      case 3: {
        Change e = draft(device, id, ChangeKind::AddEntry, Role::Centre);
        e.entry.kind = EntryKind::ReturnVisit;
        e.entry.satisfaction = static_cast<Satisfaction>(1 + pick(kSatisfactionCount - 1));
        emit(std::move(e));
        return move(device, s, WorkflowAction::ReturnVisit, Role::Centre);
      }
      case 4: {
        static const WorkflowAction kCentre[] = {WorkflowAction::Close, WorkflowAction::Reopen,
                                                 WorkflowAction::ApproveReturn, WorkflowAction::ReturnVisit};
        return move(device, s, kCentre[pick(4)], Role::Centre);
      }
      case 5: {  // 延期: a request, or a decision on one this device has seen.
        Change e = draft(device, id, ChangeKind::AddEntry, Role::Department);
        std::vector<ChangeId> asked;
        for (const ClockEvent& k : s.clock)
          if (k.kind == ClockEventKind::ExtensionAsked) asked.push_back(k.ref);
        if (asked.empty() || pick(3) == 0) {
          e.entry.kind = EntryKind::ExtensionRequest;
          e.entry.days = 1 + pick(5);
        } else {
          e.author = Author{"zhang.bin", Role::Centre};
          e.entry.kind = EntryKind::Decision;
          e.entry.request = asked[static_cast<size_t>(pick(static_cast<int>(asked.size())))];
          e.entry.approved = pick(4) != 0;
        }
        return emit(std::move(e));
      }
      case 6: {  // 联合处置: a co-handler, or its reply.
        Change e = draft(device, id, ChangeKind::AddEntry, Role::Centre);
        if (s.co_handlers.empty() || pick(2) == 0) {
          e.entry.kind = EntryKind::CoHandlerAdded;
          e.entry.text = kDepartments[pick(3)];
        } else {
          e.author = Author{"handler", Role::Department};
          e.entry.kind = pick(3) == 0 ? EntryKind::CoHandlerRemoved : EntryKind::CoReply;
          e.entry.request = s.co_handlers.front().added;
          e.entry.text = s.co_handlers.front().department.empty() ? "管理办" : s.co_handlers.front().department;
        }
        return emit(std::move(e));
      }
      default: {  // 反弹: linked to an earlier ticket.
        Change l = draft(device, id, ChangeKind::LinkTickets, Role::Centre);
        l.link = Link{m_tickets.front() == id ? m_tickets.back() : m_tickets.front(), LinkKind::Rebound};
        if (l.link.other_ticket == id) return;
        return emit(std::move(l));
      }
    }
  }

  void move(int device, const TicketState& s, WorkflowAction a, Role role) {
    const TicketState now = view(device, s.ticket.id);  // With the entry just made.
    Change c = draft(device, s.ticket.id, ChangeKind::Transition, role);
    c.action = a;
    c.from = now.ticket.status;
    c.to = workflow_target(c.from, a).value_or(c.from);
    c.base = now.status.id;
    c.seen_work = now.work_count;
    emit(std::move(c));
  }

  std::mt19937_64 m_rng;
  std::vector<Change> m_log;  // In the order the server takes them.
  std::vector<std::string> m_tickets;
  size_t m_seen[kDevices] = {};
  uint64_t m_counter[kDevices] = {};
  int64_t m_clock[kDevices] = {kStart, kStart, kStart};
};

TEST(ReportTally, TicketsEditedOfflineOnThreeDevicesGiveTheSameReportHoweverDelivered) {
  for (uint64_t seed : {11u, 12u, 13u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::vector<Change> log = OfflineStreet(seed).make(60, 1500);
    const auto months = months_of(log);
    const int64_t as_of = 1'776'000'000'000;
    const int64_t kServerNow = 1'900'000'000'000;  // Past every stamp: none is clamped (R11).
    ChangesReader want(log);
    std::mt19937_64 rng(seed);
    test::TempDir dir;

    // A replica pulling the server's order in random batches of random order.
    auto pulled = Store::open(dir.file("pulled.db"));
    ASSERT_TRUE(pulled);
    pull_shuffled(*pulled, numbered(log), rng);
    EXPECT_EQ(expect_tally_equals_fold(*pulled, months, as_of), 60);
    StoreTicketReader pulled_tally(*pulled);
    for (const auto& month : months) EXPECT_EQ(report_of(pulled_tally, month, as_of), report_of(want, month, as_of));

    // The server taking the devices' pushes interleaved another way (each device's in its order).
    auto server = Store::open(dir.file("server.db"));
    ASSERT_TRUE(server);
    std::vector<Change> interleaved;
    std::vector<size_t> next(3, 0);
    std::vector<std::vector<Change>> per(3);
    for (const Change& c : log) per[c.id.replica == test::replica(1) ? 0 : c.id.replica == test::replica(2) ? 1 : 2].push_back(c);
    while (interleaved.size() < log.size()) {
      const size_t d = rng() % 3;
      if (next[d] < per[d].size()) interleaved.push_back(per[d][next[d]++]);
    }
    for (size_t at = 0; at < interleaved.size(); at += 25) {
      auto r = server->apply_changes({interleaved.begin() + static_cast<long>(at),
                                      interleaved.begin() + static_cast<long>(std::min(interleaved.size(), at + 25))},
                                     ApplyMode::Accept, kServerNow);
      ASSERT_TRUE(r);
      for (const ChangeResult& c : *r) ASSERT_EQ(c.status, ApplyStatus::Applied);
    }
    EXPECT_EQ(expect_tally_equals_fold(*server, months, as_of), 60);
    ChangesReader server_order(interleaved);
    StoreTicketReader server_tally(*server);
    for (const auto& month : months)
      EXPECT_EQ(report_of(server_tally, month, as_of), report_of(server_order, month, as_of));

    // Device 1 with its own changes unsent, then the server's order pulled on top: its own come
    // back acknowledged at their place in that order (the ticket folded again where it moved).
    auto device = Store::open(dir.file("device.db"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->apply_changes(per[0], ApplyMode::Local, as_of));
    auto seqs = server->changes_after(0, 100'000);
    ASSERT_TRUE(seqs);
    for (size_t at = 0; at < seqs->size(); at += 100)
      ASSERT_TRUE(device->apply_pulled({seqs->begin() + static_cast<long>(at),
                                        seqs->begin() + static_cast<long>(std::min(seqs->size(), at + 100))},
                                       as_of));
    EXPECT_EQ(expect_tally_equals_fold(*device, months, as_of), 60);
    StoreTicketReader device_tally(*device);
    for (const auto& month : months)
      EXPECT_EQ(report_of(device_tally, month, as_of), report_of(server_tally, month, as_of));
  }
}

// A store of the build before the tally: its rows have none. The report folds those tickets from
// their logs until the store folds them again (set_calendar, as the app and the server call it).
TEST(ReportTally, AStoreOfAnEarlierBuildIsReadFromItsLogsUntilFoldedAgain) {
  test::TempDir dir;
  const std::string path = dir.file("old.db");
  const std::vector<Change> demo = demo_changes(kDemoNow, ReplicaId{1, 1}, 1);
  const auto months = months_of(demo);
  std::map<std::pair<int, int>, MonthlyReport> want;
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->apply_pulled(numbered(demo), kDemoNow));
    StoreTicketReader tally(*store);
    for (const auto& month : months) want[month] = report_of(tally, month, kDemoNow);
  }
  auto count_untallied = [&] {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM tickets WHERE report_tally IS NULL", -1, &q, nullptr);
    sqlite3_step(q);
    const int n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
  };
  {  // As the migration leaves it: no tally, and the flag that folds every ticket again.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE tickets SET report_tally = NULL; INSERT INTO meta (key, value) VALUES "
                           "('deadlines.refold', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_EQ(count_untallied(), demo_ticket_count());
  auto store = Store::open(path);
  ASSERT_TRUE(store);
  StoreTicketReader tally(*store);
  for (const auto& month : months) EXPECT_EQ(report_of(tally, month, kDemoNow), want[month]);
  // Setting the calendar folds every ticket again: the tallies are back, and right.
  ASSERT_TRUE(store->set_calendar(builtin_calendar()));
  EXPECT_EQ(count_untallied(), 0);
  for (const auto& month : months) EXPECT_EQ(report_of(tally, month, kDemoNow), want[month]);
  EXPECT_EQ(expect_tally_equals_fold(*store, months, kDemoNow), demo_ticket_count());
}

}  // namespace
}  // namespace linli::report
