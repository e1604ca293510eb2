// The workbench's moves on many tickets at once (bulk 派单 and urgency on the tickets marked in the
// inbox) and the inbox's saved views. Each bulk move is judged ticket by ticket with the shared
// write policy, as the server will judge it, and recorded in one transaction.
#include <nlohmann/json.hpp>

#include "app.h"
#include "platform/platform.h"
#include "refusal_text.h"

namespace linli::ui {

void App::mark(const std::string& id, bool on) {
  if (on) m_marked.insert(id);
  else m_marked.erase(id);
  ++m_revision;
}

App::BulkResult App::bulk(const std::function<BulkDrafts(const TicketState&)>& drafts_for) {
  BulkResult out;
  m_error.clear();
  if (!m_client || !m_session) {
    m_error = std::string(tr(m_lang, Str::SignInFirst));
    return out;
  }
  std::vector<Change> all;
  const Author author{m_session->user, m_session->role};
  for (const std::string& id : m_marked) {
    auto state = m_store.get_ticket_state(id);
    if (!state || !*state || !(*state)->exists) {
      ++out.skipped;
      continue;
    }
    BulkDrafts made = drafts_for(**state);
    std::optional<std::string> refused;
    if (auto* why = std::get_if<std::string>(&made)) refused = *why;
    std::vector<Change> drafts;
    if (auto* d = std::get_if<std::vector<Change>>(&made)) drafts = std::move(*d);
    for (const Change& d : drafts) {
      if (refused) break;
      Change c = d;
      c.author = author;
      if (auto why = judge_change(actor(), **state, c)) refused = why->reason;
    }
    if (refused) {
      if (out.first_reason.empty()) out.first_reason = *refused;
      ++out.skipped;
      continue;
    }
    ++out.done;
    for (Change& d : drafts) all.push_back(std::move(d));
  }
  if (!all.empty()) {
    const int64_t now = platform::now_ms();
    auto r = m_client->record(std::move(all), now);
    if (!r) {
      fail(r.error());
      out.skipped += out.done;
      out.done = 0;
    } else {
      if (m_sync) m_sync->edited();
      set_notice(Str::Recorded);
    }
  }
  m_marked.clear();
  out.at_ms = platform::now_ms();
  m_last_bulk = out;
  reload();
  return out;
}

App::BulkResult App::bulk_assign(const std::string& department) {
  if (department.empty()) {
    m_error = std::string(tr(m_lang, Str::ErrMissing));
    return {};
  }
  return bulk([&](const TicketState& st) -> BulkDrafts {
    std::vector<Change> drafts;
    const auto to = workflow_target(st.ticket.status, WorkflowAction::Assign);
    if (!to) return std::string(tr(m_lang, Str::RedoStepGone));
    if (already_with(st, department)) return tr_with(m_lang, Str::ErrAlreadyWith, department);
    if (department != st.lead_department) {
      Change d;
      d.ticket_id = st.ticket.id;
      d.kind = ChangeKind::SetField;
      d.field = EditableField::LeadDepartment;
      d.base = st.fields[static_cast<size_t>(EditableField::LeadDepartment)].id;
      d.value = department;
      drafts.push_back(std::move(d));
    }
    Change t;
    t.ticket_id = st.ticket.id;
    t.kind = ChangeKind::Transition;
    t.action = WorkflowAction::Assign;
    t.from = st.ticket.status;
    t.to = *to;
    t.seen_work = st.work_count;
    t.base = st.status.id;
    drafts.push_back(std::move(t));
    return drafts;
  });
}

App::BulkResult App::bulk_urge(const std::string& text) {
  return bulk([&](const TicketState& st) -> BulkDrafts {
    Change d;
    d.ticket_id = st.ticket.id;
    d.kind = ChangeKind::AddEntry;
    d.entry.kind = EntryKind::Urge;
    d.entry.text = text;
    d.author = Author{m_session->user, m_session->role};
    if (auto why = judge_entry(actor(), st, d)) return refusal_text(m_lang, *why);
    return std::vector<Change>{std::move(d)};
  });
}

App::BulkResult App::bulk_urgency(Urgency urgency) {
  return bulk([&](const TicketState& st) -> BulkDrafts {
    std::vector<Change> drafts;
    if (st.ticket.urgency == urgency) return drafts;  // Already so: nothing to record, nothing refused.
    Change d;
    d.ticket_id = st.ticket.id;
    d.kind = ChangeKind::SetField;
    d.field = EditableField::Urgency;
    d.base = st.fields[static_cast<size_t>(EditableField::Urgency)].id;
    d.value = std::string(to_string(urgency));
    drafts.push_back(std::move(d));
    return drafts;
  });
}

// ---- Saved views: JSON in the store's key-value table, under the user's name.

namespace {

nlohmann::json query_json(const InboxQuery& q) {
  const InboxFilter& f = q.filter;
  nlohmann::json j = {{"sort", static_cast<int>(q.sort)}, {"descending", q.descending}, {"text", f.text},
                      {"community", f.community}, {"department", f.lead_department}, {"overdue", f.overdue},
                      {"due_today", f.due_today}, {"review", f.needs_review}, {"warning", f.warning},
                      {"pending", f.pending_request}, {"urged", f.urged}};
  if (f.status) j["status"] = to_string(*f.status);
  if (f.category) j["category"] = to_string(*f.category);
  if (f.source) j["source"] = to_string(*f.source);
  if (f.urgency) j["urgency"] = to_string(*f.urgency);
  return j;
}

InboxQuery query_of(const nlohmann::json& j) {
  InboxQuery q;
  const int sort = j.value("sort", static_cast<int>(InboxSort::Due));
  q.sort = sort >= 0 && sort < kInboxSortCount ? static_cast<InboxSort>(sort) : InboxSort::Due;
  q.descending = j.value("descending", false);
  InboxFilter& f = q.filter;
  f.text = j.value("text", "");
  f.community = j.value("community", "");
  f.lead_department = j.value("department", "");
  f.overdue = j.value("overdue", false);
  f.due_today = j.value("due_today", false);
  f.needs_review = j.value("review", false);
  f.warning = j.value("warning", false);
  f.pending_request = j.value("pending", false);
  f.urged = j.value("urged", false);
  f.status = parse_ticket_status(j.value("status", ""));
  f.category = parse_category(j.value("category", ""));
  f.source = parse_source(j.value("source", ""));
  f.urgency = parse_urgency(j.value("urgency", ""));
  return q;
}

}  // namespace

std::string App::views_key() const { return "app.views." + (m_session ? m_session->user : std::string()); }

const std::vector<App::SavedView>& App::saved_views() {
  if (m_views) return *m_views;
  m_views.emplace();
  auto text = m_store.read_value(views_key());
  if (!text || !*text) return *m_views;
  const auto j = nlohmann::json::parse(**text, nullptr, false);
  if (!j.is_array()) return *m_views;
  for (const auto& v : j)
    if (v.is_object() && v.contains("name") && v["name"].is_string() && v.contains("query") && v["query"].is_object())
      m_views->push_back(SavedView{v["name"].get<std::string>(), query_of(v["query"])});
  for (const SavedView& v : *m_views) saw({v.name, v.query.filter.text, v.query.filter.community});
  return *m_views;
}

bool App::write_views() {
  nlohmann::json j = nlohmann::json::array();
  for (const SavedView& v : *m_views) j.push_back({{"name", v.name}, {"query", query_json(v.query)}});
  if (auto r = m_store.write_value(views_key(), j.dump()); !r) {
    fail(r.error());
    return false;
  }
  ++m_revision;
  return true;
}

bool App::save_view(const std::string& name) {
  if (name.empty() || !utf8_length(name) || *utf8_length(name) > 20) {
    m_error = std::string(tr(m_lang, name.empty() ? Str::ErrMissing : Str::ErrTooLong));
    return false;
  }
  saved_views();
  SavedView v{name, query_of(query_json(m_inbox.query))};
  auto it = std::find_if(m_views->begin(), m_views->end(), [&](const SavedView& s) { return s.name == name; });
  if (it != m_views->end()) *it = std::move(v);
  else m_views->push_back(std::move(v));
  return write_views();
}

void App::apply_view(const std::string& name) {
  for (const SavedView& v : saved_views())
    if (v.name == name) {
      const int64_t now = m_inbox.query.filter.now_ms;
      m_inbox.query.filter = v.query.filter;
      m_inbox.query.filter.now_ms = now;
      m_inbox.query.sort = v.query.sort;
      m_inbox.query.descending = v.query.descending;
      inbox_changed();
      return;
    }
}

void App::delete_view(const std::string& name) {
  saved_views();
  std::erase_if(*m_views, [&](const SavedView& s) { return s.name == name; });
  write_views();
}

}  // namespace linli::ui
