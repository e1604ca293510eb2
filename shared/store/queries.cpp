// Reading the change log and the merged state back: the outbox, pulls, search, and the canonical
// dump that convergence tests compare. Read-only: nothing here writes.
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using Query = sqlite_util::Stmt;

Error read_error(sqlite3* db, std::string_view where) {
  return Error{ErrorCode::Storage, "[store." + std::string(where) + "] " + sqlite3_errmsg(db)};
}

// Every row of `q`: its column 0 decoded as a change record, made into a T by make(change, q).
// `expect`: the rows likely, reserved at once (a change is large to move as the vector grows).
template <class T, class Make>
Result<std::vector<T>> read_records(sqlite3* db, Query& q, const char* where, Make&& make, size_t expect = 0) {
  std::vector<T> out;
  out.reserve(expect);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    auto c = decode_change_record(q.text(0));
    if (!c) return Error{ErrorCode::Corrupt, "[store." + std::string(where) + "] " + c.error().detail};
    out.push_back(make(std::move(c).value(), q));
  }
  if (rc != SQLITE_DONE) return read_error(db, where);
  return out;
}

// Appends every row of `sql` as tab-separated columns, one line per row; `ticket` (when not null)
// is bound to ?1.
Result<void> dump_rows(sqlite3* db, const char* title, const std::string& sql, const std::string* ticket,
                       std::string& out) {
  Query q(db, sql);
  if (!q.ok()) return read_error(db, "dump");
  if (ticket) q.bind(1, *ticket);
  out += "## ";
  out += title;
  out += '\n';
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    for (int c = 0; c < q.columns(); ++c) {
      if (c) out += '\t';
      out += q.is_null(c) ? std::string("NULL") : q.text(c);
    }
    out += '\n';
  }
  if (rc != SQLITE_DONE) return read_error(db, "dump");
  return Ok{};
}

// Appends every ticket's field and status versions (tickets.versions), one line per version:
// ticket, field, replica, counter, stamp; by ticket, then field name. Only `ticket`'s when not null.
Result<void> dump_versions(sqlite3* db, const std::string* ticket, std::string& out) {
  Query q(db, ticket ? "SELECT id, versions FROM tickets WHERE id = ?1" : "SELECT id, versions FROM tickets ORDER BY id");
  if (!q.ok()) return read_error(db, "dump");
  if (ticket) q.bind(1, *ticket);
  out += "## versions\n";
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    const std::string id = q.text(0);
    TicketState state;
    if (!decode_versions(q.text(1), state))
      return Error{ErrorCode::Corrupt, "[store.dump] ticket " + id + ": malformed versions"};
    std::vector<std::pair<std::string_view, const Version*>> versions;
    for (int f = 0; f < kEditableFieldCount; ++f)
      versions.emplace_back(to_string(static_cast<EditableField>(f)), &state.fields[static_cast<size_t>(f)]);
    versions.emplace_back("status", &state.status);
    std::sort(versions.begin(), versions.end());
    for (const auto& [name, v] : versions) {
      if (v->id.is_zero()) continue;
      out += id + '\t' + std::string(name) + '\t' + to_hex(v->id.replica) + '\t' + std::to_string(v->id.counter) +
             '\t' + std::to_string(static_cast<int64_t>(pack(v->stamp))) + '\n';
    }
  }
  if (rc != SQLITE_DONE) return read_error(db, "dump");
  return Ok{};
}

// The canonical dump of every ticket, or of `ticket` alone when not null.
Result<std::string> dump_tickets(sqlite3* db, const std::string* ticket) {
  struct Part {
    const char* title;
    const char* select;  // FROM its table; nullptr for the versions (kept in the ticket's row).
    const char* key;     // The column naming the ticket.
    const char* order;
  };
  static const Part parts[] = {
      {"tickets",
       "SELECT id, provisional_number, official_number, source, received_at, citizen_name, citizen_phone, community, "
       "address, category, urgency, title, description, status, created_at, updated_at, lead_department, deleted, "
       "work_count FROM tickets",
       "id", "id"},
      {"versions", nullptr, nullptr, nullptr},
      {"timeline",
       "SELECT change_id, ticket_id, hlc, author, role, kind, text, satisfaction, days, request, approved FROM timeline",
       "ticket_id", "change_id"},
      {"photos", "SELECT change_id, ticket_id, sha256, size, type, phase FROM photos", "ticket_id", "change_id"},
      {"links", "SELECT change_id, ticket_id, other_ticket, kind FROM links", "ticket_id", "change_id"},
      {"co_handlers", "SELECT ticket_id, added, department, state, added_at, replied_at FROM ticket_co_handlers",
       "ticket_id", "ticket_id, added"},
      {"conflicts", "SELECT cause, ticket_id, kind, loser, winner, subject, value, reason FROM conflicts", "ticket_id",
       "cause"},  // Last: tests read what follows its title.
  };
  std::string out;
  for (const Part& p : parts) {
    if (!p.select) {
      if (auto r = dump_versions(db, ticket, out); !r) return r.error();
      continue;
    }
    const std::string sql = std::string(p.select) + (ticket ? std::string(" WHERE ") + p.key + " = ?1" : "") +
                            " ORDER BY " + p.order;
    if (auto r = dump_rows(db, p.title, sql, ticket, out); !r) return r.error();
  }
  return out;
}

}  // namespace

Result<std::string> Store::canonical_dump() { return dump_tickets(m_db, nullptr); }
Result<std::string> Store::canonical_dump(const std::string& ticket_id) { return dump_tickets(m_db, &ticket_id); }

Result<std::vector<RefusedChange>> Store::refused_changes(int limit) {
  Query q(m_db, "SELECT record, code, detail, refused_at, ticket_number, ticket_title FROM refused_changes "
                "ORDER BY refused_at DESC, change_id LIMIT ?");
  if (!q.ok()) return read_error(m_db, "refused_changes");
  q.bind(1, int64_t{limit});
  return read_records<RefusedChange>(m_db, q, "refused_changes", [](Change c, const Query& row) {
    return RefusedChange{std::move(c), row.text(1), row.text(2), row.int64(3), row.text(4), row.text(5)};
  });
}

Result<std::vector<Change>> Store::unsent_changes(const ReplicaId& self, int limit) {
  Query q(m_db, "SELECT record FROM changes WHERE replica = ? AND seq IS NULL ORDER BY counter LIMIT ?");
  if (!q.ok()) return read_error(m_db, "unsent_changes");
  q.bind_blob(1, ReplicaBytes(self).view());
  q.bind(2, int64_t{limit});
  return read_records<Change>(m_db, q, "unsent_changes", [](Change c, const Query&) { return c; });
}

Result<std::vector<Change>> Store::own_changes_from(const ReplicaId& self, uint64_t counter, int limit) {
  Query q(m_db, "SELECT record FROM changes WHERE replica = ? AND counter >= ? ORDER BY counter LIMIT ?");
  if (!q.ok()) return read_error(m_db, "own_changes_from");
  q.bind_blob(1, ReplicaBytes(self).view());
  q.bind(2, static_cast<int64_t>(counter));
  q.bind(3, int64_t{limit});
  auto kept = read_records<Change>(m_db, q, "own_changes_from", [](Change c, const Query&) { return c; });
  if (!kept) return kept;
  // The refused ones are out of the log, kept for the user (a few): they go again too, in their place.
  Query r(m_db, "SELECT record FROM refused_changes");
  if (!r.ok()) return read_error(m_db, "own_changes_from");
  auto refused = read_records<Change>(m_db, r, "own_changes_from", [](Change c, const Query&) { return c; });
  if (!refused) return refused;
  for (Change& c : *refused)
    if (c.id.replica == self && c.id.counter >= counter) kept->push_back(std::move(c));
  std::sort(kept->begin(), kept->end(), [](const Change& a, const Change& b) { return a.id.counter < b.id.counter; });
  if (kept->size() > static_cast<size_t>(std::max(limit, 0))) kept->resize(static_cast<size_t>(std::max(limit, 0)));
  return kept;
}

Result<uint64_t> Store::last_acknowledged_counter(const ReplicaId& self) {
  Query q(m_db, "SELECT counter FROM changes WHERE replica = ? AND seq IS NOT NULL ORDER BY counter DESC LIMIT 1");
  if (!q.ok()) return read_error(m_db, "last_acknowledged_counter");
  q.bind_blob(1, ReplicaBytes(self).view());
  const int rc = q.step();
  if (rc == SQLITE_DONE) return uint64_t{0};
  if (rc != SQLITE_ROW) return read_error(m_db, "last_acknowledged_counter");
  return static_cast<uint64_t>(q.int64(0));
}

Result<std::vector<SequencedChange>> Store::changes_after(int64_t cursor, int limit) {
  Query q(m_db, "SELECT record, seq FROM changes WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!q.ok()) return read_error(m_db, "changes_after");
  q.bind(1, cursor);
  q.bind(2, int64_t{limit});
  return read_records<SequencedChange>(
      m_db, q, "changes_after", [](Change c, const Query& row) { return SequencedChange{std::move(c), row.int64(1)}; },
      static_cast<size_t>(std::clamp(limit, 0, 1024)));
}

Result<std::optional<SequencedChange>> Store::sequenced_change(const ChangeId& id) {
  Query q(m_db, "SELECT record, seq FROM changes WHERE replica = ? AND counter = ? AND seq IS NOT NULL");
  if (!q.ok()) return read_error(m_db, "sequenced_change");
  q.bind_blob(1, ReplicaBytes(id.replica).view());
  q.bind(2, static_cast<int64_t>(id.counter));
  auto found = read_records<SequencedChange>(m_db, q, "sequenced_change",
                                             [](Change c, const Query& row) { return SequencedChange{std::move(c), row.int64(1)}; });
  if (!found) return found.error();
  if (found->empty()) return std::optional<SequencedChange>{};
  return std::optional<SequencedChange>{std::move(found->front())};
}

namespace {

// Walks ticket `id`'s log chain from its newest change back, giving each change with its sequence
// number (0: not sent yet). One walk costs the ticket's changes, not the log's.
Result<void> walk_ticket_log(sqlite3* db, const std::string& id, const char* where,
                             const std::function<void(Change, int64_t)>& take) {
  // The newest change of the ticket's log: in its row, or aside while it does not exist.
  Query h(db, "SELECT log_head FROM tickets WHERE id = ?1 AND log_head <> 0 "
              "UNION ALL SELECT head FROM log_heads WHERE ticket_id = ?1");
  if (!h.ok()) return read_error(db, where);
  h.bind(1, id);
  int rc = h.step();
  if (rc == SQLITE_DONE) return Ok{};
  if (rc != SQLITE_ROW) return read_error(db, where);
  Query q(db, "SELECT record, seq, prev FROM changes WHERE local_order = ?");
  if (!q.ok()) return read_error(db, where);
  const std::string tag = std::string("[store.") + where + "] ";
  for (int64_t at = h.int64(0); at != 0;) {
    q.reset();
    q.bind(1, at);
    if ((rc = q.step()) != SQLITE_ROW) {
      if (rc == SQLITE_DONE) return Error{ErrorCode::Corrupt, tag + "ticket " + id + ": log chain broken"};
      return read_error(db, where);
    }
    auto c = decode_change_record(q.text(0));
    if (!c) return Error{ErrorCode::Corrupt, tag + c.error().detail};
    take(std::move(c).value(), q.is_null(1) ? 0 : q.int64(1));
    const int64_t prev = q.int64(2);
    if (prev >= at) return Error{ErrorCode::Corrupt, tag + "ticket " + id + ": log chain loops"};
    at = prev;
  }
  return Ok{};
}

}  // namespace

Result<std::vector<SequencedChange>> Store::changes_of_ticket(const std::string& id, int64_t up_to_seq) {
  std::vector<SequencedChange> out;
  auto walked = walk_ticket_log(m_db, id, "changes_of_ticket", [&](Change c, int64_t seq) {
    if (seq > 0 && seq <= up_to_seq) out.push_back(SequencedChange{std::move(c), seq});
  });
  if (!walked) return walked.error();
  std::sort(out.begin(), out.end(), [](const SequencedChange& a, const SequencedChange& b) { return a.seq < b.seq; });
  return out;
}

Result<std::vector<Change>> Store::ticket_log(const std::string& id) {
  std::vector<Change> out;
  auto walked = walk_ticket_log(m_db, id, "ticket_log", [&](Change c, int64_t) { out.push_back(std::move(c)); });
  if (!walked) return walked.error();
  std::sort(out.begin(), out.end(),
            [](const Change& a, const Change& b) { return stamp_before(a.stamp, a.id, b.stamp, b.id); });
  return out;
}

Result<std::vector<Change>> Store::changes_in_fold_order(const std::string& id) {
  std::vector<std::pair<int64_t, Change>> keyed;  // Seq, or 2^62 + counter for an unsent one.
  auto walked = walk_ticket_log(m_db, id, "changes_in_fold_order", [&](Change c, int64_t seq) {
    const int64_t key = seq > 0 ? seq : (int64_t{1} << 62) + static_cast<int64_t>(c.id.counter);
    keyed.emplace_back(key, std::move(c));
  });
  if (!walked) return walked.error();
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Change> out;
  out.reserve(keyed.size());
  for (auto& [key, c] : keyed) out.push_back(std::move(c));
  return out;
}

Result<int64_t> Store::count_changes() {
  Query q(m_db, "SELECT count(*) FROM changes");
  if (!q.ok() || q.step() != SQLITE_ROW) return read_error(m_db, "count_changes");
  return q.int64(0);
}

Result<int64_t> Store::committed_last_seq() {
  Query q(m_db, "SELECT coalesce(max(seq), 0) FROM changes");
  if (!q.ok() || q.step() != SQLITE_ROW) return read_error(m_db, "committed_last_seq");
  return q.int64(0);
}

Result<std::vector<std::string>> Store::search_tickets(const std::string& text, int limit) {
  // The inbox's search (store/inbox.cpp), deleted tickets included, newest first.
  InboxQuery q;
  q.filter.text = text;
  q.filter.include_deleted = true;
  q.limit = limit;
  auto rows = inbox_page(q);
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (InboxRow& r : *rows) out.push_back(std::move(r.id));
  return out;
}

}  // namespace linli
