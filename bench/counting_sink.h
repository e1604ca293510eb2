// A page sink that counts what a browser's would hand to IndexedDB at each commit, and drops it
// (bench/first_sync.cpp, bench/apply_replay.cpp).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/page_vfs.h"

namespace linli::bench {

class CountingSink : public PageSink {
 public:
  // reads_pages: page numbers only, as the browser's sink (web/linli.js) gets, which copies each
  // page out of the file itself; otherwise the VFS reads every page for the sink first.
  explicit CountingSink(bool reads_pages = false) : m_reads_pages(reads_pages) {}
  void on_sync(std::string_view, int64_t, const std::vector<PageImage>& images) override {
    ++commits;
    pages += static_cast<int64_t>(images.size());
  }
  bool reads_pages() const override { return m_reads_pages; }
  int64_t commits = 0, pages = 0;

 private:
  bool m_reads_pages;
};

}  // namespace linli::bench
