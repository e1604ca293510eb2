#include "app/fake_platform.h"

#include <random>

#include "platform/platform.h"

namespace linli::platform {

int64_t now_ms() { return fake::now; }

void fill_random(uint8_t* out, size_t n) {
  static std::mt19937_64 rng(std::random_device{}());
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(rng());
}

std::string load_setting(const char* key) {
  auto it = fake::settings.find(key);
  return it == fake::settings.end() ? std::string() : it->second;
}
void save_setting(const char* key, const std::string& value) { fake::settings[key] = value; }
void wipe_local_data_and_reload() { ++fake::wipes; }
void download_file(const std::string& name, const std::string& mime, const std::string& bytes) {
  fake::downloads.push_back({name, mime, bytes});
}
bool open_authorized_page(const std::string& path, const std::string&) {
  if (fake::popups_blocked) return false;
  fake::opened_pages.push_back(path);
  return true;
}
void dial(const std::string& number) { fake::dialled.push_back(number); }
int pending_durable_writes() { return 0; }
bool is_online() { return true; }
void choose_photo() { ++fake::photo_choosers; }
std::optional<ChosenPhoto> take_chosen_photo() {
  if (fake::chosen_photos.empty()) return std::nullopt;
  ChosenPhoto p;
  p.bytes = fake::chosen_photos.front();
  p.width = 1600;
  p.height = 1200;
  fake::chosen_photos.erase(fake::chosen_photos.begin());
  return p;
}
bool photo_processing() { return false; }
void photo_saved(int64_t) {}
void decode_photo(const std::string& key, const std::string&, const std::string&, int) { fake::decoded.push_back(key); }
PhotoTexture photo_texture(const std::string&) { return {}; }
void release_photo_textures() {}

}  // namespace linli::platform
