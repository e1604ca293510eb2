// What the app keeps beside the replica's data: small named values (the signed-in session, the
// replica id), the size of the outbox, refused changes the user has read and discards, and tickets
// an earlier build stored outside the change log (the app adopts them as changes of its own).
#include <sqlite3.h>

#include <algorithm>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

Error storage_error(sqlite3* db, const char* where) { return sqlite_util::sqlite_error(db, "store", where); }

// The app's keys live under "app."; the sync bookkeeping (sync.*, provisional:*) is not theirs to touch.
Result<void> check_key(std::string_view key, const char* where) {
  if (key.size() > 4 && key.substr(0, 4) == "app.") return Ok{};
  return Error{ErrorCode::InvalidArgument, std::string("[store.") + where + "] key must start with \"app.\": " + std::string(key)};
}

// The change `id` as this replica's log holds it, through `rec` (prepared from kLoggedChangeSql);
// nullopt when the log lacks it (a scoped replica's, at times).
constexpr const char* kLoggedChangeSql = "SELECT record FROM changes WHERE replica = ?1 AND counter = ?2";
Result<std::optional<Change>> logged_change(Stmt& rec, const ChangeId& id, const char* where) {
  rec.reset();
  const ReplicaBytes bytes(id.replica);
  rec.bind_blob(1, bytes.view());
  rec.bind(2, static_cast<int64_t>(id.counter));
  if (rec.step() != SQLITE_ROW) return std::optional<Change>{};
  auto change = decode_change_record(rec.text(0));
  if (!change) return Error{ErrorCode::Corrupt, std::string("[store.") + where + "] " + change.error().detail};
  return std::optional<Change>{std::move(change).value()};
}

// "0123…ef:12" (to_string(ChangeId)) back to an id; zero when it is not one.
ChangeId parse_change_id_text(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return {};
  const auto replica = parse_replica_id(text.substr(0, colon));
  uint64_t counter = 0;
  for (char ch : text.substr(colon + 1)) {
    if (ch < '0' || ch > '9') return {};
    counter = counter * 10 + static_cast<uint64_t>(ch - '0');
  }
  if (!replica) return {};
  return ChangeId{*replica, counter};
}

}  // namespace

Result<std::vector<TimelineEntry>> Store::timeline_of(const std::string& ticket_id) {
  Stmt s(m_db, "SELECT change_id, hlc, author, role, kind, text, satisfaction, days, approved, request FROM timeline "
               "WHERE ticket_id = ?1 ORDER BY hlc, change_id");
  if (!s.ok()) return storage_error(m_db, "timeline_of");
  s.bind(1, ticket_id);
  std::vector<TimelineEntry> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    TimelineEntry e;
    const std::string id = s.text(0);
    e.device = id.substr(0, id.find(':'));
    e.stamp = unpack_hlc(static_cast<uint64_t>(s.int64(1)));
    e.at_ms = e.stamp.ms;
    e.author.user = s.text(2);
    e.author.role = parse_role(s.text(3)).value_or(Role::Centre);
    e.entry.kind = parse_entry_kind(s.text(4)).value_or(EntryKind::Comment);
    e.entry.text = s.text(5);
    e.entry.satisfaction = parse_satisfaction(s.text(6)).value_or(Satisfaction::None);
    e.entry.days = static_cast<int32_t>(s.int64(7));
    e.entry.approved = s.int64(8) != 0;
    e.entry.request = parse_change_id_text(s.text(9));
    e.id = parse_change_id_text(id);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return storage_error(m_db, "timeline_of");
  return out;
}

Result<std::vector<FieldConflict>> Store::field_conflicts(const std::string& ticket_id) {
  auto state = get_ticket_state(ticket_id);
  if (!state) return state.error();
  std::vector<FieldConflict> out;
  {
    Stmt s(m_db, "SELECT loser, winner, subject, value FROM conflicts WHERE ticket_id = ?1 AND kind = 'field'");
    if (!s.ok()) return storage_error(m_db, "field_conflicts");
    s.bind(1, ticket_id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      const auto field = parse_editable_field(s.text(2));
      if (!field) continue;
      FieldConflict c;
      c.field = *field;
      c.loser = parse_change_id_text(s.text(0));
      c.winner = parse_change_id_text(s.text(1));
      c.kept_value = s.text(3);
      out.push_back(std::move(c));
    }
    if (rc != SQLITE_DONE) return storage_error(m_db, "field_conflicts");
  }
  Stmt rec(m_db, kLoggedChangeSql);
  if (!rec.ok()) return storage_error(m_db, "field_conflicts");
  for (FieldConflict& c : out) {
    if (*state && (*state)->exists) c.open = (*state)->fields[static_cast<size_t>(c.field)].id == c.winner;
    auto winner = logged_change(rec, c.winner, "field_conflicts");
    if (!winner) return winner.error();
    if (*winner) {
      c.winner_author = (*winner)->author;
      c.winner_at_ms = (*winner)->stamp.ms;
    }
    auto change = logged_change(rec, c.loser, "field_conflicts");
    if (!change) return change.error();
    if (!*change) continue;
    c.author = (*change)->author;
    c.at_ms = (*change)->stamp.ms;
  }
  std::stable_sort(out.begin(), out.end(), [](const FieldConflict& a, const FieldConflict& b) {
    return a.open != b.open ? a.open : a.at_ms > b.at_ms;
  });
  return out;
}

Result<std::optional<ReviewCause>> Store::review_cause(const std::string& ticket_id) {
  auto state = get_ticket_state(ticket_id);
  if (!state) return state.error();
  if (!*state || !(*state)->exists || (*state)->ticket.status != TicketStatus::Review) return std::optional<ReviewCause>{};
  const ChangeId cause = (*state)->status.id;  // The change that sent it to review is the status's version.
  Stmt s(m_db, "SELECT loser, value FROM conflicts WHERE ticket_id = ?1 AND kind = 'review' AND cause = ?2");
  if (!s.ok()) return storage_error(m_db, "review_cause");
  s.bind(1, ticket_id);
  s.bind(2, to_string(cause));
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<ReviewCause>{};
  if (rc != SQLITE_ROW) return storage_error(m_db, "review_cause");
  ReviewCause r;
  r.step = parse_change_id_text(s.text(0));
  r.meant = parse_ticket_status(s.text(1)).value_or(TicketStatus::Closed);
  r.late_work = r.step != cause;
  if (r.late_work) r.work = cause;
  Stmt rec(m_db, kLoggedChangeSql);
  if (!rec.ok()) return storage_error(m_db, "review_cause");
  auto step = logged_change(rec, r.step, "review_cause");
  if (!step) return step.error();
  if (const auto& c = *step) {
    r.step_author = c->author;
    if (c->kind == ChangeKind::Transition) r.step_action = c->action;
    r.step_at_ms = c->stamp.ms;
  }
  if (r.late_work) {
    auto work = logged_change(rec, r.work, "review_cause");
    if (!work) return work.error();
    if (const auto& c = *work) {
      r.work_author = c->author;
      r.work_at_ms = c->stamp.ms;
      r.work_kind = c->kind;
      r.work_entry = c->entry.kind;
    }
  }
  return std::optional<ReviewCause>{std::move(r)};
}

Result<std::optional<std::string>> Store::read_value(std::string_view key) {
  if (auto k = check_key(key, "read_value"); !k) return k.error();
  Stmt s(m_db, "SELECT value FROM meta WHERE key = ?1");
  if (!s.ok()) return storage_error(m_db, "read_value");
  s.bind(1, key);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return storage_error(m_db, "read_value");
  return std::optional<std::string>{s.text(0)};
}

Result<void> Store::write_value(std::string_view key, std::string_view value) {
  if (auto k = check_key(key, "write_value"); !k) return k;
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!s.ok()) return storage_error(m_db, "write_value");
  s.bind(1, key);
  s.bind(2, value);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "write_value");
  return Ok{};
}

Result<void> Store::erase_value(std::string_view key) {
  if (auto k = check_key(key, "erase_value"); !k) return k;
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM meta WHERE key = ?1");
  if (!s.ok()) return storage_error(m_db, "erase_value");
  s.bind(1, key);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "erase_value");
  return Ok{};
}

Result<int64_t> Store::count_unsent(const ReplicaId& self) {
  Stmt s(m_db, "SELECT count(*) FROM changes WHERE replica = ?1 AND seq IS NULL");
  if (!s.ok()) return storage_error(m_db, "count_unsent");
  const ReplicaBytes bytes(self);
  s.bind_blob(1, bytes.view());
  if (s.step() != SQLITE_ROW) return storage_error(m_db, "count_unsent");
  return s.int64(0);
}

Result<int64_t> Store::count_refused() {
  Stmt s(m_db, "SELECT count(*) FROM refused_changes");
  if (!s.ok()) return storage_error(m_db, "count_refused");
  if (s.step() != SQLITE_ROW) return storage_error(m_db, "count_refused");
  return s.int64(0);
}

Result<void> Store::discard_refused(const ChangeId& id) {
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM refused_changes WHERE change_id = ?1");
  if (!s.ok()) return storage_error(m_db, "discard_refused");
  s.bind(1, to_string(id));
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "discard_refused");
  return Ok{};
}

// A ticket that came back into the scope since (its row is here again) is no longer news.
#define LINLI_LEFT_GONE " FROM left_tickets l WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = l.ticket_id)"
Result<std::pair<std::vector<LeftTicket>, int64_t>> Store::left_tickets(int limit) {
  Stmt n(m_db, "SELECT count(*)" LINLI_LEFT_GONE);
  if (!n.ok() || n.step() != SQLITE_ROW) return storage_error(m_db, "left_tickets");
  std::pair<std::vector<LeftTicket>, int64_t> out{{}, n.int64(0)};
  if (out.second == 0) return out;
  Stmt s(m_db, "SELECT ticket_id, number, title, left_at" LINLI_LEFT_GONE " ORDER BY left_at DESC, number LIMIT ?1");
  if (!s.ok()) return storage_error(m_db, "left_tickets");
  s.bind(1, int64_t{limit});
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.first.push_back(LeftTicket{s.text(0), s.text(1), s.text(2), s.int64(3)});
  if (rc != SQLITE_DONE) return storage_error(m_db, "left_tickets");
  return out;
}
#undef LINLI_LEFT_GONE

Result<void> Store::dismiss_left_tickets() {
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM left_tickets");
  if (!s.ok() || s.step() != SQLITE_DONE) return storage_error(m_db, "dismiss_left_tickets");
  return Ok{};
}

Result<std::vector<Ticket>> Store::tickets_outside_log() {
  std::vector<std::string> ids;
  {
    Stmt s(m_db, "SELECT id FROM tickets WHERE log_head = 0 AND id NOT IN (SELECT ticket_id FROM log_heads) "
                 "ORDER BY received_at, id");
    if (!s.ok()) return storage_error(m_db, "tickets_outside_log");
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) ids.push_back(s.text(0));
    if (rc != SQLITE_DONE) return storage_error(m_db, "tickets_outside_log");
  }
  std::vector<Ticket> out;
  for (const auto& id : ids) {
    auto t = get_ticket(id);
    if (!t) return t.error();
    if (*t) out.push_back(std::move(**t));
  }
  return out;
}

Result<void> Store::drop_ticket_outside_log(const std::string& id) {
  sqlite_util::end_reads(m_db);
  Stmt s(m_db, "DELETE FROM tickets WHERE id = ?1 AND log_head = 0 AND id NOT IN (SELECT ticket_id FROM log_heads)");
  if (!s.ok()) return storage_error(m_db, "drop_ticket_outside_log");
  s.bind(1, id);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "drop_ticket_outside_log");
  if (sqlite3_changes(m_db) != 1)
    return Error{ErrorCode::InvalidArgument, "[store.drop_ticket_outside_log] " + id + " is not a ticket outside the log"};
  return Ok{};
}

}  // namespace linli
