// The inbox (工单列表) as the store answers it: one page of rows at a time, sorted by any column,
// filtered, searched; the app never holds every ticket. Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ticket.h"

// 待审批, as SQL over the tickets table: a 退单 or 延期 request no decision names, on a ticket not
// closed (migration 14's indexes). Shared by the inbox's filter and the status bar's count.
// The time-left sort's key (migration 8's index inbox_by_due, remade by 19; the same text wherever
// it is written, or the index is not used): the deadline where one runs; else open tickets, then
// closed ones, each newest first, so a ticket waiting for its visit or a co-handler's reply is not
// found under a street's years of closed tickets.
#define LINLI_DUE_KEY                                                                                   \
  "(CASE WHEN due_at > 0 THEN due_at WHEN status <> 'closed' THEN 8000000000000000000 - received_at " \
  "ELSE 9000000000000000000 - received_at END)"

#define LINLI_PENDING_REQUEST                                                                                  \
  "rowid IN (SELECT t.rowid FROM timeline r JOIN tickets t ON t.id = r.ticket_id WHERE r.kind IN "            \
  "('return_request', 'extension_request') AND t.status IN ('assigned', 'in_progress') AND NOT EXISTS (SELECT 1 FROM timeline d " \
  "WHERE d.kind = 'decision' AND d.request = r.change_id))"

// A conflict row `c` of ticket `t` that still waits for someone: a status conflict, or a field
// conflict whose field still holds the winner's value (open_field_conflict, a function every store
// connection has: FieldConflict::open, in SQL). Once anyone sets the field again it is decided.
#define LINLI_OPEN_CONFLICT \
  "(c.kind = 'status' OR (c.kind = 'field' AND open_field_conflict(t.versions, c.subject, c.winner)))"

// 催办 not yet answered, as SQL over ticket `t`: assigned or in progress, and the centre's newest
// urge entry is newer than anything its handlers (anyone but the centre) wrote to the timeline.
#define LINLI_URGED                                                                                          \
  "(t.status IN ('assigned', 'in_progress') AND EXISTS (SELECT 1 FROM timeline u WHERE u.ticket_id = t.id " \
  "AND u.kind = 'urge' AND u.hlc > coalesce((SELECT max(w.hlc) FROM timeline w WHERE w.ticket_id = t.id "    \
  "AND w.role <> 'centre'), 0)))"
// The tickets LINLI_URGED holds, found from the urges (migration 17's index).
#define LINLI_URGED_TICKETS \
  "rowid IN (SELECT t.rowid FROM tickets t WHERE t.id IN (SELECT ticket_id FROM timeline WHERE kind = 'urge') AND " LINLI_URGED ")"

namespace linli {

enum class InboxSort { Number, Received, Source, Category, Urgency, Community, Status, Department, Due };
inline constexpr int kInboxSortCount = 9;

struct InboxFilter {
  std::optional<TicketStatus> status;
  std::optional<Category> category;
  std::optional<Source> source;
  std::optional<Urgency> urgency;
  std::string community;        // Exact; empty: any.
  // Empty: any. Else tickets this department leads or co-handles (a co-handler not removed, merge
  // rule R12): "mine" for a department, as its scope (policy/write_policy.h may_see) is.
  std::string lead_department;
  bool overdue = false;         // Due before now_ms.
  bool due_today = false;       // Due from now_ms to the end of today (Shanghai).
  // Whose deadlines overdue and due_today (and a row's time left) are. Empty: each ticket's stage
  // deadline (core/deadline.h, the lead's). A department: the deadlines it owes, the stage of a
  // ticket it leads and its own reply to one it co-handles while that is pending (kCoHandlingWorkdays).
  std::string deadlines_of;
  // deadlines_of is a field team's scope: it works as lead (policy/write_policy.cpp
  // co_handler_only) also the tickets of the community its scope names and every ticket found on
  // patrol, whoever leads them, so their stage deadlines are its own as well.
  bool deadlines_of_field_team = false;
  bool needs_review = false;    // In review (待复核), or a field or status conflict kept on it.
  bool warning = false;         // 预警: the last return visit was dissatisfied (core/deadline.h).
  // 待审批: a 退单 or 延期 request the centre has not decided, on a ticket not closed.
  bool pending_request = false;
  bool urged = false;           // 催办 the handler has not answered yet (LINLI_URGED).
  // No co-handler's reply pending (R12): with status Handled, the tickets a return visit may be
  // made on now (待回访), not those 已办结·待协办回复.
  bool no_reply_pending = false;
  bool include_deleted = false;
  // Any part of the official or provisional number, the citizen's name or phone, title,
  // description or address (trigram FTS5; one or two characters through its term list).
  std::string text;
  int64_t now_ms = 0;  // For overdue and due today.
};

// A row's place in a sort, so the next page starts right after it (keyset paging): its sort
// value, then the tie-breakers every sort index ends with: receipt time, due key (due_at, or past
// every deadline when nothing is due) and the row's place in this store (rowid). Valid while the
// store is open (a VACUUM may renumber rows).
struct InboxKey {
  bool is_text = false;
  std::string text;
  int64_t number = 0;
  int64_t received_at = 0;
  int64_t due_key = 0;
  int64_t rowid = 0;
  std::string id;  // The ticket's.
};

struct InboxQuery {
  InboxFilter filter;
  InboxSort sort = InboxSort::Received;
  bool descending = true;
  int limit = 100;
  // The page after this row (keyset); without one, `offset` rows are skipped (a jump).
  std::optional<InboxKey> after;
  int64_t offset = 0;
  // How many rows the filter gives (inbox_count), when the caller knows it; -1: the store counts.
  // It chooses the plan: many rows are read along the sort's index, few are found by the filter's
  // index (or the search) and sorted.
  int64_t rows_expected = -1;
};

struct InboxRow {
  std::string id;
  std::string number;  // Official, or provisional before the server gave one.
  std::string provisional_number;
  Source source = Source::Hotline;
  int64_t received_at_ms = 0;
  Category category = Category::Other;
  Urgency urgency = Urgency::Normal;
  std::string community, address, title, lead_department;
  TicketStatus status = TicketStatus::Received;
  // 0: nothing due, or unknown (due_stage "unknown"). With InboxFilter::deadlines_of, on a ticket
  // that department only co-handles (does not work as lead): its reply's deadline, due_stage
  // "co_reply" (0 once it replied).
  int64_t due_at_ms = 0;
  std::string due_stage;
  bool conflict = false;  // In review, or a conflict kept.
  bool warning = false;   // 预警.
  // Handled by the lead while a co-handler has not replied: one derived status, 已办结·待协办回复,
  // in the list as in the detail (the ticket counts as handled when every co-handler has replied).
  bool awaiting_co_handlers = false;
  // A 退单 or 延期 request waits for the centre's decision (LINLI_PENDING_REQUEST): 待审批 in the row.
  bool pending_request = false;
  // The centre pressed the handler (催办) and the handler has not written since (LINLI_URGED).
  bool urged = false;
  // 反弹: linked as the recurrence of an earlier ticket at the same place (links, kind rebound).
  bool rebound = false;
  // 已反弹: a later ticket is linked as this one's recurrence (the hoarder came back after it closed).
  bool rebounded = false;
  InboxKey key;
};

}  // namespace linli
