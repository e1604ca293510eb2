// The inbox's pages: one SELECT per page, sorted by the column asked for with the receipt time and
// id as tie-breakers, so a row's key (its sort value, receipt time, id) says exactly where the next
// page starts. Scrolling on asks for the page after the last row seen (keyset: an index range
// where the sort has one, never a count of rows skipped); a jump to the middle skips rows once.
#include <sqlite3.h>

#include <variant>

#include "core/civil_time.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using Value = std::variant<int64_t, std::string>;

Error read_error(sqlite3* db, std::string_view where) {
  return Error{ErrorCode::Storage, "[store." + std::string(where) + "] " + sqlite3_errmsg(db)};
}

struct SortColumn {
  const char* expr;
  bool is_text;
};

SortColumn sort_column(InboxSort s) {
  switch (s) {
    case InboxSort::Number:
      return {"(CASE WHEN official_number <> '' THEN official_number ELSE provisional_number END)", true};
    case InboxSort::Received: return {"received_at", false};
    case InboxSort::Source: return {"source", true};
    case InboxSort::Category: return {"category", true};
    case InboxSort::Urgency: return {"(CASE urgency WHEN 'urgent' THEN 1 ELSE 0 END)", false};
    case InboxSort::Community: return {"(community || char(31) || address)", true};
    case InboxSort::Status:
      return {"(CASE status WHEN 'received' THEN 0 WHEN 'contacted' THEN 1 WHEN 'assigned' THEN 2 "
              "WHEN 'in_progress' THEN 3 WHEN 'review' THEN 4 WHEN 'handled' THEN 5 WHEN 'visited' THEN 6 ELSE 7 END)",
              false};
    case InboxSort::Department: return {"lead_department", true};
    // Nothing due sorts after every deadline.
    case InboxSort::Due: return {"(CASE WHEN due_at > 0 THEN due_at ELSE 9000000000000000000 END)", false};
  }
  return {"received_at", false};
}

constexpr const char* kConflict =
    "(status = 'review' OR EXISTS (SELECT 1 FROM conflicts c WHERE c.ticket_id = tickets.id AND c.kind IN ('field', 'status')))";

std::string like_pattern(std::string_view text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

// The WHERE clause of a filter, its values appended to `binds`.
std::string where_of(const InboxFilter& f, std::vector<Value>& binds) {
  std::string w = f.include_deleted ? "1" : "deleted = 0";
  const auto eq = [&](const char* column, std::string v) {
    w += std::string(" AND ") + column + " = ?";
    binds.emplace_back(std::move(v));
  };
  if (f.status) eq("status", std::string(to_string(*f.status)));
  if (f.category) eq("category", std::string(to_string(*f.category)));
  if (f.source) eq("source", std::string(to_string(*f.source)));
  if (f.urgency) eq("urgency", std::string(to_string(*f.urgency)));
  if (!f.community.empty()) eq("community", f.community);
  if (!f.lead_department.empty()) eq("lead_department", f.lead_department);
  const int64_t end_of_today = shanghai_day_start_ms(shanghai_days(f.now_ms) + 1);
  if (f.overdue && f.due_today) {
    w += " AND due_at > 0 AND due_at <= ?";
    binds.emplace_back(end_of_today);
  } else if (f.overdue) {
    w += " AND due_at > 0 AND due_at <= ?";
    binds.emplace_back(f.now_ms);
  } else if (f.due_today) {
    w += " AND due_at > ? AND due_at <= ?";
    binds.emplace_back(f.now_ms);
    binds.emplace_back(end_of_today);
  }
  if (f.needs_review) w += std::string(" AND ") + kConflict;
  if (f.warning) w += " AND warning = 1";
  // Text: trimmed; the trigram index takes three characters or more.
  std::string_view text = f.text;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  const auto chars = utf8_length(text);
  if (chars && *chars > 0) {
    const std::string like = like_pattern(text);
    if (*chars >= 3) {
      std::string match = "\"";
      for (char c : text) match += c == '"' ? std::string("\"\"") : std::string(1, c);
      match += "\"";
      w += " AND (rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)";
      binds.emplace_back(std::move(match));
    } else {
      w += " AND (title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\'";
      for (int i = 0; i < 3; ++i) binds.emplace_back(like);
    }
    w += " OR official_number LIKE ? ESCAPE '\\' OR provisional_number LIKE ? ESCAPE '\\' "
         "OR citizen_name LIKE ? ESCAPE '\\' OR citizen_phone LIKE ? ESCAPE '\\')";
    for (int i = 0; i < 4; ++i) binds.emplace_back(like);
  }
  return w;
}

void bind_all(sqlite_util::Stmt& q, const std::vector<Value>& binds) {
  int i = 1;
  for (const Value& v : binds) {
    if (const auto* n = std::get_if<int64_t>(&v)) q.bind(i++, *n);
    else q.bind(i++, std::string_view(std::get<std::string>(v)));
  }
}

}  // namespace

Result<std::vector<InboxRow>> Store::inbox_page(const InboxQuery& query) {
  std::vector<Value> binds;
  std::string where = where_of(query.filter, binds);
  const SortColumn sort = sort_column(query.sort);
  const std::string expr = sort.expr;
  if (query.after) {
    const char* beyond = query.descending ? " < " : " > ";
    where += " AND (" + expr + beyond + "?1k OR (" + expr + " = ?1k AND (received_at < ?1r OR (received_at = ?1r AND id > ?1i))))";
  }
  // Two steps: the page's rows are chosen by their keys alone (a sorter of small records; the
  // columns and the conflict probe are read for the page's rows only), then joined back.
  const std::string dir = query.descending ? " DESC" : " ASC";
  std::string sql = "SELECT t.id, t.official_number, t.provisional_number, t.source, t.received_at, t.category, t.urgency, "
                    "t.community, t.address, t.title, t.lead_department, t.status, t.due_at, t.due_stage, "
                    "(t.status = 'review' OR EXISTS (SELECT 1 FROM conflicts c WHERE c.ticket_id = t.id AND c.kind IN "
                    "('field', 'status'))), k.s, t.warning FROM (SELECT rowid AS rid, " + expr + " AS s, received_at AS r, id AS i "
                    "FROM tickets WHERE " + where + " ORDER BY s" + dir + ", r DESC, i ASC LIMIT ? OFFSET ?) AS k "
                    "JOIN tickets AS t ON t.rowid = k.rid ORDER BY k.s" + dir + ", k.r DESC, k.i ASC";
  // The key's three values are bound by position after the filter's; ?1k etc. are written as plain ?.
  std::vector<Value> all = binds;
  if (query.after) {
    const InboxKey& k = *query.after;
    const Value kv = sort.is_text ? Value(k.text) : Value(k.number);
    // Order of appearance in the clause: k, k, r, r, i.
    all.push_back(kv);
    all.push_back(kv);
    all.emplace_back(k.received_at);
    all.emplace_back(k.received_at);
    all.emplace_back(k.id);
    for (const char* name : {"?1k", "?1r", "?1i"})
      for (size_t at; (at = sql.find(name)) != std::string::npos;) sql.replace(at, 3, "?");
  }
  all.emplace_back(int64_t{query.limit});
  all.emplace_back(query.after ? int64_t{0} : query.offset);
  sqlite_util::Stmt q(m_db, sql.c_str());
  if (!q.ok()) return read_error(m_db, "inbox_page");
  bind_all(q, all);
  std::vector<InboxRow> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    InboxRow r;
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
    r.conflict = q.int64(14) != 0;
    r.warning = q.int64(16) != 0;
    r.key.is_text = sort.is_text;
    if (sort.is_text) r.key.text = q.text(15);
    else r.key.number = q.int64(15);
    r.key.received_at = r.received_at_ms;
    r.key.id = r.id;
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return read_error(m_db, "inbox_page");
  return out;
}

Result<int64_t> Store::inbox_count(const InboxFilter& filter) {
  std::vector<Value> binds;
  const std::string sql = "SELECT count(*) FROM tickets WHERE " + where_of(filter, binds);
  sqlite_util::Stmt q(m_db, sql.c_str());
  if (!q.ok()) return read_error(m_db, "inbox_count");
  bind_all(q, binds);
  if (q.step() != SQLITE_ROW) return read_error(m_db, "inbox_count");
  return q.int64(0);
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
