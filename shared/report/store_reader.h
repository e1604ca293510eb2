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

// `campaign_community`: the one community whose field work a committee's report counts (F1).
class StoreTicketReader : public TicketReader {
 public:
  explicit StoreTicketReader(Store& store, TicketScope keep = {}, std::string campaign_community = {})
      : m_store(store), m_keep(std::move(keep)), m_campaign_community(std::move(campaign_community)) {}
  Result<std::vector<TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) override;
  Result<void> each_received(int64_t from_ms, int64_t to_ms, const Visit& visit) override;
  Result<FieldData> field_data() override;
  std::string campaign_community() const override { return m_campaign_community; }

 private:
  Store& m_store;
  TicketScope m_keep;
  std::string m_campaign_community;
};

class FoldingTicketReader : public TicketReader {
 public:
  explicit FoldingTicketReader(Store& store, TicketScope keep = {}) : m_store(store), m_keep(std::move(keep)) {}
  Result<std::vector<TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) override;
  Result<FieldData> field_data() override;  // Every campaign: the reference for the tickets only.

 private:
  Store& m_store;
  TicketScope m_keep;
};

// One ticket's facts folded from its log (the official number from its row, where the server
// keeps it); nullopt when the fold makes no ticket.
Result<std::optional<TicketFacts>> fold_ticket_facts(Store& store, const TicketState& row);

}  // namespace linli::report
