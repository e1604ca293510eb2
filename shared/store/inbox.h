// The inbox (工单列表) as the store answers it: one page of rows at a time, sorted by any column,
// filtered, searched; the app never holds every ticket. Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ticket.h"

namespace linli {

enum class InboxSort { Number, Received, Source, Category, Urgency, Community, Status, Department, Due };
inline constexpr int kInboxSortCount = 9;

struct InboxFilter {
  std::optional<TicketStatus> status;
  std::optional<Category> category;
  std::optional<Source> source;
  std::optional<Urgency> urgency;
  std::string community;        // Exact; empty: any.
  std::string lead_department;  // Exact; empty: any ("mine" for a department).
  bool overdue = false;         // Due before now_ms.
  bool due_today = false;       // Due from now_ms to the end of today (Shanghai).
  bool needs_review = false;    // In review (待复核), or a field or status conflict kept on it.
  bool warning = false;         // 预警: the last return visit was dissatisfied (core/deadline.h).
  bool include_deleted = false;
  // Chinese full text over title, description and address (trigram FTS5; one or two characters are
  // scanned), and parts of the official or provisional number, the citizen's name or phone.
  std::string text;
  int64_t now_ms = 0;  // For overdue and due today.
};

// A row's place in a sort, so the next page starts right after it (keyset paging).
struct InboxKey {
  bool is_text = false;
  std::string text;
  int64_t number = 0;
  int64_t received_at = 0;
  std::string id;
};

struct InboxQuery {
  InboxFilter filter;
  InboxSort sort = InboxSort::Received;
  bool descending = true;
  int limit = 100;
  // The page after this row (keyset); without one, `offset` rows are skipped (a jump).
  std::optional<InboxKey> after;
  int64_t offset = 0;
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
  int64_t due_at_ms = 0;  // 0: nothing due, or unknown (due_stage "unknown").
  std::string due_stage;
  bool conflict = false;  // In review, or a conflict kept.
  bool warning = false;   // 预警.
  InboxKey key;
};

}  // namespace linli
