// The merge rules R1-R8 (numbered in merge.h). Pure: state and change in, state and outcome out.
#include "core/merge.h"

#include <algorithm>

namespace linli {
namespace {

Conflict make_conflict(ConflictKind kind, const ChangeId& loser, const ChangeId& winner,
                       std::string subject, std::string value, std::string reason) {
  return Conflict{kind, loser, winner, std::move(subject), std::move(value), std::move(reason)};
}

MergeOutcome rejected(const Change& c, std::string subject, std::string reason) {
  return {Effect::Rejected, make_conflict(ConflictKind::Rejected, c.id, {}, std::move(subject), {}, std::move(reason))};
}

void touch(TicketState& s, const Change& c) { s.ticket.updated_at_ms = std::max(s.ticket.updated_at_ms, c.stamp.ms); }

// R2, R3, R8.
MergeOutcome merge_set_field(TicketState& s, const Change& c) {
  Version& v = s.fields[static_cast<size_t>(c.field)];
  const std::string subject(to_string(c.field));
  if (c.base == v.id) {  // R2.
    set_field_value(s, c.field, c.value);
    v = Version{c.id, c.stamp};
    touch(s, c);
    return {Effect::Applied, std::nullopt};
  }
  // R3: concurrent; the later wins, the loser's value stays visible.
  if (stamp_before(v.stamp, v.id, c.stamp, c.id)) {
    Conflict lost = make_conflict(ConflictKind::Field, v.id, c.id, subject, field_value(s, c.field),
                                  "[merge.R3] concurrent edit, the later clock won");
    set_field_value(s, c.field, c.value);
    v = Version{c.id, c.stamp};
    touch(s, c);
    return {Effect::Won, std::move(lost)};
  }
  return {Effect::Lost, make_conflict(ConflictKind::Field, c.id, v.id, subject, c.value,
                                      "[merge.R3] concurrent edit, the later clock won")};
}

// Moves the status, or sends the ticket to review when the move did not see all the work (R5).
MergeOutcome move_status(TicketState& s, const Change& c, Effect effect, std::optional<Conflict> displaced) {
  if (is_final(c.to) && c.seen_work < s.work_count) {
    s.ticket.status = TicketStatus::Review;
    s.status = Version{c.id, c.stamp};
    touch(s, c);
    return {Effect::Review,
            make_conflict(ConflictKind::Review, c.id, {}, "status", std::string(to_string(c.to)),
                          "[merge.R5] " + std::string(to_string(c.action)) + " did not see " +
                              std::to_string(s.work_count - c.seen_work) + " later work item(s)")};
  }
  s.ticket.status = c.to;
  s.status = Version{c.id, c.stamp};
  touch(s, c);
  // 直接答复 (handle from received, the centre's) answered the citizen: that is the 先行联系 too.
  if (c.action == WorkflowAction::ContactCitizen || (c.action == WorkflowAction::Handle && c.from == TicketStatus::Received))
    s.clock.push_back({ClockEventKind::Contact, c.stamp.ms, 0, {}});
  if (c.to == TicketStatus::Handled) s.clock.push_back({ClockEventKind::Handled, c.stamp.ms, 0, {}});
  if (c.action == WorkflowAction::Reopen) s.clock.push_back({ClockEventKind::Reopened, c.stamp.ms, 0, {}});
  return {effect, std::move(displaced)};
}

// R12: the co-handler set. Facts only turn on, so the order entries arrive in does not matter.
void note_co_handler(TicketState& s, const Change& c) {
  const Entry& e = c.entry;
  const bool added = e.kind == EntryKind::CoHandlerAdded;
  const ChangeId& key = added ? c.id : e.request;
  auto it = std::find_if(s.co_handlers.begin(), s.co_handlers.end(), [&](const CoHandler& h) { return h.added == key; });
  if (it == s.co_handlers.end()) {
    s.co_handlers.push_back(CoHandler{key, {}, 0, 0, false});
    it = std::prev(s.co_handlers.end());
  }
  CoHandler& h = *it;
  switch (e.kind) {
    case EntryKind::CoHandlerAdded:
      h.department = e.text;
      h.added_at_ms = c.stamp.ms;
      break;
    case EntryKind::CoHandlerRemoved:
      h.removed = true;
      if (h.added_at_ms == 0) h.department = e.text;  // Until the add says it.
      break;
    case EntryKind::CoReply:
      if (h.replied_at_ms == 0 || c.stamp.ms < h.replied_at_ms) h.replied_at_ms = std::max<int64_t>(c.stamp.ms, 1);
      break;
    default: break;
  }
}

// Entries the deadlines depend on (core/deadline.h), and the co-handler set (R12).
void note_clock_event(TicketState& s, const Change& c) {
  const Entry& e = c.entry;
  switch (e.kind) {
    case EntryKind::Contact: s.clock.push_back({ClockEventKind::Contact, c.stamp.ms, 0, {}}); break;
    case EntryKind::ReturnVisit:
      if (e.satisfaction == Satisfaction::Dissatisfied)
        s.clock.push_back({ClockEventKind::Dissatisfied, c.stamp.ms, 0, {}});
      else if (e.satisfaction == Satisfaction::Leaning)
        s.clock.push_back({ClockEventKind::Leaning, c.stamp.ms, 0, {}});
      else if (e.satisfaction != Satisfaction::None)
        s.clock.push_back({ClockEventKind::Visited, c.stamp.ms, 0, {}});
      break;
    case EntryKind::ExtensionRequest: s.clock.push_back({ClockEventKind::ExtensionAsked, c.stamp.ms, e.days, c.id}); break;
    case EntryKind::Decision:
      // Only the centre decides (the write policy refuses others); the days are the request's.
      if (!e.approved || c.author.role != Role::Centre) break;
      for (const ClockEvent& asked : s.clock)
        if (asked.kind == ClockEventKind::ExtensionAsked && asked.ref == e.request) {
          bool granted_before = false;
          for (const ClockEvent& g : s.clock)
            granted_before |= g.kind == ClockEventKind::ExtensionGranted && g.ref == e.request;
          if (!granted_before) s.clock.push_back({ClockEventKind::ExtensionGranted, c.stamp.ms, asked.days, e.request});
          break;
        }
      break;
    case EntryKind::CoHandlerAdded:
    case EntryKind::CoHandlerRemoved:
    case EntryKind::CoReply: note_co_handler(s, c); break;
    case EntryKind::ProgressReport: s.clock.push_back({ClockEventKind::Reported, c.stamp.ms, 0, {}}); break;
    case EntryKind::HandlingNote:
    case EntryKind::ReturnRequest:
    case EntryKind::Comment:
    case EntryKind::Urge: break;
  }
}

// R5, the other way round: work made before the finishing step that set a final status (stamped
// earlier), folded after it. The step did not see it, and the work's author had not seen the step
// (whoever has seen a change stamps after it: the clock's receive rule), so the ticket goes to
// review as if the work had come first. Work stamped after the step stays on a finished ticket
// as a late note does. The status version becomes the work item, so a transition made by a
// replica that had not folded it yet is concurrent with the review (R6), not a stale one (R7).
std::optional<Conflict> buried_work(TicketState& s, const Change& c) {
  if (!is_final(s.ticket.status) || s.status.id.is_zero() || !stamp_before(c.stamp, c.id, s.status.stamp, s.status.id))
    return std::nullopt;
  const TicketStatus meant = s.ticket.status;
  const ChangeId step = s.status.id;
  s.ticket.status = TicketStatus::Review;
  s.status = Version{c.id, c.stamp};
  return make_conflict(ConflictKind::Review, step, {}, "status", std::string(to_string(meant)),
                       "[merge.R5] work made before " + std::string(to_string(meant)) + " came in after it");
}

// R5, R6, R7.
MergeOutcome merge_transition(TicketState& s, const Change& c) {
  // R7: the move must be one the table allows from the status the author saw, for the author's role.
  auto allowed = check_transition(c.from, c.action, c.author.role);
  if (!allowed) return rejected(c, "status", "[merge.R7] " + allowed.error().detail);
  if (*allowed != c.to)
    return rejected(c, "status", "[merge.R7] " + std::string(to_string(c.action)) + " from " +
                                     std::string(to_string(c.from)) + " leads to " +
                                     std::string(to_string(*allowed)) + ", not " + std::string(to_string(c.to)));
  if (c.base == s.status.id) {
    if (c.from != s.ticket.status)
      return rejected(c, "status", "[merge.R7] saw status " + std::string(to_string(c.from)) + " but it is " +
                                       std::string(to_string(s.ticket.status)));
    return move_status(s, c, Effect::Applied, std::nullopt);
  }
  // R6: concurrent with the current status.
  const TicketStatus current = s.ticket.status;
  bool incoming_wins;
  if (is_final(current) != is_final(c.to)) incoming_wins = !is_final(c.to);
  else incoming_wins = stamp_before(s.status.stamp, s.status.id, c.stamp, c.id);
  if (!incoming_wins)
    return {Effect::Lost, make_conflict(ConflictKind::Status, c.id, s.status.id, "status",
                                        std::string(to_string(c.to)),
                                        "[merge.R6] concurrent status change, " +
                                            std::string(to_string(current)) + " kept")};
  Conflict displaced = make_conflict(ConflictKind::Status, s.status.id, c.id, "status",
                                     std::string(to_string(current)),
                                     "[merge.R6] concurrent status change, " +
                                         std::string(to_string(c.to)) + " won");
  return move_status(s, c, Effect::Won, std::move(displaced));
}

}  // namespace

std::string_view to_string(ConflictKind k) {
  switch (k) {
    case ConflictKind::Field: return "field";
    case ConflictKind::Status: return "status";
    case ConflictKind::Review: return "review";
    case ConflictKind::Rejected: return "rejected";
  }
  return "?";
}

std::string_view to_string(CoHandlerState st) {
  switch (st) {
    case CoHandlerState::Pending: return "pending";
    case CoHandlerState::Replied: return "replied";
    case CoHandlerState::Removed: return "removed";
  }
  return "?";
}

std::vector<std::string> co_handling_departments(const TicketState& s) {
  std::vector<std::string> out;
  for (const CoHandler& h : s.co_handlers)
    if (!h.removed && h.added_at_ms != 0 && std::find(out.begin(), out.end(), h.department) == out.end())
      out.push_back(h.department);
  return out;
}

int pending_co_handlers(const TicketState& s) {
  int n = 0;
  for (const CoHandler& h : s.co_handlers) n += h.added_at_ms != 0 && h.state() == CoHandlerState::Pending;
  return n;
}

int64_t first_handled_ms(const TicketState& s) {
  for (const ClockEvent& e : s.clock)
    if (e.kind == ClockEventKind::Handled) return e.at_ms;
  return 0;
}

bool answered_by_centre(const TicketState& s) { return s.lead_department.empty() && first_handled_ms(s) != 0; }

const CoHandler* find_co_handler(const TicketState& s, const ChangeId& added) {
  for (const CoHandler& h : s.co_handlers)
    if (h.added == added) return &h;
  return nullptr;
}

std::string_view to_string(Effect e) {
  switch (e) {
    case Effect::Applied: return "applied";
    case Effect::Won: return "won";
    case Effect::Lost: return "lost";
    case Effect::Review: return "review";
    case Effect::Rejected: return "rejected";
    case Effect::Inserted: return "inserted";
  }
  return "?";
}

MergeOutcome merge_change(TicketState& s, const Change& c) {
  // R1.
  if (c.kind == ChangeKind::CreateTicket) {
    if (s.exists) return rejected(c, "ticket", "[merge.R1] ticket exists");
    s = TicketState{};
    s.exists = true;
    s.ticket = c.ticket;
    s.ticket.status = TicketStatus::Received;
    s.ticket.updated_at_ms = c.stamp.ms;
    return {Effect::Applied, std::nullopt};
  }
  if (!s.exists) return rejected(c, "ticket", "[merge.R1] unknown ticket");
  switch (c.kind) {
    case ChangeKind::SetField: return merge_set_field(s, c);
    case ChangeKind::Transition: return merge_transition(s, c);
    case ChangeKind::AddEntry:
      note_clock_event(s, c);
      if (c.entry.kind == EntryKind::Urge) {  // R4: kept, but no work: a finishing step need not see it.
        touch(s, c);
        return {Effect::Inserted, std::nullopt};
      }
      [[fallthrough]];
    case ChangeKind::AttachPhoto:
    case ChangeKind::LinkTickets:  // R4.
      ++s.work_count;
      touch(s, c);
      return {Effect::Inserted, buried_work(s, c)};
    case ChangeKind::CreateTicket: break;
    case ChangeKind::SetFacility:
    case ChangeKind::SetCampaign:
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem:  // R13-R15: registers (core/field.h), never a ticket's fold.
      return rejected(c, "ticket", "[merge.R13] a field change is not folded into a ticket");
  }
  return rejected(c, "ticket", "[merge] unknown change kind");
}

std::string field_value(const TicketState& s, EditableField f) {
  const Ticket& t = s.ticket;
  switch (f) {
    case EditableField::Title: return t.title;
    case EditableField::Description: return t.description;
    case EditableField::Address: return t.address;
    case EditableField::Community: return t.community;
    case EditableField::Category: return std::string(to_string(t.category));
    case EditableField::Urgency: return std::string(to_string(t.urgency));
    case EditableField::CitizenName: return t.citizen_name;
    case EditableField::CitizenPhone: return t.citizen_phone;
    case EditableField::LeadDepartment: return s.lead_department;
    case EditableField::Deleted: return s.deleted ? "1" : "0";
    case EditableField::OfficialNumber: return t.official_number;
  }
  return {};
}

void set_field_value(TicketState& s, EditableField f, std::string_view v) {
  Ticket& t = s.ticket;
  switch (f) {
    case EditableField::Title: t.title = v; break;
    case EditableField::Description: t.description = v; break;
    case EditableField::Address: t.address = v; break;
    case EditableField::Community: t.community = v; break;
    case EditableField::Category: t.category = parse_category(v).value_or(t.category); break;
    case EditableField::Urgency: t.urgency = parse_urgency(v).value_or(t.urgency); break;
    case EditableField::CitizenName: t.citizen_name = v; break;
    case EditableField::CitizenPhone: t.citizen_phone = v; break;
    case EditableField::LeadDepartment: s.lead_department = v; break;
    case EditableField::Deleted: s.deleted = v == "1"; break;
    case EditableField::OfficialNumber: t.official_number = v; break;
  }
}

}  // namespace linli
