// The server's judgement of a push, before anything is applied: who sent it, whether its counters
// follow on, and each change against the write policy (policy/write_policy.h). Transport-agnostic:
// the route decodes, calls judge_push, applies what passed and encodes; no HTTP status here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/merge.h"
#include "core/result.h"
#include "policy/write_policy.h"
#include "sync/wire.h"

namespace linli {

// Why a whole push is refused (nothing of it applied, no counter consumed).
enum class PushFailure {
  ForgedReplica,  // A change is not the pushing replica's.
  ForgedAuthor,   // A change names an author other than the signed-in user and role.
  Gap,            // A counter skips one the server has not got: send from `expected_counter`.
};
std::string_view to_string(PushFailure f);  // "forged_replica", "forged_author", "gap"

struct PushVerdict {
  std::optional<PushFailure> failure;
  std::string failure_detail;
  uint64_t expected_counter = 0;                // Gap: the counter to send first.
  std::vector<bool> fresh;                      // Per change: new to the server (not a duplicate, R9).
  std::vector<std::optional<Refusal>> refused;  // Per fresh change: why it is refused, if it is.
  std::vector<size_t> created;                  // Indexes of the accepted creates, in order.
  uint64_t last_counter = 0;                    // The replica's last counter once this push is taken.
};

// The tickets as a group of pushes leaves them, so that each push is judged after the ones before
// it in the same group; filled from `load` (the server's state now) as tickets come up.
class PushView {
 public:
  using Load = std::function<Result<TicketState>(const std::string& ticket)>;
  explicit PushView(Load load) : m_load(std::move(load)) {}
  Result<TicketState*> state(const std::string& ticket);
  std::map<ReplicaId, uint64_t> applied;  // Per replica: its last counter after the pushes so far.
  // A facility's community as the server holds it ("" when unknown; F5, R15); none set: unchecked.
  std::function<Result<std::string>(const std::string& facility)> facility_community;
  std::map<std::string, std::string> facilities;  // Communities fixed by this group's pushes.

 private:
  Load m_load;
  std::map<std::string, TicketState> m_states;
};

// Judges `push` by `user` (signed in as `actor`): first the envelope (every change the replica's
// and the user's, counters from `applied_counter` + 1 without a hole, duplicates at or below it),
// then each fresh change: unreadable (push.unreadable) → invalid, validate_change → invalid, then
// the write policy against the state its ticket has in `view`. Accepted creates enter the view.
Result<PushVerdict> judge_push(const std::string& user, const Actor& actor, const PushRequest& push,
                               uint64_t applied_counter, PushView& view);

}  // namespace linli
