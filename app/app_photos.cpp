// App commands for photos of tickets (app/photos.h): the chooser opened for the selected ticket,
// the chosen picture stored with its change in one durable write, photos read and decoded for the
// detail, others' photos fetched from the server on demand and kept in the local store.
#include <nlohmann/json.hpp>

#include "app.h"
#include "core/sha256.h"
#include "platform/platform.h"
#include "refusal_text.h"

namespace linli::ui {

namespace {
// A fetch that failed is not tried again before this (the server may come back).
constexpr int64_t kFetchRetryMs = 10'000;
}  // namespace

std::optional<Refusal> App::why_not_photo() const {
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::AttachPhoto;
  return judge(c);
}

bool App::photo_processing() const { return platform::photo_processing(); }

void App::take_photo(PhotoPhase phase) {
  m_error.clear();
  if (!m_client) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return;
  }
  if (m_selected.empty()) return;
  if (auto refusal = why_not_photo()) {
    m_error = refusal_text(m_lang, *refusal);
    return;
  }
  m_photo_for.ticket_id = m_selected;
  m_photo_for.phase = phase;
  m_photo_for.finding = false;
  platform::choose_photo();
}

void App::take_finding_photo() {
  m_error.clear();
  if (!m_client) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return;
  }
  m_photo_for.ticket_id.clear();
  m_photo_for.phase = PhotoPhase::Before;
  m_photo_for.finding = true;
  platform::choose_photo();
}

void App::take_chosen_photo() {
  auto chosen = platform::take_chosen_photo();
  if (!chosen) return;
  ++m_revision;
  if ((m_photo_for.ticket_id.empty() && !m_photo_for.finding) || !m_client) return;  // Nobody asked (or signed out since).
  if (!chosen->error.empty()) {
    m_error = std::string(tr(m_lang, Str::PhotoFailed)) + ": " + chosen->error;
    return;
  }
  if (static_cast<int64_t>(chosen->bytes.size()) > app::kMaxUploadBytes) {
    m_error = std::string(tr(m_lang, Str::PhotoTooBig));
    return;
  }
  const int64_t now = platform::now_ms();
  app::CapturedPhoto photo{std::move(chosen->bytes), "image/jpeg", chosen->width, chosen->height};
  if (m_photo_for.finding) {  // Held by the finding form until its ticket is opened (open_finding).
    m_finding_photos.push_back(std::move(photo));
    m_error.clear();
    return;
  }
  auto saved = app::save_photo(m_store, *m_client, m_photo_for.ticket_id, m_photo_for.phase, photo, now);
  if (!saved) return fail(saved.error());
  platform::photo_saved(static_cast<int64_t>(photo.bytes.size()));
  m_error.clear();
  set_notice(Str::PhotoSaved);
  if (m_sync) m_sync->edited();
  reload();
}

void App::load_photos() {
  m_photos.clear();
  if (m_photos_of != m_selected) {  // Another ticket: its textures go.
    platform::release_photo_textures();
    m_photos_of = m_selected;
  }
  for (const Change& c : m_history) {
    if (c.kind != ChangeKind::AttachPhoto) continue;
    app::TicketPhoto p;
    p.change = c;
    if (auto held = m_store.local_photo(c.photo.sha256); held && *held) {
      p.local = true;
      p.waiting_upload = (*held)->state == LocalPhotoState::Waiting;
    }
    m_photos.push_back(std::move(p));
  }
}

App::PhotoImage App::photo_image(const std::string& sha256, const std::string& type, int max_side) {
  PhotoImage out;
  const std::string key = sha256 + "@" + std::to_string(max_side);
  const platform::PhotoTexture t = platform::photo_texture(key);
  switch (t.state) {
    case platform::PhotoTexture::State::Ready:
      return {PhotoShow::Ready, t.id, t.width, t.height};
    case platform::PhotoTexture::State::Decoding: return out;
    case platform::PhotoTexture::State::Failed: out.show = PhotoShow::Failed; return out;
    case platform::PhotoTexture::State::None: break;
  }
  auto bytes = m_store.local_photo_bytes(sha256);
  if (bytes && *bytes) {
    platform::decode_photo(key, **bytes, type, max_side);
    return out;
  }
  const auto f = m_photo_fetches.find(sha256);
  if (f != m_photo_fetches.end() && f->second == 0) return out;  // On its way.
  const bool recently_failed = f != m_photo_fetches.end() && platform::now_ms() - f->second < kFetchRetryMs;
  if (!recently_failed && m_session && !m_session->token.empty() && sync_status().link != app::Link::Offline)
    fetch_photo(sha256);
  if (m_photo_fetches.count(sha256) && m_photo_fetches[sha256] == 0) return out;
  out.show = PhotoShow::NotHere;
  return out;
}

void App::fetch_photo(const std::string& sha256) {
  m_photo_fetches[sha256] = 0;
  std::weak_ptr<App*> weak = m_self;
  const std::string ticket = m_selected;
  m_transport.send({.method = "GET", .path = "api/v1/blobs/" + sha256, .body = {}, .token = m_session->token,
                    .timeout_ms = 60000},
                   [weak, sha256, ticket](app::HttpResponse r) {
                     auto self = weak.lock();
                     if (!self || !*self) return;
                     App& app = **self;
                     ++app.m_revision;
                     // Kept only if the bytes are the photo they name.
                     if (r.status != 200 || r.body.empty() || sha256_hex(r.body) != sha256) {
                       app.m_photo_fetches[sha256] = std::max<int64_t>(1, platform::now_ms());
                       return;
                     }
                     LocalPhoto row;
                     row.sha256 = sha256;
                     row.ticket_id = ticket;
                     row.size = static_cast<int64_t>(r.body.size());
                     row.state = LocalPhotoState::Cached;
                     row.created_at_ms = platform::now_ms();
                     for (const app::TicketPhoto& p : app.m_photos)
                       if (p.change.photo.sha256 == sha256) {
                         row.type = p.change.photo.type;
                         row.phase = p.change.photo.phase;
                       }
                     if (row.type.empty()) row.type = "image/jpeg";
                     if (auto put = app.m_store.put_local_photo(row, r.body); !put) {
                       app.m_photo_fetches[sha256] = std::max<int64_t>(1, platform::now_ms());
                       return app.fail(put.error());
                     }
                     app.m_photo_fetches.erase(sha256);
                     for (app::TicketPhoto& p : app.m_photos)
                       if (p.change.photo.sha256 == sha256) p.local = true;
                   });
}

std::string App::photos_state_json() {
  nlohmann::json ticket = nlohmann::json::array();
  for (const app::TicketPhoto& p : m_photos)
    ticket.push_back({{"sha256", p.change.photo.sha256}, {"size", p.change.photo.size},
                      {"phase", std::string(to_string(p.change.photo.phase))}, {"author", p.change.author.user},
                      {"local", p.local}, {"waiting_upload", p.waiting_upload}});
  nlohmann::json held = nlohmann::json::array();
  for (const app::TicketPhoto& p : m_photos) {
    auto row = m_store.local_photo(p.change.photo.sha256);
    auto bytes = m_store.local_photo_bytes(p.change.photo.sha256);
    if (!row || !*row || !bytes || !*bytes) continue;
    const char* state = (*row)->state == LocalPhotoState::Waiting    ? "waiting"
                        : (*row)->state == LocalPhotoState::Uploaded ? "uploaded"
                        : (*row)->state == LocalPhotoState::Failed   ? "failed"
                                                                     : "cached";
    held.push_back({{"sha256", (*row)->sha256}, {"stored_sha256", sha256_hex(**bytes)},
                    {"size", static_cast<int64_t>((*bytes)->size())}, {"state", state},
                    {"width", (*row)->width}, {"height", (*row)->height}});
  }
  nlohmann::json waiting = nlohmann::json::array();
  for (const LocalPhoto& w : m_waiting_photos) waiting.push_back(w.sha256);
  nlohmann::json failed = nlohmann::json::array();
  for (const LocalPhoto& f : m_failed_photos) failed.push_back({{"sha256", f.sha256}, {"reason", f.failure}});
  return nlohmann::json{{"ticket", ticket}, {"held", held}, {"waiting", waiting}, {"failed", failed}}.dump();
}

void App::discard_failed_photo(const std::string& sha256) {
  if (!m_client) return;
  auto held = m_store.local_photo(sha256);
  if (!held) return fail(held.error());
  if (!*held || (*held)->state != LocalPhotoState::Failed) return;  // Uploaded or given up meanwhile.
  const std::string reason = (*held)->failure;
  // The comment says what the photo was and why it is not there, in Chinese, the street's working
  // language, like other recorded text.
  std::string text(tr(Lang::Zh, Str::PhotoDiscardedNote));
  text.replace(text.find("%s"), 2, reason);
  if ((*held)->phase != PhotoPhase::None)
    text = std::string(tr(Lang::Zh, (*held)->phase == PhotoPhase::Before ? Str::PhotoBefore : Str::PhotoAfter)) +
           " · " + text;
  auto done = app::give_up_photo(m_store, m_client->self(), sha256, text);
  if (!done) return fail(done.error());
  if (m_sync) {
    m_sync->outbox_changed();
    m_sync->edited();  // The changes it held back may go now.
  }
  reload();
}

}  // namespace linli::ui
