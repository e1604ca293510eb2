// A replica's store of N tickets received in one month, each with the life the report counts
// (contact, dispatch, handling, return visit, close; some late, some reassigned, some still open),
// for bench/report.cpp and bench/browser_report.mjs (through make_ticket_store --report).
#pragma once

#include <string>

#include "core/result.h"

namespace linli::bench {

// Writes `path` (a browser replica's file: page-sink durability) with `n` tickets received in
// March 2026 (Shanghai), as pulled changes with sequence numbers.
Result<void> make_report_store(const std::string& path, long n);

}  // namespace linli::bench
