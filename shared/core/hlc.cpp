// Hybrid logical clock rules (Kulkarni et al., "Logical Physical Clocks", 2014) with a clamp. Pure.
#include "core/hlc.h"

#include <algorithm>

namespace linli {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int64_t clamp_ms(int64_t ms) { return std::clamp<int64_t>(ms, 0, kHlcMaxMs); }

// The successor of `last` at physical time `pt`, for the send and receive rules alike.
Hlc advance(const Hlc& last, int64_t pt) {
  if (pt > last.ms) return Hlc{pt, 0};
  if (last.counter < kHlcMaxCounter) return Hlc{last.ms, last.counter + 1};
  return Hlc{std::min(last.ms + 1, kHlcMaxMs), 0};  // Counter exhausted: borrow one millisecond.
}

}  // namespace

std::string to_hex(const ReplicaId& id) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s(32, '0');
  for (int i = 0; i < 16; ++i) {
    s[static_cast<size_t>(15 - i)] = hex[(id.hi >> (4 * i)) & 15];
    s[static_cast<size_t>(31 - i)] = hex[(id.lo >> (4 * i)) & 15];
  }
  return s;
}

std::optional<ReplicaId> parse_replica_id(std::string_view s) {
  if (s.size() != 32) return std::nullopt;
  ReplicaId id;
  for (size_t i = 0; i < 32; ++i) {
    const int v = hex_value(s[i]);
    if (v < 0) return std::nullopt;
    uint64_t& half = i < 16 ? id.hi : id.lo;
    half = (half << 4) | static_cast<uint64_t>(v);
  }
  return id;
}

ReplicaId replica_id_from_bytes(const uint8_t (&b)[16]) {
  ReplicaId id;
  for (int i = 0; i < 8; ++i) {
    id.hi = (id.hi << 8) | b[i];
    id.lo = (id.lo << 8) | b[8 + i];
  }
  return id;
}

bool is_valid(const Hlc& h) { return h.ms >= 0 && h.ms <= kHlcMaxMs && h.counter <= kHlcMaxCounter; }

uint64_t pack(const Hlc& h) { return (static_cast<uint64_t>(h.ms) << 16) | (h.counter & kHlcMaxCounter); }

Hlc unpack_hlc(uint64_t p) { return Hlc{static_cast<int64_t>(p >> 16), static_cast<uint32_t>(p & kHlcMaxCounter)}; }

Hlc HlcClock::now(int64_t physical_ms) {
  m_last = advance(m_last, clamp_ms(physical_ms));
  return m_last;
}

ReceiveOutcome HlcClock::receive(const Hlc& remote, int64_t physical_ms) {
  const int64_t pt = clamp_ms(physical_ms);
  ReceiveOutcome out{remote, false, 0};
  const int64_t limit = clamp_ms(pt + kMaxClockAheadMs);
  if (remote.ms > limit) {
    // Kept as a stamp of the receiver's own: at the limit, and after every stamp it gave or
    // received. Keeping the remote counter would reorder a fast replica's changes clamped one after
    // another: (X, 0), (X, 1), (X + 1, 0) would become (L, 0), (L, 1), (L, 0).
    out.clamped = true;
    out.skew_ms = remote.ms - pt;
    out.stamp = std::max(Hlc{limit, 0}, advance(m_last, pt));
    m_last = out.stamp;
    return out;
  }
  // Receive rule: the new stamp exceeds both the last local one and the (clamped) remote one.
  const Hlc& later = out.stamp > m_last ? out.stamp : m_last;
  m_last = advance(later, pt);
  return out;
}

}  // namespace linli
