// Turns the demo street's script (demo_street.h) into change records. Each step is folded with the
// merge rules as it is written, so every base, from and seen_work is the one the author saw.
#include "core/demo_data.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <map>
#include <string_view>

#include "core/demo_photos.h"
#include "core/demo_street.h"
#include "core/merge.h"

namespace linli {
namespace {

using demo::DemoTicket;
using demo::Do;
using demo::Step;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

// Who handles a ticket a department or committee leads: each has a demo account
// (sync-server/server.cpp, seed_demo_users; password linli-demo).
struct Handler {
  std::string_view department;
  std::string_view user;
  Role role;
};
constexpr Handler kHandlers[] = {
    {"管理办", "guanli.wang", Role::Department},     {"除害站", "chuhai.chen", Role::Field},
    {"河滨花园居委会", "hebin.li", Role::Committee}, {"服务办", "fuwu.zhao", Role::Department},
    {"营商办", "yingshang.sun", Role::Department},   {"平安办", "pingan.qian", Role::Department},
    {"房管办", "fangguan.zhou", Role::Department},   {"城管中队", "chengguan.xu", Role::Department},
    {"普善路小区居委会", "pushan.wu", Role::Committee},  {"天目西路小区居委会", "tianmu.he", Role::Committee},
    {"中华新路927弄居委会", "zhonghua.gu", Role::Committee}, {"党群办", "dangqun.lin", Role::Department},
    {"市场监管所", "shijian.ma", Role::Department},  {"1+8联动平台", "lianhe.tang", Role::Department},
};
const Author kCentre{"zhang.bin", Role::Centre};

Entry make_entry(EntryKind kind, const std::string& text) {
  Entry e;
  e.kind = kind;
  e.text = text;
  return e;
}

Author handler_of(std::string_view department) {
  for (const Handler& h : kHandlers)
    if (h.department == department) return Author{std::string(h.user), h.role};
  assert(false && "demo script: a department without a handler");
  return kCentre;
}

std::vector<DemoTicket> street() {
  std::vector<DemoTicket> all = demo::demo_street_north();
  for (DemoTicket& t : demo::demo_street_south()) all.push_back(std::move(t));
  for (DemoTicket& t : demo::demo_street_history()) all.push_back(std::move(t));
  for (DemoTicket& t : demo::demo_epidemic_2020()) all.push_back(std::move(t));
  return all;
}

// Writes one ticket's changes, folding each into m_state so the next one's bases follow it.
class TicketWriter {
 public:
  TicketWriter(std::vector<Change>& out, const ReplicaId& replica, uint64_t& counter, std::string ticket_id,
               int64_t first_at)
      : m_out(out), m_replica(replica), m_counter(counter), m_ticket(std::move(ticket_id)), m_at(first_at) {}

  void create(const DemoTicket& d, int64_t received) {
    Change c = draft(kCentre, ChangeKind::CreateTicket);
    Ticket& t = c.ticket;
    t.id = m_ticket;
    t.source = d.source;
    t.category = d.category;
    t.urgency = d.urgency;
    t.received_at_ms = received;
    t.citizen_name = d.name;
    t.citizen_phone = d.phone;
    t.community = d.community;
    t.address = d.address;
    t.title = d.title;
    t.description = d.description;
    t.created_at_ms = t.updated_at_ms = c.stamp.ms;
    emit(std::move(c));
  }

  void step(const Step& s, int64_t at) {
    m_at = std::max(m_at, at);  // Never before the step it follows.
    switch (s.what) {
      case Do::Contact:
        entry(kCentre, EntryKind::Contact, s.text);
        if (m_state.ticket.status == TicketStatus::Received) move(kCentre, WorkflowAction::ContactCitizen);
        break;
      case Do::Urgent:
        set(kCentre, EditableField::Urgency, "urgent");
        break;
      case Do::Assign:
        set(kCentre, EditableField::LeadDepartment, s.text);
        move(kCentre, WorkflowAction::Assign);
        break;
      case Do::Start:
        move(handler(), WorkflowAction::Start);
        break;
      case Do::Note:
        entry(handler(), EntryKind::HandlingNote, s.text);
        break;
      case Do::Progress:
        entry(handler(), EntryKind::ProgressReport, s.text);
        break;
      case Do::Handle:
        entry(handler(), EntryKind::HandlingNote, s.text);
        move(handler(), WorkflowAction::Handle);
        break;
      case Do::Visit: {
        Entry e = make_entry(EntryKind::ReturnVisit, s.text);
        e.satisfaction = static_cast<Satisfaction>(s.arg);
        add(kCentre, e);
        move(kCentre, WorkflowAction::ReturnVisit);
        break;
      }
      case Do::Close:
        move(kCentre, WorkflowAction::Close);
        break;
      case Do::Reopen:
        entry(kCentre, EntryKind::Comment, s.text);
        move(kCentre, WorkflowAction::Reopen);
        break;
      case Do::ReturnAsk:
        m_request = entry(handler(), EntryKind::ReturnRequest, s.text);
        break;
      case Do::ReturnYes:  // As the app approves a 退单: the department leads it no more.
        decide(s.text, true);
        move(kCentre, WorkflowAction::ApproveReturn);
        set(kCentre, EditableField::LeadDepartment, "");
        break;
      case Do::ExtendAsk: {
        Entry e = make_entry(EntryKind::ExtensionRequest, s.text);
        e.days = s.arg;
        m_request = add(handler(), e);
        break;
      }
      case Do::ExtendYes:
        decide(s.text, true);
        break;
      case Do::ExtendNo:
        decide(s.text, false);
        break;
      case Do::Link: {
        Change c = draft(kCentre, ChangeKind::LinkTickets);
        c.link = Link{demo_ticket_id(s.arg), LinkKind::Rebound};
        emit(std::move(c));
        break;
      }
      case Do::Comment:
        entry(kCentre, EntryKind::Comment, s.text);
        break;
      case Do::Photo: {
        Change c = draft(handler(), ChangeKind::AttachPhoto);
        c.photo = demo_photo(static_cast<PhotoPhase>(s.arg));
        emit(std::move(c));
        break;
      }
      case Do::CoAdd:
        m_co_department = s.text;
        m_co = entry(kCentre, EntryKind::CoHandlerAdded, s.text);
        break;
      case Do::Urge:
        entry(kCentre, EntryKind::Urge, s.text);
        break;
      case Do::CoReply: {
        Entry e = make_entry(EntryKind::CoReply, s.text);
        e.request = m_co;
        add(handler_of(m_co_department), e);
        break;
      }
    }
  }

 private:
  Author handler() const { return handler_of(m_state.lead_department); }

  Change draft(const Author& author, ChangeKind kind) {
    Change c;
    c.id = ChangeId{m_replica, m_counter++};
    c.stamp = Hlc{m_at, 0};
    m_at += 1000;  // The next change of a step follows a second later.
    c.ticket_id = m_ticket;
    c.author = author;
    c.kind = kind;
    return c;
  }
  ChangeId emit(Change c) {
    [[maybe_unused]] const MergeOutcome outcome = merge_change(m_state, c);
    assert(!outcome.conflict && "demo script: a step that does not apply as meant");
    m_out.push_back(std::move(c));
    return m_out.back().id;
  }
  ChangeId add(const Author& author, Entry e) {
    Change c = draft(author, ChangeKind::AddEntry);
    c.entry = std::move(e);
    return emit(std::move(c));
  }
  ChangeId entry(const Author& author, EntryKind kind, const std::string& text) {
    return add(author, make_entry(kind, text));
  }
  void decide(const std::string& text, bool approved) {
    Entry e = make_entry(EntryKind::Decision, text);
    e.request = m_request;
    e.approved = approved;
    add(kCentre, e);
  }
  void set(const Author& author, EditableField field, std::string value) {
    Change c = draft(author, ChangeKind::SetField);
    c.field = field;
    c.value = std::move(value);
    c.base = m_state.fields[static_cast<size_t>(field)].id;
    emit(std::move(c));
  }
  void move(const Author& author, WorkflowAction action) {
    Change c = draft(author, ChangeKind::Transition);
    c.action = action;
    c.from = m_state.ticket.status;
    c.to = workflow_target(c.from, action, author.role).value_or(c.from);
    c.base = m_state.status.id;
    c.seen_work = m_state.work_count;
    emit(std::move(c));
  }

  std::vector<Change>& m_out;
  ReplicaId m_replica;
  uint64_t& m_counter;
  std::string m_ticket;
  TicketState m_state;
  int64_t m_at;        // The next change's time.
  ChangeId m_request;  // The last 退单 or 延期 request, for the centre's decision.
  ChangeId m_co;       // The last co-handler added, and its department, for its reply.
  std::string m_co_department;
};

// A ticket's receipt in milliseconds since the epoch (demo_street.h, When).
int64_t received_at(const demo::When& w, int64_t now_ms) {
  if (w.at_ms != 0) return w.at_ms;
  if (w.days_ago == 0) return now_ms - w.minutes * kMinute;
  constexpr int64_t kDayMs = 24 * kHour, kShanghai = 8 * kHour;  // UTC+8, no daylight saving.
  const int64_t today = (now_ms + kShanghai) / kDayMs * kDayMs - kShanghai;
  return today - w.days_ago * kDayMs + w.minutes * kMinute;
}

// The script's changes, ticket by ticket, numbered from 1.
std::vector<Change> script_changes(int64_t now_ms, const ReplicaId& replica) {
  std::vector<Change> out;
  uint64_t counter = 1;
  int n = 0;
  for (const DemoTicket& d : street()) {
    const int64_t received = received_at(d.received, now_ms);
    // Typed in while the call goes on: the create two minutes after the call began.
    TicketWriter w(out, replica, counter, demo_ticket_id(++n), received + 2 * kMinute);
    w.create(d, received);
    for (const Step& s : d.steps) w.step(s, received + s.minutes * kMinute);
  }
  return out;
}

}  // namespace

int demo_ticket_count() { return static_cast<int>(street().size()); }

std::string demo_ticket_id(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "de5eed%026d", n);
  return id;
}

std::vector<Change> demo_changes(int64_t now_ms, const ReplicaId& replica, uint64_t first_counter) {
  std::vector<Change> out = script_changes(now_ms, replica);
  // The street's log in time order: sort by stamp (a ticket's own changes are already in order,
  // and a stable sort keeps them so), then number the changes in that order and follow the ids.
  std::stable_sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.stamp < b.stamp; });
  std::map<uint64_t, uint64_t> renumbered;
  for (size_t i = 0; i < out.size(); ++i) renumbered[out[i].id.counter] = first_counter + i;
  auto follow = [&](ChangeId& id) {
    if (!id.is_zero()) id.counter = renumbered.at(id.counter);
  };
  for (Change& c : out) {
    follow(c.id);
    follow(c.base);
    follow(c.entry.request);
  }
  return out;
}

std::vector<Ticket> demo_tickets(int64_t now_ms) {
  std::map<std::string, TicketState> states;
  for (const Change& c : script_changes(now_ms, ReplicaId{1, 1})) merge_change(states[c.ticket_id], c);
  std::vector<Ticket> out;
  for (int n = 1; n <= static_cast<int>(states.size()); ++n) out.push_back(states[demo_ticket_id(n)].ticket);
  return out;
}

}  // namespace linli
