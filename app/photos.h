// Photos of tickets: a picture the page took or chose (scaled to at most 1600 px and compressed to
// JPEG in the browser, platform.h choose_photo) is kept in the local store together with the
// attach_photo change that names it, in one transaction, so "saved" means both are durable. The
// sync loop uploads it (HEAD, then PUT /api/v1/blobs/{sha256}) before it pushes that change.
// No drawing and no network here: panels/photos.cpp draws, client/sync_loop.* uploads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/change.h"
#include "store/store.h"
#include "sync/client_sync.h"

namespace linli::app {

// The largest blob the server takes (protocol.md "Blobs": 10 MiB).
inline constexpr int64_t kMaxUploadBytes = 10 * 1024 * 1024;

// A picture as the page hands it over: its bytes (JPEG after scaling) and size in pixels.
struct CapturedPhoto {
  std::string bytes;
  std::string type = "image/jpeg";
  int width = 0;
  int height = 0;
};

// Takes a photo for ticket `ticket_id` (phase before, after or none): keeps its bytes in the local
// store (state waiting) and records the attach_photo change naming it by SHA-256, in one
// transaction. Returns the change as recorded. InvalidArgument for an empty or too large photo.
Result<Change> save_photo(Store& store, ClientSync& client, const std::string& ticket_id, PhotoPhase phase,
                          const CapturedPhoto& photo, int64_t now_ms);

// How many of `batch` (the outbox, oldest first) may be pushed now: the changes before the first
// attach_photo whose photo this device holds and has not uploaded yet (waiting, or failed until the
// user gives it up). Later ones wait with it, as a push must not leave a gap in this replica's counters.
size_t pushable_prefix(Store& store, const std::vector<Change>& batch);

// Gives up a photo the server's upload refused for good (LocalPhotoState::Failed): each unsent
// attach_photo of `self` naming it becomes, in place, a comment (`note`, the same id, stamp and
// ticket), so its counter still reaches the server and the changes after it may go; the bytes are
// forgotten. One transaction. Returns how many changes were rewritten.
Result<int> give_up_photo(Store& store, const ReplicaId& self, const std::string& sha256, const std::string& note);

// A ticket's photos as the detail shows them: each attach_photo change in fold order, and the
// before/after pairs made of them (the n-th before with the n-th after).
struct TicketPhoto {
  Change change;  // Its photo, author and stamp.
  bool local = false;           // This device holds the bytes.
  bool waiting_upload = false;  // Taken here and not uploaded yet.
};
struct PhotoPair {
  const TicketPhoto* before = nullptr;
  const TicketPhoto* after = nullptr;
};
std::vector<PhotoPair> pair_photos(const std::vector<TicketPhoto>& photos);

}  // namespace linli::app
