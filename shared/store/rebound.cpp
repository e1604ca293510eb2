// 反弹 (rebound): the same problem back at the same place. Three questions of the store: which
// closed tickets a new one at an address and category may repeat, the chain of tickets joined by
// rebound links, and the hot spots (the addresses with the most tickets in a period).
#include <sqlite3.h>

#include <algorithm>
#include <set>

#include "store/inbox_rows.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

Error read_error(sqlite3* db, std::string_view where) {
  return Error{ErrorCode::Storage, "[store." + std::string(where) + "] " + sqlite3_errmsg(db)};
}

// The columns of a row in the inbox's shape (store/inbox.h), read by read_row.
constexpr const char* kRowColumns =
    "id, official_number, provisional_number, source, received_at, category, urgency, community, address, title, "
    "lead_department, status, due_at, due_stage, warning, updated_at";

InboxRow read_row(sqlite_util::Stmt& q) {
  InboxRow r;
  read_inbox_columns(q, r);
  r.warning = q.int64(14) != 0;
  r.key.received_at = r.received_at_ms;
  r.key.number = q.int64(15);  // updated_at: when a closed ticket was closed (its last change).
  r.key.id = r.id;
  return r;
}

// Every row a statement gives, in the inbox's shape.
Result<std::vector<InboxRow>> read_rows(sqlite3* db, sqlite_util::Stmt& q, std::string_view where) {
  std::vector<InboxRow> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(read_row(q));
  if (rc != SQLITE_DONE) return read_error(db, where);
  return out;
}

// The same address as ?1 (squeezed), or one that begins with the other, the shorter at least ?5
// characters long.
constexpr const char* kSamePlace =
    "(replace(address, ' ', '') = ?1 OR (length(replace(address, ' ', '')) >= ?5 AND substr(?1, 1, "
    "length(replace(address, ' ', ''))) = replace(address, ' ', '')) OR substr(replace(address, ' ', ''), 1, "
    "length(?1)) = ?1)";

// Spaces do not make another address: "中华新路 927弄" is "中华新路927弄".
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t') out += c;
  return out;
}

}  // namespace

Result<std::vector<InboxRow>> Store::rebound_candidates(const std::string& address, Category category,
                                                        int64_t since_ms, const std::string& except_id, int limit) {
  const std::string a = squeeze(address);
  if (utf8_length(a).value_or(0) < kReboundMinAddressChars) return std::vector<InboxRow>{};
  // The same address, or one that begins with the other ("中华新路927弄" and "中华新路927弄12号"),
  // when the shorter is long enough to name a place.
  const std::string sql = std::string("SELECT ") + kRowColumns +
                          " FROM tickets WHERE deleted = 0 AND status = 'closed' AND category = ?2 AND updated_at >= ?3 "
                          "AND id <> ?4 AND " + kSamePlace + " ORDER BY updated_at DESC LIMIT ?6";
  sqlite_util::Stmt q(m_db, sql);
  if (!q.ok()) return read_error(m_db, "rebound_candidates");
  q.bind(1, std::string_view(a));
  q.bind(2, to_string(category));
  q.bind(3, since_ms);
  q.bind(4, std::string_view(except_id));
  q.bind(5, int64_t{kReboundMinAddressChars});
  q.bind(6, int64_t{limit});
  return read_rows(m_db, q, "rebound_candidates");
}

Result<std::vector<InboxRow>> Store::open_at_address(const std::string& address, int limit) {
  const std::string a = squeeze(address);
  if (utf8_length(a).value_or(0) < kReboundMinAddressChars) return std::vector<InboxRow>{};
  sqlite_util::Stmt q(m_db, std::string("SELECT ") + kRowColumns +
                                " FROM tickets WHERE deleted = 0 AND status <> 'closed' AND " + kSamePlace +
                                " ORDER BY received_at DESC LIMIT ?2");
  if (!q.ok()) return read_error(m_db, "open_at_address");
  q.bind(1, std::string_view(a));
  q.bind(2, int64_t{limit});
  q.bind(5, int64_t{kReboundMinAddressChars});
  return read_rows(m_db, q, "open_at_address");
}

Result<std::vector<InboxRow>> Store::link_chain(const std::string& ticket_id) {
  // Breadth first over links both ways; a chain is a handful of tickets.
  std::set<std::string> seen{ticket_id};
  std::vector<std::string> frontier{ticket_id};
  sqlite_util::Stmt next(m_db, "SELECT other_ticket FROM links WHERE ticket_id = ?1 AND kind = 'rebound' "
                               "UNION SELECT ticket_id FROM links WHERE other_ticket = ?1 AND kind = 'rebound'");
  if (!next.ok()) return read_error(m_db, "link_chain");
  while (!frontier.empty() && seen.size() < kMaxChain) {
    std::vector<std::string> more;
    for (const std::string& id : frontier) {
      next.reset();
      next.bind(1, std::string_view(id));
      int rc;
      while ((rc = next.step()) == SQLITE_ROW)
        if (std::string other = next.text(0); seen.insert(other).second) more.push_back(std::move(other));
      if (rc != SQLITE_DONE) return read_error(m_db, "link_chain");
    }
    frontier = std::move(more);
  }
  std::vector<InboxRow> out;
  if (seen.size() == 1) return out;  // No links: no chain.
  sqlite_util::Stmt row(m_db, std::string("SELECT ") + kRowColumns + " FROM tickets WHERE id = ?");
  if (!row.ok()) return read_error(m_db, "link_chain");
  for (const std::string& id : seen) {
    row.reset();
    row.bind(1, std::string_view(id));
    const int rc = row.step();
    if (rc == SQLITE_ROW) out.push_back(read_row(row));  // A linked ticket this replica lacks is left out.
    else if (rc != SQLITE_DONE) return read_error(m_db, "link_chain");
  }
  std::sort(out.begin(), out.end(), [](const InboxRow& a, const InboxRow& b) {
    return a.received_at_ms != b.received_at_ms ? a.received_at_ms < b.received_at_ms : a.id < b.id;
  });
  return out;
}

Result<std::vector<Store::HotSpot>> Store::hot_spots(int64_t since_ms, int limit) {
  sqlite_util::Stmt q(m_db,
                      "SELECT community, address, count(*), sum(status <> 'closed'), max(received_at), "
                      "sum(EXISTS (SELECT 1 FROM links l WHERE l.ticket_id = tickets.id AND l.kind = 'rebound')) FROM tickets "
                      "WHERE deleted = 0 AND received_at >= ? AND address <> '' GROUP BY community, address "
                      "HAVING count(*) >= 2 ORDER BY count(*) DESC, max(received_at) DESC LIMIT ?");
  if (!q.ok()) return read_error(m_db, "hot_spots");
  q.bind(1, since_ms);
  q.bind(2, int64_t{limit});
  std::vector<HotSpot> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW)
    out.push_back(HotSpot{q.text(0), q.text(1), q.int64(2), q.int64(3), q.int64(4), q.int64(5)});
  if (rc != SQLITE_DONE) return read_error(m_db, "hot_spots");
  return out;
}

}  // namespace linli
