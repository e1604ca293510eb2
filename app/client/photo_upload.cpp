// The sync loop's photo uploads (app/photos.h): content-addressed blobs (protocol.md "Blobs"), the
// oldest waiting photo first, one at a time. HEAD first: a blob the server has (uploaded before a
// lost answer, or by another device) is not sent again. Failures back off with the loop's
// back-off; a photo stays waiting until the server has it, across restarts.
//
//   waiting --HEAD 200--------------------> uploaded  (push the changes naming it)
//   waiting --HEAD 404--> PUT --200/201---> uploaded
//   waiting --no answer / other status----> waiting   (back off, then try again)
//   waiting --400/413/415/422-------------> failed    (kept with the reason; the next photo goes;
//                                                      the outbox offers to give it up)
#include <algorithm>

#include "client/sync_loop.h"

namespace linli::app {
namespace {

// Answers to an upload that no retry can mend: a bad name or body (400), too large (413), a type
// the server does not take (415), bytes that are not their name (422).
bool refused_for_good(int status) { return status == 400 || status == 413 || status == 415 || status == 422; }

}  // namespace

void SyncLoop::start_upload() {
  m_upload_due_ms = 0;
  auto waiting = m_store.waiting_photos();
  if (!waiting) return failed("photos: " + waiting.error().detail);
  m_status.photos_waiting = static_cast<int64_t>(waiting->size());
  if (waiting->empty()) return;
  const LocalPhoto& p = waiting->front();
  m_upload_in_flight = true;
  m_status.uploading = p.sha256;
  m_status.upload_sent = 0;
  m_status.upload_total = p.size;
  std::weak_ptr<SyncLoop*> weak = m_self;
  const std::string sha = p.sha256;
  m_transport.send({.method = "HEAD", .path = "api/v1/blobs/" + sha, .body = {}, .token = m_token, .timeout_ms = 15000},
                   [weak, sha](HttpResponse r) {
                     if (auto self = weak.lock(); self && *self) (*self)->on_head(sha, r);
                   });
}

void SyncLoop::on_head(const std::string& sha256, const HttpResponse& r) {
  if (r.status == 0) {
    m_upload_in_flight = false;
    m_status.uploading.clear();
    m_status.link = Link::Offline;
    return failed("no answer from the server");
  }
  heard(r);
  if (r.status == 200) return uploaded(sha256);
  if (r.status != 404) {
    m_upload_in_flight = false;
    m_status.uploading.clear();
    if (halted_by(r)) return;
    if (refused_for_good(r.status)) return refused_photo(sha256, "HEAD " + std::to_string(r.status) + " " + error_code_of(r.body));
    return failed("photo: HEAD " + std::to_string(r.status));
  }
  auto held = m_store.local_photo(sha256);
  auto bytes = m_store.local_photo_bytes(sha256);
  if (!held || !bytes || !*held || !*bytes) {
    m_upload_in_flight = false;
    m_status.uploading.clear();
    return failed("photo: not in the local store: " + sha256);
  }
  std::weak_ptr<SyncLoop*> weak = m_self;
  m_transport.send({.method = "PUT", .path = "api/v1/blobs/" + sha256, .body = std::move(**bytes), .token = m_token,
                    .timeout_ms = 120000, .content_type = (*held)->type},
                   [weak, sha256](HttpResponse answer) {
                     if (auto self = weak.lock(); self && *self) (*self)->on_put(sha256, answer);
                   });
}

void SyncLoop::on_put(const std::string& sha256, const HttpResponse& r) {
  if (r.status == 0) {
    m_upload_in_flight = false;
    m_status.uploading.clear();
    m_status.link = Link::Offline;
    return failed("no answer from the server");
  }
  heard(r);
  if (r.status == 200 || r.status == 201) return uploaded(sha256);
  m_upload_in_flight = false;
  m_status.uploading.clear();
  if (halted_by(r)) return;
  if (refused_for_good(r.status)) return refused_photo(sha256, std::to_string(r.status) + " " + error_code_of(r.body));
  failed("photo: PUT " + std::to_string(r.status) + " " + error_code_of(r.body));
}

void SyncLoop::refused_photo(const std::string& sha256, const std::string& reason) {
  if (auto s = m_store.set_local_photo_failed(sha256, reason); !s) return failed("photos: " + s.error().detail);
  // The server answered: the link is fine, and the other photos need not wait for a back-off.
  m_status.last_ok_ms = m_transport.now_ms();
  m_status.failures = 0;
  m_backoff_ms = 0;
  m_changed = true;
  refresh_counts();
  if (m_status.photos_waiting > 0) m_upload_due_ms = m_transport.now_ms();
  // The changes before the one naming it may still go.
  if (m_status.unsent > 0 && !m_push_in_flight) m_push_due_ms = m_transport.now_ms();
}

void SyncLoop::uploaded(const std::string& sha256) {
  m_upload_in_flight = false;
  m_status.uploading.clear();
  m_status.upload_sent = m_status.upload_total;
  if (auto s = m_store.set_local_photo_state(sha256, LocalPhotoState::Uploaded); !s)
    return failed("photos: " + s.error().detail);
  m_status.photos_uploaded_this_session++;
  m_status.last_ok_ms = m_transport.now_ms();
  m_status.failures = 0;
  m_status.problem.clear();
  m_backoff_ms = 0;
  m_changed = true;
  refresh_counts();
  const int64_t now = m_transport.now_ms();
  if (m_status.photos_waiting > 0) m_upload_due_ms = now;
  // The changes naming it may go now.
  if (m_status.unsent > 0 && !m_push_in_flight) m_push_due_ms = now;
}

}  // namespace linli::app
