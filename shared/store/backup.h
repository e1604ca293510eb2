// An online copy of a database file with SQLite's backup API: consistent, taken while the server
// keeps writing (it copies in steps and restarts when the source changes under it).
#pragma once

#include <string>

#include "core/result.h"

namespace linli {

// Copies the database at `from` to `to` (replaced if present). Returns the pages copied.
Result<int> backup_database(const std::string& from, const std::string& to);

}  // namespace linli
