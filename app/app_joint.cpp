// 联合处置 (joint handling): the App's commands and views of a ticket's co-handlers (merge rule
// R12). Every write is a timeline entry judged first by the shared write policy (P8-P10), as the
// server will judge it. No drawing here.
#include <algorithm>

#include "app.h"

namespace linli::ui {
namespace {

Change co_entry(const std::string& ticket, EntryKind kind, const ChangeId& added, std::string text) {
  Change c;
  c.ticket_id = ticket;
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = kind;
  c.entry.request = added;
  c.entry.text = std::move(text);
  return c;
}

}  // namespace

std::vector<App::CoHandlerView> App::co_handlers() const {
  std::vector<CoHandlerView> out;
  if (!m_state) return out;
  for (const CoHandler& h : m_state->co_handlers) {
    if (h.added_at_ms == 0) continue;  // Its add has not arrived here yet.
    CoHandlerView v{h, co_handler_due(calendar(), h), {}};
    for (const TimelineEntry& e : m_timeline)
      if (e.entry.kind == EntryKind::CoReply && e.entry.request == h.added) v.replies.push_back(e);
    std::sort(v.replies.begin(), v.replies.end(),
              [](const TimelineEntry& a, const TimelineEntry& b) { return a.at_ms < b.at_ms; });
    out.push_back(std::move(v));
  }
  return out;
}

bool App::awaiting_co_handlers() const {
  return m_state && m_state->ticket.status == TicketStatus::Handled && pending_co_handlers(*m_state) > 0;
}

std::optional<Refusal> App::why_not_add_co_handler(const std::string& department) const {
  return judge(co_entry(m_selected, EntryKind::CoHandlerAdded, {}, department.empty() ? std::string("-") : department));
}

std::optional<Refusal> App::why_not_remove_co_handler(const ChangeId& added) const {
  const CoHandler* h = m_state ? find_co_handler(*m_state, added) : nullptr;
  return judge(co_entry(m_selected, EntryKind::CoHandlerRemoved, added, h ? h->department : std::string("-")));
}

std::optional<Refusal> App::why_not_co_reply(const ChangeId& added) const {
  return judge(co_entry(m_selected, EntryKind::CoReply, added, "-"));  // Any text: who and which are judged.
}

bool App::add_co_handler(const std::string& department) {
  if (!m_state) return false;
  if (department.empty()) {
    m_error = std::string(tr(m_lang, Str::ErrMissing));
    return false;
  }
  return record({co_entry(m_selected, EntryKind::CoHandlerAdded, {}, department)});
}

bool App::remove_co_handler(const ChangeId& added) {
  const CoHandler* h = m_state ? find_co_handler(*m_state, added) : nullptr;
  if (!h) return false;
  return record({co_entry(m_selected, EntryKind::CoHandlerRemoved, added, h->department)});
}

bool App::co_reply(const ChangeId& added, const std::string& text) {
  if (!m_state) return false;
  if (text.empty()) {
    m_error = std::string(tr(m_lang, Str::ErrMissing));
    return false;
  }
  return record({co_entry(m_selected, EntryKind::CoReply, added, text)});
}

}  // namespace linli::ui
