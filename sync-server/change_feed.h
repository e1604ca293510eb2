// The newest committed changes, each encoded once for every pull that sends it, with the scope its
// ticket had before and after the commit; and the long polls waiting for more.
//
// Why: every device keeps a long poll open, and each commit would otherwise send each of them to
// the database to read and encode the same few changes again (or, for a committee, to scan
// changes it may not see). The writer publishes once after its commit; a centre's pull is then put
// together from text already encoded, and a scoped pull goes to the database only when a change
// after its cursor touched a ticket that is, or was, in its scope.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "policy/write_policy.h"
#include "store/accounts.h"
#include "store/store.h"
#include "sync/wire.h"

namespace linli::server {

// The signed-in user as the write policy sees it.
inline Actor actor_of(const User& u) { return Actor{u.role, u.scope}; }
// Whether `u` may see a ticket of this community led by this department, co-handled by these
// (merge rule R12), found on patrol or not: the policy's may_see (policy/write_policy.h), the one
// rule for reads and writes.
inline bool in_scope(const User& u, std::string_view community, std::string_view lead_department,
                     const std::vector<std::string>& co_handling, bool found_on_patrol) {
  return may_see(actor_of(u), community, lead_department, co_handling, found_on_patrol);
}

// One published change as the feed keeps it: its text, and what a scoped pull needs to route it
// without reading it back from the log. Shared: a pull keeps the ones it sends while the feed
// moves on.
struct FedChange {
  int64_t seq = 0;
  ChangeKind kind = ChangeKind::CreateTicket;
  std::string ticket_id;        // Empty for field work.
  ReplicaId replica;            // The replica that made it.
  std::string field_community;  // Field work: the community it belongs to (policy F1).
  std::string json;             // encode_sequenced
};
using FedChanges = std::vector<std::shared_ptr<const FedChange>>;

class ChangeFeed {
 public:
  // Keeps at most about `max_bytes` of encoded changes; older ones are read from the database.
  explicit ChangeFeed(size_t max_bytes = 4u << 20) : m_max_bytes(max_bytes) {}
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Starts the feed after `last_seq`, the log's last sequence number when the server opens.
  void start_after(int64_t last_seq);
  // Reads what `writer` committed since the last publish, encodes it and wakes the long polls.
  // The caller holds the writer's lock and has just committed, so the feed receives the log in
  // sequence order, each change once, nothing uncommitted.
  Result<void> publish(Store& writer);
  int64_t last_seq() const;

  // A centre's pull answer after `head.from`, at most `limit` changes, into `text` as
  // encode(PullResponse) writes it; how many changes it holds, or nullopt when the feed no longer
  // reaches back that far (then read the database).
  std::optional<size_t> answer(PullResponse head, int limit, std::string& text) const;
  // The changes after `cursor` as published, at most `max`, in sequence order; nullopt when the
  // feed no longer reaches back to `cursor`. `more`: the feed holds more after them. A scoped
  // pull's window, neither read from the log nor decoded again.
  std::optional<FedChanges> window(int64_t cursor, int max, bool* more) const;
  // The change numbered `seq`, while the feed holds it.
  std::shared_ptr<const FedChange> find(int64_t seq) const;
  // Whether a change after `cursor` may concern `u`: its ticket in u's scope before or after its
  // commit. nullopt when the feed no longer reaches back to `cursor`. `through`: the last change
  // looked at (a commit published meanwhile is not).
  std::optional<bool> concerns(int64_t cursor, const User& u, int64_t* through = nullptr) const;
  // Whether ticket `id` is in u's scope as of the last change published, when that covers every
  // change up to `through` (then it is at least as new as a read of the log up to there). nullopt:
  // the feed cannot say (the ticket not touched since the server started, or `through` not yet
  // published): read the ticket. Spares every scoped pull a read of each ticket it meets.
  std::optional<bool> in_scope_now(const std::string& id, const User& u, int64_t through) const;

  // Sleeps until a change after `seq` is published, `deadline` passes or stop() is called.
  void wait_beyond(int64_t seq, std::chrono::steady_clock::time_point deadline);
  // Ends every wait, now and later: the server is stopping.
  void stop();
  bool stopping() const;

 private:
  struct Where {
    std::string community, lead_department;
    std::vector<std::string> co_handling;  // Departments co-handling it (R12).
    bool patrol = false;                   // Found on patrol (its source never changes).
  };
  struct Entry {
    std::shared_ptr<const FedChange> change;
    std::optional<Where> before, after;  // Unset: the ticket did not exist (before: or was not known).
    bool unknown_before = false;         // Touched first since the server started: anyone may hold it.
    bool field = false;                  // Field work: `after` holds its community (policy F1).
  };
  static bool concerns_entry(const Entry& e, const User& u);

  const size_t m_max_bytes;
  mutable std::shared_mutex m_entries_mutex;
  std::deque<Entry> m_entries;  // Sequence order; every change in (m_floor, m_published].
  size_t m_bytes = 0;
  int64_t m_floor = 0;
  int64_t m_published = 0;
  // The scope of each ticket as last published: written by the writer (under its lock and this
  // one's), read by pulls (in_scope_now). Updated before m_published moves past the changes.
  mutable std::shared_mutex m_where_mutex;
  std::unordered_map<std::string, Where> m_where;

  mutable std::mutex m_wait_mutex;
  std::condition_variable m_changed;
  int64_t m_last = 0;  // m_published, for waiters.
  bool m_stopping = false;
};

}  // namespace linli::server
