// A SQLite VFS shim that tells a sink which pages of a database file changed at each sync.
// The browser keeps those pages in IndexedDB, so an edit costs the pages it touched, not the file.
// It wraps the default VFS; it never decides what is durable: the sink does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace linli {

inline constexpr int kPageSize = 4096;

struct PageImage {
  uint32_t index;          // Page number from 0: bytes [index * kPageSize, (index + 1) * kPageSize).
  std::string_view bytes;  // kPageSize bytes, zero-filled past the end of the file; empty when the
                           // sink reads them itself (PageSink::reads_pages).
};

class PageSink {
 public:
  virtual ~PageSink() = default;
  // Called from xSync of a main database file after the base VFS synced it, with every page
  // written since the previous call (each within the file's size now) and that size. The sink
  // stores them atomically.
  virtual void on_sync(std::string_view file, int64_t file_size, const std::vector<PageImage>& pages) = 0;
  // True when the sink reads the pages' bytes from the file itself, during on_sync (the browser's
  // reads them out of Emscripten's in-memory file, one copy, where a read through the VFS makes two
  // and a call into JavaScript a page): the VFS then hands over page numbers only.
  virtual bool reads_pages() const { return false; }
};

// Registers (once per name) a VFS called `name` over the default one, reporting to `sink`.
// The sink must outlive every connection opened with the VFS.
Result<void> register_page_vfs(const char* name, PageSink* sink);

// The file at `path` was replaced whole behind the VFS's back (a first sync's image moved into
// place): the next connection that opens it through the page VFS `vfs_name` hands every page of it
// to the sink at its first sync. False (and nothing done) when `vfs_name` is not a page VFS.
bool report_whole_file(const char* vfs_name, const std::string& path);

}  // namespace linli
