// The monthly report's benchmark data (report_store.h): each ticket's changes written as its people
// would, each based on what was there (as tests/report/monthly_test.cpp's Builder).
#include "report_store.h"

#include <cstdio>
#include <filesystem>
#include <vector>

#include "core/civil_time.h"
#include "core/merge.h"
#include "core/workflow.h"
#include "store/store.h"
#include "sync/calendar_json.h"

namespace linli::bench {
namespace {

constexpr const char* kCommunities[] = {"河滨花园", "中华新路927弄", "天目西路小区", "普善路小区", "长安路", "宝山路小区"};
constexpr const char* kDepartments[] = {"管理办", "平安办", "营商办", "除害站", "城管中队", "房管办"};

class Life {
 public:
  Life(long i, int64_t received, std::vector<SequencedChange>& out, uint64_t& counter, int64_t& seq)
      : m_out(out), m_counter(counter), m_seq(seq), m_at(received) {
    char id[33];
    std::snprintf(id, sizeof id, "%032lx", static_cast<unsigned long>(i) * 2654435761ul + 7);
    Change c = draft(ChangeKind::CreateTicket);
    Ticket& t = c.ticket;
    t.id = id;
    t.provisional_number = format_provisional_number(shanghai_yyyymmdd(received), static_cast<int>(i % 10000));
    t.source = static_cast<Source>(i % kSourceCount);
    t.received_at_ms = received;
    t.created_at_ms = t.updated_at_ms = received;
    t.citizen_name = "居民" + std::to_string(i);
    t.citizen_phone = "139" + std::to_string(10'000'000 + i % 90'000'000);
    t.community = kCommunities[i % 6];
    t.address = t.community + std::to_string(i % 40 + 1) + "号楼";
    t.category = static_cast<Category>(i % kCategoryCount);
    t.urgency = i % 7 == 0 ? Urgency::Urgent : Urgency::Normal;
    t.title = "第" + std::to_string(i) + "号工单：垃圾箱满溢，请及时清运";
    t.description = "居民反映楼下垃圾箱满溢已两天，气味很大，请尽快清运并加强巡查。";
    emit(std::move(c));
  }
  Life& wait(int64_t minutes) {
    m_at += minutes * 60'000;
    return *this;
  }
  Life& entry(EntryKind kind, Satisfaction s = Satisfaction::None) {
    Change c = draft(ChangeKind::AddEntry);
    c.entry.kind = kind;
    c.entry.text = "已电话联系，现场查看后处理。";
    c.entry.satisfaction = s;
    emit(std::move(c));
    return *this;
  }
  Life& lead(const char* department) {
    Change c = draft(ChangeKind::SetField);
    c.field = EditableField::LeadDepartment;
    c.value = department;
    c.base = m_state.fields[static_cast<size_t>(EditableField::LeadDepartment)].id;
    emit(std::move(c));
    return *this;
  }
  Life& move(WorkflowAction a) {
    Change c = draft(ChangeKind::Transition);
    c.action = a;
    c.from = m_state.ticket.status;
    c.to = workflow_target(c.from, a).value_or(c.from);
    c.base = m_state.status.id;
    c.seen_work = m_state.work_count;
    // The lead department's handler handles (the workflow's roles: the centre may not).
    if (a == WorkflowAction::Handle || a == WorkflowAction::Start) c.author = Author{"handler", Role::Department};
    emit(std::move(c));
    return *this;
  }

 private:
  Change draft(ChangeKind kind) {
    Change c;
    c.id = ChangeId{ReplicaId{0x5eed'0000'0000'0012ull, 0x12}, ++m_counter};
    c.stamp = Hlc{m_at, 0};
    m_at += 1000;
    c.author = Author{"zhang.bin", Role::Centre};
    c.ticket_id = m_state.exists ? m_state.ticket.id : std::string();
    c.kind = kind;
    return c;
  }
  void emit(Change c) {
    if (c.ticket_id.empty()) c.ticket_id = c.ticket.id;
    merge_change(m_state, c);
    m_out.push_back({std::move(c), ++m_seq});
  }
  std::vector<SequencedChange>& m_out;
  uint64_t& m_counter;
  int64_t& m_seq;
  int64_t m_at;
  TicketState m_state;
};

// One ticket's life: most handled in time and visited; some contacted late, some reassigned, a
// few dissatisfied and handled again, and one in ten still open.
void live(long i, int64_t received, std::vector<SequencedChange>& out, uint64_t& counter, int64_t& seq) {
  Life l(i, received, out, counter, seq);
  l.wait(i % 13 == 0 ? 2000 : 20).entry(EntryKind::Contact).move(WorkflowAction::ContactCitizen);
  if (i % 10 == 9) return;  // Still open.
  l.wait(10).lead(kDepartments[i % 6]).move(WorkflowAction::Assign);
  if (i % 17 == 0) l.wait(60).move(WorkflowAction::ApproveReturn).lead(kDepartments[(i + 1) % 6]).move(WorkflowAction::Assign);
  l.wait(i % 11 == 0 ? 9000 : 600).entry(EntryKind::HandlingNote).move(WorkflowAction::Handle);
  const Satisfaction s = i % 19 == 0 ? Satisfaction::Dissatisfied : Satisfaction::Satisfied;
  l.wait(120).entry(EntryKind::ReturnVisit, s).move(WorkflowAction::ReturnVisit);
  if (s == Satisfaction::Dissatisfied) {
    l.move(WorkflowAction::Reopen).wait(1500).entry(EntryKind::HandlingNote).move(WorkflowAction::Handle);
    l.wait(120).entry(EntryKind::ReturnVisit, Satisfaction::BasicallySatisfied).move(WorkflowAction::ReturnVisit);
  }
  l.wait(10).move(WorkflowAction::Close);
}

}  // namespace

Result<void> make_report_store(const std::string& path, long n) {
  std::filesystem::remove(path);
  auto store = Store::open(path, {.durability = Durability::PageSink, .vfs = nullptr});
  if (!store) return store.error();
  // The calendar the app has built in, as a replica the app has opened keeps its deadlines: the app
  // opening this file finds them computed with its own calendar and folds nothing again.
  if (auto c = store->set_calendar(builtin_calendar()); !c) return c.error();
  const int64_t from = shanghai_day_start_ms(days_from_civil(2026, 3, 1));
  const int64_t span = 31LL * 86'400'000 - 3'600'000;  // Received through 31 March, 23:00.
  uint64_t counter = 0;
  int64_t seq = 0;
  std::vector<SequencedChange> batch;
  for (long i = 0; i < n; ++i) {
    live(i, from + span / n * i, batch, counter, seq);
    if (batch.size() >= 5000 || i + 1 == n) {
      auto r = store->apply_pulled(batch, from + span + 86'400'000LL * 60);
      if (!r) return r.error();
      batch.clear();
    }
  }
  return Ok{};
}

}  // namespace linli::bench
