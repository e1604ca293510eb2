// A SQLite VFS shim that tells a sink which pages of a database file changed at each sync.
// The browser keeps those pages in IndexedDB, so an edit costs the pages it touched, not the file.
// It wraps the default VFS; it never decides what is durable: the sink does.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace linli {

inline constexpr int kPageSize = 4096;

struct PageImage {
  uint32_t index;          // Page number from 0: bytes [index * kPageSize, (index + 1) * kPageSize).
  std::string_view bytes;  // kPageSize bytes, zero-filled past the end of the file.
};

class PageSink {
 public:
  virtual ~PageSink() = default;
  // Called from xSync of a main database file after the base VFS synced it, with every page
  // written since the previous call and the file's size now. The sink stores them atomically.
  virtual void on_sync(std::string_view file, int64_t file_size, const std::vector<PageImage>& pages) = 0;
};

// Registers (once per name) a VFS called `name` over the default one, reporting to `sink`.
// The sink must outlive every connection opened with the VFS.
Result<void> register_page_vfs(const char* name, PageSink* sink);

}  // namespace linli
