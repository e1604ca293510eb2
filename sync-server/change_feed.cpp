#include "change_feed.h"

#include <algorithm>
#include <vector>

namespace linli::server {
namespace {

constexpr int kPublishChunk = 2000;         // Changes read back from the writer at a time.
constexpr size_t kEntryOverhead = 160;      // Bytes an entry costs beside its JSON, roughly.
constexpr size_t kMaxKnownTickets = 200'000;  // Beyond this the scope map starts again (see publish).

}  // namespace

void ChangeFeed::start_after(int64_t last_seq) {
  {
    std::unique_lock lock(m_entries_mutex);
    m_entries.clear();
    m_bytes = 0;
    m_floor = m_published = last_seq;
  }
  std::lock_guard lock(m_wait_mutex);
  m_last = last_seq;
}

Result<void> ChangeFeed::publish(Store& writer) {
  for (;;) {
    auto fresh = writer.changes_after(m_published, kPublishChunk);
    if (!fresh) return fresh.error();
    if (fresh->empty()) return Ok{};
    // Each touched ticket's scope as last published and as committed now. A ticket first seen
    // since the server started, other than by its creation, may be held by anyone.
    struct Touch {
      std::optional<Where> before, after;
      bool unknown_before = false;
    };
    std::unordered_map<std::string, Touch> touched;
    for (const SequencedChange& sc : *fresh) {
      if (is_field_kind(sc.change.kind)) continue;  // No ticket: its scope is on the change (F1).
      const std::string& id = sc.change.ticket_id;
      auto [it, first] = touched.try_emplace(id);
      if (!first) continue;
      Touch& t = it->second;
      if (auto w = m_where.find(id); w != m_where.end()) t.before = w->second;
      else t.unknown_before = sc.change.kind != ChangeKind::CreateTicket;
      auto state = writer.get_ticket_state(id);
      if (!state) return state.error();
      if (state->has_value())
        t.after = Where{(*state)->ticket.community, (*state)->lead_department, co_handling_departments(**state),
                        (*state)->ticket.source == Source::Patrol};
    }
    if (m_where.size() + touched.size() > kMaxKnownTickets) {
      std::unique_lock lock(m_where_mutex);
      m_where.clear();  // Unknown is safe, only slower.
    }
    std::vector<Entry> entries;
    entries.reserve(fresh->size());
    for (SequencedChange& sc : *fresh) {
      auto fed = std::make_shared<FedChange>();
      fed->seq = sc.seq;
      fed->kind = sc.change.kind;
      fed->replica = sc.change.id.replica;
      fed->json = encode_sequenced(sc);
      if (is_field_kind(sc.change.kind)) {
        fed->field_community = field_community(sc.change);
        const Where w{fed->field_community, "", {}, false};
        entries.push_back(Entry{std::move(fed), w, w, false, true});
        continue;
      }
      const Touch& t = touched.at(sc.change.ticket_id);
      fed->ticket_id = std::move(sc.change.ticket_id);
      entries.push_back(Entry{std::move(fed), t.before, t.after, t.unknown_before});
    }
    {
      std::unique_lock lock(m_where_mutex);
      for (auto& [id, t] : touched)
        if (t.after) m_where.insert_or_assign(id, std::move(*t.after));
        else m_where.erase(id);
    }
    {
      std::unique_lock lock(m_entries_mutex);
      for (Entry& e : entries) {
        m_bytes += e.change->json.size() + e.change->ticket_id.size() + kEntryOverhead;
        m_published = e.change->seq;
        m_entries.push_back(std::move(e));
      }
      while (m_bytes > m_max_bytes && !m_entries.empty()) {
        const FedChange& oldest = *m_entries.front().change;
        m_bytes -= oldest.json.size() + oldest.ticket_id.size() + kEntryOverhead;
        m_floor = oldest.seq;
        m_entries.pop_front();
      }
    }
    {
      std::lock_guard lock(m_wait_mutex);
      m_last = m_published;
    }
    m_changed.notify_all();
  }
}

int64_t ChangeFeed::last_seq() const {
  std::lock_guard lock(m_wait_mutex);
  return m_last;
}

std::optional<size_t> ChangeFeed::answer(PullResponse head, int limit, std::string& text) const {
  std::shared_lock lock(m_entries_mutex);
  if (head.from < m_floor) return std::nullopt;
  auto it = std::partition_point(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.change->seq <= head.from; });
  std::vector<std::string_view> encoded;
  for (; it != m_entries.end() && static_cast<int>(encoded.size()) < limit; ++it) encoded.push_back(it->change->json);
  head.more = it != m_entries.end();
  head.next = encoded.empty() ? head.from : std::prev(it)->change->seq;  // The last change it covers.
  head.head = std::max(m_published, head.next);  // How far the log goes.
  head.changes.clear();
  text = encode_pull_response(head, encoded);
  return encoded.size();
}

std::shared_ptr<const FedChange> ChangeFeed::find(int64_t seq) const {
  std::shared_lock lock(m_entries_mutex);
  if (seq <= m_floor || seq > m_published) return nullptr;
  auto it = std::partition_point(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.change->seq < seq; });
  if (it == m_entries.end() || it->change->seq != seq) return nullptr;
  return it->change;
}

std::optional<FedChanges> ChangeFeed::window(int64_t cursor, int max, bool* more) const {
  std::shared_lock lock(m_entries_mutex);
  if (cursor < m_floor) return std::nullopt;
  auto it = std::partition_point(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.change->seq <= cursor; });
  FedChanges out;
  out.reserve(std::min<size_t>(static_cast<size_t>(std::max(max, 0)), static_cast<size_t>(m_entries.end() - it)));
  for (; it != m_entries.end() && static_cast<int>(out.size()) < max; ++it) out.push_back(it->change);
  if (more) *more = it != m_entries.end();
  return out;
}

bool ChangeFeed::concerns_entry(const Entry& e, const User& u) {
  if (e.field) return may_see_field(actor_of(u), e.after ? e.after->community : std::string());
  return e.unknown_before ||
         (e.before && in_scope(u, e.before->community, e.before->lead_department, e.before->co_handling, e.before->patrol)) ||
         (e.after && in_scope(u, e.after->community, e.after->lead_department, e.after->co_handling, e.after->patrol));
}

std::optional<bool> ChangeFeed::concerns(int64_t cursor, const User& u, int64_t* through) const {
  std::shared_lock lock(m_entries_mutex);
  if (cursor < m_floor) return std::nullopt;
  if (through) *through = std::max(cursor, m_published);
  auto it = std::partition_point(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.change->seq <= cursor; });
  return std::any_of(it, m_entries.end(), [&](const Entry& e) { return concerns_entry(e, u); });
}

std::optional<bool> ChangeFeed::in_scope_now(const std::string& id, const User& u, int64_t through) const {
  std::shared_lock where_lock(m_where_mutex);
  {
    std::shared_lock lock(m_entries_mutex);
    if (m_published < through) return std::nullopt;
  }
  const auto it = m_where.find(id);
  if (it == m_where.end()) return std::nullopt;
  const Where& w = it->second;
  return in_scope(u, w.community, w.lead_department, w.co_handling, w.patrol);
}

void ChangeFeed::wait_beyond(int64_t seq, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(m_wait_mutex);
  m_changed.wait_until(lock, deadline, [&] { return m_last > seq || m_stopping; });
}

void ChangeFeed::stop() {
  {
    std::lock_guard lock(m_wait_mutex);
    m_stopping = true;
  }
  m_changed.notify_all();
}

bool ChangeFeed::stopping() const {
  std::lock_guard lock(m_wait_mutex);
  return m_stopping;
}

}  // namespace linli::server
