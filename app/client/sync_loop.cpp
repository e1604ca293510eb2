#include "client/sync_loop.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <chrono>

#include <sys/stat.h>

#include "core/hlc.h"
#include "photos.h"
#include "sync/wire.h"

namespace linli::app {

std::string error_code_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return {};
  auto e = j.find("error");
  if (e == j.end() || !e->is_object()) return {};
  auto c = e->find("code");
  return c != e->end() && c->is_string() ? c->get<std::string>() : std::string();
}

uint64_t expected_counter_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return 0;
  auto e = j.find("error");
  if (e == j.end() || !e->is_object()) return 0;
  auto c = e->find("expected_counter");
  return c != e->end() && c->is_number_unsigned() ? c->get<uint64_t>() : 0;
}

std::string error_message_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return {};
  auto e = j.find("error");
  if (e == j.end() || !e->is_object()) return {};
  auto m = e->find("message");
  return m != e->end() && m->is_string() ? m->get<std::string>() : std::string();
}

SyncLoop::SyncLoop(Store& store, ClientSync& client, Transport& transport, std::string token, SyncOptions options)
    : m_store(store),
      m_client(client),
      m_transport(transport),
      m_token(std::move(token)),
      m_options(options),
      m_self(std::make_shared<SyncLoop*>(this)) {
  refresh_counts();
  m_status.cursor = m_store.pull_cursor();
  m_pull_due_ms = m_transport.now_ms();
  if (m_options.ask_image && m_status.cursor == 0 && m_status.unsent == 0 && m_status.refused == 0 &&
      m_status.photos_waiting == 0)
    if (auto n = m_store.count_tickets(); n && *n == 0) m_image_wanted = true;
  if (m_status.unsent > 0) m_push_due_ms = m_pull_due_ms;
  // Photos a closed tab left waiting upload now, before the changes that name them go.
  if (m_status.photos_waiting > 0) m_upload_due_ms = m_pull_due_ms;
}

SyncLoop::~SyncLoop() { *m_self = nullptr; }

bool SyncLoop::take_changed() { return std::exchange(m_changed, false); }

void SyncLoop::refresh_counts() {
  if (auto n = m_store.count_unsent(m_client.self())) m_status.unsent = *n;
  if (auto n = m_store.count_refused()) m_status.refused = *n;
  if (auto w = m_store.waiting_photos()) m_status.photos_waiting = static_cast<int64_t>(w->size());
  if (auto f = m_store.failed_photos()) m_status.photos_failed = static_cast<int64_t>(f->size());
}

void SyncLoop::edited() {
  refresh_counts();
  const int64_t due = m_transport.now_ms() + m_options.push_delay_ms;
  // Offline, an edit waits for the back-off like everything else: the next try pushes it.
  if (m_status.link != Link::Offline && (m_push_due_ms == 0 || m_push_due_ms > due)) m_push_due_ms = due;
  if (m_status.photos_waiting > 0 && m_status.link != Link::Offline && (m_upload_due_ms == 0 || m_upload_due_ms > due))
    m_upload_due_ms = due;
}

void SyncLoop::retry_now() {
  const int64_t now = m_transport.now_ms();
  m_backoff_ms = 0;
  m_status.next_try_ms = now;
  m_pull_due_ms = now;
  if (m_status.unsent > 0) m_push_due_ms = now;
  if (m_status.photos_waiting > 0) m_upload_due_ms = now;
}

void SyncLoop::set_token(std::string token) {
  m_token = std::move(token);
  if (m_status.halt == Halt::SignInAgain) m_status.halt = Halt::None;
  retry_now();
}

void SyncLoop::tick(bool screen_current) {
  if (m_status.halt != Halt::None) return;
  const int64_t now = m_transport.now_ms();
  if (m_status.image_arrived && (screen_current || now - m_image_arrived_ms >= 1000)) take_image();
  if (m_status.image_in_flight) {
    const auto r = m_transport.received_bytes(m_image_path);
    m_status.image_got = r.got;
    m_status.image_total = r.total;
    if (r.got > 0) m_status.link = Link::Online;  // Its bytes are coming: the server answered.
  }
  if (m_upload_in_flight && !m_status.uploading.empty()) {  // The photo's bytes on their way (PUT).
    const int64_t sent = m_transport.sent_bytes("api/v1/blobs/" + m_status.uploading);
    if (sent >= 0) m_status.upload_sent = std::min(sent, m_status.upload_total);
  }
  if (!m_upload_in_flight && m_upload_due_ms != 0 && now >= m_upload_due_ms) start_upload();
  if (!m_push_in_flight && m_push_due_ms != 0 && now >= m_push_due_ms) start_push();
  // While a push is out, the pull waits for it: its answer may acknowledge what the pull brings back.
  if (!m_pull_in_flight && !m_push_in_flight && !m_status.image_arrived && m_pull_due_ms != 0 && now >= m_pull_due_ms)
    m_image_wanted ? start_image() : start_pull();
}

std::string SyncLoop::image_file() const { return m_store.path() + ".image"; }

void SyncLoop::start_image() {
  m_pull_due_ms = 0;
  m_pull_in_flight = true;
  m_status.image_in_flight = true;
  m_status.image_got = m_status.image_total = -1;
  std::weak_ptr<SyncLoop*> weak = m_self;
  m_image_path = "api/v1/sync/image?replica=" + to_hex(m_client.self()) +
                 "&schema=" + std::to_string(Store::schema_version()) +
                 "&max_bytes=" + std::to_string(m_options.image_max_bytes);
  // Building and sending a large scope's store takes seconds: the server does a first sync's work.
  m_transport.send({.method = "GET",
                    .path = m_image_path,
                    .body = {},
                    .token = m_token,
                    .timeout_ms = 180000,
                    .content_type = {},
                    .save_to = image_file()},
                   [weak](HttpResponse r) {
                     if (auto self = weak.lock(); self && *self) (*self)->on_image(r);
                   });
}

// The image, or why not: anything but a store taken leaves the first sync to pulls, at once.
void SyncLoop::on_image(const HttpResponse& r) {
  m_pull_in_flight = false;
  m_status.image_in_flight = false;
  if (r.status == 0) {  // Unreachable: the image is asked for again when the server is back.
    m_status.link = Link::Offline;
    return failed("no answer from the server");
  }
  heard(r);
  if (halted_by(r)) return;
  m_image_wanted = false;
  if (r.status == 200) {  // Taken at the next tick the screen has caught up with (tick()).
    struct stat st {};
    if (::stat(image_file().c_str(), &st) == 0) m_status.image_got = m_status.image_total = st.st_size;
    m_status.image_arrived = true;
    m_image_arrived_ms = m_transport.now_ms();
    return;
  }
  std::remove(image_file().c_str());
  // 204 (a small log), 404 (a server without images), 409 (another schema), 5xx: pulls, now.
  pull_after_image(m_transport.now_ms());
}

void SyncLoop::take_image() {
  m_status.image_arrived = false;
  const int64_t now = m_transport.now_ms();
  const auto started = std::chrono::steady_clock::now();
  auto changes = m_store.adopt_image(image_file());
  m_status.image_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (changes) {
    m_status.image_taken = true;
    m_status.pulled_this_session += *changes;
    m_status.cursor = m_store.pull_cursor();
    m_status.head = std::max(m_status.head, m_status.cursor);
    m_status.last_ok_ms = now;
    m_changed = true;
  } else {
    m_status.problem = "image: " + changes.error().detail;  // Pulled instead; nothing was changed.
  }
  std::remove(image_file().c_str());  // Taken or not, it is not needed again.
  pull_after_image(now);
}

// The first sync goes on by pulls, at once, from what the image left (or from 0 without one).
void SyncLoop::pull_after_image(int64_t now) {
  m_status.failures = 0;
  m_backoff_ms = 0;
  refresh_counts();
  m_pull_due_ms = now;
  if (!m_push_in_flight && m_status.halt == Halt::None) start_pull();
}

void SyncLoop::start_push() {
  m_push_due_ms = 0;
  auto push = m_client.build_push(m_options.push_batch);
  if (!push) return failed("outbox: " + push.error().detail);
  if (push->changes.empty()) return refresh_counts();
  // A change naming a photo goes only after the photo's blob is on the server.
  const size_t pushable = pushable_prefix(m_store, push->changes);
  if (pushable == 0) {
    if (m_upload_due_ms == 0 && !m_upload_in_flight) m_upload_due_ms = m_transport.now_ms();
    return;  // The upload's end asks for the push again.
  }
  push->changes.resize(pushable);
  m_push_in_flight = true;
  std::weak_ptr<SyncLoop*> weak = m_self;
  m_transport.send({.method = "POST", .path = "api/v1/sync/push", .body = encode(*push), .token = m_token,
                    .timeout_ms = 30000},
                   [weak](HttpResponse r) {
                     if (auto self = weak.lock(); self && *self) (*self)->on_push(r);
                   });
}

void SyncLoop::start_pull() { start_pull_at(m_client.build_pull(m_options.pull_limit)); }

void SyncLoop::start_pull_at(const PullRequest& p) {
  m_pull_due_ms = 0;
  // Caught up and nothing to push: let the server hold the request until there is news.
  const int wait = m_status.caught_up && m_status.unsent == 0 ? m_options.long_poll_s : 0;
  std::string path = "api/v1/sync/pull?replica=" + to_hex(p.replica) + "&cursor=" + std::to_string(p.cursor) +
                     "&took=" + std::to_string(p.took) + "&limit=" + std::to_string(p.limit) +
                     "&wait=" + std::to_string(wait);
  m_pull_in_flight = true;
  std::weak_ptr<SyncLoop*> weak = m_self;
  m_transport.send({.method = "GET", .path = std::move(path), .body = {}, .token = m_token, .timeout_ms = wait * 1000 + 20000},
                   [weak](HttpResponse r) {
                     if (auto self = weak.lock(); self && *self) (*self)->on_pull(r);
                   });
}

void SyncLoop::heard(const HttpResponse& r) {
  m_status.link = Link::Online;
  if (r.server_time_ms > 0) {
    m_status.clock_offset_ms = r.server_time_ms - m_transport.now_ms();
    m_status.clock_known = true;
  }
}

void SyncLoop::failed(std::string why) {
  const int64_t now = m_transport.now_ms();
  m_status.failures++;
  m_status.problem = std::move(why);
  m_backoff_ms = m_backoff_ms == 0 ? m_options.min_backoff_ms : std::min<int64_t>(m_backoff_ms * 2, m_options.max_backoff_ms);
  // Full jitter on the upper half: devices that lost the server together do not come back together.
  const int64_t wait = m_backoff_ms / 2 + static_cast<int64_t>(m_transport.random01() * static_cast<double>(m_backoff_ms / 2));
  m_status.next_try_ms = now + wait;
  m_pull_due_ms = std::max(m_pull_due_ms, m_status.next_try_ms);
  if (m_status.unsent > 0) m_push_due_ms = std::max(m_push_due_ms, m_status.next_try_ms);
  if (m_status.photos_waiting > 0) m_upload_due_ms = std::max(m_upload_due_ms, m_status.next_try_ms);
}

bool SyncLoop::halted_by(const HttpResponse& r) {
  // Only these statuses can halt: a 200 pull answer (up to megabytes) is not parsed for an error.
  if (r.status != 401 && r.status != 403 && r.status != 422 && r.status != 426) return false;
  const std::string code = error_code_of(r.body);
  if (r.status == 401) m_status.halt = Halt::SignInAgain;
  else if (r.status == 403 && (code == "forged_replica" || code == "forged_author")) m_status.halt = Halt::ForgedReplica;
  else if (r.status == 426 || (r.status == 422 && code == "unsupported_schema")) m_status.halt = Halt::Upgrade;
  else return false;
  m_status.problem = error_message_of(r.body);
  return true;
}

void SyncLoop::on_push(const HttpResponse& r) {
  m_push_in_flight = false;
  if (r.status == 0) {
    m_status.link = Link::Offline;
    return failed("no answer from the server");
  }
  heard(r);
  if (halted_by(r)) return;
  // 409 gap: the server lacks changes it once acknowledged (it was put back from an older copy).
  // They go again, from the one it expects (ClientSync::resend_from); the same answer twice in a
  // row means they did not get there: then it is a failure like any other, retried with back-off.
  if (r.status == 409 && error_code_of(r.body) == "gap") {
    const uint64_t expected = expected_counter_of(r.body);
    if (expected > 0 && expected != m_gap_expected) {
      m_gap_expected = expected;
      if (auto again = m_client.resend_from(expected); !again) {
        if (again.error().code != ErrorCode::NotFound) return failed("push: " + again.error().detail);
        // No retry brings back what this store no longer has: the replica starts again (Halt).
        m_status.halt = Halt::LostChanges;
        m_status.lost_from = expected;
        m_status.problem = again.error().detail;
        return;
      }
      m_push_due_ms = m_transport.now_ms();
      return;
    }
    return failed("push: HTTP 409 gap (the server expects change " + std::to_string(expected) + ")");
  }
  // 200, or a push in which some changes were refused (403/404/409/422 with a push_result).
  auto answer = decode_push_response(r.body);
  if (!answer) return failed("push: HTTP " + std::to_string(r.status) + " " + error_code_of(r.body));
  m_gap_expected = 0;
  int64_t acked = 0;
  for (const auto& res : answer->results) acked += res.status == ApplyStatus::Applied || res.status == ApplyStatus::Duplicate;
  if (auto t = m_client.take_push_response(*answer, m_transport.now_ms()); !t) return failed("push: " + t.error().detail);
  m_status.pushed_this_session += acked;
  m_status.last_ok_ms = m_transport.now_ms();
  m_status.failures = 0;
  m_status.problem.clear();
  m_backoff_ms = 0;
  m_changed = true;
  refresh_counts();
  const int64_t now = m_transport.now_ms();
  if (m_status.unsent > 0 || m_client.resending()) m_push_due_ms = now;
  // What others did meanwhile, and our own changes with their official numbers, come by pull.
  if (!m_pull_in_flight) m_pull_due_ms = now;
}

void SyncLoop::on_pull(const HttpResponse& r) {
  m_pull_in_flight = false;
  if (r.status == 0) {
    m_status.link = Link::Offline;
    return failed("no answer from the server");
  }
  heard(r);
  if (halted_by(r)) return;
  if (r.status != 200) return failed("pull: HTTP " + std::to_string(r.status) + " " + error_code_of(r.body));
  auto answer = decode_pull_response(r.body);
  if (!answer) return failed("pull: " + answer.error().detail);
  // More waits and this answer names no new answer id (the centre's never do): ask for the next one
  // now, from the cursor this answer moves to, so that the server builds it and it travels while
  // this one is applied and committed. The next request names the same answer taken as this one
  // did, so it claims nothing about this answer before it is durable. If this answer is not taken
  // (it fails to apply, or the store is elsewhere), the next one's `from` is not the cursor and it
  // is ignored like any stale answer: the pull after it asks again from the store's cursor.
  const bool ahead = answer->more && !answer->start_over && answer->answer == 0 && answer->next > answer->from &&
                     answer->from == m_store.pull_cursor() && answer->took == m_store.pull_answer() &&
                     !m_push_in_flight && m_status.halt == Halt::None;
  if (ahead) {
    m_status.caught_up = false;  // More waits: no long poll.
    PullRequest p = m_client.build_pull(m_options.pull_limit);
    p.cursor = answer->next;
    start_pull_at(p);
  }
  auto taken = m_client.take_pull_response(*answer, m_transport.now_ms());
  if (!taken) return failed("pull: " + taken.error().detail);
  const int64_t now = m_transport.now_ms();
  // An answer asked for ahead of one that then failed to apply: not taken; the back-off stands.
  if (!*taken && m_backoff_ms > 0 && m_status.next_try_ms > now) {
    m_pull_due_ms = std::max(m_pull_due_ms, m_status.next_try_ms);
    return;
  }
  if (*taken && m_client.resending() && !m_push_in_flight && m_push_due_ms == 0) m_push_due_ms = now;  // After a start over.
  if (*taken) {
    m_status.pulled_this_session += static_cast<int64_t>(answer->changes.size());
    if (!answer->changes.empty() || !answer->dropped.empty()) m_changed = true;
    m_status.caught_up = !answer->more;
    m_status.head = std::max(m_status.head, answer->head);
  }
  m_status.cursor = m_store.pull_cursor();
  m_status.last_ok_ms = now;
  m_status.failures = 0;
  m_status.problem.clear();
  m_backoff_ms = 0;
  refresh_counts();
  // More waits: at once. Caught up: the next pull is a long poll, held by the server; a server that
  // answers it at once (an old one, or news) is not asked more than once a second.
  if (ahead) return;  // The next pull is on its way.
  m_pull_due_ms = answer->more ? now : now + (answer->changes.empty() ? 1000 : 0);
  // More waits: ask at once, not at the next frame (a first sync is a train of pulls).
  if (answer->more && !m_pull_in_flight && !m_push_in_flight && m_status.halt == Halt::None) start_pull();
}

}  // namespace linli::app
