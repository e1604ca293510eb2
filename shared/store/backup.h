// An online copy of a database file with SQLite's backup API: consistent, taken while the server
// keeps writing (it copies in steps and restarts when the source changes under it).
#pragma once

#include <string>

#include "core/result.h"

namespace linli {

// Copies the database at `from` (a server's) to `to` (replaced if present) and marks the copy with
// the last sequence number in it (meta log.copy_end): a server started on it knows it was put back
// (Store::skip_numbers_after_copy). Returns the pages copied.
Result<int> backup_database(const std::string& from, const std::string& to);

}  // namespace linli
