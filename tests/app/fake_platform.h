// The platform seam (app/platform/platform.h) faked for native tests of App: a clock the test
// moves, settings in memory, counted wipes, and durable writes that are always confirmed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace linli::platform::fake {

inline int64_t now = 1'795'960'000'000;  // 2026-11-29 22:26 in Shanghai.
inline std::map<std::string, std::string> settings;
inline int wipes = 0;  // Calls of wipe_local_data_and_reload.
struct Download {
  std::string name, mime, bytes;
};
inline std::vector<Download> downloads;        // Calls of download_file.
inline std::vector<std::string> opened_pages;  // Paths given to open_authorized_page.
inline bool popups_blocked = false;            // open_authorized_page opens nothing.
inline std::vector<std::string> dialled;       // Numbers given to dial.
inline int photo_choosers = 0;                  // Calls of choose_photo.
inline std::vector<std::string> chosen_photos;  // What the page hands back next (take_chosen_photo).
inline std::vector<std::string> decoded;        // Keys given to decode_photo.

}  // namespace linli::platform::fake
