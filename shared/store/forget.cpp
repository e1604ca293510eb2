// Taking things out of a replica: own changes the server refused (out of the outbox and the fold,
// kept for the user in refused_changes) and tickets that left the replica's scope (forgotten whole).
// Works on the batches of store/apply.cpp; decides no merge (core/merge.h does, on the refold).
#include <algorithm>
#include <string>
#include <vector>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"

namespace linli {
namespace {

Error step_error(sqlite3* db, const char* where) { return sqlite_util::sqlite_error(db, "store", where); }

// A log entry as its ticket's chain sees it.
struct Link {
  bool unsent = false;  // No sequence number yet: an own change the server has not answered.
  int64_t prev = 0;     // The entry before it in its ticket's chain (0: none).
};

Result<Link> read_link(sqlite3* db, CachedStmt& log_link, int64_t at, const char* where) {
  CachedStmt& s = log_link.reset().bind(1, at);
  const int rc = s.step();
  if (rc == SQLITE_DONE)
    return Error{ErrorCode::Corrupt, std::string("[store.") + where + "] log chain broken at " + std::to_string(at)};
  if (rc != SQLITE_ROW) return step_error(db, where);
  const Link link{s.is_null(0), s.int64(1)};
  s.reset();
  if (link.prev >= at) return Error{ErrorCode::Corrupt, std::string("[store.") + where + "] log chain loops"};
  return link;
}

}  // namespace

// Forgets one ticket whole: its row (its search entry goes with it, by the delete trigger), its
// timeline, photos, links and conflicts, and every change of its log. False, touching nothing,
// while own changes to it are unsent: they must reach the server first (Store::forget_tickets).
Result<bool> Batch::forget(const std::string& ticket_id, int64_t now_ms) {
  auto loaded = load(ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  std::vector<int64_t> log;
  for (int64_t at = t.head; at != 0;) {
    auto link = read_link(m_db, m_s.log_link, at, "forget_tickets");
    if (!link) return link.error();
    if (link->unsent) return false;
    log.push_back(at);
    at = link->prev;
  }
  for (CachedStmt& d : m_s.delete_rows)
    if (d.reset().bind(1, ticket_id).step() != SQLITE_DONE) return step_error(m_db, "forget_tickets");
  for (const int64_t at : log)
    if (m_s.delete_change.reset().bind(1, at).step() != SQLITE_DONE) return step_error(m_db, "forget_tickets");
  if (t.head_in_table && m_s.delete_head.reset().bind(1, ticket_id).step() != SQLITE_DONE)
    return step_error(m_db, "forget_tickets");
  if (t.state.exists && !t.state.deleted) {  // What the user is told: the number and title they knew it by.
    const Ticket& k = t.state.ticket;
    const std::string& number = k.official_number.empty() ? k.provisional_number : k.official_number;
    if (m_s.insert_left.reset().bind(1, ticket_id).bind(2, number).bind(3, k.title).bind(4, now_ms).step() != SQLITE_DONE)
      return step_error(m_db, "forget_tickets");
  }
  t = Cached{};  // Gone: nothing for finish() to write, nothing for the committed cache.
  if (leaving(ticket_id)) set_leaving(ticket_id, false);
  return true;
}

// Takes entry `local` out of its ticket's log chain: the entry after it (or the head) points past it.
Result<void> Batch::unlink(Cached& t, int64_t local) {
  auto own = read_link(m_db, m_s.log_link, local, "refuse_changes");
  if (!own) return own.error();
  if (t.head == local) {
    t.head = own->prev;
    t.dirty = true;
    return Ok{};
  }
  for (int64_t at = t.head; at != 0;) {
    auto link = read_link(m_db, m_s.log_link, at, "refuse_changes");
    if (!link) return link.error();
    if (link->prev == local)
      return m_s.set_prev.reset().bind(1, own->prev).bind(2, at).step() == SQLITE_DONE
                 ? Result<void>(Ok{})
                 : step_error(m_db, "refuse_changes");
    at = link->prev;
  }
  return Error{ErrorCode::Corrupt, "[store.refuse_changes] log entry " + std::to_string(local) + " is not in its ticket's chain"};
}

// Takes an own unsent change the server refused out of the log and out of its ticket's fold (the
// ticket is folded again in finish()), and keeps it in refused_changes with the ticket's number
// and title as they are now: after the refold the ticket may be gone.
Result<void> Batch::refuse(const PushRefusal& r, int64_t now_ms) {
  const ReplicaBytes replica(r.id.replica);
  CachedStmt& f = m_s.find_change.reset().bind_blob(1, replica.view()).bind(2, static_cast<int64_t>(r.id.counter));
  const int rc = f.step();
  if (rc == SQLITE_DONE) return Ok{};  // Taken out before: the refusal came twice.
  if (rc != SQLITE_ROW) return step_error(m_db, "refuse_changes");
  if (!f.is_null(1)) return Ok{};  // Acknowledged: the server took it, whatever this answer says.
  const int64_t local = f.int64(0);
  const std::string record = f.text(3);
  f.reset();
  auto c = decode_change_record(record);
  if (!c) return Error{ErrorCode::Corrupt, "[store.refuse_changes] " + c.error().detail};
  auto loaded = load(c->ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  const Ticket& k = t.state.exists ? t.state.ticket : c->ticket;  // A refused create names its own.
  const std::string& number = k.official_number.empty() ? k.provisional_number : k.official_number;
  if (m_s.insert_refused.reset().bind(1, to_string(r.id)).bind(2, c->ticket_id).bind(3, to_string(c->kind))
          .bind(4, r.code).bind(5, r.detail).bind(6, now_ms).bind(7, number).bind(8, k.title)
          .bind_blob(9, record).step() != SQLITE_DONE)
    return step_error(m_db, "refuse_changes");
  if (auto u = unlink(t, local); !u) return u;
  if (m_s.delete_change.reset().bind(1, local).step() != SQLITE_DONE) return step_error(m_db, "refuse_changes");
  --m_unsent;
  t.refold = true;  // Without it, in the one order (R10).
  return Ok{};
}

// Takes another replica's change out of the log and out of its ticket's fold: the server that
// numbered it was put back from a copy without it (Store::drop_skipped).
Result<void> Batch::drop_logged(int64_t local, const std::string& ticket_id, bool own_unsent) {
  auto loaded = load(ticket_id);
  if (!loaded) return loaded.error();
  Cached& t = **loaded;
  if (auto u = unlink(t, local); !u) return u;
  if (m_s.delete_change.reset().bind(1, local).step() != SQLITE_DONE) return step_error(m_db, "drop_skipped");
  if (own_unsent) --m_unsent;
  t.refold = true;
  return Ok{};
}

Result<std::vector<Change>> Store::take_out_own_changes(const ReplicaId& self, uint64_t counter) {
  struct Held {
    int64_t local;
    bool unsent;
    Change change;
  };
  std::vector<Held> held;
  {
    sqlite_util::Stmt q(m_db, "SELECT local_order, seq IS NULL, record FROM changes WHERE replica = ?1 AND counter >= ?2 "
                              "ORDER BY counter");
    if (!q.ok()) return step_error(m_db, "take_out_own_changes");
    q.bind_blob(1, ReplicaBytes(self).view());
    q.bind(2, static_cast<int64_t>(counter));
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      auto c = decode_change_record(q.text(2));
      if (!c) return Error{ErrorCode::Corrupt, "[store.take_out_own_changes] " + c.error().detail};
      held.push_back(Held{q.int64(0), q.int64(1) != 0, std::move(c).value()});
    }
    if (rc != SQLITE_DONE) return step_error(m_db, "take_out_own_changes");
  }
  std::vector<Change> out;
  if (held.empty()) return out;
  auto r = run_batch(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const Held& h : held)
      if (auto d = b.drop_logged(h.local, h.change.ticket_id, h.unsent); !d) return d;
    return Ok{};
  });
  if (!r) return r.error();
  out.reserve(held.size());
  for (Held& h : held) out.push_back(std::move(h.change));
  return out;
}

Result<int64_t> Store::drop_skipped(const ReplicaId& self, int64_t after, int64_t until) {
  // Read first, then changed: the walk's statement is done before the batch writes.
  std::vector<std::pair<int64_t, std::string>> gone;  // (local_order, ticket)
  {
    sqlite_util::Stmt q(m_db, "SELECT local_order, record FROM changes WHERE seq > ?1 AND seq < ?2 AND replica <> ?3");
    if (!q.ok()) return step_error(m_db, "drop_skipped");
    q.bind(1, after);
    q.bind(2, until);
    q.bind_blob(3, ReplicaBytes(self).view());
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      auto c = decode_change_record(q.text(1));
      if (!c) return Error{ErrorCode::Corrupt, "[store.drop_skipped] " + c.error().detail};
      gone.emplace_back(q.int64(0), c->ticket_id);
    }
    if (rc != SQLITE_DONE) return step_error(m_db, "drop_skipped");
  }
  if (gone.empty()) return int64_t{0};
  auto r = run_batch(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const auto& [local, ticket] : gone)
      if (auto d = b.drop_logged(local, ticket); !d) return d;
    return Ok{};
  });
  if (!r) return r.error();
  return static_cast<int64_t>(gone.size());
}

// Replaces an own unsent change's record (same id, ticket and stamp) and folds its ticket again.
Result<void> Batch::rewrite_unsent(const Change& c) {
  const ReplicaBytes replica(c.id.replica);
  CachedStmt& f = m_s.find_change.reset().bind_blob(1, replica.view()).bind(2, static_cast<int64_t>(c.id.counter));
  const int rc = f.step();
  if (rc == SQLITE_DONE || (rc == SQLITE_ROW && !f.is_null(1))) {
    f.reset();
    return Error{ErrorCode::NotFound, "[store.rewrite_unsent_change] no unsent change " + to_string(c.id)};
  }
  if (rc != SQLITE_ROW) return step_error(m_db, "rewrite_unsent_change");
  const int64_t local = f.int64(0);
  auto old = decode_change_record(f.text(3));
  f.reset();
  if (!old) return Error{ErrorCode::Corrupt, "[store.rewrite_unsent_change] " + old.error().detail};
  if (old->ticket_id != c.ticket_id || !(old->stamp == c.stamp))
    return Error{ErrorCode::InvalidArgument, "[store.rewrite_unsent_change] " + to_string(c.id) +
                                                 ": the ticket and stamp must stay"};
  sqlite_util::Stmt u(m_db, "UPDATE changes SET record = ?1 WHERE local_order = ?2 AND seq IS NULL");
  if (!u.ok()) return step_error(m_db, "rewrite_unsent_change");
  u.bind_blob(1, encode_change_record(c));
  u.bind(2, local);
  if (u.step() != SQLITE_DONE) return step_error(m_db, "rewrite_unsent_change");
  auto loaded = load(c.ticket_id);
  if (!loaded) return loaded.error();
  (*loaded)->refold = true;
  return Ok{};
}

Result<void> Store::rewrite_unsent_change(const Change& c) {
  return run_batch(m_db, sync(), [&](Batch& b) { return b.rewrite_unsent(c); });
}

Result<void> Batch::write_leaving() {
  for (const auto& [ticket, on] : m_leaving)
    if ((on ? m_s.mark_leaving : m_s.unmark_leaving).reset().bind(1, ticket).step() != SQLITE_DONE)
      return step_error(m_db, "leaving_tickets");
  return Ok{};
}

Result<void> Store::refuse_changes(const std::vector<PushRefusal>& refusals, int64_t now_ms) {
  if (refusals.empty()) return Ok{};
  return run_batch(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const PushRefusal& r : refusals)
      if (auto x = b.refuse(r, now_ms); !x) return x;
    return Ok{};
  });
}

Result<void> Store::forget_tickets(const std::vector<std::string>& ids, int64_t now_ms) {
  if (ids.empty()) return Ok{};
  return run_batch(m_db, sync(), [&](Batch& b) -> Result<void> {
    for (const std::string& id : ids) {
      auto gone = b.forget(id, now_ms);
      if (!gone) return gone.error();
      if (!*gone) b.set_leaving(id, true);  // Kept until the server has answered its unsent changes.
    }
    return Ok{};
  });
}

std::vector<std::string> Store::leaving_tickets() {
  const auto& leaving = sync().leaving;
  std::vector<std::string> out(leaving.begin(), leaving.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace linli
