// The monthly report's reader over a Store (report/store_reader.h). No arithmetic: facts_of folds.
#include "report/store_reader.h"

namespace linli::report {

Result<std::vector<TicketFacts>> StoreTicketReader::received_between(int64_t from_ms, int64_t to_ms) {
  auto ids = m_store.ticket_ids_received(from_ms, to_ms);
  if (!ids) return ids.error();
  std::vector<TicketFacts> out;
  out.reserve(ids->size());
  for (const std::string& id : *ids) {
    auto state = m_store.get_ticket_state(id);
    if (!state) return state.error();
    if (!state->has_value() || (m_keep && !m_keep(**state))) continue;
    auto log = m_store.changes_in_fold_order(id);
    if (!log) return log.error();
    TicketFacts f = facts_of(*log);
    // The number the server gave is kept in the ticket's row, not in its changes.
    f.state.ticket.official_number = (*state)->ticket.official_number;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace linli::report
