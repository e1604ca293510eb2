// The monthly report's readers over a Store. The server reads its database with the caller's scope
// as the filter; the app reads its replica (whatever it holds) with none. Reads only.
//   StoreTicketReader      the month's rows in one range query, each ticket's state and report
//                          tally as the fold kept them (Store::each_ticket_received).
//   FoldingTicketReader    each ticket folded again from its log in the fold's order (R10): the
//                          reference the tests hold StoreTicketReader equal to, and the way a row
//                          of an earlier build (no tally yet) is read.
#pragma once

#include <functional>

#include "report/monthly.h"
#include "store/store.h"

namespace linli::report {

// Which tickets count (the caller's scope); empty: every ticket the store holds.
using TicketScope = std::function<bool(const TicketState&)>;

class StoreTicketReader : public TicketReader {
 public:
  explicit StoreTicketReader(Store& store, TicketScope keep = {}) : m_store(store), m_keep(std::move(keep)) {}
  Result<std::vector<TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) override;
  Result<void> each_received(int64_t from_ms, int64_t to_ms, const Visit& visit) override;

 private:
  Store& m_store;
  TicketScope m_keep;
};

class FoldingTicketReader : public TicketReader {
 public:
  explicit FoldingTicketReader(Store& store, TicketScope keep = {}) : m_store(store), m_keep(std::move(keep)) {}
  Result<std::vector<TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) override;

 private:
  Store& m_store;
  TicketScope m_keep;
};

// One ticket's facts folded from its log (the official number from its row, where the server
// keeps it); nullopt when the fold makes no ticket.
Result<std::optional<TicketFacts>> fold_ticket_facts(Store& store, const TicketState& row);

}  // namespace linli::report
