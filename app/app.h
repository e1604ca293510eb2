// The app's state and the commands panels emit. Panels read state and call commands; only this
// class touches the store. No drawing here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ticket.h"
#include "i18n.h"
#include "store/store.h"

namespace linli::ui {

enum class View { Tickets, Intake };

// What the intake form (受理登记) holds while it is being filled in.
struct IntakeDraft {
  Source source = Source::Hotline;
  std::string received_at;  // "2026-11-29 14:30", Shanghai time; prefilled with now.
  std::string citizen_name;
  std::string citizen_phone;
  std::string community;
  std::string address;
  Category category = Category::Other;
  Urgency urgency = Urgency::Normal;
  std::string title;
  std::string description;
};

// Per-field problems of the last save attempt, for the form to show beside each field.
struct DraftProblems {
  std::vector<FieldProblem> fields;
  bool bad_received_at = false;
  bool any() const { return bad_received_at || !fields.empty(); }
  std::optional<ValidationCode> of(TicketField f) const;
};

class App {
 public:
  explicit App(Store store);

  // ---- State, read by panels.
  Lang lang() const { return m_lang; }
  View view() const { return m_view; }
  const std::vector<Ticket>& tickets() const { return m_tickets; }
  const std::string& selected_id() const { return m_selected; }
  const Ticket* selected_ticket() const;
  IntakeDraft& draft() { return m_draft; }
  const DraftProblems& problems() const { return m_problems; }
  const std::string& notice() const { return m_notice; }    // Last success message.
  const std::string& error() const { return m_error; }      // Last failure, shown until the next action.
  int64_t notice_at_ms() const { return m_notice_at; }

  // ---- Commands, emitted by panels.
  void set_lang(Lang lang);
  void set_view(View view);
  void select(const std::string& ticket_id);
  // Validates the draft and, if it passes, stores a new ticket and shows the list. False otherwise.
  bool submit_draft();
  // After a refused save, checks the draft again so each problem goes away once it is fixed.
  void revalidate_draft();
  void clear_draft();
  void load_demo();
  void reload();

  // JSON of the app's state for end-to-end tests.
  std::string state_json() const;

 private:
  void fail(const Error& e);
  // The ticket the draft describes (id, numbers and times aside) and its problems.
  Ticket ticket_from_draft(DraftProblems& problems) const;

  Store m_store;
  Lang m_lang = Lang::Zh;
  View m_view = View::Tickets;
  std::vector<Ticket> m_tickets;
  std::string m_selected;
  IntakeDraft m_draft;
  DraftProblems m_problems;
  std::string m_notice;
  std::string m_error;
  int64_t m_notice_at = 0;
};

}  // namespace linli::ui
