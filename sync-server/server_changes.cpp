// Changes the server authors itself: official numbers, tickets from the hotline intake.
#include "context.h"

namespace linli::server {

Result<ChangeResult> apply_server_change(ServerContext& ctx, Change draft, int64_t now) {
  std::lock_guard lock(ctx.store_mutex);
  draft.id = ChangeId{ctx.server_replica, ctx.store.applied_counter(ctx.server_replica) + 1};
  draft.stamp = ctx.store.stamp_now(now);
  draft.author = Author{"server", Role::Centre};
  if (draft.kind == ChangeKind::SetField || draft.kind == ChangeKind::Transition) {
    // The server writes over what it holds now: the field's current version is the base.
    auto st = ctx.store.get_ticket_state(draft.ticket_id);
    if (!st) return st.error();
    if (st->has_value())
      draft.base = draft.kind == ChangeKind::SetField ? (*st)->fields[static_cast<size_t>(draft.field)].id : (*st)->status.id;
  }
  auto results = ctx.store.apply_changes({draft}, ApplyMode::Accept, now);
  if (!results) return results.error();
  ctx.store_changed.notify_all();
  return results->front();
}

}  // namespace linli::server
