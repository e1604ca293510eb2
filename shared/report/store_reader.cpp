// The monthly report's readers over a Store (report/store_reader.h). No arithmetic: the fold and
// facts_of count.
#include "report/store_reader.h"

namespace linli::report {

Result<std::optional<TicketFacts>> fold_ticket_facts(Store& store, const TicketState& row) {
  auto log = store.changes_in_fold_order(row.ticket.id);
  if (!log) return log.error();
  TicketFacts f = facts_of(*log);
  if (!f.state.exists) return std::optional<TicketFacts>{};
  // The number the server gave is kept in the ticket's row, not in its changes.
  f.state.ticket.official_number = row.ticket.official_number;
  return std::optional<TicketFacts>{std::move(f)};
}

Result<void> StoreTicketReader::each_received(int64_t from_ms, int64_t to_ms, const Visit& visit) {
  return m_store.each_ticket_received(
      from_ms, to_ms, [&](const TicketState& state, const std::optional<ReportTally>& tally) -> Result<void> {
        if (m_keep && !m_keep(state)) return Ok{};
        if (tally) {
          visit(state, *tally);
          return Ok{};
        }
        // A row of an earlier build the store has not folded again yet: its log says.
        auto f = fold_ticket_facts(m_store, state);
        if (!f) return f.error();
        if (*f) visit((*f)->state, (*f)->tally);
        return Ok{};
      });
}

namespace {

Result<FieldData> field_of(Store& store) {
  auto regs = store.field_registers();
  if (!regs) return regs.error();
  return assemble_field(*regs);
}

}  // namespace

Result<FieldData> StoreTicketReader::field_data() { return field_of(m_store); }
Result<FieldData> FoldingTicketReader::field_data() { return field_of(m_store); }

Result<std::vector<TicketFacts>> StoreTicketReader::received_between(int64_t from_ms, int64_t to_ms) {
  std::vector<TicketFacts> out;
  auto r = each_received(from_ms, to_ms,
                         [&](const TicketState& state, const ReportTally& tally) { out.push_back({state, tally}); });
  if (!r) return r.error();
  return out;
}

Result<std::vector<TicketFacts>> FoldingTicketReader::received_between(int64_t from_ms, int64_t to_ms) {
  auto ids = m_store.ticket_ids_received(from_ms, to_ms);
  if (!ids) return ids.error();
  std::vector<TicketFacts> out;
  out.reserve(ids->size());
  for (const std::string& id : *ids) {
    auto state = m_store.get_ticket_state(id);
    if (!state) return state.error();
    if (!state->has_value() || (m_keep && !m_keep(**state))) continue;
    auto f = fold_ticket_facts(m_store, **state);
    if (!f) return f.error();
    if (*f) out.push_back(std::move(**f));
  }
  return out;
}

}  // namespace linli::report
