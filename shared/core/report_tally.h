// What the monthly report needs of a ticket's log beyond its folded state (docs/metrics.md):
// assignments (重派), returns, approved extensions (延期), a rebound link (反弹), the first and last
// return visit. Counted change by change as the fold applies them, so the store keeps it beside
// the ticket's row (tickets.report_tally) and the report reads it instead of folding every ticket
// again. Pure.
#pragma once

#include <cstdint>
#include <optional>

#include "core/merge.h"

namespace linli {

struct ReportTally {
  int assignments = 0;  // Assign moves that took effect (more than one: 重派).
  int returns = 0;      // 退单 approved (approve_return moves that took effect).
  int extensions = 0;   // Approved decisions naming an extension request folded before them.
  bool rebound = false; // Linked to an earlier ticket as its rebound.
  int visits = 0;       // Return visits.
  Satisfaction first_visit = Satisfaction::None, last_visit = Satisfaction::None;
  friend bool operator==(const ReportTally&, const ReportTally&) = default;
};

// Counts change `c` that merge_change just folded into `after` (its ticket's state) with outcome
// `o`. A change that did not take effect counts nothing.
void tally_change(ReportTally& tally, const TicketState& after, const Change& c, const MergeOutcome& o);

// One integer for a column: counts saturate at 4095 (the report reads only "none", "one" and
// "more than one"). unpack_tally gives nullopt for a value no pack_tally gives.
int64_t pack_tally(const ReportTally& tally);
std::optional<ReportTally> unpack_tally(int64_t packed);

}  // namespace linli
