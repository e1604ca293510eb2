// Redoing a change the server refused: the outbox keeps it with the server's reason until the user
// discards it, or redoes it as a new change against the ticket as it stands now — offered only
// when the shared write policy (the server's own) would take it from this user now.
#include "app.h"
#include "platform/platform.h"
#include "refusal_text.h"

namespace linli::ui {

std::variant<Change, std::string> App::redo_draft(const RefusedChange& refused) {
  auto because = [&](Str why) { return std::string(tr(m_lang, why)); };
  if (!m_client || !m_session) return because(Str::SignInFirst);
  const Change& was = refused.change;
  if (was.kind != ChangeKind::SetField && was.kind != ChangeKind::Transition && was.kind != ChangeKind::AddEntry)
    return because(Str::RedoKind);
  auto state = m_store.get_ticket_state(was.ticket_id);
  if (!state) return state.error().detail;
  if (!*state || !(*state)->exists) return because(Str::RedoGone);
  const TicketState& now = **state;
  Change c;
  c.ticket_id = was.ticket_id;
  c.kind = was.kind;
  if (was.kind == ChangeKind::SetField) {
    if (field_value(now, was.field) == was.value) return because(Str::RedoSameValue);
    c.field = was.field;
    c.value = was.value;
    c.base = now.fields[static_cast<size_t>(was.field)].id;
  } else if (was.kind == ChangeKind::Transition) {
    const auto to = workflow_target(now.ticket.status, was.action, m_session->role);
    if (!to) return because(Str::RedoStepGone);
    c.action = was.action;
    c.from = now.ticket.status;
    c.to = *to;
    c.seen_work = now.work_count;
    c.base = now.status.id;
  } else {
    c.entry = was.entry;
  }
  Change judged = c;
  judged.author = Author{m_session->user, m_session->role};
  if (auto refusal = judge_change(actor(), now, judged)) return refusal_text(m_lang, *refusal);
  return c;
}

void App::judge_redos() {
  m_redo_blocked.clear();
  for (const RefusedChange& r : m_refused) {
    auto d = redo_draft(r);
    m_redo_blocked.push_back(std::holds_alternative<std::string>(d) ? std::optional(std::get<std::string>(d))
                                                                     : std::nullopt);
  }
}

const std::optional<std::string>& App::why_not_redo(size_t index) const {
  static const std::optional<std::string> unknown = std::string("?");
  return index < m_redo_blocked.size() ? m_redo_blocked[index] : unknown;
}

bool App::redo_refused(const ChangeId& id) {
  m_error.clear();
  const RefusedChange* refused = nullptr;
  for (const RefusedChange& r : m_refused)
    if (r.change.id == id) refused = &r;
  if (!refused) return false;
  auto draft = redo_draft(*refused);  // Judged again: the ticket may have moved since the outbox was drawn.
  if (auto* why = std::get_if<std::string>(&draft)) {
    m_error = std::string(tr(m_lang, Str::RedoNotHere)) + *why;
    return false;
  }
  const int64_t now = platform::now_ms();
  auto done = m_store.in_one_transaction([&]() -> Result<void> {
    auto r = m_client->record({std::get<Change>(std::move(draft))}, now);
    if (!r) return r.error();
    return m_store.discard_refused(id);
  });
  if (!done) {
    fail(done.error());
    return false;
  }
  if (m_sync) m_sync->edited();
  set_notice(Str::Redone);
  reload();
  return true;
}

}  // namespace linli::ui
