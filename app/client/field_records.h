// 巡查发现 → 工单: a finding of a round becomes a ticket in one transaction (one durable write in the
// browser): the create_ticket with its provisional number, an attach_photo for each of the
// finding's photos, and the finding link back to the round item (docs/protocol.md, link_tickets).
#pragma once

#include <vector>

#include "core/change.h"
#include "core/result.h"
#include "store/store.h"
#include "photos.h"
#include "sync/client_sync.h"

namespace linli::app {

// Gives `ticket` the next provisional number of its day (Shanghai date of now_ms) and records its
// create_ticket, its photos and the link to `round_item` (campaign, week, community, facility).
// Each photo (taken in the finding form, the problem as found) is kept in the local store waiting
// for its upload and named by an attach_photo of phase before, in the same transaction (app/photos.h).
// Returns the create_ticket change as recorded. InvalidArgument for an empty or too large photo.
Result<Change> record_finding_ticket(Store& store, ClientSync& client, Ticket ticket, const FieldRecord& round_item,
                                     const std::vector<CapturedPhoto>& photos, int64_t now_ms);

}  // namespace linli::app
