// App commands: each turns a user's intent into store calls and refreshes what panels read.
#include "app.h"

#include <nlohmann/json.hpp>

#include "core/civil_time.h"
#include "platform/platform.h"

namespace linli::ui {

std::optional<ValidationCode> DraftProblems::of(TicketField f) const {
  for (const auto& p : fields)
    if (p.field == f) return p.code;
  return std::nullopt;
}

App::App(Store store) : m_store(std::move(store)) {
  m_lang = parse_lang(platform::load_setting("lang"));
  clear_draft();
  reload();
}

const Ticket* App::selected_ticket() const {
  for (const auto& t : m_tickets)
    if (t.id == m_selected) return &t;
  return nullptr;
}

void App::set_lang(Lang lang) {
  m_lang = lang;
  platform::save_setting("lang", std::string(lang_code(lang)));
}

void App::set_view(View view) {
  if (view == View::Intake && m_view != View::Intake && m_draft.title.empty() && m_draft.address.empty())
    m_draft.received_at = format_shanghai_minute(platform::now_ms());  // A fresh form says "now".
  m_view = view;
}

void App::select(const std::string& ticket_id) { m_selected = ticket_id; }

void App::fail(const Error& e) { m_error = e.detail; }

void App::reload() {
  auto list = m_store.list_tickets({.limit = 1000, .offset = 0});
  if (!list) return fail(list.error());
  m_tickets = std::move(list).value();
}

void App::clear_draft() {
  m_draft = IntakeDraft{};
  m_draft.received_at = format_shanghai_minute(platform::now_ms());
  m_problems = {};
}

Ticket App::ticket_from_draft(DraftProblems& problems) const {
  Ticket t;
  t.id = std::string(32, '0');  // Checked apart: ids are made, not typed.
  t.source = m_draft.source;
  const auto received = parse_shanghai_minute(m_draft.received_at);
  t.received_at_ms = received.value_or(0);
  t.citizen_name = m_draft.citizen_name;
  t.citizen_phone = m_draft.citizen_phone;
  t.community = m_draft.community;
  t.address = m_draft.address;
  t.category = m_draft.category;
  t.urgency = m_draft.urgency;
  t.title = m_draft.title;
  t.description = m_draft.description;
  problems = {};
  problems.bad_received_at = !received;
  for (const auto& p : validate_new_ticket(t))
    if (p.field != TicketField::ReceivedAt && p.field != TicketField::Id) problems.fields.push_back(p);
  return t;
}

void App::revalidate_draft() {
  if (m_problems.any()) ticket_from_draft(m_problems);
}

bool App::submit_draft() {
  m_error.clear();
  const int64_t now = platform::now_ms();
  Ticket t = ticket_from_draft(m_problems);
  if (m_problems.any()) return false;
  uint8_t random[16];
  platform::fill_random(random, sizeof random);
  t.id = format_ticket_id(random);
  t.created_at_ms = now;
  t.updated_at_ms = now;

  auto registered = m_store.register_ticket(std::move(t), now);
  if (!registered) {
    fail(registered.error());
    return false;
  }
  t = std::move(registered).value();
  m_notice = std::string(tr(m_lang, Str::Created)) + " " + t.provisional_number;
  m_notice_at = now;
  m_selected = t.id;
  clear_draft();
  reload();
  m_view = View::Tickets;
  return true;
}

void App::load_demo() {
  m_error.clear();
  auto added = m_store.seed_demo_tickets(platform::now_ms());
  if (!added) return fail(added.error());
  reload();
}

std::string App::state_json() const {
  nlohmann::json tickets = nlohmann::json::array();
  for (const auto& t : m_tickets)
    tickets.push_back({{"id", t.id}, {"number", t.provisional_number}, {"title", t.title},
                       {"address", t.address}, {"community", t.community}, {"status", to_string(t.status)},
                       {"category", to_string(t.category)}, {"urgency", to_string(t.urgency)}});
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : m_problems.fields)
    problems.push_back({{"field", to_string(p.field)}, {"code", to_string(p.code)}});
  if (m_problems.bad_received_at) problems.push_back({{"field", "received_at"}, {"code", "bad_format"}});
  nlohmann::json s = {{"lang", lang_code(m_lang)},
                      {"view", m_view == View::Tickets ? "tickets" : "intake"},
                      {"tickets", tickets},
                      {"selected", m_selected},
                      {"problems", problems},
                      {"notice", m_notice},
                      {"error", m_error},
                      {"pending_writes", platform::pending_durable_writes()},
                      {"online", platform::is_online()},
                      {"draft", {{"title", m_draft.title}, {"address", m_draft.address}, {"community", m_draft.community},
                                 {"citizen_name", m_draft.citizen_name}}}};
  return s.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace linli::ui
