// libFuzzer target for the wire decoder (untrusted input from the network). Every decoder must
// return a value or an error for any bytes, and whatever decodes must survive encode -> decode
// unchanged. Build with the `fuzz` preset (clang); crashes go to tests/fixtures/crashers/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/wire.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Records compare byte for byte through the store's record codec.
bool same_changes(const std::vector<linli::Change>& a, const std::vector<linli::Change>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (linli::encode_change_record(a[i]) != linli::encode_change_record(b[i])) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace linli;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = decode_push_request(text)) {
    auto again = decode_push_request(encode(*m));
    check(again.ok() && again->replica == m->replica && same_changes(again->changes, m->changes));
  }
  if (auto m = decode_pull_response(text)) {
    auto again = decode_pull_response(encode(*m));
    check(again.ok() && again->from == m->from && again->changes.size() == m->changes.size());
  }
  if (auto m = decode_push_response(text)) {
    auto again = decode_push_response(encode(*m));
    check(again.ok() && again->results.size() == m->results.size());
  }
  if (auto m = decode_pull_request(text)) {
    auto again = decode_pull_request(encode(*m));
    check(again.ok() && again->cursor == m->cursor && again->limit == m->limit);
  }
  return 0;
}
