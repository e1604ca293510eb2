// The monthly report's rows (Store::each_ticket_received): the month's tickets as their rows keep
// them, state and report tally, in one range query over tickets_by_received. Reads only; decides
// nothing (report/monthly.cpp counts).
#include <sqlite3.h>

#include <memory>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"

namespace linli {
namespace {

std::string_view column_view(sqlite3_stmt* s, int col) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s, col));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s, col))) : std::string_view();
}

}  // namespace

Result<void> Store::each_ticket_received(
    int64_t from_ms, int64_t to_ms,
    const std::function<Result<void>(const TicketState& state, const std::optional<ReportTally>& tally)>& visit) {
  // fold_key 0: a ticket an earlier build stored outside the change log, which no fold of the log
  // makes (the report has never counted it).
  sqlite3_stmt* s = nullptr;
  const char* sql = "SELECT id, official_number, source, received_at, community, category, urgency, title, status, "
                    "created_at, updated_at, lead_department, deleted, work_count, versions, report_tally "
                    "FROM tickets WHERE received_at >= ? AND received_at < ? AND fold_key <> 0 "
                    "ORDER BY received_at DESC, id";  // tickets_by_received's order: no sort.
  if (sqlite3_prepare_v2(m_db, sql, -1, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return sqlite_util::sqlite_error(m_db, "store", "each_ticket_received");
  }
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(s, sqlite3_finalize);
  sqlite3_bind_int64(s, 1, from_ms);
  sqlite3_bind_int64(s, 2, to_ms);
  // One state for every row, so that its strings keep their buffers from one row to the next.
  TicketState state;
  state.exists = true;
  Ticket& k = state.ticket;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    k.id = column_view(s, 0);
    k.official_number = column_view(s, 1);
    k.source = parse_source(column_view(s, 2)).value_or(Source::Hotline);
    k.received_at_ms = sqlite3_column_int64(s, 3);
    k.community = column_view(s, 4);
    k.category = parse_category(column_view(s, 5)).value_or(Category::Other);
    k.urgency = parse_urgency(column_view(s, 6)).value_or(Urgency::Normal);
    k.title = column_view(s, 7);
    k.status = parse_ticket_status(column_view(s, 8)).value_or(TicketStatus::Received);
    k.created_at_ms = sqlite3_column_int64(s, 9);
    k.updated_at_ms = sqlite3_column_int64(s, 10);
    state.lead_department = column_view(s, 11);
    state.deleted = sqlite3_column_int64(s, 12) != 0;
    state.work_count = sqlite3_column_int64(s, 13);
    state.fields = {};
    state.status = {};
    state.clock.clear();
    state.co_handlers.clear();
    if (!decode_versions(column_view(s, 14), state))
      return Error{ErrorCode::Corrupt, "[store.each_ticket_received] ticket " + k.id + ": malformed versions"};
    const std::optional<ReportTally> tally =
        sqlite3_column_type(s, 15) == SQLITE_NULL ? std::nullopt : unpack_tally(sqlite3_column_int64(s, 15));
    if (auto r = visit(state, tally); !r) return r;
  }
  if (rc != SQLITE_DONE) return sqlite_util::sqlite_error(m_db, "store", "each_ticket_received");
  return Ok{};
}

}  // namespace linli
