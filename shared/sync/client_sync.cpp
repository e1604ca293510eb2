// Client and server sync state over the store. No network, no JSON: messages are structs.
#include "sync/client_sync.h"

#include <algorithm>

namespace linli {

ClientSync::ClientSync(Store& store, ReplicaId self, Author author)
    : m_store(store), m_self(self), m_author(std::move(author)) {}

Result<std::vector<Change>> ClientSync::record(std::vector<Change> drafts, int64_t now_ms) {
  uint64_t counter = m_store.applied_counter(m_self);
  for (Change& c : drafts) {
    c.id = ChangeId{m_self, ++counter};
    c.stamp = m_store.stamp_now(now_ms);
    c.author = m_author;
    if (auto v = validate_change(c); !v) return Error{ErrorCode::InvalidArgument, "[sync.record] " + v.error().detail};
  }
  auto results = m_store.apply_changes(drafts, ApplyMode::Local, now_ms);
  if (!results) return results.error();
  for (const ChangeResult& r : *results)
    if (r.status != ApplyStatus::Applied)
      return Error{ErrorCode::InvalidArgument, "[sync.record] " + to_string(r.id) + ": " +
                                                   std::string(to_string(r.status)) + " " + r.detail};
  return drafts;
}

Result<void> ClientSync::resend_from(uint64_t counter) {
  if (counter == 0) return Ok{};
  auto have = m_store.own_changes_from(m_self, counter, 1);
  if (!have) return have.error();
  if (have->empty() || have->front().id.counter != counter)
    return Error{ErrorCode::NotFound, "[sync.resend_from] the server lacks change " + to_string(ChangeId{m_self, counter}) +
                                          ", which this device no longer has"};
  m_resend_from = counter;
  return Ok{};
}

Result<int64_t> ClientSync::start_again(const ReplicaId& fresh, uint64_t lost_from, int64_t now_ms,
                                        const std::function<Result<void>()>& keep_id) {
  const ReplicaId was = m_self;
  int64_t again = 0;
  auto r = m_store.in_one_transaction([&]() -> Result<void> {
    auto old = m_store.take_out_own_changes(was, lost_from);
    if (!old) return old.error();
    m_self = fresh;
    std::vector<std::pair<ChangeId, ChangeId>> renamed;  // Old id, new id.
    const auto rename = [&](ChangeId& id) {
      for (const auto& [from, to] : renamed)
        if (id == from) id = to;
    };
    for (Change& c : *old) {
      const ChangeId id = c.id;
      rename(c.base);
      rename(c.entry.request);
      auto recorded = record({std::move(c)}, now_ms);
      if (!recorded) return recorded.error();
      renamed.emplace_back(id, recorded->front().id);
      ++again;
    }
    return keep_id();
  });
  if (!r) {
    m_self = was;
    return r.error();
  }
  m_resend_from = 0;
  return again;
}

Result<PushRequest> ClientSync::build_push(int max_changes) {
  if (m_resend_from > 0) {
    auto again = m_store.own_changes_from(m_self, m_resend_from, max_changes);
    if (!again) return again.error();
    if (!again->empty()) {
      PushRequest push;
      push.replica = m_self;
      push.changes = std::move(again).value();
      return push;
    }
    m_resend_from = 0;  // Nothing from there on: the outbox (empty too, then) goes on as usual.
  }
  auto unsent = m_store.unsent_changes(m_self, max_changes);
  if (!unsent) return unsent.error();
  PushRequest push;
  push.replica = m_self;
  push.changes = std::move(unsent).value();
  return push;
}

Result<void> ClientSync::take_push_response(const PushResponse& response, int64_t now_ms) {
  std::vector<Ack> acks;
  std::vector<PushRefusal> refused;
  uint64_t answered = 0;  // The highest counter answered for good (taken, had, or refused).
  for (const PushResult& r : response.results) {
    if (r.id.replica != m_self) continue;
    if (r.status == ApplyStatus::Applied || (r.status == ApplyStatus::Duplicate && r.seq > 0))
      acks.push_back(Ack{r.id, r.seq, r.stamp, r.skew_ms});
    else if (r.status == ApplyStatus::Invalid) refused.push_back(PushRefusal{r.id, r.code.empty() ? "invalid" : r.code, r.detail});
    if (r.status == ApplyStatus::Applied || r.status == ApplyStatus::Duplicate || r.status == ApplyStatus::Invalid)
      answered = std::max(answered, r.id.counter);
  }
  // Sending again: the next push goes on after the last change answered.
  if (m_resend_from > 0 && answered >= m_resend_from) m_resend_from = answered + 1;
  // Duplicate: the server has it, and says with which number (its first answer was lost), or the
  // change comes back with a pull. Gap: send again. A refused change sent again is answered with
  // the same refusal.
  if (!acks.empty())
    if (auto a = m_store.acknowledge(acks); !a) return a;
  if (auto f = m_store.refuse_changes(refused, now_ms); !f) return f;
  // A ticket that left the scope waited for these answers: forgotten now unless more are to come.
  return m_store.forget_tickets(m_store.leaving_tickets(), now_ms);
}

PullRequest ClientSync::build_pull(int limit) {
  PullRequest r{m_self, m_store.pull_cursor(), limit};
  r.took = m_store.pull_answer();
  return r;
}

Result<bool> ClientSync::take_pull_response(const PullResponse& response, int64_t now_ms) {
  if (response.from != m_store.pull_cursor()) return false;  // A hole, or a stale (repeated) answer.
  // Computed for a request that named another answer taken (before this replica started over, or a
  // late request that happens to share the cursor): what it counts on is not what this store holds.
  if (response.took != m_store.pull_answer()) return false;
  if (response.start_over) {
    // Put back from a copy: what others did that it numbered after the copy is gone from the server.
    if (response.skipped_until > response.skipped_after + 1)
      if (auto d = m_store.drop_skipped(m_self, response.skipped_after, response.skipped_until); !d) return d.error();
    if (auto r = m_store.restart_pull(); !r) return r.error();
    // The server lost track of this replica: perhaps it was put back from a copy that also lacks
    // changes it acknowledged. The last one goes again (see resend_from).
    auto last = m_store.last_acknowledged_counter(m_self);
    if (!last) return last.error();
    if (*last > 0 && m_resend_from == 0)
      if (auto r = resend_from(*last); !r) return r.error();
    return true;
  }
  // The changes, the tickets forgotten, the cursor and the answer's id in one transaction: the id
  // names exactly what the store took, whatever crash comes between.
  auto r = m_store.in_one_transaction([&]() -> Result<void> {
    auto applied = m_store.apply_pulled(response.changes, now_ms);
    if (!applied) return applied.error();
    // A change the store would not take (an invalid one) ends the answer there: the changes before
    // it stay, but the answer is not taken (nothing forgotten, no id kept, the cursor where they
    // left it), so the server goes on counting from the answer before and sends the rest again.
    const bool whole = std::all_of(applied->begin(), applied->end(), [](const ChangeResult& c) {
      return c.status == ApplyStatus::Applied || c.status == ApplyStatus::Duplicate;
    });
    if (!whole) return Ok{};
    if (auto f = m_store.forget_tickets(response.dropped, now_ms); !f) return f;
    // A scoped pull may have looked past the last change it sent (changes the caller may not see):
    // start there next time, or the same window is scanned again and again.
    if (response.next > 0)
      if (auto a = m_store.advance_pull_cursor(response.next); !a) return a;
    // An answer without an id recorded nothing: the one named last still stands.
    if (response.answer > 0)
      if (auto a = m_store.set_pull_answer(response.answer); !a) return a;
    return Ok{};
  });
  if (!r) return r.error();
  return true;
}

Result<PushResponse> ServerSync::take_push(const PushRequest& request, int64_t now_ms) {
  for (const Change& c : request.changes)
    if (c.id.replica != request.replica)
      return Error{ErrorCode::InvalidArgument, "[sync.push] change " + to_string(c.id) + " is not the pusher's"};
  auto results = m_store.apply_changes(request.changes, ApplyMode::Accept, now_ms);
  if (!results) return results.error();
  PushResponse out;
  out.results.reserve(results->size());
  for (ChangeResult& r : *results)
    out.results.push_back(PushResult{r.id, r.status, r.seq, r.stamp, r.skew_ms, std::move(r.detail), {}});
  return out;
}

Result<PullResponse> ServerSync::take_pull(const PullRequest& request) {
  auto changes = m_store.changes_after(request.cursor, request.limit + 1);
  if (!changes) return changes.error();
  PullResponse out;
  out.from = request.cursor;
  out.took = request.took;
  out.more = static_cast<int>(changes->size()) > request.limit;
  if (out.more) changes->pop_back();
  out.changes = std::move(changes).value();
  out.next = out.changes.empty() ? request.cursor : out.changes.back().seq;
  return out;
}

}  // namespace linli
