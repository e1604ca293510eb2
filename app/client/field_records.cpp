#include "client/field_records.h"

#include "core/civil_time.h"

namespace linli::app {

Result<Change> record_finding_ticket(Store& store, ClientSync& client, Ticket ticket, const FieldRecord& round_item,
                                     const std::vector<Photo>& photos, int64_t now_ms) {
  Change recorded;
  auto done = store.in_one_transaction([&]() -> Result<void> {
    const int day = shanghai_yyyymmdd(now_ms);
    auto seq = store.next_provisional_sequence(day);
    if (!seq) return seq.error();
    ticket.provisional_number = format_provisional_number(day, *seq);
    const std::string id = ticket.id;
    std::vector<Change> drafts(1);
    drafts[0].ticket_id = id;
    drafts[0].kind = ChangeKind::CreateTicket;
    drafts[0].ticket = std::move(ticket);
    for (const Photo& p : photos) {
      Change photo;
      photo.ticket_id = id;
      photo.kind = ChangeKind::AttachPhoto;
      photo.photo = p;
      drafts.push_back(std::move(photo));
    }
    Change link;
    link.ticket_id = id;
    link.kind = ChangeKind::LinkTickets;
    link.link.kind = LinkKind::Finding;
    link.link.finding.campaign = round_item.campaign;
    link.link.finding.week = round_item.week;
    link.link.finding.community = round_item.community;
    link.link.finding.facility = round_item.facility;
    drafts.push_back(std::move(link));
    auto r = client.record(std::move(drafts), now_ms);
    if (!r) return r.error();
    recorded = std::move(r->front());
    return Ok{};
  });
  if (!done) return done.error();
  return recorded;
}

}  // namespace linli::app
