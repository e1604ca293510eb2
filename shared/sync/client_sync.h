// Per-peer sync state, transport-agnostic (after Automerge's sync.rs): the client records its own
// changes, builds a push from its outbox, takes the push's results, builds a pull from its cursor
// and takes the pull. It never talks to a network: the caller carries the messages (wire.h).
//
// The protocol in short. Every change is durable in the client's store before it is shown saved.
// A push sends the oldest unsent changes; the server gives each a sequence number (or says it has
// it already, or that an earlier one is missing). A pull asks for what came after the cursor; the
// client folds it beneath its own unsent changes (merge rule R10), and an own change that comes
// back in a pull counts as acknowledged. Lost, repeated or reordered messages do no harm: changes
// apply exactly once (R9) and a pull that does not start at the cursor is ignored.
//
// Scopes (partial replication). The server sends a replica only the tickets in its user's scope: a
// ticket coming in arrives with its whole history, one leaving is named in the pull's `dropped`,
// and a change the user may no longer make is refused in the push's results. The client forgets a
// dropped ticket (Store::forget_tickets), unless own changes to it are still unsent: then it keeps
// the ticket, marked leaving, pushes them (the server refuses them, out_of_scope, unless the ticket
// came back meanwhile) and forgets it once every one is answered. A refused change leaves the
// outbox and its ticket and is kept with the server's reason for the user (Store::refused_changes):
// nothing disappears without a trace, and the counters stay gap-free because the server consumed
// the refused change's number.
#pragma once

#include <functional>

#include <vector>

#include "core/change.h"
#include "store/store.h"
#include "sync/wire.h"

namespace linli {

class ClientSync {
 public:
  // `store` must outlive this object; `self` is this replica's id, `author` who is signed in.
  ClientSync(Store& store, ReplicaId self, Author author);

  // Gives each draft this replica's next id, a stamp and the author, and applies them all in one
  // transaction. Drafts carry ticket, kind, base and payload. Returns the changes as recorded.
  Result<std::vector<Change>> record(std::vector<Change> drafts, int64_t now_ms);

  Result<PushRequest> build_push(int max_changes = 500);
  // Takes the results of a push: acknowledgements, refusals (kept with now_ms), and then tickets
  // leaving the scope whose own changes are all answered are forgotten.
  Result<void> take_push_response(const PushResponse& response, int64_t now_ms);
  // A pull from the cursor, naming the scoped answer taken last (`took`).
  PullRequest build_pull(int limit = 1000);
  // Applies a pull that starts at the cursor, forgets the tickets it says were dropped, moves the
  // cursor to its `next` and keeps its `answer` id, all in one transaction; returns false if it was
  // ignored. An answer from an older cursor is ignored whole: taken again after later ones it could
  // forget a ticket that has come back since, or bring back one since forgotten. An answer that
  // says `start_over` sets the cursor back to 0 (and the answer to none), keeping every ticket.
  Result<bool> take_pull_response(const PullResponse& response, int64_t now_ms);

  const ReplicaId& self() const { return m_self; }

  // After a restore. A server put back from an older copy lacks changes it acknowledged since: it
  // answers this replica's next push 409 `gap` with the counter it expects, and the pushes from
  // then on send the own changes from that counter, acknowledged or not (the server numbers them
  // anew; the store takes the new numbers). After a `start_over` the first push sends the last
  // acknowledged change again, so a replica with nothing unsent learns it too (answered as a
  // duplicate when the server has it). Errors when this store no longer has the change asked for.
  Result<void> resend_from(uint64_t counter);
  // Whether pushes are sending acknowledged changes again (a push is due even with nothing unsent).
  bool resending() const { return m_resend_from > 0; }
  // When resend_from cannot: the server, put back from a copy, expects `lost_from`, which this
  // store no longer holds (its ticket left the scope and was forgotten). The replica starts again
  // as `fresh` (docs/protocol.md, "409 gap"): every own change from `lost_from` on is taken out of
  // the log and recorded again, in order, as a change of `fresh` with its content (a `base` or
  // `request` naming one of them names its new id), unsent. `keep_id` keeps `fresh` as this
  // device's id inside the same transaction, so a crash leaves either the old replica or the new
  // one with its changes, never changes of an id the device does not use. Returns how many were
  // recorded again.
  Result<int64_t> start_again(const ReplicaId& fresh, uint64_t lost_from, int64_t now_ms,
                              const std::function<Result<void>()>& keep_id);

 private:
  Store& m_store;
  ReplicaId m_self;
  Author m_author;
  uint64_t m_resend_from = 0;  // 0: the outbox only.
};

// The server's side of the same protocol: what a route handler calls between decode and encode.
class ServerSync {
 public:
  explicit ServerSync(Store& store) : m_store(store) {}
  Result<PushResponse> take_push(const PushRequest& request, int64_t now_ms);
  Result<PullResponse> take_pull(const PullRequest& request);

 private:
  Store& m_store;
};

}  // namespace linli
