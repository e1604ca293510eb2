// judge_push: the push's envelope, then each change against the write policy, in counter order.
#include "sync/push_judge.h"

namespace linli {
namespace {

// A whole-push refusal, or nothing: every change is the replica's and the signed-in author's.
std::optional<std::pair<PushFailure, std::string>> check_envelope(const std::string& user, const Actor& actor,
                                                                  const PushRequest& push) {
  for (size_t i = 0; i < push.changes.size(); ++i) {
    const Change& c = push.changes[i];
    if (c.id.replica != push.replica)
      return std::pair{PushFailure::ForgedReplica, "change " + to_string(c.id) + " is not the pushing replica's"};
    const bool readable = i >= push.unreadable.size() || push.unreadable[i].empty();
    if (readable && c.author.user != user)
      return std::pair{PushFailure::ForgedAuthor,
                       "change " + to_string(c.id) + " names author " + c.author.user + ", not the signed-in " + user};
    if (readable && c.author.role != actor.role)
      return std::pair{PushFailure::ForgedAuthor, "change " + to_string(c.id) + " names role " +
                                                      std::string(to_string(c.author.role)) + ", but " + user +
                                                      " signs in as " + std::string(to_string(actor.role))};
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(PushFailure f) {
  switch (f) {
    case PushFailure::ForgedReplica: return "forged_replica";
    case PushFailure::ForgedAuthor: return "forged_author";
    case PushFailure::Gap: return "gap";
  }
  return "?";
}

Result<TicketState*> PushView::state(const std::string& ticket) {
  auto it = m_states.find(ticket);
  if (it == m_states.end()) {
    auto loaded = m_load(ticket);
    if (!loaded) return loaded.error();
    it = m_states.emplace(ticket, std::move(loaded).value()).first;
  }
  return &it->second;
}

Result<PushVerdict> judge_push(const std::string& user, const Actor& actor, const PushRequest& push,
                               uint64_t applied_counter, PushView& view) {
  PushVerdict v;
  if (auto bad = check_envelope(user, actor, push)) {
    v.failure = bad->first;
    v.failure_detail = std::move(bad->second);
    return v;
  }
  const auto& changes = push.changes;
  v.fresh.assign(changes.size(), false);
  v.refused.assign(changes.size(), std::nullopt);
  auto known = view.applied.find(push.replica);
  uint64_t expect = (known != view.applied.end() ? known->second : applied_counter) + 1;
  for (size_t i = 0; i < changes.size(); ++i) {
    const uint64_t counter = changes[i].id.counter;
    if (counter < expect) continue;  // A duplicate (R9): the store answers it.
    if (counter > expect) {
      v.failure = PushFailure::Gap;
      v.expected_counter = expect;
      v.failure_detail = "change " + to_string(changes[i].id) + " came before counter " + std::to_string(expect) +
                         ": send that one first";
      return v;
    }
    v.fresh[i] = true;
    ++expect;
  }
  for (size_t i = 0; i < changes.size(); ++i) {
    if (!v.fresh[i]) continue;
    const Change& c = changes[i];
    if (i < push.unreadable.size() && !push.unreadable[i].empty()) {
      v.refused[i] = Refusal{RefusalCode::Invalid, push.unreadable[i]};
      continue;
    }
    if (auto ok = validate_change(c); !ok) {
      v.refused[i] = Refusal{RefusalCode::Invalid, ok.error().detail};
      continue;
    }
    if (is_field_kind(c.kind)) {  // Field work: judged on the change alone (F1-F5).
      std::string held;  // The facility's community as the server has it.
      if (c.kind == ChangeKind::SetFacility || c.kind == ChangeKind::SetRoundItem) {
        if (auto it = view.facilities.find(c.field_record.facility); it != view.facilities.end()) held = it->second;
        else if (view.facility_community) {
          auto k = view.facility_community(c.field_record.facility);
          if (!k) return k.error();
          held = *k;
        }
      }
      if ((v.refused[i] = judge_field_change(actor, c, held))) continue;
      if (c.kind == ChangeKind::SetFacility) view.facilities.emplace(c.field_record.facility, c.field_record.community);
      continue;
    }
    auto state = view.state(c.ticket_id);
    if (!state) return state.error();
    if ((v.refused[i] = judge_change(actor, **state, c))) continue;
    // Later changes, of this push and the next in the group, see the ticket as this one leaves it
    // (the server applies them in this order, so its fold is this one).
    merge_change(**state, c);
    if (c.kind == ChangeKind::CreateTicket) v.created.push_back(i);
  }
  v.last_counter = expect - 1;
  view.applied[push.replica] = v.last_counter;
  return v;
}

}  // namespace linli
