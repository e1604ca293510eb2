#include "client/records.h"

#include "core/civil_time.h"

namespace linli::app {

Result<Change> record_new_ticket(Store& store, ClientSync& client, Ticket ticket, int64_t now_ms,
                                 const std::vector<std::string>& rebound_of, const std::function<Result<void>()>& also) {
  Change recorded;
  auto done = store.in_one_transaction([&]() -> Result<void> {
    const int day = shanghai_yyyymmdd(now_ms);
    auto seq = store.next_provisional_sequence(day);
    if (!seq) return seq.error();
    ticket.provisional_number = format_provisional_number(day, client.self().hi, *seq);
    Change create;
    create.ticket_id = ticket.id;
    create.kind = ChangeKind::CreateTicket;
    const std::string id = ticket.id;
    create.ticket = std::move(ticket);
    std::vector<Change> drafts{std::move(create)};
    for (const std::string& other : rebound_of) {
      Change link;
      link.ticket_id = id;
      link.kind = ChangeKind::LinkTickets;
      link.link = Link{other, LinkKind::Rebound};
      drafts.push_back(std::move(link));
    }
    auto r = client.record(std::move(drafts), now_ms);
    if (!r) return r.error();
    recorded = std::move(r->front());
    if (also) return also();
    return Ok{};
  });
  if (!done) return done.error();
  return recorded;
}

Result<int> adopt_tickets_outside_log(Store& store, ClientSync& client, int64_t now_ms) {
  auto legacy = store.tickets_outside_log();
  if (!legacy) return legacy.error();
  int adopted = 0;
  for (Ticket t : *legacy) {
    auto done = store.in_one_transaction([&]() -> Result<void> {
      if (auto d = store.drop_ticket_outside_log(t.id); !d) return d;
      const TicketStatus was = t.status;
      t.status = TicketStatus::Received;
      t.official_number.clear();  // Only the server gives one.
      std::vector<Change> drafts(1);
      drafts[0].ticket_id = t.id;
      drafts[0].kind = ChangeKind::CreateTicket;
      drafts[0].ticket = t;
      if (was != TicketStatus::Received) {
        Change note;
        note.ticket_id = t.id;
        note.kind = ChangeKind::AddEntry;
        note.entry.kind = EntryKind::Comment;
        note.entry.text = "由旧版本迁移；迁移前状态：" + std::string(to_string(was));
        drafts.push_back(std::move(note));
      }
      auto r = client.record(std::move(drafts), now_ms);
      if (!r) return r.error();
      return Ok{};
    });
    if (!done) return done.error();
    ++adopted;
  }
  return adopted;
}

}  // namespace linli::app
