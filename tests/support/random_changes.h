// Random change drafts for the convergence harnesses (tests/sync/convergence_test.cpp in process,
// tests/sync/http_convergence_test.cpp against the real server): every kind of change, on tickets
// the drafting replica holds. Plus what both harnesses report: dump differences and statistics.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/change.h"
#include "store/store.h"
#include "support/changes.h"

namespace linli::test {

inline int64_t env_int(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoll(v, nullptr, 10) : fallback;
}

// The seed of a run: LINLI_SEED, or a fresh one. Printed with the run's length and how to replay it.
inline uint64_t announce_seed(const char* harness, int64_t length) {
  const uint64_t seed = static_cast<uint64_t>(env_int("LINLI_SEED", static_cast<int64_t>(std::random_device{}())));
  std::printf("%s: seed %llu, %lld changes (replay with LINLI_SEED=%llu)\n", harness,
              static_cast<unsigned long long>(seed), static_cast<long long>(length), static_cast<unsigned long long>(seed));
  return seed;
}

// Stores live on tmpfs when there is one: the harnesses are about merging, not about fsync.
inline std::string scratch_dir() {
  if (std::filesystem::exists("/dev/shm")) return "/dev/shm";
  return std::filesystem::temp_directory_path().string();
}

// Whether drafts may include what a real server refuses whatever the state: a move the drafting
// role may not take, and an official number (only the server writes one). The in-process harness
// includes them (its ServerSync checks no roles); a harness against the real server must not, or
// the refused change would stay in the client's outbox forever.
enum class ServerRefusals { Include, Exclude };

class RandomChanges {
 public:
  RandomChanges(std::mt19937_64& rng, ServerRefusals refusals) : m_rng(rng), m_refusals(refusals) {}

  // One change, as a user edits, or a few on distinct tickets at once (a form saved). Drafts carry
  // ticket, kind, base and payload; the caller records them (ClientSync::record), then count()s them.
  std::vector<Change> batch(Store& store, Role role) {
    const int n = chance(0.5) ? 2 + pick(5) : 1;
    std::vector<Change> drafts;
    for (int i = 0; i < n; ++i) {
      auto d = draft(store, role);
      if (!d) continue;
      bool clash = false;
      for (const Change& o : drafts) clash = clash || o.ticket_id == d->ticket_id;
      if (!clash) drafts.push_back(std::move(*d));
    }
    return drafts;
  }

  // Notes what was recorded: the kinds made, and new tickets to draft changes on later.
  void count(const std::vector<Change>& recorded) {
    for (const Change& c : recorded) {
      ++m_kinds[static_cast<int>(c.kind)];
      if (c.kind == ChangeKind::CreateTicket) m_tickets.push_back(c.ticket_id);
    }
    m_made += static_cast<int64_t>(recorded.size());
  }

  int64_t made() const { return m_made; }
  int64_t kind_count(ChangeKind k) const { return m_kinds[static_cast<int>(k)]; }

  std::optional<Change> draft(Store& store, Role role);

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
  bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }
  std::string random_ticket_id() {
    uint8_t b[16];
    for (auto& x : b) x = static_cast<uint8_t>(m_rng());
    return format_ticket_id(b);
  }
  void draft_field(Change& c, const TicketState& s);
  void draft_transition(Change& c, const TicketState& s, Role role);
  void draft_entry(Change& c, const TicketState& s);

  std::mt19937_64& m_rng;
  ServerRefusals m_refusals;
  std::vector<std::string> m_tickets;
  int64_t m_made = 0;
  int64_t m_kinds[kChangeKindCount] = {};
};

inline const char* const kRandomTitles[] = {"楼道堆物", "夜间施工噪音", "雨水井堵塞", "快递代收点", "鼠患", "垃圾未清运"};

inline std::optional<Change> RandomChanges::draft(Store& store, Role role) {
  Change c;
  if (m_tickets.empty() || chance(0.08)) {
    c.kind = ChangeKind::CreateTicket;
    c.ticket_id = random_ticket_id();
    c.ticket = new_ticket(c.ticket_id);
    c.ticket.title = kRandomTitles[pick(6)];
    return c;
  }
  c.ticket_id = m_tickets[static_cast<size_t>(pick(static_cast<int>(m_tickets.size())))];
  auto got = store.get_ticket_state(c.ticket_id);
  if (!got || !got->has_value()) return std::nullopt;  // Not arrived here yet.
  const TicketState& s = **got;
  const int roll = pick(100);
  if (roll < 30) {
    draft_field(c, s);
  } else if (roll < 58) {
    draft_transition(c, s, role);
  } else if (roll < 88) {
    draft_entry(c, s);
  } else if (roll < 94) {
    c.kind = ChangeKind::AttachPhoto;
    c.photo = Photo{random_ticket_id() + random_ticket_id(), 1000 + pick(100000), "image/jpeg"};
  } else {
    c.kind = ChangeKind::LinkTickets;
    c.link.other_ticket = m_tickets[static_cast<size_t>(pick(static_cast<int>(m_tickets.size())))];
    if (c.link.other_ticket == c.ticket_id) return std::nullopt;
  }
  return c;
}

inline void RandomChanges::draft_field(Change& c, const TicketState& s) {
  static const char* kAddresses[] = {"中华新路927弄", "河滨花园3号楼", "天目西路218号", "长安路101弄"};
  c.kind = ChangeKind::SetField;
  c.field = static_cast<EditableField>(pick(kEditableFieldCount));
  if (m_refusals == ServerRefusals::Exclude && c.field == EditableField::OfficialNumber) c.field = EditableField::Title;
  switch (c.field) {
    case EditableField::Category: c.value = to_string(static_cast<Category>(pick(kCategoryCount))); break;
    case EditableField::Urgency: c.value = to_string(static_cast<Urgency>(pick(kUrgencyCount))); break;
    case EditableField::Deleted: c.value = chance(0.5) ? "1" : "0"; break;
    case EditableField::CitizenPhone: c.value = chance(0.5) ? "13917261234" : "021-62981234"; break;
    case EditableField::Address: c.value = kAddresses[pick(4)]; break;
    case EditableField::OfficialNumber: c.value = "2026-11-" + std::to_string(1000 + pick(9000)); break;
    default: c.value = std::string(kRandomTitles[pick(6)]) + std::to_string(pick(100)); break;
  }
  c.base = s.fields[static_cast<size_t>(c.field)].id;
}

inline void RandomChanges::draft_transition(Change& c, const TicketState& s, Role role) {
  c.kind = ChangeKind::Transition;
  std::vector<WorkflowAction> allowed, permitted;
  for (int a = 0; a < kWorkflowActionCount; ++a) {
    const auto action = static_cast<WorkflowAction>(a);
    if (!role_may(role, action)) continue;
    permitted.push_back(action);
    if (workflow_target(s.ticket.status, action, role)) allowed.push_back(action);
  }
  // Now and then a move the workflow forbids, to exercise R7 everywhere; against a real server,
  // one the role may take (the workflow forbids it from this status only).
  if (allowed.empty() || chance(0.05)) {
    allowed = {static_cast<WorkflowAction>(pick(kWorkflowActionCount))};
    if (m_refusals == ServerRefusals::Exclude && !role_may(role, allowed[0])) allowed = permitted;
  }
  c.action = allowed[static_cast<size_t>(pick(static_cast<int>(allowed.size())))];
  c.from = s.ticket.status;
  c.to = workflow_target(c.from, c.action).value_or(TicketStatus::Closed);
  c.base = s.status.id;
  c.seen_work = s.work_count;
}

inline void RandomChanges::draft_entry(Change& c, const TicketState& s) {
  c.kind = ChangeKind::AddEntry;
  c.entry.kind = static_cast<EntryKind>(pick(kEntryKindCount));
  c.entry.text = "记录" + std::to_string(pick(1000));
  if (c.entry.kind == EntryKind::ReturnVisit) c.entry.satisfaction = static_cast<Satisfaction>(1 + pick(3));
  if (c.entry.kind == EntryKind::ExtensionRequest) c.entry.days = 1 + pick(10);
  if (c.entry.kind == EntryKind::Decision) {
    if (s.status.id.is_zero()) {
      c.entry.kind = EntryKind::Comment;
    } else {
      c.entry.request = s.status.id;
      c.entry.approved = chance(0.5);
    }
  }
  // R12: co-handlers from a few departments; a removal or reply names one the author has seen.
  static const char* const kCoDepartments[] = {"管理办", "党群办", "房管办"};
  if (c.entry.kind == EntryKind::CoHandlerAdded) c.entry.text = kCoDepartments[pick(3)];
  if (c.entry.kind == EntryKind::CoHandlerRemoved || c.entry.kind == EntryKind::CoReply) {
    if (s.co_handlers.empty()) {
      c.entry.kind = EntryKind::Comment;
    } else {
      const CoHandler& h = s.co_handlers[static_cast<size_t>(pick(static_cast<int>(s.co_handlers.size())))];
      c.entry.request = h.added;
      if (c.entry.kind == EntryKind::CoHandlerRemoved) c.entry.text = h.department.empty() ? "管理办" : h.department;
    }
  }
}

// Empty when `got` equals `want`; otherwise where they first differ, line by line.
inline std::string first_difference(const std::string& want, const std::string& got, const std::string& who) {
  if (got == want) return {};
  size_t at = 0;
  while (at < got.size() && at < want.size() && got[at] == want[at]) ++at;
  const size_t line = want.rfind('\n', at) == std::string::npos ? 0 : want.rfind('\n', at) + 1;
  return who + " differs from the server at byte " + std::to_string(at) + ":\n  server: " +
         want.substr(line, want.find('\n', at) - line) + "\n  " + who + ": " + got.substr(line, got.find('\n', at) - line);
}

// How many lines a section ("## tickets") of a canonical dump has.
inline int64_t dump_section_lines(const std::string& dump, const char* title) {
  const size_t from = dump.find(std::string("## ") + title + "\n");
  if (from == std::string::npos) return 0;
  const size_t to = dump.find("## ", from + 3);
  int64_t lines = 0;
  for (size_t i = from; i < to && i < dump.size(); ++i) lines += dump[i] == '\n';
  return lines - 1;
}

// Prints what a run made: changes by kind, and the tickets, timeline and conflicts of `dump`.
inline void print_run_figures(const RandomChanges& made, const std::string& dump) {
  auto n = [&](ChangeKind k) { return static_cast<long long>(made.kind_count(k)); };
  std::printf("changes %lld (create %lld, set_field %lld, transition %lld, entry %lld, photo %lld, link %lld)\n",
              static_cast<long long>(made.made()), n(ChangeKind::CreateTicket), n(ChangeKind::SetField),
              n(ChangeKind::Transition), n(ChangeKind::AddEntry), n(ChangeKind::AttachPhoto), n(ChangeKind::LinkTickets));
  std::printf("tickets %lld, timeline %lld, conflicts %lld\n", static_cast<long long>(dump_section_lines(dump, "tickets")),
              static_cast<long long>(dump_section_lines(dump, "timeline")),
              static_cast<long long>(dump_section_lines(dump, "conflicts")));
}

}  // namespace linli::test
