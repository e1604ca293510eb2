// The app's writes that are more than one change record: a new ticket with its provisional
// number, and the adoption of tickets an earlier build kept outside the change log. Each is one
// transaction, so one durable write in the browser.
#pragma once

#include <functional>

#include "core/change.h"
#include "core/result.h"
#include "store/store.h"
#include "sync/client_sync.h"

namespace linli::app {

// Gives `ticket` the next provisional number of its day (Shanghai date of now_ms) and records its
// create_ticket change, and a rebound link (反弹) to each of `rebound_of`, all in one transaction.
// `also` runs in the same transaction (the app forgets the intake form it kept: a crash right after
// cannot bring back the form of a ticket already saved). Returns the create_ticket change as recorded.
Result<Change> record_new_ticket(Store& store, ClientSync& client, Ticket ticket, int64_t now_ms,
                                 const std::vector<std::string>& rebound_of = {},
                                 const std::function<Result<void>()>& also = nullptr);

// Tickets an earlier build stored outside the change log (a plain insert, nothing to push) become
// create_ticket changes of this replica, so they reach the server like any edit. A ticket that
// stood further than received keeps its fields and is created received, with a comment saying
// where it stood: the steps were never recorded, and none is invented. One transaction a ticket.
// Returns how many were adopted.
Result<int> adopt_tickets_outside_log(Store& store, ClientSync& client, int64_t now_ms);

}  // namespace linli::app
