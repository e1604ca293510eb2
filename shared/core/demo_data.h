// The demo street (天目西, spring 2020, from the shared seed 社区晨报 2020-04) as change records,
// for `linli-server --seed-demo` and for tests. Pure: the caller gives now, the replica and its
// first counter; no I/O, no clock, no randomness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/change.h"

namespace linli {

// How many demo tickets there are, and the fixed id of number n (1-based): "de5eed00…00n".
int demo_ticket_count();
std::string demo_ticket_id(int n);

// Every change of the demo street, in stamp order, numbered first_counter, first_counter + 1, …
// of `replica` (gap-free), so a server can take them as its own. Authors are the people who would
// have made them: the centre (zhang.bin) takes in, contacts, dispatches, decides, visits and
// closes; each lead department's handler starts, notes, reports, handles and asks. The recent
// tickets are received hours to weeks before now_ms (on earlier days at the Shanghai clock times a
// centre would see), so today's deadlines make sense; the epidemic of February and March 2020 (the
// seed's stories and the generated hotline, demo_epidemic.cpp) keeps its own dates, all closed.
// Every stamp is before now_ms (now_ms is after April 2020).
// Folded in this order the changes apply as meant: no transition is rejected or sent to review.
// Official numbers are not here: the server gives them as it takes the changes.
std::vector<Change> demo_changes(int64_t now_ms, const ReplicaId& replica, uint64_t first_counter);

// The demo tickets as the script leaves them (status folded in), without provisional numbers.
// For tests: what folding demo_changes must give.
std::vector<Ticket> demo_tickets(int64_t now_ms);

}  // namespace linli
