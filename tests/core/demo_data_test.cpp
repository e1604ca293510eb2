// The demo set is valid data: every ticket passes the rules a new ticket must meet.
#include "core/demo_data.h"

#include <gtest/gtest.h>

#include <set>

namespace linli {
namespace {

TEST(DemoData, EveryTicketIsValidAndIdsAreUnique) {
  const auto tickets = demo_tickets(1'764'400'000'000);
  ASSERT_GE(tickets.size(), 5u);
  std::set<std::string> ids;
  for (const auto& t : tickets) {
    EXPECT_TRUE(validate_new_ticket(t).empty()) << t.title;
    EXPECT_TRUE(ids.insert(t.id).second) << t.id;
    EXPECT_LT(t.received_at_ms, 1'764'400'000'000);
  }
}

}  // namespace
}  // namespace linli
