// Test helpers that make change records the way a replica would: its own id, a gap-free counter,
// stamps from its clock. Not for production code: no validation beyond what tests need.
#pragma once

#include <string>

#include "core/change.h"
#include "core/merge.h"

namespace linli::test {

inline ReplicaId replica(uint64_t n) { return ReplicaId{0x1111'0000'0000'0000ull + n, n * 7919 + 1}; }

inline std::string ticket_id(int n) {
  std::string s = "00000000000000000000000000000000";
  const std::string d = std::to_string(n);
  s.replace(s.size() - d.size(), d.size(), d);
  return s;
}

inline Ticket new_ticket(const std::string& id) {
  Ticket t;
  t.id = id;
  t.provisional_number = "临-20260301-0001";
  t.source = Source::Hotline;
  t.received_at_ms = 1'772'000'000'000;
  t.citizen_name = "王女士";
  t.citizen_phone = "13917261234";
  t.community = "河滨花园";
  t.address = "中华新路927弄";
  t.category = Category::HoardingRefuse;
  t.title = "楼道堆物";
  t.description = "三楼楼道堆满杂物，影响通行。";
  t.created_at_ms = t.received_at_ms;
  t.updated_at_ms = t.received_at_ms;
  return t;
}

// Makes changes for one replica: ids 1, 2, 3, ... and stamps at the given millisecond.
class Maker {
 public:
  explicit Maker(ReplicaId r, Role role = Role::Centre, std::string user = "值班员甲")
      : m_replica(r), m_author{std::move(user), role} {}

  Change base(const std::string& ticket, int64_t ms, ChangeKind kind) {
    Change c;
    c.id = ChangeId{m_replica, ++m_counter};
    c.stamp = m_clock.now(ms);
    c.ticket_id = ticket;
    c.author = m_author;
    c.kind = kind;
    return c;
  }
  Change create(const std::string& ticket, int64_t ms) {
    Change c = base(ticket, ms, ChangeKind::CreateTicket);
    c.ticket = new_ticket(ticket);
    return c;
  }
  Change set(const std::string& ticket, int64_t ms, EditableField f, std::string value, ChangeId on = {}) {
    Change c = base(ticket, ms, ChangeKind::SetField);
    c.field = f;
    c.value = std::move(value);
    c.base = on;
    return c;
  }
  Change move(const std::string& ticket, int64_t ms, WorkflowAction a, TicketStatus from, ChangeId on,
              int64_t seen_work = 0) {
    Change c = base(ticket, ms, ChangeKind::Transition);
    c.action = a;
    c.from = from;
    c.to = workflow_target(from, a).value_or(TicketStatus::Received);
    c.base = on;
    c.seen_work = seen_work;
    return c;
  }
  Change note(const std::string& ticket, int64_t ms, EntryKind kind = EntryKind::HandlingNote,
              std::string text = "已清理") {
    Change c = base(ticket, ms, ChangeKind::AddEntry);
    c.entry.kind = kind;
    c.entry.text = std::move(text);
    return c;
  }
  // 联合处置 (R12): co_handler_added (text: the department; no request), co_handler_removed
  // (request: the add; text: the department) or co_reply (request: the add; text: the reply).
  Change co(const std::string& ticket, int64_t ms, EntryKind kind, std::string text, ChangeId added = {}) {
    Change c = base(ticket, ms, ChangeKind::AddEntry);
    c.entry.kind = kind;
    c.entry.text = std::move(text);
    c.entry.request = added;
    return c;
  }
  Change photo(const std::string& ticket, int64_t ms) {
    Change c = base(ticket, ms, ChangeKind::AttachPhoto);
    c.photo = Photo{std::string(64, 'a'), 123456, "image/jpeg"};
    return c;
  }
  Change link(const std::string& ticket, int64_t ms, const std::string& other) {
    Change c = base(ticket, ms, ChangeKind::LinkTickets);
    c.link = Link{other, LinkKind::Rebound};
    return c;
  }

  // Field work (core/field.h): a change of `kind` about `rec`'s ids, setting `values`.
  Change field(ChangeKind kind, int64_t ms, FieldRecord rec, std::vector<std::pair<FieldMember, std::string>> values) {
    for (auto& [m, v] : values) rec.set(m, std::move(v));
    Change c = base("", ms, kind);
    c.field_record = std::move(rec);
    c.ticket_id = field_subject(c);
    return c;
  }

  ReplicaId replica_id() const { return m_replica; }
  uint64_t counter() const { return m_counter; }

 private:
  ReplicaId m_replica;
  Author m_author;
  uint64_t m_counter = 0;
  HlcClock m_clock;
};

}  // namespace linli::test
