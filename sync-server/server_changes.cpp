// Changes the server authors itself: official numbers, tickets from the hotline intake. They come
// from the server's own replica, so they sync like anyone's, in the same transaction as what
// caused them where there is one.
#include "blob_store.h"
#include "context.h"
#include "core/demo_data.h"
#include "core/demo_field.h"
#include "core/demo_photos.h"

namespace linli::server {

Change server_change(ServerContext& ctx, Change draft, uint64_t already, int64_t now) {
  draft.id = ChangeId{ctx.server_replica, ctx.store.applied_counter(ctx.server_replica) + 1 + already};
  draft.stamp = ctx.store.stamp_now(now);
  draft.author = Author{std::string(kServerUserName), Role::Centre};
  return draft;
}

// Every stamp of the push, also of a change that is then refused or is a duplicate: the receive
// rule of an HLC takes in what it sees, and the clamp bounds how far one push can move the clock.
// An invalid stamp (validate_change refuses its change) is left out.
std::vector<ReceiveOutcome> receive_stamps(ServerContext& ctx, const std::vector<Change>& changes, int64_t now) {
  std::vector<ReceiveOutcome> kept;
  kept.reserve(changes.size());
  for (const Change& c : changes)
    kept.push_back(is_valid(c.stamp) ? ctx.store.receive_stamp(c.stamp, now) : ReceiveOutcome{c.stamp, false, 0});
  return kept;
}

Result<Change> official_number_change(ServerContext& ctx, const std::string& ticket_id, uint64_t already, int64_t now) {
  Result<std::string> number = Error{ErrorCode::Storage, ""};
  {
    std::lock_guard lock(ctx.state_mutex);
    number = ctx.state.official_number(ticket_id, now);  // Given once per ticket: a retry gets the same.
  }
  if (!number) return number.error();
  return official_number_change(ctx, ticket_id, *number, already, now);
}

Change official_number_change(ServerContext& ctx, const std::string& ticket_id, const std::string& number,
                              uint64_t already, int64_t now) {
  Change draft;
  draft.ticket_id = ticket_id;
  draft.kind = ChangeKind::SetField;
  draft.field = EditableField::OfficialNumber;
  draft.value = number;
  return server_change(ctx, std::move(draft), already, now);  // Base zero: the field is as created.
}

Result<std::vector<ChangeResult>> apply_server_changes(ServerContext& ctx, std::vector<Change> drafts, int64_t now) {
  std::lock_guard lock(ctx.store_mutex);
  std::vector<Change> batch;
  for (Change& d : drafts) {
    Change c = server_change(ctx, std::move(d), batch.size(), now);
    if (c.kind == ChangeKind::SetField) {
      // The server writes over what it holds now: the field's current version is the base.
      auto st = ctx.store.get_ticket_state(c.ticket_id);
      if (!st) return st.error();
      if (st->has_value()) c.base = (*st)->fields[static_cast<size_t>(c.field)].id;
    }
    batch.push_back(std::move(c));
  }
  // A new ticket gets its official number in the same transaction: a crash cannot part them.
  const size_t made = batch.size();
  for (size_t i = 0; i < made; ++i) {
    if (batch[i].kind != ChangeKind::CreateTicket) continue;
    auto number = official_number_change(ctx, batch[i].ticket_id, batch.size(), now);
    if (!number) return number.error();
    batch.push_back(std::move(number).value());
  }
  auto results = ctx.store.apply_changes(batch, ApplyMode::Accept, now);
  if (!results) return results.error();
  ctx.publish_commit();
  return results;
}

Result<ChangeResult> apply_server_change(ServerContext& ctx, Change draft, int64_t now) {
  auto results = apply_server_changes(ctx, {std::move(draft)}, now);
  if (!results) return results.error();
  return results->front();
}

Result<int> seed_demo_street(ServerContext& ctx, int64_t now) {
  // The photos first, every time (a blob already there is left alone): a change naming a photo is
  // never served before the photo is, and a blob folder lost or moved gets them back.
  for (const PhotoPhase phase : {PhotoPhase::Before, PhotoPhase::After}) {
    const std::string bytes = demo_photo_png(phase);
    if (auto put = BlobStore(ctx.options.blobs).put(sha256_hex(bytes), bytes, "image/png"); !put) return put.error();
  }
  std::lock_guard lock(ctx.store_mutex);
  auto seeded = ctx.store.get_ticket_state(demo_ticket_id(1));
  if (!seeded) return seeded.error();
  if (seeded->has_value()) return 0;  // Taken before, whole: the street goes in one transaction.
  const uint64_t first = ctx.store.applied_counter(ctx.server_replica) + 1;
  std::vector<Change> batch = demo_changes(now, ctx.server_replica, first);
  // Official numbers follow the street's own changes, each of the month its ticket was received in
  // (the centre took them in online, so the server numbered them then), stamped just after the create.
  const size_t made = batch.size();
  for (size_t i = 0; i < made; ++i) {
    const Change& created = batch[i];
    if (created.kind != ChangeKind::CreateTicket) continue;
    Result<std::string> number = Error{ErrorCode::Storage, ""};
    {
      std::lock_guard state_lock(ctx.state_mutex);
      number = ctx.state.official_number(created.ticket_id, created.ticket.received_at_ms);
    }
    if (!number) return number.error();
    Change c;
    c.id = ChangeId{ctx.server_replica, first + batch.size()};
    c.stamp = Hlc{created.stamp.ms + 500, 0};
    c.ticket_id = created.ticket_id;
    c.author = Author{std::string(kServerUserName), Role::Centre};
    c.kind = ChangeKind::SetField;
    c.field = EditableField::OfficialNumber;
    c.value = *number;  // Base zero: the field is as created.
    batch.push_back(std::move(c));
  }
  auto results = ctx.store.apply_changes(batch, ApplyMode::Accept, now);
  if (!results) return results.error();
  for (const ChangeResult& r : *results)
    if (r.status != ApplyStatus::Applied)
      return Error{ErrorCode::Storage, "[server.seed_demo] change " + to_string(r.id) + " was " +
                                           std::string(to_string(r.status)) + ": " + r.detail};
  ctx.publish_commit();
  return static_cast<int>(batch.size() - made);  // One number per ticket.
}

Result<int> seed_demo_field(ServerContext& ctx, int64_t now) {
  std::lock_guard lock(ctx.store_mutex);
  auto seeded = ctx.store.facility_community(demo_facility_id(1));
  if (!seeded) return seeded.error();
  if (!seeded->empty()) return 0;  // Taken before, whole: the campaign goes in one transaction.
  const uint64_t first = ctx.store.applied_counter(ctx.server_replica) + 1;
  const std::vector<Change> batch = demo_field_changes(ctx.server_replica, first);
  auto results = ctx.store.apply_changes(batch, ApplyMode::Accept, now);
  if (!results) return results.error();
  for (const ChangeResult& r : *results)
    if (r.status != ApplyStatus::Applied)
      return Error{ErrorCode::Storage, "[server.seed_demo] change " + to_string(r.id) + " was " +
                                           std::string(to_string(r.status)) + ": " + r.detail};
  ctx.publish_commit();
  return static_cast<int>(batch.size());
}

}  // namespace linli::server
