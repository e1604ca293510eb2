// libFuzzer target for the wire decoder (untrusted input from the network). Every decoder must
// return a value or an error for any bytes, and whatever decodes must survive encode -> decode
// unchanged (a pushed change that could not be read whole keeps its id). Build with the `fuzz`
// preset (clang); crashes go to tests/fixtures/crashers/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/wire.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Records compare byte for byte through the store's record codec. A change the first decode could
// not read whole (it is refused alone) keeps only its id through the round trip.
bool same_changes(const linli::PushRequest& a, const linli::PushRequest& b) {
  if (a.changes.size() != b.changes.size() || a.unreadable.size() != a.changes.size()) return false;
  for (size_t i = 0; i < a.changes.size(); ++i) {
    if (!a.unreadable[i].empty()) {
      if (a.changes[i].id != b.changes[i].id) return false;
      continue;
    }
    if (!b.unreadable[i].empty()) return false;
    if (linli::encode_change_record(a.changes[i]) != linli::encode_change_record(b.changes[i])) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace linli;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = decode_push_request(text)) {
    auto again = decode_push_request(encode(*m));
    check(again.ok() && again->replica == m->replica && same_changes(*m, *again));
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
