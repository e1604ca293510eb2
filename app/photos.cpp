// Photos of tickets: one durable write for the photo and its change; the push waits for the upload.
#include "photos.h"

#include <algorithm>

#include "core/sha256.h"

namespace linli::app {

Result<Change> save_photo(Store& store, ClientSync& client, const std::string& ticket_id, PhotoPhase phase,
                          const CapturedPhoto& photo, int64_t now_ms) {
  if (photo.bytes.empty()) return Error{ErrorCode::InvalidArgument, "[photos.save] the photo has no bytes"};
  if (static_cast<int64_t>(photo.bytes.size()) > kMaxUploadBytes)
    return Error{ErrorCode::InvalidArgument, "[photos.save] the photo is over 10 MiB: " +
                                                 std::to_string(photo.bytes.size()) + " bytes"};
  LocalPhoto row;
  row.sha256 = sha256_hex(photo.bytes);
  row.ticket_id = ticket_id;
  row.phase = phase;
  row.type = photo.type;
  row.size = static_cast<int64_t>(photo.bytes.size());
  row.width = photo.width;
  row.height = photo.height;
  row.state = LocalPhotoState::Waiting;
  row.created_at_ms = now_ms;
  Change draft;
  draft.ticket_id = ticket_id;
  draft.kind = ChangeKind::AttachPhoto;
  draft.photo = Photo{row.sha256, row.size, row.type, phase};
  Change recorded;
  auto done = store.in_one_transaction([&]() -> Result<void> {
    auto r = client.record({draft}, now_ms);
    if (!r) return r.error();
    recorded = r->front();
    return store.put_local_photo(row, photo.bytes);
  });
  if (!done) return done.error();
  return recorded;
}

size_t pushable_prefix(Store& store, const std::vector<Change>& batch) {
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].kind != ChangeKind::AttachPhoto) continue;
    auto held = store.local_photo(batch[i].photo.sha256);
    // A storage error: hold the push back too; the next try reads again.
    if (!held) return i;
    // Waiting for its upload, or refused by it until the user gives it up (App::discard_failed_photo).
    if (*held && ((*held)->state == LocalPhotoState::Waiting || (*held)->state == LocalPhotoState::Failed)) return i;
  }
  return batch.size();
}

Result<int> give_up_photo(Store& store, const ReplicaId& self, const std::string& sha256, const std::string& note) {
  auto unsent = store.unsent_changes(self, 1'000'000);
  if (!unsent) return unsent.error();
  int rewritten = 0;
  auto done = store.in_one_transaction([&]() -> Result<void> {
    for (const Change& c : *unsent) {
      if (c.kind != ChangeKind::AttachPhoto || c.photo.sha256 != sha256) continue;
      Change comment = c;
      comment.kind = ChangeKind::AddEntry;
      comment.photo = Photo{};
      comment.entry = Entry{};
      comment.entry.kind = EntryKind::Comment;
      comment.entry.text = note;
      if (auto r = store.rewrite_unsent_change(comment); !r) return r;
      ++rewritten;
    }
    return store.delete_local_photo(sha256);
  });
  if (!done) return done.error();
  return rewritten;
}

std::vector<PhotoPair> pair_photos(const std::vector<TicketPhoto>& photos) {
  std::vector<const TicketPhoto*> before, after;
  for (const TicketPhoto& p : photos) {
    if (p.change.photo.phase == PhotoPhase::Before) before.push_back(&p);
    if (p.change.photo.phase == PhotoPhase::After) after.push_back(&p);
  }
  std::vector<PhotoPair> out(std::max(before.size(), after.size()));
  for (size_t i = 0; i < before.size(); ++i) out[i].before = before[i];
  for (size_t i = 0; i < after.size(); ++i) out[i].after = after[i];
  return out;
}

}  // namespace linli::app
