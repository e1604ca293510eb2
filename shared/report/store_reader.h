// The monthly report's reader over a Store: the month's tickets, each folded into its facts from its
// log in the fold's order (R10). The server reads its database through it with the caller's scope
// as the filter; the app reads its replica (whatever it holds) with none. Reads only.
#pragma once

#include <functional>

#include "report/monthly.h"
#include "store/store.h"

namespace linli::report {

class StoreTicketReader : public TicketReader {
 public:
  // `keep` says which tickets count (the caller's scope); empty: every ticket the store holds.
  explicit StoreTicketReader(Store& store, std::function<bool(const TicketState&)> keep = {})
      : m_store(store), m_keep(std::move(keep)) {}
  Result<std::vector<TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) override;

 private:
  Store& m_store;
  std::function<bool(const TicketState&)> m_keep;
};

}  // namespace linli::report
