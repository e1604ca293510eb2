// The background sync of one signed-in replica: pushes the outbox soon after an edit, pulls by
// cursor and then long-polls for news, backs off with jitter while the server is unreachable and
// resumes by itself. It never blocks: tick() starts requests, and their answers are taken in
// callbacks between frames. At most one push and one pull are in flight at any time; while a first
// sync catches up, the next pull is asked for while the answer before it is applied.
//
// What it knows is what the user sees: online or offline judged from real answers (not from the
// browser's guess), the outbox, refusals kept, the time of the last successful exchange, how far
// the device clock is from the server's, and the progress of a first sync.
#pragma once

#include <algorithm>

#include <cstdint>
#include <memory>
#include <string>

#include "client/http.h"
#include "store/store.h"
#include "sync/client_sync.h"

namespace linli::app {

struct SyncOptions {
  int push_delay_ms = 300;      // After an edit, wait this long for more before pushing.
  int push_batch = 200;         // Changes per push.
  int pull_limit = 5000;        // Changes per pull (a first sync: fewer round trips and commits).
  int long_poll_s = 20;         // How long the server holds a pull with nothing new.
  int min_backoff_ms = 1000;    // The first wait after a failure; doubled up to max_backoff_ms.
  int max_backoff_ms = 60000;
  // A replica that holds nothing yet asks the server for an image first (docs/protocol.md,
  // "Image"): a store built there with the pulls this replica would make, taken whole.
  bool ask_image = true;
  // The largest image the device takes (the server estimates 1,024 bytes a change, so a log of up
  // to about a million changes): the file is in memory twice while it is taken (the downloaded
  // file, the blocks for IndexedDB), 1.3 GB for a million changes' 655 MB. A larger scope is
  // pulled instead.
  int64_t image_max_bytes = 1ll << 30;
};

enum class Link { Unknown, Online, Offline };

// Why the loop stopped on its own (it never stops for a network failure).
enum class Halt {
  None,
  SignInAgain,    // 401: the token expired or was revoked. Nothing unsent is lost.
  ForgedReplica,  // 403: this device's replica id is another user's.
  Upgrade,        // 426 / 422 unsupported_schema: app and server do not match; reload.
  // 409 gap for a change this store no longer holds (SyncStatus::lost_from): the replica must start
  // again under a new id (ClientSync::start_again; the app does it and makes a new loop).
  LostChanges,
};

struct SyncStatus {
  Link link = Link::Unknown;
  Halt halt = Halt::None;
  int64_t last_ok_ms = 0;        // The last answer that was taken (0: none yet; the app keeps it across reloads).
  int64_t unsent = 0;            // Own changes in the outbox.
  int64_t refused = 0;           // Refused changes kept for the user.
  int64_t clock_offset_ms = 0;   // Server clock minus device clock, from the last Date seen.
  bool clock_known = false;
  bool caught_up = false;        // The last pull said nothing more waits.
  int64_t cursor = 0;
  // How far the server's log went when it made the last answer taken (its `head`, the largest
  // seen; 0: an older server that does not say). A first sync's progress is cursor / head.
  int64_t head = 0;
  int64_t pulled_this_session = 0;  // Changes taken from pulls since the loop started.
  bool image_in_flight = false;  // The first sync's store is being built by the server and sent.
  // Bytes of it come so far, and its length (-1: not known yet, or not told).
  int64_t image_got = -1;
  int64_t image_total = -1;
  bool image_arrived = false;    // Downloaded, waiting to be taken (a frame saying so comes first).
  bool image_taken = false;      // This replica started from an image (its pulls go on from it).
  int64_t image_ms = 0;          // How long taking it took this device (checks, pages, commit).
  int64_t pushed_this_session = 0;  // Own changes the server acknowledged since then.
  // Photos taken here waiting for their upload (app/photos.h), and the one on its way now.
  int64_t photos_waiting = 0;
  std::string uploading;         // Its SHA-256 (empty: none in flight).
  int64_t upload_sent = 0;       // Bytes of it sent so far (the transport's upload progress), all once the server has it.
  int64_t upload_total = 0;
  int64_t photos_uploaded_this_session = 0;
  int64_t photos_failed = 0;     // Refused for good by the upload (413, 415, ...): the user decides.
  int failures = 0;              // Failed exchanges in a row.
  int64_t next_try_ms = 0;       // While offline: when the next try is due.
  std::string problem;           // The last failure, for the status bar's tooltip.
  uint64_t lost_from = 0;        // Halt::LostChanges: the counter the server expects.
};

class SyncLoop {
 public:
  SyncLoop(Store& store, ClientSync& client, Transport& transport, std::string token, SyncOptions options = {});
  ~SyncLoop();
  SyncLoop(const SyncLoop&) = delete;
  SyncLoop& operator=(const SyncLoop&) = delete;

  // Starts what is due. Call every frame; cheap when nothing is. `screen_current`: the screen shows
  // the status as it is now. An image that has arrived is taken only then (or a second after it
  // arrived, whatever the screen): taking a large one holds the page for seconds, so the user is
  // told first.
  void tick(bool screen_current = true);
  // An own change was recorded: push soon.
  void edited();
  // The network may be back (the browser said so, or the user asked): try now.
  void retry_now();
  // The outbox changed without an edit (a refusal discarded): count again what the status shows.
  void outbox_changed() { refresh_counts(); }
  // A new token after the user signed in again.
  void set_token(std::string token);
  // An answer the app had from the server outside the loop (the sign-in's): the server is
  // reachable, and its clock is known.
  void reached(const HttpResponse& r) {
    if (r.status != 0) heard(r);
  }

  const SyncStatus& status() const { return m_status; }
  // The last answer taken before this loop started (kept by the app): "上次同步 09:40" after a
  // reload with no network, not "尚未同步". A later answer replaces it.
  void remember_last_ok(int64_t ms) { m_status.last_ok_ms = std::max(m_status.last_ok_ms, ms); }
  // True once since the last call if pulled changes or acknowledgements changed the store.
  bool take_changed();
  bool busy() const { return m_push_in_flight || m_pull_in_flight || m_upload_in_flight; }

 private:
  void start_push();
  void start_pull();
  void start_pull_at(const PullRequest& p);
  void start_image();
  void on_image(const HttpResponse& r);
  // The image downloaded into image_file(), taken into the store (or not: then pulls).
  void take_image();
  void pull_after_image(int64_t now);
  // Where the image is downloaded to (HttpRequest::save_to), beside the store's file.
  std::string image_file() const;
  void on_push(const HttpResponse& r);
  void on_pull(const HttpResponse& r);
  // An answer came (any status): the server is reachable.
  void heard(const HttpResponse& r);
  // No answer, or one the loop cannot use now: wait before trying again.
  void failed(std::string why);
  // Halts for statuses no retry can fix; true if it did.
  bool halted_by(const HttpResponse& r);
  void refresh_counts();
  // Photos (client/photo_upload.cpp): the oldest waiting photo is asked for (HEAD) and, when the
  // server lacks it, uploaded (PUT); then the next. A push stops before a change naming a photo
  // not uploaded yet (app/photos.h pushable_prefix).
  void start_upload();
  void on_head(const std::string& sha256, const HttpResponse& r);
  void on_put(const std::string& sha256, const HttpResponse& r);
  void uploaded(const std::string& sha256);
  // The server will never take it: marked failed with `reason`; the rest go on.
  void refused_photo(const std::string& sha256, const std::string& reason);
  bool m_upload_in_flight = false;
  int64_t m_upload_due_ms = 0;  // 0: no upload asked for.

  Store& m_store;
  ClientSync& m_client;
  Transport& m_transport;
  std::string m_token;
  SyncOptions m_options;
  SyncStatus m_status;
  // Callbacks hold a weak copy: an answer that comes after the loop is gone is dropped.
  std::shared_ptr<SyncLoop*> m_self;
  bool m_push_in_flight = false;
  bool m_pull_in_flight = false;
  int64_t m_push_due_ms = 0;    // 0: no push asked for.
  int64_t m_pull_due_ms = 0;
  int64_t m_backoff_ms = 0;
  uint64_t m_gap_expected = 0;  // The counter the last 409 gap asked for (0: the last push was no gap).
  bool m_changed = false;
  bool m_image_wanted = false;  // Asked for once the first pull is due, instead of it.
  std::string m_image_path;     // The request out for it (its download progress is asked by this).
  int64_t m_image_arrived_ms = 0;
};

}  // namespace linli::app
