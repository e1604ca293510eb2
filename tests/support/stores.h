// Store helpers the store and sync tests share: a store in a temp folder, its canonical dump, the
// statuses of a batch, a server's log as a client pulls it. Failures fail the calling test.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "support/temp_dir.h"

namespace linli::test {

inline Store open_store(const TempDir& dir, const std::string& name, const StoreOptions& o = {}) {
  auto s = Store::open(dir.file(name), o);
  EXPECT_TRUE(s) << s.error().detail;
  return std::move(s).value();
}

inline std::string dump(Store& s) {
  auto d = s.canonical_dump();
  return d ? *d : "dump failed: " + d.error().detail;
}

// One ticket's canonical dump.
inline std::string dump(Store& s, const std::string& ticket) {
  auto d = s.canonical_dump(ticket);
  return d ? *d : "dump failed: " + d.error().detail;
}

inline std::vector<ApplyStatus> statuses(const std::vector<ChangeResult>& rs) {
  std::vector<ApplyStatus> out;
  for (const auto& r : rs) out.push_back(r.status);
  return out;
}

// The server's log as a client pulls it.
inline std::vector<SequencedChange> pull_all(Store& server, int64_t cursor = 0) {
  auto r = server.changes_after(cursor, 100000);
  EXPECT_TRUE(r);
  return *r;
}

}  // namespace linli::test
