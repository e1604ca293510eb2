// The report's tally of a ticket's log (core/report_tally.h). Pure.
#include "core/report_tally.h"

#include <algorithm>

namespace linli {
namespace {

bool took_effect(const MergeOutcome& o) {
  return o.effect == Effect::Applied || o.effect == Effect::Won || o.effect == Effect::Inserted;
}

// The packed tally, from the lowest bit: assignments, returns, extensions and visits in 12 bits
// each (saturating), the rebound flag, then the first and the last visit's satisfaction in 3 bits
// each: 55 bits, so the column's integer is never negative.
constexpr int kCountBits = 12;
constexpr int64_t kCountMax = (int64_t{1} << kCountBits) - 1;
constexpr int kReturns = 12, kExtensions = 24, kVisits = 36, kRebound = 48, kFirst = 49, kLast = 52, kBits = 55;

}  // namespace

void tally_change(ReportTally& t, const TicketState& after, const Change& c, const MergeOutcome& o) {
  if (!took_effect(o)) return;
  switch (c.kind) {
    case ChangeKind::Transition:
      t.assignments += c.action == WorkflowAction::Assign;
      t.returns += c.action == WorkflowAction::ApproveReturn;
      break;
    case ChangeKind::AddEntry:
      if (c.entry.kind == EntryKind::ReturnVisit) {
        if (t.visits == 0) t.first_visit = c.entry.satisfaction;
        t.last_visit = c.entry.satisfaction;
        ++t.visits;
      }
      // Every extension request folded so far is an ExtensionAsked clock event (core/merge.cpp).
      if (c.entry.kind == EntryKind::Decision && c.entry.approved &&
          std::any_of(after.clock.begin(), after.clock.end(), [&](const ClockEvent& e) {
            return e.kind == ClockEventKind::ExtensionAsked && e.ref == c.entry.request;
          }))
        ++t.extensions;
      break;
    case ChangeKind::LinkTickets:
      t.rebound |= c.link.kind == LinkKind::Rebound;
      break;
    default:
      break;
  }
}

int64_t pack_tally(const ReportTally& t) {
  const auto count = [](int n) { return static_cast<uint64_t>(std::clamp<int64_t>(n, 0, kCountMax)); };
  const uint64_t v = count(t.assignments) | count(t.returns) << kReturns | count(t.extensions) << kExtensions |
                     count(t.visits) << kVisits | uint64_t{t.rebound} << kRebound |
                     static_cast<uint64_t>(t.first_visit) << kFirst | static_cast<uint64_t>(t.last_visit) << kLast;
  return static_cast<int64_t>(v);
}

std::optional<ReportTally> unpack_tally(int64_t packed) {
  if (packed < 0 || packed >> kBits != 0) return std::nullopt;
  const auto v = static_cast<uint64_t>(packed);
  const auto field = [&](int at, int bits) { return static_cast<int>(v >> at & ((uint64_t{1} << bits) - 1)); };
  const int first = field(kFirst, 3), last = field(kLast, 3);
  if (first >= kSatisfactionCount || last >= kSatisfactionCount) return std::nullopt;
  ReportTally t;
  t.assignments = field(0, kCountBits);
  t.returns = field(kReturns, kCountBits);
  t.extensions = field(kExtensions, kCountBits);
  t.visits = field(kVisits, kCountBits);
  t.rebound = field(kRebound, 1) != 0;
  t.first_visit = static_cast<Satisfaction>(first);
  t.last_visit = static_cast<Satisfaction>(last);
  return t;
}

}  // namespace linli
