// The inbox's pages: one SELECT per page, sorted by the column asked for with the receipt time and
// rowid as tie-breakers, in one direction, so a page and the page after a row (keyset: the row
// value (sort value, receipt time, rowid) beyond the row's) are ranges of one index of migration 8.
// Many matching rows are read along that index; few are found by the filter's index or the search
// and sorted. A jump to the middle skips rows once. Reads only.
#include <sqlite3.h>

#include <algorithm>
#include <variant>

#include "core/civil_time.h"
#include "store/inbox_rows.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {

// Where a filter's search finds its matches: the search index itself, the matches held
// (Store::search_hits) copied into temp.inbox_search_hits (a statement may be driven by them:
// found and sorted, or beside other filters), or held in memory and tested entry by entry by
// inbox_hit(rowid) (a read along a sort's index, a count of deleted tickets).
enum class HitsFrom : int { Index, Table, Memory };

namespace {

using Value = std::variant<int64_t, std::string>;

// Above this many matching rows a page is read along the sort's index (a matching row every few
// entries); at or below it the rows are found by the filter and sorted (a few thousand keys).
constexpr int64_t kReadAlongSortAbove = 4000;
// A search alone tests each index entry against its hits by rowid, which the index holds, so no
// row is read: from this many matches its page first tries the sort's index, within a budget of
// SQLite's steps (kAlongBudgetSteps: some 7,000 entries, 1-2 ms natively), and is found and
// sorted when the matches lie further along (a search for a day's numbers, read newest first).
constexpr int64_t kSearchTryAlongAbove = 500;
constexpr int kAlongBudgetSteps = 50'000;

Error read_error(sqlite3* db, std::string_view where) {
  return Error{ErrorCode::Storage, "[store." + std::string(where) + "] " + sqlite3_errmsg(db)};
}

// Each expression is written exactly as its index in migration 8 is.
constexpr const char* kStatusRank =
    "(CASE status WHEN 'received' THEN 0 WHEN 'contacted' THEN 1 WHEN 'assigned' THEN 2 WHEN 'in_progress' THEN 3 "
    "WHEN 'review' THEN 4 WHEN 'handled' THEN 5 WHEN 'visited' THEN 6 ELSE 7 END)";
constexpr const char* kCommunityKey = "(community || char(31) || address)";
constexpr const char* kDueKey = LINLI_DUE_KEY;

struct SortColumn {
  const char* expr;
  const char* index;
  bool is_text;
};

SortColumn sort_column(InboxSort s) {
  switch (s) {
    case InboxSort::Number:
      return {"(CASE WHEN official_number <> '' THEN official_number ELSE provisional_number END)", "inbox_by_number",
              true};
    case InboxSort::Received: return {"received_at", "inbox_by_received", false};
    case InboxSort::Source: return {"source", "inbox_by_source", true};
    case InboxSort::Category: return {"category", "inbox_by_category", true};
    case InboxSort::Urgency: return {"(urgency = 'urgent')", "inbox_by_urgency", false};
    case InboxSort::Community: return {kCommunityKey, "inbox_by_community", true};
    case InboxSort::Status: return {kStatusRank, "inbox_by_status", false};
    case InboxSort::Department: return {"lead_department", "inbox_by_department", true};
    // Nothing due sorts after every deadline.
    case InboxSort::Due:
      return {kDueKey, "inbox_by_due", false};
  }
  return {"received_at", "inbox_by_received", false};
}

int64_t status_rank(TicketStatus s) {
  switch (s) {
    case TicketStatus::Received: return 0;
    case TicketStatus::Contacted: return 1;
    case TicketStatus::Assigned: return 2;
    case TicketStatus::InProgress: return 3;
    case TicketStatus::Review: return 4;
    case TicketStatus::Handled: return 5;
    case TicketStatus::Visited: return 6;
    case TicketStatus::Closed: return 7;
  }
  return 7;
}

// Needs review: in review, or a status conflict kept, or a field conflict nobody has decided yet
// (the field still holds the winner's value: open_field_conflict) (either side by its index).
constexpr const char* kConflict =
    "rowid IN (SELECT rowid FROM tickets WHERE deleted = 0 AND (CASE status WHEN 'received' THEN 0 WHEN 'contacted' THEN 1 WHEN "
    "'assigned' THEN 2 WHEN 'in_progress' THEN 3 WHEN 'review' THEN 4 WHEN 'handled' THEN 5 WHEN 'visited' THEN 6 "
    "ELSE 7 END) = 4 UNION ALL SELECT t.rowid FROM conflicts c JOIN tickets t ON t.id = c.ticket_id WHERE " LINLI_OPEN_CONFLICT
    ")";

// The search text as the index folds it: trimmed, without control characters, ASCII lower case.
std::string search_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

// The tickets whose stage deadlines are those of InboxFilter::deadlines_of, the department or
// field team that works them as lead (policy/write_policy.cpp co_handler_only), as a condition on
// the columns of `t` ("t." or ""), its scope in `param` each time it is named.
std::string works_as_lead(const InboxFilter& f, const std::string& t, const std::string& param) {
  if (!f.deadlines_of_field_team) return t + "lead_department = " + param;
  return "(" + t + "lead_department = " + param + " OR " + t + "community = " + param + " OR " + t + "source = '" +
         std::string(to_string(Source::Patrol)) + "')";
}

// Whether a search text searches anything: some characters once folded, valid UTF-8.
bool searches(const std::string& raw) {
  const auto chars = utf8_length(search_text(raw));
  return chars && *chars > 0;
}

// The rowids of the tickets holding the search text (which searches()): a SELECT of one column,
// its binds appended.
std::string search_rowids(const std::string& raw, std::vector<Value>& binds) {
  const std::string text = search_text(raw);
  const auto chars = utf8_length(text);
  if (chars && *chars >= 3) {
    // A phrase of the text's trigrams.
    std::string match = "\"";
    for (char c : text) match += c == '"' ? std::string("\"\"") : std::string(1, c);
    match += "\"";
    binds.emplace_back(std::move(match));
    return "SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?";
  }
  // One or two characters: every occurrence starts an indexed trigram (migration 8), so the
  // tickets holding a trigram that begins with the text are exactly those holding the text.
  binds.emplace_back(text);
  binds.emplace_back(text + '\xff');
  return "SELECT doc FROM ticket_search_terms WHERE term >= ? AND term < ?";
}

// The WHERE clause of a filter, its values appended to `binds`.
std::string where_of(const InboxFilter& f, std::vector<Value>& binds, HitsFrom hits = HitsFrom::Index) {
  std::string w = f.include_deleted ? "1" : "deleted = 0";
  const auto eq = [&](const char* column, Value v) {
    w += std::string(" AND ") + column + " = ?";
    binds.push_back(std::move(v));
  };
  if (f.status) eq(kStatusRank, status_rank(*f.status));
  if (f.category) eq("category", std::string(to_string(*f.category)));
  if (f.source) eq("source", std::string(to_string(*f.source)));
  if (f.urgency) eq("(urgency = 'urgent')", int64_t{*f.urgency == Urgency::Urgent ? 1 : 0});
  if (!f.community.empty()) {
    // A range of the community sort's index: every address of the community.
    w += std::string(" AND ") + kCommunityKey + " > ? AND " + kCommunityKey + " < ?";
    binds.emplace_back(f.community + '\x1e');
    binds.emplace_back(f.community + '\x20');
  }
  if (!f.lead_department.empty()) {
    // Led, or co-handled and not removed (R12): either side by its index.
    w += " AND rowid IN (SELECT rowid FROM tickets WHERE deleted = 0 AND lead_department = ? UNION ALL SELECT t.rowid FROM "
         "ticket_co_handlers h JOIN tickets t ON t.id = h.ticket_id WHERE h.department = ? AND h.state <> 'removed')";
    binds.emplace_back(f.lead_department);
    binds.emplace_back(f.lead_department);
  }
  // Deadlines as a range of the due sort's index (nothing due sorts last, past every bound).
  const int64_t end_of_today = shanghai_day_start_ms(shanghai_days(f.now_ms) + 1);
  // " AND <due> <= ?" (overdue, or due by the end of today), and after now for due today only.
  const auto in_range = [&](const std::string& due) {
    binds.emplace_back(f.due_today ? end_of_today : f.now_ms);
    if (f.overdue) return " AND " + due + " <= ?";
    binds.emplace_back(f.now_ms);
    return " AND " + due + " <= ? AND " + due + " > ?";
  };
  if ((f.overdue || f.due_today) && f.deadlines_of.empty()) {
    w += in_range(kDueKey);
  } else if (f.overdue || f.due_today) {
    // A department's: the stages of the tickets it works as lead, and the replies it owes as a
    // co-handler only (migration 11's index), either side by its index.
    const int named = f.deadlines_of_field_team ? 2 : 1;  // Times works_as_lead names the scope.
    for (int i = 0; i < named; ++i) binds.emplace_back(f.deadlines_of);
    w += " AND rowid IN (SELECT rowid FROM tickets WHERE deleted = 0 AND " + works_as_lead(f, "", "?") + in_range(kDueKey);
    binds.emplace_back(f.deadlines_of);
    w += " UNION ALL SELECT t.rowid FROM ticket_co_handlers h JOIN tickets t ON t.id = h.ticket_id WHERE h.department = ? "
         "AND h.state = 'pending' AND h.due_at > 0";
    if (f.deadlines_of_field_team) {  // A department never co-handles what it leads (P8).
      for (int i = 0; i < named; ++i) binds.emplace_back(f.deadlines_of);
      w += " AND NOT " + works_as_lead(f, "t.", "?");
    }
    w += in_range("h.due_at") + ")";
  }
  if (f.needs_review) w += std::string(" AND ") + kConflict;
  if (f.warning) w += " AND warning = 1";
  if (f.pending_request) w += " AND " LINLI_PENDING_REQUEST;
  if (f.urged) w += " AND " LINLI_URGED_TICKETS;
  if (f.no_reply_pending)
    w += " AND NOT EXISTS (SELECT 1 FROM ticket_co_handlers h WHERE h.ticket_id = tickets.id AND h.state = 'pending')";
  if (searches(f.text)) {
    switch (hits) {
      case HitsFrom::Index: w += " AND rowid IN (" + search_rowids(f.text, binds) + ")"; break;
      case HitsFrom::Table: w += " AND rowid IN (SELECT rid FROM temp.inbox_search_hits)"; break;
      case HitsFrom::Memory: w += " AND inbox_hit(rowid)"; break;
    }
  }
  return w;
}

// Whether the filter is a search and nothing more, its hits held: the row of a ticket found need
// not be read to count it, nor to test it while reading along a sort.
bool search_alone(const InboxFilter& f, bool hits_ready) {
  if (!hits_ready) return false;
  InboxFilter rest = f;
  rest.text.clear();
  std::vector<Value> none;
  return where_of(rest, none) == "deleted = 0";
}

// A department's list by time left: the time each row shows, its own stage where it leads and the
// reply it owes where it only co-handles. No index holds that order; its tickets are few.
bool due_of_owner(const InboxQuery& q) { return !q.filter.deadlines_of.empty() && q.sort == InboxSort::Due; }

// How a page is read: along the sort's index when many rows match (a matching row every few
// entries), else found by the filter and sorted (a few thousand keys); Try: along within a budget.
enum class Reading { Sorted, Along, Try };
Reading reads_along(const InboxFilter& f, int64_t rows_expected, bool hits_ready) {
  if (f.include_deleted) return Reading::Sorted;  // The indexes leave deleted tickets out.
  if (rows_expected > kReadAlongSortAbove) return Reading::Along;
  if (rows_expected > kSearchTryAlongAbove && search_alone(f, hits_ready)) return Reading::Try;
  return Reading::Sorted;
}

void bind_all(sqlite_util::Stmt& q, const std::vector<Value>& binds) {
  int i = 1;
  for (const Value& v : binds) {
    if (const auto* n = std::get_if<int64_t>(&v)) q.bind(i++, *n);
    else q.bind(i++, std::string_view(std::get<std::string>(v)));
  }
}

struct PageSql {
  std::string sql;
  std::vector<Value> binds;
};

// The page's statement. Its rows are chosen by their keys alone (a sorter or an index range of
// small records), then joined back for the columns and the conflict probe of the page's rows.
PageSql page_sql(const InboxQuery& query, bool along, HitsFrom hits) {
  PageSql out;
  // ?1: the department whose deadlines a row shows, before the filter's values (numbered from 2).
  const bool owner = !query.filter.deadlines_of.empty();
  if (owner) out.binds.emplace_back(query.filter.deadlines_of);
  std::string where = where_of(query.filter, out.binds, hits);
  SortColumn sort = sort_column(query.sort);
  // The due time of the rows as they show it (the select list's last columns): a reply the
  // department owes on a ticket it only co-handles, or nothing (sorts last) once it replied.
  std::string owner_due;  // Built only for that sort: sort.expr points into it.
  if (due_of_owner(query)) {
    owner_due = std::string("(CASE WHEN ") + works_as_lead(query.filter, "", "?1") + " THEN " + kDueKey +
                " ELSE coalesce((SELECT min(h.due_at) FROM ticket_co_handlers h WHERE h.ticket_id = tickets.id AND "
                "h.department = ?1 AND h.state = 'pending' AND h.due_at > 0), CASE WHEN status <> 'closed' THEN "
                "8000000000000000000 - received_at ELSE 9000000000000000000 - received_at END) END)";
    sort.expr = owner_due.c_str();
    along = false;
  }
  // The row value a page is ordered by: the sort key, the receipt time, the rowid (each once).
  const bool by_received = query.sort == InboxSort::Received;
  const std::string key = by_received ? std::string("received_at, rowid") : std::string(sort.expr) + ", received_at, rowid";
  if (query.after) {
    const InboxKey& k = *query.after;
    where += " AND (" + key + (query.descending ? ") < (" : ") > (") + (by_received ? "?, ?)" : "?, ?, ?)");
    if (!by_received) out.binds.push_back(sort.is_text ? Value(k.text) : Value(k.number));
    out.binds.emplace_back(k.received_at);
    out.binds.emplace_back(k.rowid);
    // SQLite seeks an index by a row value's leading plain columns only; with an expression key it
    // would scan from the start, so the key alone bounds the range as well (the same rows).
    if (!by_received) {
      where += std::string(" AND ") + sort.expr + (query.descending ? " <= ?" : " >= ?");
      out.binds.push_back(sort.is_text ? Value(k.text) : Value(k.number));
    }
  }
  const std::string dir = query.descending ? " DESC" : " ASC";
  // Along the sort's index (reads_along); otherwise the key is written so that no index gives the
  // order (the same values), and the planner finds the rows by the filter instead.
  const auto unindexed = [&](const char* expr, bool is_text) {
    return along ? std::string(expr) : std::string("(") + expr + (is_text ? " || '')" : " + 0)");
  };
  std::string order;
  std::vector<std::string> parts;
  if (!by_received) parts.push_back(unindexed(sort.expr, sort.is_text));
  parts.push_back(unindexed("received_at", false));
  parts.push_back("rowid");
  for (const std::string& part : parts) {
    if (!order.empty()) order += ", ";
    order += part + dir;
  }
  out.sql = std::string("SELECT t.id, t.official_number, t.provisional_number, t.source, t.received_at, t.category, t.urgency, "
            "t.community, t.address, t.title, t.lead_department, t.status, t.due_at, t.due_stage, "
            "(t.status = 'review' OR EXISTS (SELECT 1 FROM conflicts c WHERE c.ticket_id = t.id AND "
            LINLI_OPEN_CONFLICT ")), k.s, t.warning, t.rowid, k.d, (t.status = 'handled' AND EXISTS (SELECT 1 FROM "
            "ticket_co_handlers h WHERE h.ticket_id = t.id AND h.state = 'pending')), ") +
            // The reply this department owes, on a ticket it co-handles only (InboxFilter::deadlines_of).
            (owner ? works_as_lead(query.filter, "t.", "?1") +
                         ", (SELECT min(h.due_at) FROM ticket_co_handlers h WHERE h.ticket_id = t.id AND "
                         "h.department = ?1 AND h.state = 'pending')"
                   : std::string("1, NULL")) +
            ", EXISTS (SELECT 1 FROM timeline r WHERE r.ticket_id = t.id AND r.kind IN ('return_request', "
            "'extension_request') AND t.status IN ('assigned', 'in_progress') AND NOT EXISTS (SELECT 1 FROM timeline d WHERE "
            "d.kind = 'decision' AND d.request = r.change_id)), " LINLI_URGED
            ", EXISTS (SELECT 1 FROM links l WHERE l.ticket_id = t.id AND l.kind = 'rebound')"
            ", EXISTS (SELECT 1 FROM links l WHERE l.other_ticket = t.id AND l.kind = 'rebound')"
            " FROM (SELECT rowid AS rid, " + std::string(sort.expr) +
            " AS s, received_at AS r, " + kDueKey + " AS d FROM tickets" +
            (along ? std::string(" INDEXED BY ") + sort.index : std::string()) + " WHERE " + where + " ORDER BY " +
            order + " LIMIT ? OFFSET ?) AS k JOIN tickets AS t ON t.rowid = k.rid ORDER BY k.s" + dir + ", k.r" + dir +
            ", k.rid" + dir;
  out.binds.emplace_back(int64_t{query.limit});
  out.binds.emplace_back(query.after ? int64_t{0} : query.offset);
  return out;
}

}  // namespace

void read_inbox_columns(sqlite_util::Stmt& q, InboxRow& r) {
  r.id = q.text(0);
  r.provisional_number = q.text(2);
  r.number = q.text(1).empty() ? r.provisional_number : q.text(1);
  r.source = parse_source(q.text(3)).value_or(Source::Hotline);
  r.received_at_ms = q.int64(4);
  r.category = parse_category(q.text(5)).value_or(Category::Other);
  r.urgency = parse_urgency(q.text(6)).value_or(Urgency::Normal);
  r.community = q.text(7);
  r.address = q.text(8);
  r.title = q.text(9);
  r.lead_department = q.text(10);
  r.status = parse_ticket_status(q.text(11)).value_or(TicketStatus::Received);
  r.due_at_ms = q.int64(12);
  r.due_stage = q.text(13);
}

Result<std::vector<InboxRow>> Store::inbox_page(const InboxQuery& query) {
  int64_t expected = query.rows_expected;
  if (expected < 0) {
    auto n = inbox_count(query.filter);
    if (!n) return n.error();
    expected = *n;
  }
  if (expected == 0 && !query.after) return std::vector<InboxRow>{};
  auto hits = search_hits(query.filter.text);
  if (!hits) return hits.error();
  const Reading reading = due_of_owner(query) ? Reading::Sorted : reads_along(query.filter, expected, *hits);
  if (reading == Reading::Try) {
    int steps = 0;  // Thousands of SQLite's steps.
    sqlite3_progress_handler(m_db, 1000, [](void* n) { return ++*static_cast<int*>(n) > kAlongBudgetSteps / 1000 ? 1 : 0; },
                             &steps);
    auto rows = read_page(query, true, *hits);
    sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
    if (rows) return rows;  // Else over the budget (SQLITE_INTERRUPT), or failed: read sorted.
  }
  return read_page(query, reading == Reading::Along, *hits);
}

// A page read as page_sql says: along the sort's index, each entry tested against the matches held
// in memory; else found by the filter or from the matches' table, and sorted.
Result<std::vector<InboxRow>> Store::read_page(const InboxQuery& query, bool along, bool hits_ready) {
  const auto hits = hits_from(hits_ready, along);
  if (!hits) return hits.error();
  const PageSql page = page_sql(query, along, *hits);
  const bool is_text = sort_column(query.sort).is_text;
  sqlite_util::Stmt q(m_db, page.sql);
  if (!q.ok()) return read_error(m_db, "inbox_page");
  bind_all(q, page.binds);
  std::vector<InboxRow> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    InboxRow r;
    read_inbox_columns(q, r);
    r.conflict = q.int64(14) != 0;
    r.warning = q.int64(16) != 0;
    r.key.is_text = is_text;
    if (is_text) r.key.text = q.text(15);
    else r.key.number = q.int64(15);
    r.key.received_at = r.received_at_ms;
    r.key.rowid = q.int64(17);
    r.key.due_key = q.int64(18);
    r.awaiting_co_handlers = q.int64(19) != 0;
    r.pending_request = q.int64(22) != 0;
    r.urged = q.int64(23) != 0;
    r.rebound = q.int64(24) != 0;
    r.rebounded = q.int64(25) != 0;
    if (q.int64(20) == 0) {  // Co-handled by the department whose deadlines these are: its reply's.
      r.due_at_ms = q.int64(21);  // NULL (0): it replied, nothing is due from it.
      r.due_stage = "co_reply";
    }
    r.key.id = r.id;
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return read_error(m_db, "inbox_page");
  return out;
}

// A search's matches are found once per text and held in memory, in rowid order, for the count
// and every page that follows (a dispatcher's search asks for both, then scrolls), while nothing
// was written: this connection's change count and the database's data_version say so. A read
// along a sort's index tests its entries against them with inbox_hit(rowid), a binary search; a
// statement that may be driven by them gets them copied into a temporary table first
// (hits_from). Filling that table's b-tree for every search was a third of a search's
// time in WASM.
Result<bool> Store::search_hits(const std::string& text) {
  if (!searches(text)) return false;
  sqlite_util::Stmt version(m_db, "PRAGMA data_version");
  if (!version.ok() || version.step() != SQLITE_ROW) return read_error(m_db, "search_hits.version");
  const int64_t data_version = version.int64(0);
  SearchHits& h = *m_hits;
  if (h.text == text && h.changes == sqlite3_total_changes64(m_db) && h.data_version == data_version) return true;
  h.text.clear();
  h.rowids.clear();
  h.in_table = false;
  if (!h.function_made) {
    const auto hit = [](sqlite3_context* ctx, int, sqlite3_value** argv) {
      const auto* rowids = static_cast<const std::vector<int64_t>*>(sqlite3_user_data(ctx));
      sqlite3_result_int(ctx, std::binary_search(rowids->begin(), rowids->end(), sqlite3_value_int64(argv[0])) ? 1 : 0);
    };
    if (sqlite3_create_function_v2(m_db, "inbox_hit", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, &h.rowids, hit, nullptr,
                                   nullptr, nullptr) != SQLITE_OK)
      return read_error(m_db, "search_hits.function");
    h.function_made = true;
  }
  std::vector<Value> binds;
  sqlite_util::Stmt find(m_db, search_rowids(text, binds));
  if (!find.ok()) return read_error(m_db, "search_hits.find");
  bind_all(find, binds);
  int rc;
  while ((rc = find.step()) == SQLITE_ROW) h.rowids.push_back(find.int64(0));
  if (rc != SQLITE_DONE) return read_error(m_db, "search_hits.find");
  // FTS5 gives its rowids in order; the term list (one or two characters) may give one many times.
  if (!std::is_sorted(h.rowids.begin(), h.rowids.end())) std::sort(h.rowids.begin(), h.rowids.end());
  h.rowids.erase(std::unique(h.rowids.begin(), h.rowids.end()), h.rowids.end());
  h.text = text;
  h.changes = sqlite3_total_changes64(m_db);
  h.data_version = data_version;
  return true;
}

// Where a statement reads a search's matches from: along a sort's index each entry is tested
// against those held in memory; a statement that may be driven by them (found and sorted, a count
// beside other filters) reads them from the table, filled here if it is not yet.
Result<HitsFrom> Store::hits_from(bool hits_ready, bool along) {
  if (!hits_ready) return HitsFrom::Index;
  if (along) return HitsFrom::Memory;
  SearchHits& h = *m_hits;
  if (h.in_table) return HitsFrom::Table;
  if (sqlite3_exec(m_db, "CREATE TEMP TABLE IF NOT EXISTS inbox_search_hits (rid INTEGER PRIMARY KEY); "
                         "DELETE FROM temp.inbox_search_hits;",
                   nullptr, nullptr, nullptr) != SQLITE_OK)
    return read_error(m_db, "search_hits.table");
  if (!h.rowids.empty()) {
    sqlite_util::Stmt fill(m_db, "INSERT INTO temp.inbox_search_hits (rid) SELECT value FROM carray(?1)");
    if (!fill.ok()) return read_error(m_db, "search_hits.fill");
    fill.bind_array(1, h.rowids);
    if (fill.step() != SQLITE_DONE) return read_error(m_db, "search_hits.fill");
  }
  h.in_table = true;
  h.changes = sqlite3_total_changes64(m_db);  // The table's rows are not a write to the store.
  return HitsFrom::Table;
}

Result<int64_t> Store::inbox_count(const InboxFilter& filter) {
  auto hits = search_hits(filter.text);
  if (!hits) return hits.error();
  if (search_alone(filter, *hits)) {
    // A search alone (the common case: a word typed into the box) counts the tickets it found less
    // the deleted ones among them (migration 13's index), not each found ticket's row: 16,667 rows
    // of a 100,000-ticket store are as many page reads.
    sqlite_util::Stmt q(m_db, "SELECT count(*) FROM tickets WHERE deleted = 1 AND inbox_hit(rowid)");
    if (!q.ok() || q.step() != SQLITE_ROW) return read_error(m_db, "inbox_count");
    return static_cast<int64_t>(m_hits->rowids.size()) - q.int64(0);
  }
  const auto from = hits_from(*hits, false);
  if (!from) return from.error();
  std::vector<Value> binds;
  sqlite_util::Stmt q(m_db, "SELECT count(*) FROM tickets WHERE " + where_of(filter, binds, *from));
  if (!q.ok()) return read_error(m_db, "inbox_count");
  bind_all(q, binds);
  if (q.step() != SQLITE_ROW) return read_error(m_db, "inbox_count");
  return q.int64(0);
}

Result<std::vector<std::string>> Store::inbox_plan(const InboxQuery& query, int64_t rows_expected) {
  auto hits = search_hits(query.filter.text);
  if (!hits) return hits.error();
  const bool along = !due_of_owner(query) && reads_along(query.filter, rows_expected, *hits) != Reading::Sorted;
  const auto from = hits_from(*hits, along);
  if (!from) return from.error();
  const PageSql page = page_sql(query, along, *from);
  const std::string sql = "EXPLAIN QUERY PLAN " + page.sql;
  sqlite_util::Stmt q(m_db, sql);
  if (!q.ok()) return read_error(m_db, "inbox_plan");
  bind_all(q, page.binds);
  std::vector<std::string> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(q.text(3));
  if (rc != SQLITE_DONE) return read_error(m_db, "inbox_plan");
  return out;
}

namespace {
Result<std::vector<std::string>> distinct(sqlite3* db, const char* sql) {
  sqlite_util::Stmt q(db, sql);
  if (!q.ok()) return read_error(db, "distinct");
  std::vector<std::string> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(q.text(0));
  if (rc != SQLITE_DONE) return read_error(db, "distinct");
  return out;
}
}  // namespace

Result<std::vector<std::string>> Store::distinct_communities() {
  return distinct(m_db, "SELECT DISTINCT community FROM tickets WHERE community <> '' ORDER BY community");
}
Result<std::vector<std::string>> Store::distinct_departments() {
  return distinct(m_db, "SELECT DISTINCT lead_department FROM tickets WHERE lead_department <> '' ORDER BY lead_department");
}

}  // namespace linli
