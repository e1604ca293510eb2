// App commands: each turns a user's intent into store calls and refreshes what panels read.
#include "app.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <tuple>

#include "client/records.h"
#include "core/civil_time.h"
#include "core/deadline.h"
#include "sync/calendar_json.h"
#include "platform/platform.h"
#include "refusal_text.h"
#include "store/accounts.h"

namespace linli::ui {

std::optional<ValidationCode> DraftProblems::of(TicketField f) const {
  for (const auto& p : fields)
    if (p.field == f) return p.code;
  return std::nullopt;
}

namespace {
constexpr std::pair<View, std::string_view> kViewCodes[] = {
    {View::Tickets, "tickets"},     {View::Intake, "intake"}, {View::HotSpots, "hot_spots"},
    {View::Dashboard, "dashboard"}, {View::Field, "field"},   {View::Outbox, "outbox"}};
}  // namespace

std::string_view view_code(View view) {
  for (const auto& [v, code] : kViewCodes)
    if (v == view) return code;
  return "tickets";
}

std::optional<View> parse_view(std::string_view code) {
  for (const auto& [v, c] : kViewCodes)
    if (c == code) return v;
  return std::nullopt;
}

App::App(Store store, app::Transport& transport, app::SyncOptions sync_options)
    : m_store(std::move(store)), m_transport(transport), m_sync_options(sync_options), m_self(std::make_shared<App*>(this)) {
  m_lang = parse_lang(platform::load_setting("lang"));
  m_inbox.query.sort = InboxSort::Due;
  m_inbox.query.descending = false;
  if (auto kept = m_store.read_value("app.calendar"); kept && *kept)  // Years the server gave before.
    if (auto served = parse_calendar_json(**kept))
      for (int y : served->years()) (void)m_calendar.add_year(*served->year(y));
  // A store whose deadlines were computed with another calendar (a year the server added, a
  // store from an earlier build) recomputes them a few at a time between frames (step_refold).
  if (auto c = m_store.set_calendar(m_calendar, Store::Paced::InSteps); !c) fail(c.error());
  if (auto s = app::load_session(m_store); !s) fail(s.error());
  else m_session = std::move(s).value();
  // Back where the user was: a field worker whose phone reloaded the page is on 巡查, not 工单.
  if (const auto kept = parse_view(platform::load_setting("view")); kept && *kept != View::Intake) m_view = *kept;
  clear_draft();
  restore_intake_draft();
  m_people = app::load_people(m_store);
  if (m_session) m_sign_in.user = m_session->user;
  if (m_session && !m_session->token.empty()) start_sync();
  reload();
}

App::~App() { *m_self = nullptr; }

const app::SyncStatus& App::sync_status() const {
  static const app::SyncStatus none;
  return m_sync ? m_sync->status() : none;
}

// The server, put back from a copy, expects an own change this device no longer holds (its ticket
// left the scope and was forgotten): every own change from there goes again as a change of a new
// replica id (ClientSync::start_again), and a new loop syncs under it.
void App::start_again(uint64_t lost_from) {
  uint8_t random[16];
  platform::fill_random(random, sizeof random);
  const ReplicaId fresh = replica_id_from_bytes(random);
  auto again = m_client->start_again(fresh, lost_from, platform::now_ms(),
                                     [&] { return app::set_device_replica(m_store, fresh); });
  if (!again) return fail(again.error());
  m_sync.reset();
  m_client.reset();
  start_sync();
  set_notice(Str::StartedAgain, std::to_string(*again));
  reload();
}

void App::start_sync() {
  m_lost_tried = false;
  uint8_t random[16];
  platform::fill_random(random, sizeof random);
  auto replica = app::device_replica(m_store, random);
  if (!replica) return fail(replica.error());
  m_client = std::make_unique<ClientSync>(m_store, *replica, Author{m_session->user, m_session->role});
  adopt_tickets_outside_log();
  m_sync = std::make_unique<app::SyncLoop>(m_store, *m_client, m_transport, m_session->token, m_sync_options);
  m_last_sync_kept = std::atoll(platform::load_setting(("last_sync." + m_session->user).c_str()).c_str());
  m_sync->remember_last_ok(m_last_sync_kept);
  // The server's calendar: the years an administrator added beyond those built in.
  std::weak_ptr<App*> weak = m_self;
  m_transport.send({.method = "GET", .path = "api/v1/calendar", .body = {}, .token = {}, .timeout_ms = 15000},
                   [weak](app::HttpResponse r) {
                     if (auto self = weak.lock(); self && *self && r.status == 200) (*self)->take_calendar(r.body);
                   });
  // The street's people, for the names in timelines.
  m_transport.send({.method = "GET", .path = "api/v1/users", .body = {}, .token = m_session->token, .timeout_ms = 15000},
                   [weak](app::HttpResponse r) {
                     if (auto self = weak.lock(); self && *self && r.status == 200) (*self)->take_people(r.body);
                   });
}

bool App::take_people(const std::string& json) {
  auto people = app::keep_people(m_store, json);
  if (!people) return false;
  m_people = std::move(people).value();
  for (const auto& [name, shown] : m_people) saw({shown});  // A rare character loads the rest of the font.
  ++m_revision;
  return true;
}

bool App::is_this_device(std::string_view replica_hex) const {
  return m_client && replica_hex == to_hex(m_client->self());
}

std::string App::device_label(std::string_view replica_hex) const {
  if (m_client && replica_hex == to_hex(m_client->self())) return std::string(tr(m_lang, Str::ThisDevice));
  return std::string(replica_hex.substr(0, 6));
}

std::string App::person(std::string_view user) const {
  if (auto it = m_people.find(user); it != m_people.end()) return it->second;
  if (m_session && user == m_session->user && !m_session->display_name.empty()) return m_session->display_name;
  if (user == kServerUserName) return std::string(tr(m_lang, Str::ServerAuthor));
  return std::string(user);
}

bool App::take_calendar(const std::string& json) {
  auto served = parse_calendar_json(json);
  if (!served) return false;
  WorkdayCalendar merged = m_calendar;
  for (int y : served->years())
    if (auto added = merged.add_year(*served->year(y)); !added) return false;
  if (merged == m_calendar) return true;
  m_calendar = std::move(merged);
  if (auto w = m_store.write_value("app.calendar", json); !w) fail(w.error());
  if (auto c = m_store.set_calendar(m_calendar, Store::Paced::InSteps); !c) fail(c.error());
  inbox_changed();
  reload();
  return true;
}

void App::adopt_tickets_outside_log() {
  auto adopted = app::adopt_tickets_outside_log(m_store, *m_client, platform::now_ms());
  if (!adopted) return fail(adopted.error());
  if (*adopted > 0) reload();
}

void App::step_refold() {
  if (m_store.refold_left() == 0) return;
  // A slice at a time for at most kRefoldBudgetMs of this frame (the CPU's time, not the
  // platform's clock): the screen keeps answering.
  const auto started = std::chrono::steady_clock::now();
  const int64_t from = platform::now_ms();
  do {
    auto left = m_store.refold_step(kRefoldSlice);
    if (!left) return fail(left.error());  // Tried again next frame; the error is on screen.
    if (*left == 0) {
      inbox_changed();
      reload();
      return;
    }
  } while (std::chrono::steady_clock::now() - started < std::chrono::milliseconds(kRefoldBudgetMs));
  // The rows and counts show the deadlines recomputed so far, read again about once a second.
  if (from - m_refold_shown_ms >= 1000) {
    m_refold_shown_ms = from;
    m_inbox.stale = true;
    ++m_revision;
  }
}

void App::tick() {
  step_refold();
  keep_intake_draft();
  if (!m_sync) return;
  take_chosen_photo();
  m_sync->tick(m_drawn_revision == m_revision);
  const app::SyncStatus& st = m_sync->status();
  // The last sync, kept across reloads (to the minute the status bar shows it).
  if (st.last_ok_ms >= m_last_sync_kept + 60'000 && m_session) {
    m_last_sync_kept = st.last_ok_ms;
    platform::save_setting(("last_sync." + m_session->user).c_str(), std::to_string(st.last_ok_ms));
  }
  std::string seen = std::to_string(static_cast<int>(st.link)) + ' ' + std::to_string(st.unsent) + ' ' +
                     std::to_string(st.refused) + ' ' + std::to_string(st.last_ok_ms) + ' ' +
                     std::to_string(static_cast<int>(st.halt)) + ' ' + std::to_string(st.pulled_this_session) + ' ' +
                     std::to_string(st.caught_up) + ' ' + std::to_string(st.next_try_ms) + ' ' +
                     std::to_string(st.cursor) + ' ' + std::to_string(st.head) + ' ' +
                     std::to_string(st.image_in_flight) + ' ' + std::to_string(st.image_arrived) + ' ' +
                     // The download's bar moves by 5 %: twenty frames, not one a chunk. Each frame
                     // drawn is main-thread time the download's reads wait for.
                     std::to_string(st.image_total > 0 ? st.image_got * 20 / st.image_total : st.image_got >> 24);
  if (seen != m_sync_seen) {
    m_sync_seen = std::move(seen);
    ++m_revision;
  }
  if (m_sync->status().halt == app::Halt::LostChanges && !m_lost_tried) {
    m_lost_tried = true;  // Once per loop: a failure stays in the status bar, not retried every frame.
    start_again(m_sync->status().lost_from);
    return;
  }
  if (m_sync->status().halt == app::Halt::SignInAgain && !m_reauth) {
    m_reauth = true;
    m_sign_in.password.clear();
    m_sign_in.message.reset();
  }
  if (m_sync->take_changed()) reload();
}

void App::sign_in() {
  if (m_sign_in.busy) return;
  const int64_t now = platform::now_ms();
  m_sign_in.message.reset();
  if (m_sign_in.user.empty() || m_sign_in.password.empty()) {
    m_sign_in.message = Str::SignInMissing;
    return;
  }
  if (now < m_sign_in.retry_at_ms) {
    m_sign_in.message = Str::SignInRateLimited;
    return;
  }
  m_sign_in.busy = true;
  const nlohmann::json body = {{"user", m_sign_in.user}, {"password", m_sign_in.password}};
  std::weak_ptr<App*> weak = m_self;
  const std::string user = m_sign_in.user;
  m_transport.send({.method = "POST", .path = "api/v1/login", .body = body.dump(), .token = {}, .timeout_ms = 15000},
                   [weak, user](app::HttpResponse r) {
                     if (auto self = weak.lock(); self && *self) (*self)->on_login(r, user);
                   });
}

void App::on_login(const app::HttpResponse& r, const std::string& user) {
  m_sign_in.busy = false;
  ++m_revision;
  const int64_t now = platform::now_ms();
  if (r.status == 0) {
    m_sign_in.message = Str::SignInUnreachable;
    return;
  }
  if (r.status == 429) {
    m_sign_in.retry_at_ms = now + int64_t{std::max(r.retry_after_s, 1)} * 1000;
    m_sign_in.message = Str::SignInRateLimited;
    return;
  }
  if (r.status == 401 || r.status == 400) {
    m_sign_in.message = Str::SignInBadCredentials;
    return;
  }
  auto s = app::parse_login_answer(r.body);
  if (r.status != 200 || !s) {
    m_sign_in.message = Str::SignInServerError;
    return;
  }
  auto owner = app::data_owner(m_store);
  if (!owner) return fail(owner.error());
  if (!owner->empty() && *owner != s->user) {
    // This device holds another user's tickets and changes: they are not this user's to see or send.
    m_sign_in.other_owner = *owner;
    m_sign_in.other_owner_unsent = 0;
    uint8_t random[16] = {};
    if (auto replica = app::device_replica(m_store, random))
      if (auto n = m_store.count_unsent(*replica)) m_sign_in.other_owner_unsent = *n;
    m_sign_in.message = Str::SignInOtherOwner;
    return;
  }
  if (auto w = app::set_data_owner(m_store, s->user); !w) return fail(w.error());
  if (auto w = app::save_session(m_store, *s); !w) return fail(w.error());
  const bool same = m_session && m_session->user == s->user && m_client;
  m_session = std::move(s).value();
  m_sign_in.password.clear();
  m_sign_in.message.reset();
  m_sign_in.other_owner.clear();
  m_reauth = false;
  (void)user;
  if (m_draft.title.empty() && m_draft.address.empty() && m_draft.description.empty()) clear_draft();
  if (m_view == View::Intake && !may_register()) m_view = View::Tickets;
  if (same && m_sync) m_sync->set_token(m_session->token);
  else start_sync();
  if (m_sync) m_sync->reached(r);  // The server just answered: 在线 at once, not 正在连接….
  reload();
}

void App::sign_out(bool clear) {
  if (m_session && !m_session->token.empty())
    m_transport.send({.method = "POST", .path = "api/v1/logout", .body = {}, .token = m_session->token, .timeout_ms = 10000}, [](app::HttpResponse) {});
  m_sync.reset();
  m_client.reset();
  m_reauth = false;
  if (m_session) {
    m_session->token.clear();
    if (auto w = app::save_session(m_store, *m_session); !w) fail(w.error());
  }
  if (clear) return clear_device_data();
}

void App::clear_device_data() {
  m_sync.reset();
  m_client.reset();
  platform::wipe_local_data_and_reload();
}

void App::discard_refused(const ChangeId& id) {
  if (auto r = m_store.discard_refused(id); !r) return fail(r.error());
  if (m_sync) m_sync->outbox_changed();  // The status bar's count, at once (not at the next sync answer).
  reload();
}

void App::dismiss_left() {
  if (auto r = m_store.dismiss_left_tickets(); !r) return fail(r.error());
  reload();
}

void App::sync_now() {
  if (m_sync) m_sync->retry_now();
}

std::pair<std::string, std::string> App::ticket_label(const std::string& ticket_id) {
  if (auto t = m_store.get_ticket(ticket_id); t && *t) {
    saw({(*t)->title});
    return {(*t)->official_number.empty() ? (*t)->provisional_number : (*t)->official_number, (*t)->title};
  }
  return {ticket_id.substr(0, 8), std::string()};
}

const std::vector<Ticket>& App::tickets() {
  // Answers are taken between frames (the sync loop's callbacks), so the revision alone may lag
  // the store: what the loop counts changes with every answer taken.
  const app::SyncStatus& st = sync_status();
  const std::string key = std::to_string(m_revision) + ' ' + std::to_string(st.cursor) + ' ' +
                          std::to_string(st.pulled_this_session) + ' ' + std::to_string(st.unsent) + ' ' +
                          std::to_string(st.refused) + ' ' + std::to_string(st.pushed_this_session);
  if (m_tickets_key != key) {
    auto listed = m_store.list_tickets({.limit = 2000, .offset = 0});
    if (listed) m_tickets = std::move(listed).value();
    else fail(listed.error());
    m_tickets_key = key;
  }
  return m_tickets;
}

const Ticket* App::selected_ticket() const { return m_state ? &m_state->ticket : nullptr; }

namespace {
constexpr int64_t kInboxPage = 100;
constexpr size_t kInboxPagesKept = 24;
constexpr int64_t kInboxRefreshMs = 700;  // While the data keeps changing: at most this often.
}  // namespace

void App::inbox_changed() {
  m_inbox.pages.clear();
  m_inbox.total = -1;
  m_inbox.stale = false;
}

void App::refresh_inbox_if_stale() {
  if (!m_inbox.stale) return;
  // While a first sync pours changes in, the list is read again at most every kInboxRefreshMs.
  const bool pouring = m_sync && !m_sync->status().caught_up;
  if (pouring && platform::now_ms() - m_inbox.read_at_ms < kInboxRefreshMs) return;
  inbox_changed();
  m_inbox.counts_known = false;
  m_inbox.communities.clear();
}

int64_t App::inbox_total() {
  refresh_inbox_if_stale();
  if (m_inbox.total < 0) {
    m_inbox.query.filter.now_ms = platform::now_ms();
    m_inbox.query.filter.deadlines_of = deadlines_owner();
    m_inbox.query.filter.deadlines_of_field_team = m_session && m_session->role == Role::Field;
    auto n = m_store.inbox_count(m_inbox.query.filter);
    if (!n) {
      fail(n.error());
      m_inbox.total = 0;
    } else {
      m_inbox.total = *n;
    }
    m_inbox.read_at_ms = platform::now_ms();
  }
  return m_inbox.total;
}

const InboxRow* App::inbox_row_read(int64_t index) const {
  const auto it = m_inbox.pages.find(index / kInboxPage);
  if (it == m_inbox.pages.end() || index % kInboxPage >= static_cast<int64_t>(it->second.size())) return nullptr;
  return &it->second[static_cast<size_t>(index % kInboxPage)];
}

const InboxRow* App::inbox_row(int64_t index) {
  if (index < 0 || index >= inbox_total()) return nullptr;
  const int64_t page = index / kInboxPage;
  auto it = m_inbox.pages.find(page);
  if (it == m_inbox.pages.end()) {
    if (m_inbox.pages.size() >= kInboxPagesKept) {
      // Keep the page before (the next one is asked after its last row) and drop the rest.
      auto before = m_inbox.pages.find(page - 1);
      std::vector<InboxRow> kept;
      if (before != m_inbox.pages.end()) kept = std::move(before->second);
      m_inbox.pages.clear();
      if (!kept.empty()) m_inbox.pages.emplace(page - 1, std::move(kept));
    }
    InboxQuery q = m_inbox.query;
    q.limit = static_cast<int>(kInboxPage);
    q.rows_expected = m_inbox.total;  // Counted already: the store picks its plan by it.
    auto before = m_inbox.pages.find(page - 1);
    if (before != m_inbox.pages.end() && static_cast<int64_t>(before->second.size()) == kInboxPage) {
      q.after = before->second.back().key;  // Scrolling on: keyset.
    } else {
      q.offset = page * kInboxPage;  // A jump.
    }
    auto rows = m_store.inbox_page(q);
    if (!rows) {
      fail(rows.error());
      return nullptr;
    }
    it = m_inbox.pages.emplace(page, std::move(rows).value()).first;
    for (const InboxRow& r : it->second) saw({r.community, r.address, r.title, r.lead_department});
  }
  const auto at = static_cast<size_t>(index - page * kInboxPage);
  return at < it->second.size() ? &it->second[at] : nullptr;
}

int64_t App::inbox_index_of(const std::string& ticket_id) {
  for (const auto& [page, rows] : m_inbox.pages)
    for (size_t i = 0; i < rows.size(); ++i)
      if (rows[i].id == ticket_id) return page * kInboxPage + static_cast<int64_t>(i);
  return -1;
}

std::string App::deadlines_owner() const {
  if (!m_session || (m_session->role != Role::Department && m_session->role != Role::Field)) return {};
  return m_session->scope;
}

const Store::DeadlineCounts& App::deadline_counts() {
  refresh_inbox_if_stale();
  if (!m_inbox.counts_known) {
    auto c = m_store.deadline_counts(platform::now_ms(), deadlines_owner(), m_session && m_session->role == Role::Field);
    if (c) m_inbox.counts = *c;
    m_inbox.counts_known = true;
  }
  return m_inbox.counts;
}

const std::vector<std::string>& App::communities() {
  refresh_inbox_if_stale();
  if (m_inbox.communities.empty())
    if (auto c = m_store.distinct_communities()) {
      m_inbox.communities = std::move(c).value();
      for (const std::string& name : m_inbox.communities) saw({name});
    }
  return m_inbox.communities;
}

std::vector<std::string> App::dispatch_targets(const std::vector<std::string>& fixed) {
  std::vector<std::string> out = fixed;
  const auto add = [&](const std::string& d) {
    if (!d.empty() && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  };
  if (auto named = m_store.distinct_departments())
    for (const std::string& d : *named) add(d);
  for (const std::string& c : communities()) add(c.ends_with("居委会") ? c : c + "居委会");
  return out;
}

const WorkdayCalendar& App::calendar() const { return m_calendar; }

void App::set_notice(Str what, std::string detail) {
  m_notice = what;
  m_notice_ticket.clear();
  m_notice_detail = std::move(detail);
  m_notice_at = platform::now_ms();
}

std::string App::notice() const {
  if (!m_notice) return {};
  std::string text(tr(m_lang, *m_notice));
  if (!m_notice_detail.empty()) text += " " + m_notice_detail;
  return text;
}

void App::set_lang(Lang lang) {
  m_lang = lang;
  platform::save_setting("lang", std::string(lang_code(lang)));
  judge_redos();  // Why a refused change cannot be redone is said in the user's language.
  // A notice's words were put together in the language it was given in ("已记录 结案 · …"): it goes
  // rather than stay half in the other language.
  if (!m_notice_detail.empty()) m_notice.reset();
}

void App::set_view(View view) {
  if (view == View::Intake && !may_register()) return;
  if (view == View::Intake && m_view != View::Intake && m_draft.title.empty() && m_draft.address.empty())
    m_draft.received_at = format_shanghai_minute(platform::now_ms());  // A fresh form says "now".
  if (m_view != view) platform::save_setting("view", std::string(view_code(view)));
  m_view = view;
}

void App::select(const std::string& ticket_id) {
  m_selected = ticket_id;
  load_selected();
}

void App::load_selected() {
  m_conflicts.clear();
  m_review.reset();
  m_timeline.clear();
  m_history.clear();
  m_state.reset();
  if (m_selected.empty()) return;
  auto c = m_store.field_conflicts(m_selected);
  if (!c) return fail(c.error());
  m_conflicts = std::move(c).value();
  auto review = m_store.review_cause(m_selected);
  if (!review) return fail(review.error());
  m_review = std::move(review).value();
  auto tl = m_store.timeline_of(m_selected);
  if (!tl) return fail(tl.error());
  m_timeline = std::move(tl).value();
  auto st = m_store.get_ticket_state(m_selected);
  if (!st) return fail(st.error());
  if (*st && (*st)->exists) m_state = std::move(**st);
  auto log = m_store.ticket_log(m_selected);
  if (!log) return fail(log.error());
  for (Change& change : *log)
    if (change.kind != ChangeKind::AddEntry) {
      saw({change.value, change.author.user});
      m_history.push_back(std::move(change));
    }
  if (m_state) {
    const Ticket& t = m_state->ticket;
    saw({t.citizen_name, t.citizen_phone, t.community, t.address, t.title, t.description, m_state->lead_department});
  }
  for (const TimelineEntry& e : m_timeline) saw({e.entry.text, e.author.user});
  for (const FieldConflict& fc : m_conflicts) saw({fc.kept_value, fc.author.user});
  load_rebound();
  load_photos();
}

void App::load_rebound() {
  m_chain.clear();
  m_rebound.clear();
  if (!m_state) return;
  auto chain = m_store.link_chain(m_selected);
  if (!chain) return fail(chain.error());
  m_chain = std::move(chain).value();
  // Suggestions only while the ticket is still being worked: a closed one is the earlier ticket.
  if (m_state->ticket.status == TicketStatus::Closed || m_state->deleted) return;
  const int64_t since = m_state->ticket.received_at_ms - int64_t{kReboundDays} * 86'400'000;
  auto rows = m_store.rebound_candidates(m_state->ticket.address, m_state->ticket.category, since, m_selected);
  if (!rows) return fail(rows.error());
  for (InboxRow& r : *rows)
    if (std::none_of(m_chain.begin(), m_chain.end(), [&](const InboxRow& c) { return c.id == r.id; }) &&
        r.received_at_ms <= m_state->ticket.received_at_ms)
      m_rebound.push_back(std::move(r));
  for (const auto* shown : {&m_chain, &m_rebound})
    for (const InboxRow& r : *shown) saw({r.community, r.address, r.title, r.lead_department});
}

const std::vector<InboxRow>& App::draft_rebound_suggestions() {
  // Read again when the address or category changes, not on every sync answer (a scan of the
  // closed tickets).
  const std::string key =
      m_draft.address + '\x1f' + std::string(to_string(m_draft.category)) + '\x1f' + m_draft.received_at;
  if (key == m_draft_rebound.key) return m_draft_rebound.rows;
  m_draft_rebound.key = key;
  m_draft_rebound.rows.clear();
  // The 90 days before the call was taken in (a ticket typed in late looks back from its call).
  const int64_t received = parse_shanghai_minute(m_draft.received_at).value_or(platform::now_ms());
  const int64_t since = received - int64_t{kReboundDays} * 86'400'000;
  auto rows = m_store.rebound_candidates(m_draft.address, m_draft.category, since);
  if (rows) m_draft_rebound.rows = std::move(rows).value();
  for (const InboxRow& r : m_draft_rebound.rows) saw({r.community, r.address, r.title, r.lead_department});
  // A link chosen for a ticket no longer suggested (the address changed) is dropped.
  std::erase_if(m_draft.rebound_of, [&](const std::string& id) {
    return std::none_of(m_draft_rebound.rows.begin(), m_draft_rebound.rows.end(),
                        [&](const InboxRow& r) { return r.id == id; });
  });
  return m_draft_rebound.rows;
}

const std::vector<InboxRow>& App::draft_open_at_address() {
  // Read when the address changes, as the rebound suggestions are: not again at every sync answer
  // (a scan of the tickets while a first sync brings thousands).
  if (m_draft.address == m_draft_open.key) return m_draft_open.rows;
  m_draft_open.key = m_draft.address;
  m_draft_open.rows.clear();
  if (auto rows = m_store.open_at_address(m_draft.address)) m_draft_open.rows = std::move(rows).value();
  for (const InboxRow& r : m_draft_open.rows) saw({r.community, r.address, r.title, r.lead_department});
  return m_draft_open.rows;
}

std::optional<Refusal> App::why_not_link() const {
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::LinkTickets;
  c.link = Link{std::string(32, '0'), LinkKind::Rebound};  // Any other ticket: the policy asks who and where.
  return judge(c);
}

bool App::link_rebound(const std::string& other_id) {
  if (!m_state || other_id == m_selected) return false;
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::LinkTickets;
  c.link = Link{other_id, LinkKind::Rebound};
  return record({std::move(c)});
}

bool App::link_rebound_by_number(const std::string& typed) {
  if (!m_state) return false;
  // What was typed or pasted, without the spaces around it.
  const size_t from = typed.find_first_not_of(" \t\r\n");
  const std::string number = from == std::string::npos ? std::string() : typed.substr(from, typed.find_last_not_of(" \t\r\n") - from + 1);
  InboxQuery q;
  q.filter.text = number;
  q.limit = 50;
  if (number.empty()) {
    m_error = std::string(tr(m_lang, Str::ErrMissing));
    return false;
  }
  auto rows = m_store.inbox_page(q);
  if (!rows) {
    fail(rows.error());
    return false;
  }
  const auto found = std::find_if(rows->begin(), rows->end(), [&](const InboxRow& r) {
    return r.number == number || r.provisional_number == number;
  });
  if (found == rows->end()) {
    char b[256];
    std::snprintf(b, sizeof b, std::string(tr(m_lang, Str::ErrNoSuchNumber)).c_str(), number.c_str());
    m_error = b;
    return false;
  }
  if (std::any_of(m_chain.begin(), m_chain.end(), [&](const InboxRow& c) { return c.id == found->id; })) {
    m_error = std::string(tr(m_lang, Str::ErrReboundLinked));
    return false;
  }
  if (found->id == m_selected || found->received_at_ms > m_state->ticket.received_at_ms) {
    m_error = std::string(tr(m_lang, Str::ErrReboundLater));
    return false;
  }
  return link_rebound(found->id);
}

const std::vector<Store::HotSpot>& App::hot_spots(int days) {
  const std::string key = std::to_string(days) + ':' + std::to_string(m_revision);
  if (key == m_hot.key) return m_hot.rows;
  m_hot.key = key;
  auto rows = m_store.hot_spots(platform::now_ms() - int64_t{days} * 86'400'000);
  if (rows) m_hot.rows = std::move(rows).value();
  else fail(rows.error());
  for (const Store::HotSpot& h : m_hot.rows) saw({h.community, h.address});
  return m_hot.rows;
}

Actor App::actor() const {
  return m_session ? Actor{m_session->role, m_session->scope} : Actor{};
}

bool App::may_register() const { return !m_session || linli::may_register(actor()); }

bool App::role_may(WorkflowAction action) const { return !m_session || linli::role_may(m_session->role, action); }

std::optional<Refusal> App::judge(const Change& draft) const {
  if (!m_client || !m_state) return Refusal{RefusalCode::Forbidden, std::string(tr(m_lang, Str::SignInFirst))};
  Change c = draft;
  c.author = Author{m_session->user, m_session->role};
  return judge_change(actor(), *m_state, c);
}

std::optional<Refusal> App::why_not(WorkflowAction action) const {
  if (!m_client || !m_state) return Refusal{RefusalCode::Forbidden, std::string(tr(m_lang, Str::SignInFirst))};
  return judge_action(actor(), *m_state, action);
}

std::optional<Refusal> App::why_not_edit(EditableField field) const {
  return why_not_edit(field, m_state ? field_value(*m_state, field) : std::string());
}

std::optional<Refusal> App::why_not_edit(EditableField field, const std::string& value) const {
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::SetField;
  c.field = field;
  c.value = value;
  return judge(c);
}

std::optional<Refusal> App::why_not_entry(EntryKind kind) const {
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = kind;
  c.entry.text.assign(1, '-');  // Any text: only kind, scope and the ticket's status are judged.
  if (!m_client || !m_state) return Refusal{RefusalCode::Forbidden, std::string(tr(m_lang, Str::SignInFirst))};
  c.author = Author{m_session->user, m_session->role};
  return judge_entry(actor(), *m_state, c);
}

bool App::record(std::vector<Change> drafts) {
  m_error.clear();
  if (!m_client) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return false;
  }
  for (const Change& d : drafts)
    if (auto refusal = judge(d)) {
      m_error = refusal_text(m_lang, *refusal);
      return false;
    }
  return keep_judged(std::move(drafts));
}

// What an edit did, for its notice: the step (派单 → 管理办), else the entry, else the field (with
// its new value where it is a word from a list), and the ticket's number. "已记录" alone said the
// same after every click, wherever the result was on the screen.
std::string App::recorded_words(const std::vector<Change>& drafts) {
  const auto find = [&](ChangeKind k) -> const Change* {
    for (const Change& c : drafts)
      if (c.kind == k) return &c;
    return nullptr;
  };
  std::string what;
  // Field work: what it was about (the campaign's name, the facility's code, the round's 小区).
  if (!drafts.empty() && is_field_kind(drafts.front().kind)) {
    const Change& c = drafts.front();
    const FieldRecord& r = c.field_record;
    const FieldData& data = field().data;
    const auto facility_code = [&]() -> std::string {
      if (const std::string* code = r.get(FieldMember::Code)) return *code;
      const auto it = data.facilities.find(r.facility);
      return it == data.facilities.end() ? std::string() : it->second.code;
    };
    std::string about;
    switch (c.kind) {
      case ChangeKind::SetCampaign: {
        what = std::string(tr(m_lang, Str::FwCampaign));
        if (const std::string* name = r.get(FieldMember::Name)) about = *name;
        else if (const auto it = data.campaigns.find(r.campaign); it != data.campaigns.end()) about = it->second.name;
        break;
      }
      case ChangeKind::SetRound: {
        const std::string* finished = r.get(FieldMember::Finished);
        what = std::string(tr(m_lang, finished && *finished == "0" ? Str::FwReopenRound : Str::FwFinished));
        about = r.community + " · " + r.week;
        break;
      }
      case ChangeKind::SetRoundItem:
        what = std::string(tr(m_lang, Str::FwSubRound));
        about = facility_code();
        break;
      default:
        what = std::string(tr(m_lang, Str::FwFacilityTitle));
        about = facility_code();
        break;
    }
    return about.empty() ? what : what + " · " + about;
  }
  if (const Change* t = find(ChangeKind::Transition)) {
    what = std::string(tr(m_lang, step_label(t->action, t->from)));
    // 回访 with the citizen's answer: "回访 · 不满意 → 重开" (a dissatisfied visit reopens at once).
    if (const Change* v = find(ChangeKind::AddEntry); v && v->entry.kind == EntryKind::ReturnVisit) {
      const std::string visit = std::string(tr(m_lang, Str::ActReturnVisit)) + " · " +
                                std::string(tr(m_lang, satisfaction_label(v->entry.satisfaction)));
      what = t->action == WorkflowAction::ReturnVisit ? visit : visit + " → " + what;
    }
    for (const Change& c : drafts)
      if (c.kind == ChangeKind::SetField && c.field == EditableField::LeadDepartment && !c.value.empty())
        what += " → " + c.value;
  } else if (const Change* e = find(ChangeKind::AddEntry)) {
    what = std::string(tr(m_lang, entry_label(e->entry.kind)));
  } else if (const Change* f = find(ChangeKind::SetField)) {
    what = std::string(tr(m_lang, field_label(f->field)));
    if (f->field == EditableField::Urgency)
      if (auto u = parse_urgency(f->value)) what += " → " + std::string(label(m_lang, *u));
    if (f->field == EditableField::Category)
      if (auto k = parse_category(f->value)) what += " → " + std::string(label(m_lang, *k));
  }
  if (drafts.empty()) return what;
  if (const Ticket* t = selected_ticket(); t && t->id == drafts.front().ticket_id)
    what += (what.empty() ? "" : " · ") + (t->official_number.empty() ? t->provisional_number : t->official_number);
  return what;
}

bool App::keep_judged(std::vector<Change> drafts) {
  const int64_t now = platform::now_ms();
  std::string words = recorded_words(drafts);
  auto r = m_client->record(std::move(drafts), now);
  if (!r) {
    fail(r.error());
    return false;
  }
  if (m_sync) m_sync->edited();
  set_notice(Str::Recorded, std::move(words));
  reload();
  return true;
}

bool App::edit_field(EditableField field, const std::string& value) {
  if (!m_state) return false;
  if (!is_valid_field_value(field, value)) {
    m_error = std::string(tr(m_lang, value.empty()                            ? Str::ErrMissing
                                     : field == EditableField::CitizenPhone ? Str::ErrPhoneFormat
                                                                            : Str::ErrBadFormat));
    return false;
  }
  if (field_value(*m_state, field) == value) return true;  // Nothing to record.
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::SetField;
  c.field = field;
  c.base = m_state->fields[static_cast<size_t>(field)].id;
  c.value = value;
  return record({std::move(c)});
}

bool App::add_entry(EntryKind kind, const std::string& text, Satisfaction satisfaction) {
  if (!m_state) return false;
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = kind;
  c.entry.text = text;
  c.entry.satisfaction = satisfaction;
  if (text.empty() && kind != EntryKind::ReturnVisit && kind != EntryKind::Urge) {
    m_error = std::string(tr(m_lang, Str::ErrMissing));
    return false;
  }
  return record({std::move(c)});  // ClientSync::record checks the rest (validate_change).
}

bool App::request_return(const std::string& reason) {
  if (!m_state) return false;
  if (reason.empty()) {
    m_error = std::string(tr(m_lang, Str::ReasonMissing));
    return false;
  }
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = EntryKind::ReturnRequest;
  c.entry.text = reason;
  return record({std::move(c)});
}

bool App::request_extension(const std::string& reason, int days) {
  if (!m_state) return false;
  if (reason.empty()) {
    m_error = std::string(tr(m_lang, Str::ReasonMissing));
    return false;
  }
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = EntryKind::ExtensionRequest;
  c.entry.text = reason;
  c.entry.days = days;
  return record({std::move(c)});
}

bool App::decide(const TimelineEntry& request, bool approve, const std::string& text) {
  if (!m_state) return false;
  // The department reads why in its timeline: a refusal without words tells it nothing.
  if (!approve && text.empty()) {
    m_error = std::string(tr(m_lang, Str::ReasonMissing));
    return false;
  }
  if (!takes_requests(m_state->ticket.status)) {
    m_error = std::string(tr(m_lang, Str::ErrRequestLapsed));
    return false;
  }
  std::vector<Change> drafts;
  Change d;
  d.ticket_id = m_selected;
  d.kind = ChangeKind::AddEntry;
  d.entry.kind = EntryKind::Decision;
  d.entry.request = request.id;
  d.entry.approved = approve;
  d.entry.text = text.empty() ? std::string(tr(Lang::Zh, approve ? Str::DecisionApproved : Str::DecisionRefused)) : text;
  drafts.push_back(std::move(d));
  if (approve && request.entry.kind == EntryKind::ReturnRequest) {
    if (const auto to = workflow_target(m_state->ticket.status, WorkflowAction::ApproveReturn)) {
      Change t;
      t.ticket_id = m_selected;
      t.kind = ChangeKind::Transition;
      t.action = WorkflowAction::ApproveReturn;
      t.from = m_state->ticket.status;
      t.to = *to;
      t.seen_work = m_state->work_count + 1;
      t.base = m_state->status.id;
      drafts.push_back(std::move(t));
    }
    // The department gave it back: it leads it no more (its device drops it), and the centre
    // chooses where it goes next rather than finding the same department chosen for it.
    if (!m_state->lead_department.empty()) {
      Change lead;
      lead.ticket_id = m_selected;
      lead.kind = ChangeKind::SetField;
      lead.field = EditableField::LeadDepartment;
      lead.base = m_state->fields[static_cast<size_t>(EditableField::LeadDepartment)].id;
      lead.value.clear();
      drafts.push_back(std::move(lead));
    }
  }
  return record(std::move(drafts));
}

bool App::urge(const std::string& text) {
  if (!m_state) return false;
  if (auto why = why_not_entry(EntryKind::Urge)) {
    m_error = refusal_text(m_lang, *why);
    return false;
  }
  return add_entry(EntryKind::Urge, text);
}

const TimelineEntry* App::unanswered_urge(int* count) const {
  if (count) *count = 0;
  if (!m_state || (m_state->ticket.status != TicketStatus::Assigned && m_state->ticket.status != TicketStatus::InProgress))
    return nullptr;
  // As LINLI_URGED compares stamps (whole: the clock gives a later change of the same millisecond
  // a higher counter): anything a handler wrote after the urge answers it.
  Hlc answered{};
  for (const TimelineEntry& e : m_timeline)
    if (e.author.role != Role::Centre && answered < e.stamp) answered = e.stamp;
  const TimelineEntry* last = nullptr;
  for (const TimelineEntry& e : m_timeline) {
    if (e.entry.kind != EntryKind::Urge || !(answered < e.stamp)) continue;
    if (count) ++*count;
    if (!last || last->stamp < e.stamp) last = &e;
  }
  return last;
}

std::vector<TimelineEntry> App::pending_requests() const {
  std::vector<TimelineEntry> out;
  // A request waits while the ticket is with its handler. Once it is handled (or given back, or
  // closed), a 退单 or 延期 asked before has lapsed: nothing is left to return or extend.
  if (!m_state || !takes_requests(m_state->ticket.status)) return out;
  for (const TimelineEntry& e : m_timeline) {
    if (e.entry.kind != EntryKind::ReturnRequest && e.entry.kind != EntryKind::ExtensionRequest) continue;
    const bool decided = std::any_of(m_timeline.begin(), m_timeline.end(), [&](const TimelineEntry& d) {
      return d.entry.kind == EntryKind::Decision && d.entry.request == e.id && d.author.role == Role::Centre;
    });
    if (!decided) out.push_back(e);
  }
  return out;
}

std::optional<App::Decided> App::last_decision() const {
  std::optional<Decided> out;
  for (const TimelineEntry& d : m_timeline) {
    if (d.entry.kind != EntryKind::Decision || d.author.role != Role::Centre) continue;
    if (out && d.at_ms < out->decision.at_ms) continue;
    for (const TimelineEntry& e : m_timeline)
      if (e.id == d.entry.request &&
          (e.entry.kind == EntryKind::ReturnRequest || e.entry.kind == EntryKind::ExtensionRequest))
        out = Decided{e, d};
  }
  return out;
}

std::optional<Deadlines> App::selected_deadlines() const {
  if (!m_state) return std::nullopt;
  return compute_deadlines(*m_state, m_calendar);
}

std::optional<int64_t> App::extended_due(int days) const {
  const auto d = selected_deadlines();
  if (!d || d->handling_due_ms == 0 || days < 1) return std::nullopt;
  // The stage ends at 24:00 of its last day: that day, and as many working days after it.
  const auto day = m_calendar.add_workdays(shanghai_days(d->handling_due_ms - 1), days);
  if (!day) return std::nullopt;
  return shanghai_day_start_ms(*day + 1);
}

bool App::already_with(const TicketState& st, const std::string& department) {
  return !st.lead_department.empty() && department == st.lead_department &&
         (st.ticket.status == TicketStatus::Assigned || st.ticket.status == TicketStatus::InProgress);
}

bool App::take_action(WorkflowAction action, const std::string& department, Satisfaction satisfaction,
                      const std::string& note) {
  if (!m_state) return false;
  // 不满意 on a handled ticket: 再次处置 at once, rather than a visited ticket waiting to be reopened.
  if (action == WorkflowAction::ReturnVisit && satisfaction == Satisfaction::Dissatisfied &&
      workflow_target(m_state->ticket.status, WorkflowAction::Reopen) && !why_not(WorkflowAction::Reopen))
    return take_visit_and_reopen(note);
  if (action == WorkflowAction::ReturnVisit && satisfaction == Satisfaction::None) {
    m_error = std::string(tr(m_lang, Str::ErrChooseSatisfaction));  // Never an answer the citizen did not give.
    return false;
  }
  const auto to = m_session ? workflow_target(m_state->ticket.status, action, m_session->role)
                            : workflow_target(m_state->ticket.status, action);
  if (!to) return false;
  std::vector<Change> drafts;
  // An entry that goes with the step (what was done, said or asked), in the same record.
  const auto with_entry = [&](EntryKind kind, const std::string& text) {
    Change e;
    e.ticket_id = m_selected;
    e.kind = ChangeKind::AddEntry;
    e.entry.kind = kind;
    e.entry.text = text;
    drafts.push_back(std::move(e));
  };
  if (action == WorkflowAction::Handle) {
    if (note.empty() && !handling_result_written()) {
      m_error = std::string(tr(m_lang, Str::ErrHandleResult));
      return false;
    }
    if (!note.empty()) with_entry(EntryKind::HandlingNote, note);
  }
  // What was said on the call back, when the dispatcher wrote it: a 先行联系 entry with the step.
  if (action == WorkflowAction::ContactCitizen && !note.empty()) with_entry(EntryKind::Contact, note);
  if (action == WorkflowAction::Assign) {
    if (department.empty()) {
      m_error = std::string(tr(m_lang, Str::ErrMissing));
      return false;
    }
    if (already_with(*m_state, department)) {
      m_error = tr_with(m_lang, Str::ErrAlreadyWith, department);
      return false;
    }
    if (department != m_state->lead_department) {
      Change d;
      d.ticket_id = m_selected;
      d.kind = ChangeKind::SetField;
      d.field = EditableField::LeadDepartment;
      d.base = m_state->fields[static_cast<size_t>(EditableField::LeadDepartment)].id;
      d.value = department;
      drafts.push_back(std::move(d));
    }
    // What the dispatcher tells the department (who leads, what each unit does): a comment that
    // goes with the step, in the timeline every replica in scope holds.
    if (!note.empty()) with_entry(EntryKind::Comment, note);
  }
  if (action == WorkflowAction::ReturnVisit) {
    with_entry(EntryKind::ReturnVisit, note.empty() ? std::string(tr(Lang::Zh, Str::ActReturnVisit)) : note);
    drafts.back().entry.satisfaction = satisfaction;
  }
  Change t;
  t.ticket_id = m_selected;
  t.kind = ChangeKind::Transition;
  t.action = action;
  t.from = m_state->ticket.status;
  t.to = *to;
  // The step sees the entries recorded with it (R5: every entry is work).
  t.seen_work = m_state->work_count + std::count_if(drafts.begin(), drafts.end(), [](const Change& d) {
                  return d.kind == ChangeKind::AddEntry;
                });
  t.base = m_state->status.id;
  drafts.push_back(std::move(t));
  return record(std::move(drafts));
}

const TimelineEntry* App::handling_result() const {
  int64_t began = 0;
  for (const Change& c : m_history)
    if (c.kind == ChangeKind::Transition &&
        (c.action == WorkflowAction::Assign || c.action == WorkflowAction::Start || c.action == WorkflowAction::Reopen))
      began = std::max(began, c.stamp.ms);
  const TimelineEntry* last = nullptr;
  for (const TimelineEntry& e : m_timeline)
    if (e.entry.kind == EntryKind::HandlingNote && e.at_ms >= began && (!last || e.at_ms >= last->at_ms)) last = &e;
  return last;
}

const TimelineEntry* App::dispatch_note() const {
  const Change* assign = nullptr;
  for (const Change& c : m_history)
    if (c.kind == ChangeKind::Transition && c.action == WorkflowAction::Assign && (!assign || c.stamp.ms >= assign->stamp.ms))
      assign = &c;
  if (!assign) return nullptr;
  const std::string device = to_hex(assign->id.replica);
  for (const TimelineEntry& e : m_timeline)
    if (e.entry.kind == EntryKind::Comment && recorded_with(*assign, device, e)) return &e;
  return nullptr;
}

bool App::handling_result_written() const { return handling_result() != nullptr; }

bool App::take_visit_and_reopen(const std::string& note) {
  Change v;
  v.ticket_id = m_selected;
  v.kind = ChangeKind::AddEntry;
  v.entry.kind = EntryKind::ReturnVisit;
  v.entry.satisfaction = Satisfaction::Dissatisfied;
  v.entry.text = note.empty() ? std::string(tr(Lang::Zh, Str::ActReturnVisit)) : note;
  Change t;
  t.ticket_id = m_selected;
  t.kind = ChangeKind::Transition;
  t.action = WorkflowAction::Reopen;
  t.from = m_state->ticket.status;
  t.to = TicketStatus::InProgress;
  t.seen_work = m_state->work_count + 1;
  t.base = m_state->status.id;
  return record({std::move(v), std::move(t)});
}

void App::resolve_conflict(const FieldConflict& conflict, bool take_kept) {
  if (!m_client) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return;
  }
  auto state = m_store.get_ticket_state(m_selected);
  if (!state) return fail(state.error());
  if (!*state || !(*state)->exists) return;
  Change c;
  c.ticket_id = m_selected;
  c.kind = ChangeKind::SetField;
  c.field = conflict.field;
  c.base = (*state)->fields[static_cast<size_t>(conflict.field)].id;
  c.value = take_kept ? conflict.kept_value : field_value(**state, conflict.field);
  auto r = m_client->record({std::move(c)}, platform::now_ms());
  if (!r) return fail(r.error());
  if (m_sync) m_sync->edited();
  reload();
}

void App::fail(const Error& e) { m_error = m_storage_error = e.detail; }

void App::reload() {
  ++m_revision;
  ++m_data_revision;
  m_inbox.stale = true;
  if (m_client) {
    auto unsent = m_store.unsent_changes(m_client->self(), 500);
    if (!unsent) return fail(unsent.error());
    m_unsent = std::move(unsent).value();
  } else {
    m_unsent.clear();
  }
  auto refused = m_store.refused_changes(200);
  if (!refused) return fail(refused.error());
  m_refused = std::move(refused).value();
  judge_redos();
  auto left = m_store.left_tickets(20);
  if (!left) return fail(left.error());
  std::tie(m_left, m_left_count) = std::move(left).value();
  if (auto w = m_store.waiting_photos()) m_waiting_photos = std::move(w).value();  // The outbox's uploads.
  if (auto f = m_store.failed_photos()) m_failed_photos = std::move(f).value();
  // A ticket just registered: its notice takes the official number once the server has given it,
  // the number the list and the detail show by then.
  if (m_notice == Str::Created && !m_notice_ticket.empty())
    if (auto t = m_store.get_ticket(m_notice_ticket); t && *t && !(*t)->official_number.empty()) {
      m_notice_detail = (*t)->official_number;
      m_notice_ticket.clear();
    }
  load_selected();
}

void App::clear_draft() {
  m_draft = IntakeDraft{};
  m_draft.received_at = format_shanghai_minute(platform::now_ms());
  // A committee registers tickets of its own community, mostly residents at its door (来访; the
  // hotline's come from the centre). A field team registers what it found on patrol (write policy
  // P4: in any community); one walking a community starts from it.
  if (m_session && m_session->role == Role::Committee) {
    m_draft.community = m_session->scope;
    m_draft.source = Source::WalkIn;
  }
  if (m_session && m_session->role == Role::Field) {
    m_draft.source = Source::Patrol;
    const auto& known = communities();
    if (std::find(known.begin(), known.end(), m_session->scope) != known.end()) m_draft.community = m_session->scope;
  }
  m_problems = {};
}

namespace {

constexpr std::string_view kIntakeDraftKey = "app.intake_draft";

// Nothing typed yet: what clear_draft prefills (the time, a committee's community) is no draft.
bool nothing_typed(const IntakeDraft& d) {
  return d.citizen_name.empty() && d.citizen_phone.empty() && d.address.empty() && d.title.empty() &&
         d.description.empty() && d.rebound_of.empty();
}

std::string intake_draft_json(const IntakeDraft& d) {
  return nlohmann::json{{"source", std::string(to_string(d.source))}, {"received_at", d.received_at},
                        {"citizen_name", d.citizen_name},            {"citizen_phone", d.citizen_phone},
                        {"community", d.community},                  {"address", d.address},
                        {"category", std::string(to_string(d.category))},
                        {"urgency", std::string(to_string(d.urgency))}, {"urgency_chosen", d.urgency_chosen},
                        {"title", d.title},                          {"description", d.description},
                        {"rebound_of", d.rebound_of}}
      .dump();
}

std::optional<IntakeDraft> parse_intake_draft(const std::string& json) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  IntakeDraft d;
  const auto text = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string(); };
  d.source = parse_source(text("source")).value_or(Source::Hotline);
  d.received_at = text("received_at");
  d.citizen_name = text("citizen_name");
  d.citizen_phone = text("citizen_phone");
  d.community = text("community");
  d.address = text("address");
  d.category = parse_category(text("category")).value_or(Category::Other);
  d.urgency = parse_urgency(text("urgency")).value_or(Urgency::Normal);
  d.urgency_chosen = j.value("urgency_chosen", false) == true;
  d.title = text("title");
  d.description = text("description");
  if (j.contains("rebound_of") && j["rebound_of"].is_array())
    for (const auto& id : j["rebound_of"])
      if (id.is_string()) d.rebound_of.push_back(id.get<std::string>());
  return d;
}

}  // namespace

void App::keep_intake_draft() {
  const int64_t now = platform::now_ms();
  if (now - m_draft_checked_at < 500) return;
  m_draft_checked_at = now;
  std::string json = nothing_typed(m_draft) ? std::string() : intake_draft_json(m_draft);
  if (json == m_draft_kept) return;
  auto kept = json.empty() ? m_store.erase_value(kIntakeDraftKey) : m_store.write_value(kIntakeDraftKey, json);
  if (!kept) return fail(kept.error());
  m_draft_kept = std::move(json);
}

void App::restore_intake_draft() {
  auto json = m_store.read_value(kIntakeDraftKey);
  if (!json || !*json) return;
  auto draft = parse_intake_draft(**json);
  if (!draft || nothing_typed(*draft)) return;
  m_draft = std::move(*draft);
  m_draft_kept = std::move(**json);
  if (may_register()) {  // Back where it was being typed, and said so.
    m_view = View::Intake;
    set_notice(Str::DraftRestored);
  }
}

Ticket App::ticket_from_draft(DraftProblems& problems) const {
  Ticket t;
  t.id = std::string(32, '0');  // Checked apart: ids are made, not typed.
  t.source = m_draft.source;
  const auto received = parse_shanghai_minute(m_draft.received_at);
  t.received_at_ms = received.value_or(0);
  t.citizen_name = m_draft.citizen_name;
  t.citizen_phone = m_draft.citizen_phone;
  t.community = m_draft.community;
  t.address = m_draft.address;
  t.category = m_draft.category;
  t.urgency = m_draft.urgency;
  t.title = m_draft.title;
  t.description = m_draft.description;
  problems = {};
  problems.bad_received_at = !received;
  // A minute's slack for a clock a little behind; a time still to come is refused.
  problems.future_received_at = received && *received > platform::now_ms() + 60'000;
  for (const auto& p : validate_new_ticket(t))
    if (p.field != TicketField::ReceivedAt && p.field != TicketField::Id) problems.fields.push_back(p);
  if (m_session && !t.community.empty()) {  // The write policy, as the server will judge the push.
    Change probe;
    probe.kind = ChangeKind::CreateTicket;
    probe.ticket_id = t.id;
    probe.ticket = t;
    problems.out_of_scope = judge_change(actor(), TicketState{}, probe).has_value();
  }
  return t;
}

void App::revalidate_draft() {
  if (m_problems.any()) ticket_from_draft(m_problems);
}

bool App::submit_draft() {
  m_error.clear();
  const int64_t now = platform::now_ms();
  Ticket t = ticket_from_draft(m_problems);
  if (m_problems.any()) return false;
  if (!m_client) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return false;
  }
  uint8_t random[16];
  platform::fill_random(random, sizeof random);
  t.id = format_ticket_id(random);
  t.created_at_ms = now;
  t.updated_at_ms = now;
  // The kept form goes in the same transaction: a crash right after 已保存 must not bring it back.
  auto recorded = app::record_new_ticket(m_store, *m_client, std::move(t), now, m_draft.rebound_of,
                                         [&] { return m_store.erase_value(kIntakeDraftKey); });
  if (!recorded) {
    fail(recorded.error());
    return false;
  }
  m_draft_kept.clear();
  t = recorded->ticket;
  if (m_sync) m_sync->edited();
  set_notice(Str::Created, t.provisional_number);
  m_notice_ticket = t.id;
  m_selected = t.id;
  clear_draft();
  reload();
  m_view = View::Tickets;
  return true;
}

namespace {

nlohmann::json inbox_json(App& app) {
  const Store::DeadlineCounts& d = app.deadline_counts();
  nlohmann::json rows = nlohmann::json::array();
  for (int64_t i = 0; i < std::min<int64_t>(app.inbox_total(), 20); ++i)
    if (const InboxRow* r = app.inbox_row(i))
      rows.push_back({{"id", r->id}, {"number", r->number}, {"status", to_string(r->status)}, {"due_at", r->due_at_ms},
                      {"due_stage", r->due_stage}, {"warning", r->warning}, {"rebound", r->rebound}, {"rebounded", r->rebounded}, {"lead", r->lead_department}});
  const InboxQuery& q = app.inbox_query();
  return {{"total", app.inbox_total()}, {"overdue", d.overdue}, {"due_today", d.due_today}, {"unknown", d.unknown},
          {"warnings", d.warnings}, {"filter_warning", q.filter.warning}, {"pending_requests", d.pending_requests}, {"urged", d.urged}, {"to_visit", d.to_visit}, {"to_close", d.to_close}, {"filter_urged", q.filter.urged},
          {"filter_pending", q.filter.pending_request}, {"sort", static_cast<int>(q.sort)}, {"descending", q.descending},
          {"text", q.filter.text}, {"filter_overdue", q.filter.overdue}, {"rows", rows}};
}

nlohmann::json deadline_json(const App& app) {
  const auto d = app.selected_deadlines();
  if (!d) return nullptr;
  return {{"stage", to_string(d->stage)}, {"due_at", d->due_ms}, {"contact_due", d->contact_due_ms},
          {"contacted", d->contacted_ms}, {"handling_due", d->handling_due_ms}, {"extension_days", d->extension_days},
          {"calendar_missing", d->calendar_missing}, {"warning", d->warning}, {"report_due", d->report_due_ms},
          {"reported", d->reported_ms}};
}

// 联合处置: the selected ticket's co-handlers, for end-to-end tests.
nlohmann::json co_handlers_json(const App& app) {
  nlohmann::json out = nlohmann::json::array();
  for (const App::CoHandlerView& v : app.co_handlers()) {
    nlohmann::json replies = nlohmann::json::array();
    for (const TimelineEntry& r : v.replies) replies.push_back({{"text", r.entry.text}, {"author", r.author.user}});
    out.push_back({{"department", v.co_handler.department}, {"state", to_string(v.co_handler.state())},
                   {"due_at", v.due_ms.value_or(0)}, {"replies", replies}});
  }
  return out;
}

}  // namespace

std::string App::state_json() {
  nlohmann::json tickets = nlohmann::json::array();
  for (const auto& t : this->tickets())
    tickets.push_back({{"id", t.id}, {"number", t.provisional_number}, {"official", t.official_number}, {"title", t.title},
                       {"address", t.address}, {"community", t.community}, {"status", to_string(t.status)},
                       {"category", to_string(t.category)}, {"urgency", to_string(t.urgency)},
                       {"received_at", t.received_at_ms}});
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : m_problems.fields)
    problems.push_back({{"field", to_string(p.field)}, {"code", to_string(p.code)}});
  if (m_problems.bad_received_at) problems.push_back({{"field", "received_at"}, {"code", "bad_format"}});
  if (m_problems.future_received_at) problems.push_back({{"field", "received_at"}, {"code", "future"}});
  if (m_problems.out_of_scope) problems.push_back({{"field", "community"}, {"code", "out_of_scope"}});
  const app::SyncStatus& st = sync_status();
  nlohmann::json conflicts_json = nlohmann::json::array();
  nlohmann::json timeline_json = nlohmann::json::array();
  for (const auto& e : m_timeline)
    timeline_json.push_back({{"kind", std::string(to_string(e.entry.kind))}, {"text", e.entry.text}, {"author", e.author.user},
                             {"shown_author", person(e.author.user)}});
  for (const auto& c : m_conflicts)
    conflicts_json.push_back({{"field", std::string(to_string(c.field))}, {"kept", c.kept_value},
                              {"author", c.author.user}, {"winner_author", c.winner_author.user},
                              {"winner_at", c.winner_at_ms}, {"open", c.open}});
  nlohmann::json refused_json = nlohmann::json::array();
  for (size_t i = 0; i < m_refused.size(); ++i)
    refused_json.push_back({{"kind", std::string(to_string(m_refused[i].change.kind))}, {"code", m_refused[i].code},
                            {"ticket", m_refused[i].change.ticket_id},
                            {"redo", i < m_redo_blocked.size() && !m_redo_blocked[i]},
                            {"why_not_redo", i < m_redo_blocked.size() && m_redo_blocked[i] ? *m_redo_blocked[i] : std::string()}});
  nlohmann::json left_json = nlohmann::json::array();
  for (const LeftTicket& l : m_left) left_json.push_back({{"ticket", l.ticket_id}, {"number", l.number}, {"title", l.title}});
  nlohmann::json chain_json = nlohmann::json::array();
  for (const InboxRow& r : m_chain) chain_json.push_back(r.id);
  nlohmann::json draft_rebound_json = nlohmann::json::array();
  for (const InboxRow& r : m_draft_rebound.rows) draft_rebound_json.push_back(r.id);
  nlohmann::json draft_open_json = nlohmann::json::array();
  for (const InboxRow& r : m_draft_open.rows) draft_open_json.push_back(r.id);
  nlohmann::json dashboard_json = nullptr;  // The dashboard as last computed (app_report.cpp).
  if (const Dashboard* d = m_dashboard.last()) {
    dashboard_json = {{"year", d->year}, {"month", d->month}, {"received", d->report.received},
                      {"co_handled", d->report.co_handled}, {"by_category", nlohmann::json::object()}};
    for (const auto& [c, n] : d->report.by_category) dashboard_json["by_category"][std::string(to_string(c))] = n;
    for (const RateCard& c : d->cards) dashboard_json["cards"].push_back({{"count", c.count}, {"of", c.of}, {"now", c.now}});
  }
  nlohmann::json s = {{"lang", lang_code(m_lang)},
                      {"dashboard", dashboard_json},
                      {"refused", refused_json},
                      {"left", left_json},
                      {"left_count", m_left_count},
                      {"view", std::string(view_code(m_view))},
                      {"chain", chain_json},
                      {"rebound_suggestions", m_rebound.size()},
                      {"draft_rebound", draft_rebound_json}, {"draft_open", draft_open_json},
                      {"marked", m_marked.size()},
                      {"tickets", tickets},
                      {"selected", m_selected},
                      {"conflicts", conflicts_json},
                      {"review", m_review ? nlohmann::json{{"late_work", m_review->late_work},
                                                           {"meant", std::string(to_string(m_review->meant))},
                                                           {"by", m_review->late_work ? m_review->work_author.user
                                                                                      : m_review->step_author.user}}
                                          : nlohmann::json()},
                      {"timeline", timeline_json},
                      {"lead_department", m_state ? m_state->lead_department : std::string()},
                      {"inbox", inbox_json(*this)},
                      {"refold", {refold_progress().first, refold_progress().second}},
                      {"pending_requests", pending_requests().size()},
                      {"unanswered_urge", unanswered_urge() != nullptr},
                      {"co_handlers", co_handlers_json(*this)},
                      {"awaiting_co_handlers", awaiting_co_handlers()},
                      {"deadline", deadline_json(*this)},
                      {"problems", problems},
                      {"notice", notice()},
                      {"error", m_error},
                      {"pending_writes", platform::pending_durable_writes()},
                      {"online", platform::is_online()},
                      {"signed_in", m_session && !m_session->token.empty()},
                      {"frame_current", m_drawn_revision == m_revision},
                      {"needs_sign_in", needs_sign_in()},
                      {"reauth", m_reauth},
                      {"user", m_session ? m_session->user : std::string()},
                      {"sign_in_user", m_sign_in.user},
                      {"sign_in_message", m_sign_in.message ? std::string(tr(Lang::En, *m_sign_in.message)) : std::string()},
                      {"sync", {{"link", st.link == app::Link::Online ? "online" : st.link == app::Link::Offline ? "offline" : "unknown"},
                                {"unsent", st.unsent}, {"refused", st.refused}, {"cursor", st.cursor}, {"head", st.head},
                                {"last_ok_ms", st.last_ok_ms}, {"caught_up", st.caught_up},
                                {"image", st.image_taken}, {"image_in_flight", st.image_in_flight}, {"image_ms", st.image_ms},
                                {"image_got", st.image_got}, {"image_total", st.image_total}, {"image_arrived", st.image_arrived},
                                {"pulled", st.pulled_this_session}, {"pushed", st.pushed_this_session},
                                {"clock_offset_ms", st.clock_offset_ms}, {"problem", st.problem},
                                {"photos_waiting", st.photos_waiting}, {"uploading", st.uploading},
                                {"upload_sent", st.upload_sent}, {"upload_total", st.upload_total},
                                {"photos_uploaded", st.photos_uploaded_this_session}}},
                      {"photos", nlohmann::json::parse(photos_state_json(), nullptr, false)},
                      {"draft", {{"title", m_draft.title}, {"address", m_draft.address}, {"community", m_draft.community},
                                 {"citizen_name", m_draft.citizen_name}, {"description", m_draft.description},
                                 {"category", std::string(to_string(m_draft.category))}, {"urgency", std::string(to_string(m_draft.urgency))}}}};
  s["field"] = nlohmann::json::parse(field_state_json(), nullptr, false);
  return s.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace linli::ui
