// 巡查发现 → 工单: a finding of a round becomes a ticket in one transaction (one durable write in the
// browser): the create_ticket with its provisional number, an attach_photo for each of the
// finding's photos, and the finding link back to the round item (docs/protocol.md, link_tickets).
#pragma once

#include <vector>

#include "core/change.h"
#include "core/result.h"
#include "store/store.h"
#include "sync/client_sync.h"

namespace linli::app {

// Gives `ticket` the next provisional number of its day (Shanghai date of now_ms) and records its
// create_ticket, its photos and the link to `round_item` (campaign, week, community, facility).
// Returns the create_ticket change as recorded.
Result<Change> record_finding_ticket(Store& store, ClientSync& client, Ticket ticket, const FieldRecord& round_item,
                                     const std::vector<Photo>& photos, int64_t now_ms);

}  // namespace linli::app
