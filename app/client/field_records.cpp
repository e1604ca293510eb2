#include "client/field_records.h"

#include "core/civil_time.h"

#include "core/sha256.h"

namespace linli::app {

Result<Change> record_finding_ticket(Store& store, ClientSync& client, Ticket ticket, const FieldRecord& round_item,
                                     const std::vector<CapturedPhoto>& photos, int64_t now_ms) {
  std::vector<LocalPhoto> rows;
  for (const CapturedPhoto& p : photos) {
    if (p.bytes.empty()) return Error{ErrorCode::InvalidArgument, "[field.finding] a photo has no bytes"};
    if (static_cast<int64_t>(p.bytes.size()) > kMaxUploadBytes)
      return Error{ErrorCode::InvalidArgument, "[field.finding] a photo is over 10 MiB"};
    LocalPhoto row;
    row.sha256 = sha256_hex(p.bytes);
    row.ticket_id = ticket.id;
    row.phase = PhotoPhase::Before;
    row.type = p.type;
    row.size = static_cast<int64_t>(p.bytes.size());
    row.width = p.width;
    row.height = p.height;
    row.state = LocalPhotoState::Waiting;
    row.created_at_ms = now_ms;
    rows.push_back(std::move(row));
  }
  Change recorded;
  auto done = store.in_one_transaction([&]() -> Result<void> {
    const int day = shanghai_yyyymmdd(now_ms);
    auto seq = store.next_provisional_sequence(day);
    if (!seq) return seq.error();
    ticket.provisional_number = format_provisional_number(day, client.self().hi, *seq);
    const std::string id = ticket.id;
    std::vector<Change> drafts(1);
    drafts[0].ticket_id = id;
    drafts[0].kind = ChangeKind::CreateTicket;
    drafts[0].ticket = std::move(ticket);
    for (const LocalPhoto& p : rows) {
      Change photo;
      photo.ticket_id = id;
      photo.kind = ChangeKind::AttachPhoto;
      photo.photo = Photo{p.sha256, p.size, p.type, PhotoPhase::Before};
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
    for (size_t i = 0; i < rows.size(); ++i)
      if (auto k = store.put_local_photo(rows[i], photos[i].bytes); !k) return k;
    return Ok{};
  });
  if (!done) return done.error();
  return recorded;
}

}  // namespace linli::app
