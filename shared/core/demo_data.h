// Demo tickets drawn from the street's own story (shared seed: 社区晨报 2020-04), for `make run`
// and for tests. Pure: the caller gives the time they are placed around.
#pragma once

#include <vector>

#include "core/ticket.h"

namespace linli {

// A fixed set with fixed ids, so loading it twice adds nothing the second time.
// Received times are spread over the days before now_ms. Provisional numbers are left empty:
// the store that takes them in gives each its own (Store::seed_demo_tickets).
std::vector<Ticket> demo_tickets(int64_t now_ms);

}  // namespace linli
